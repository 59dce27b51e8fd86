// Reads Pyodide's runtime files once, before the jail exists, and prepares them for a `node:vm`
// context: `pyodide.asm.mjs` becomes a classic script so that Emscripten starts in its shell mode
// (no Node `require`, so no `child_process`-backed `os.system`, no NODEFS, no sockets), and the
// wasm binary gets a hard memory maximum.
import fs from 'node:fs';
import path from 'node:path';
import { capWasmMemory, pagesForMegabytes } from './wasm-memory';

/** The folder name the jail sees Pyodide's files under (an index URL, not a host path). */
export const JAIL_INDEX_URL = '/pyodide/';
export const JAIL_WASM_PATH = `${JAIL_INDEX_URL}pyodide.asm.wasm`;
export const JAIL_STDLIB_PATH = `${JAIL_INDEX_URL}python_stdlib.zip`;
export const JAIL_SNAPSHOT_PATH = `${JAIL_INDEX_URL}snapshot.bin`;

export interface PyodideArtifacts {
  /** pyodide.js: defines `loadPyodide` (a classic script already). */
  loaderScript: string;
  /** pyodide.asm.mjs rewritten as a classic script that sets `globalThis.__createPyodideModule`. */
  asmScript: string;
  /** pyodide-lock.json text. */
  lockFile: string;
  /** The files the jail may read while it boots, by their jail path. */
  files: Map<string, Uint8Array>;
}

export class ArtifactError extends Error {
  override name = 'ArtifactError';
}

const ASM_EXPORT = /export default _createPyodideModule;\s*$/;

/** Turns the ES module `pyodide.asm.mjs` into a classic script for `vm.runInContext`. */
export function asmModuleToScript(source: string): string {
  if (!ASM_EXPORT.test(source)) {
    throw new ArtifactError('pyodide.asm.mjs does not end with "export default _createPyodideModule;"');
  }
  const script = source
    .replaceAll('import.meta.url', JSON.stringify(`file://${JAIL_INDEX_URL}pyodide.asm.mjs`))
    .replace(ASM_EXPORT, '');
  if (script.includes('import.meta')) throw new ArtifactError('pyodide.asm.mjs still refers to import.meta');
  return `"use strict";\nglobalThis.__createPyodideModule = (function () {\n${script}\nreturn _createPyodideModule;\n})();\n`;
}

export interface ReadArtifactsOptions {
  pyodideDir: string;
  /** Cap on the interpreter's wasm memory. */
  memoryMb: number;
  /** A memory snapshot of a freshly booted interpreter, restored instead of booting from scratch. */
  snapshot?: Uint8Array;
}

export function readPyodideArtifacts(options: ReadArtifactsOptions): PyodideArtifacts {
  const read = (name: string): Buffer => fs.readFileSync(path.join(options.pyodideDir, name));
  const files = new Map<string, Uint8Array>([
    [JAIL_WASM_PATH, capWasmMemory(read('pyodide.asm.wasm'), pagesForMegabytes(options.memoryMb))],
    [JAIL_STDLIB_PATH, read('python_stdlib.zip')],
  ]);
  if (options.snapshot) files.set(JAIL_SNAPSHOT_PATH, options.snapshot);
  return {
    loaderScript: read('pyodide.js').toString('utf8'),
    asmScript: asmModuleToScript(read('pyodide.asm.mjs').toString('utf8')),
    lockFile: read('pyodide-lock.json').toString('utf8'),
    files,
  };
}
