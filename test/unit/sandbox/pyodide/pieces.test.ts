// The runner's building blocks, each on its own: the wasm memory cap, the asm-to-script conversion,
// framing, the output ring, message validation, the sandbox process's environment and flags, the
// host-call guard and the fail-closed check on import().
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { Worker } from 'node:worker_threads';
import { pyodideDir } from '../../../../src/assets';
import { createPyodideRunner } from '../../../../src/sandbox/pyodide';
import { ArtifactError, asmModuleToScript } from '../../../../src/sandbox/pyodide/artifacts';
import {
  TRUNCATION_MARKER,
  outcomeBytes,
  outcomeWithinBudget,
  truncateUtf8,
} from '../../../../src/sandbox/pyodide/output-budget';
import {
  FRAME_BINARY,
  FRAME_JSON,
  FrameDecoder,
  encodeFrame,
  encodeMessage,
  parseMessage,
  type FrameKind,
} from '../../../../src/sandbox/pyodide/framing';
import { sandboxEnvironment, sandboxNodeFlags, scriptRoot } from '../../../../src/sandbox/pyodide/hardening';
import { assertDynamicImportContained } from '../../../../src/sandbox/pyodide/jail';
import { HOST_CALL_GUARD } from '../../../../src/sandbox/pyodide/jail-prelude';
import { checkLimits, checkProgram } from '../../../../src/sandbox/pyodide/limits';
import {
  OutputRingReader,
  OutputRingWriter,
  STDERR,
  STDOUT,
  createOutputRing,
  type StreamId,
} from '../../../../src/sandbox/pyodide/output-ring';
import {
  parseHostMessage,
  parseJailWorkerMessage,
  parseSupervisorMessage,
} from '../../../../src/sandbox/pyodide/protocol';
import { splitText } from '../../../../src/sandbox/pyodide/supervisor';
import { WasmMemoryCapError, capWasmMemory } from '../../../../src/sandbox/pyodide/wasm-memory';
import { DEFAULT_LIMITS } from '../../../../src/sandbox/run-types';

/** (module (memory 1 [max]) (export "memory" (memory 0))) */
function memoryModule(maxPages?: number): Uint8Array {
  const limits = maxPages === undefined ? [0x00, 0x01] : [0x01, 0x01, maxPages];
  const memory = [0x01, ...limits];
  const exportEntry = [0x01, 0x06, ...Buffer.from('memory'), 0x02, 0x00];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    0x05,
    memory.length,
    ...memory,
    0x07,
    exportEntry.length,
    ...exportEntry,
  ]);
}

// The project's TypeScript lib has no WebAssembly types; these are the few members the tests use.
interface WasmMemory {
  grow(pages: number): number;
  buffer: ArrayBuffer;
}
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      Module: new (bytes: Uint8Array) => object;
      Instance: new (module: object) => { exports: Record<string, unknown> };
      validate(bytes: Uint8Array): boolean;
    };
  }
).WebAssembly;

function memoryOf(module: Uint8Array): WasmMemory {
  const instance = new wasm.Instance(new wasm.Module(module));
  return instance.exports.memory as WasmMemory;
}

describe('Pyodide runner pieces', () => {
  describe('capWasmMemory', () => {
    it('gives a memory without a maximum a hard one', () => {
      const memory = memoryOf(capWasmMemory(memoryModule(), 3));
      memory.grow(2);
      assert.throws(() => memory.grow(1), RangeError);
    });

    it('replaces an existing maximum, never below the initial size', () => {
      assert.throws(() => memoryOf(capWasmMemory(memoryModule(100), 2)).grow(2), RangeError);
      const atLeastInitial = memoryOf(capWasmMemory(memoryModule(), 1));
      assert.equal(atLeastInitial.buffer.byteLength, 65536);
    });

    it('caps Pyodide’s own module and keeps it valid', () => {
      const binary = fs.readFileSync(path.join(pyodideDir(), 'pyodide.asm.wasm'));
      const capped = capWasmMemory(binary, 4096);
      assert.ok(Math.abs(capped.length - binary.length) < 16);
      assert.ok(wasm.validate(capped));
    });

    it('refuses what it cannot cap', () => {
      assert.throws(() => capWasmMemory(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]), 1), WasmMemoryCapError);
      const noMemory = Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
      assert.throws(() => capWasmMemory(noMemory, 1), /defines no memory/);
      assert.throws(() => capWasmMemory(memoryModule(), 0), /maxPages must be an integer/);
      assert.throws(() => capWasmMemory(memoryModule(), 70000), /maxPages must be an integer/);
    });
  });

  describe('asmModuleToScript', () => {
    it('turns the ES module into a classic script without import.meta', () => {
      const script = asmModuleToScript(
        'async function _createPyodideModule(){return new URL("x", import.meta.url)}export default _createPyodideModule;',
      );
      assert.doesNotMatch(script, /import\.meta|export default/);
      const context = vm.createContext({ URL });
      vm.runInContext(script, context);
      assert.equal(typeof vm.runInContext('globalThis.__createPyodideModule', context), 'function');
    });

    it('refuses a file it does not recognise', () => {
      assert.throws(() => asmModuleToScript('export default somethingElse;'), ArtifactError);
    });
  });

  describe('framing', () => {
    function collect(max: number): {
      frames: Array<[FrameKind, string]>;
      errors: string[];
      decoder: FrameDecoder;
    } {
      const frames: Array<[FrameKind, string]> = [];
      const errors: string[] = [];
      const decoder = new FrameDecoder(
        max,
        (kind, payload) => frames.push([kind, payload.toString('utf8')]),
        (error) => errors.push(error.message),
      );
      return { frames, errors, decoder };
    }

    it('reassembles frames split across chunks and several frames in one chunk', () => {
      const { frames, errors, decoder } = collect(1024);
      const bytes = Buffer.concat([
        encodeMessage({ type: 'a' }),
        encodeFrame(FRAME_BINARY, Buffer.from('raw')),
        encodeMessage({ type: 'b', text: 'é' }),
      ]);
      for (let i = 0; i < bytes.length; i += 3) decoder.push(bytes.subarray(i, i + 3));
      assert.deepEqual(errors, []);
      assert.deepEqual(frames, [
        [FRAME_JSON, '{"type":"a"}'],
        [FRAME_BINARY, 'raw'],
        [FRAME_JSON, '{"type":"b","text":"é"}'],
      ]);
    });

    it('refuses a frame over the cap once, and reads nothing after it', () => {
      const { frames, errors, decoder } = collect(8);
      decoder.push(encodeMessage({ type: 'too long for eight bytes' }));
      decoder.push(encodeMessage({}));
      assert.equal(frames.length, 0);
      assert.equal(errors.length, 1);
      assert.match(errors[0], /exceeds the 8-byte limit/);
    });

    it('refuses an unknown frame kind', () => {
      const { errors, decoder } = collect(64);
      const frame = encodeMessage({});
      frame[4] = 7;
      decoder.push(frame);
      assert.match(errors[0], /unknown frame kind 7/);
    });

    it('parses only JSON objects', () => {
      assert.deepEqual(parseMessage(Buffer.from('{"a":1}')), { a: 1 });
      assert.equal(parseMessage(Buffer.from('[1]')), undefined);
      assert.equal(parseMessage(Buffer.from('not json')), undefined);
    });
  });

  describe('output ring', () => {
    const records = (reader: OutputRingReader): Array<[StreamId, string]> => {
      const out: Array<[StreamId, string]> = [];
      reader.drain((stream, bytes) => out.push([stream, Buffer.from(bytes).toString('utf8')]));
      return out;
    };

    it('carries stdout and stderr in order, across the end of the buffer', () => {
      const ring = createOutputRing(64);
      const writer = new OutputRingWriter(ring, 10_000);
      const reader = new OutputRingReader(ring);
      const seen: Array<[StreamId, string]> = [];
      for (let i = 0; i < 20; i++) {
        writer.write(i % 3 === 0 ? STDERR : STDOUT, Buffer.from(`line ${i}\n`));
        seen.push(...records(reader));
      }
      const joined = (stream: StreamId): string =>
        seen
          .filter(([s]) => s === stream)
          .map(([, text]) => text)
          .join('');
      assert.equal(joined(STDERR), [0, 3, 6, 9, 12, 15, 18].map((i) => `line ${i}\n`).join(''));
      assert.equal(joined(STDOUT).split('\n').length - 1, 13);
      assert.equal(reader.capped, false);
    });

    it('drops everything past the cap and raises the capped flag', () => {
      const ring = createOutputRing(1024);
      const writer = new OutputRingWriter(ring, 10);
      const reader = new OutputRingReader(ring);
      writer.write(STDOUT, Buffer.from('12345678'));
      writer.write(STDOUT, Buffer.from('abcdef'));
      writer.write(STDERR, Buffer.from('never'));
      assert.deepEqual(records(reader), [
        [STDOUT, '12345678'],
        [STDOUT, 'ab'],
      ]);
      assert.equal(reader.capped, true);
      assert.equal(writer.bytesWritten, 10);
    });

    it('charges bytes that leave another way to the same budget, capping past it', () => {
      const ring = createOutputRing(1024);
      const writer = new OutputRingWriter(ring, 10);
      const reader = new OutputRingReader(ring);
      writer.write(STDOUT, Buffer.from('1234'));
      writer.spend(5);
      assert.equal(reader.capped, false);
      assert.equal(writer.remainingBytes, 1);
      writer.spend(2);
      assert.equal(reader.capped, true);
      assert.equal(writer.remainingBytes, 0);
    });

    it('cuts an error record to the budget with a visible marker, never inside a character', () => {
      const outcome = {
        status: 'error' as const,
        name: 'Big',
        value: 'é'.repeat(100),
        traceback: 'x'.repeat(100),
      };
      assert.deepEqual(outcomeWithinBudget(outcome, 1000), { outcome, overBudget: false });
      const cut = outcomeWithinBudget(outcome, 60);
      assert.equal(cut.overBudget, true);
      assert.equal(cut.outcome.name, 'Big');
      assert.ok(cut.outcome.value.endsWith(TRUNCATION_MARKER));
      assert.match(cut.outcome.value.slice(0, -TRUNCATION_MARKER.length), /^é+$/);
      assert.equal(cut.outcome.traceback, '');
      assert.ok(outcomeBytes(cut.outcome) <= 60, `${outcomeBytes(cut.outcome)} bytes`);
      assert.equal(outcomeBytes(outcomeWithinBudget(outcome, 0).outcome), 0);
      assert.equal(truncateUtf8('aé', 2), 'a');
    });

    it('makes a writer wait while the ring is full, until the reader drains it', async () => {
      const ring = createOutputRing(64);
      const reader = new OutputRingReader(ring);
      const ringModule = require.resolve('../../../../src/sandbox/pyodide/output-ring');
      const worker = new Worker(
        `const { workerData, parentPort } = require('node:worker_threads');
         const { OutputRingWriter } = require(${JSON.stringify(ringModule)});
         const writer = new OutputRingWriter(workerData, 1e6);
         writer.write(1, Buffer.alloc(1000, 0x61));
         parentPort.postMessage('done');`,
        { eval: true, workerData: ring },
      );
      let received = 0;
      let done = false;
      worker.once('message', () => (done = true));
      while (!done || reader.pending) {
        await reader.waitForWrite(50);
        reader.drain((_stream, bytes) => (received += bytes.length));
      }
      await worker.terminate();
      assert.equal(received, 1000);
    });

    it('refuses a capacity that is not a power of two', () => {
      assert.throws(() => createOutputRing(1000), /power of two/);
    });
  });

  describe('message validation', () => {
    it('accepts well-formed messages and rejects the rest', () => {
      assert.deepEqual(parseSupervisorMessage({ type: 'output', stream: 'stdout', text: 'hi' }), {
        type: 'output',
        stream: 'stdout',
        text: 'hi',
      });
      assert.equal(parseSupervisorMessage({ type: 'output', stream: 'stdin', text: 'hi' }), undefined);
      assert.equal(
        parseSupervisorMessage({ type: 'output', stream: 'stdout', text: 'x'.repeat(70_000) }),
        undefined,
      );
      assert.equal(parseSupervisorMessage({ type: 'finished', outcome: { status: 'done' } }), undefined);
      assert.equal(parseSupervisorMessage({ type: 'exit', kind: 'exploded', detail: '' }), undefined);
      assert.equal(parseSupervisorMessage({ type: 'unknown' }), undefined);
      assert.deepEqual(
        parseSupervisorMessage({
          type: 'finished',
          outcome: { status: 'error', name: 'ValueError', value: 'v', traceback: 't' },
        }),
        { type: 'finished', outcome: { status: 'error', name: 'ValueError', value: 'v', traceback: 't' } },
      );
      assert.equal(
        parseHostMessage({ type: 'run', code: 1, filename: 'a.py', restrictions: '', maxOutputBytes: 1 }),
        undefined,
      );
      assert.equal(
        parseJailWorkerMessage({ type: 'ready', bootMs: 1, interruptBuffer: new ArrayBuffer(4) }),
        undefined,
      );
      assert.ok(
        parseJailWorkerMessage({ type: 'ready', bootMs: 1, interruptBuffer: new SharedArrayBuffer(4) }),
      );
    });

    it('splits long output into frame-sized pieces without breaking a surrogate pair', () => {
      const text = `${'a'.repeat(9)}😀${'b'.repeat(20)}`;
      const pieces = splitText(text, 10);
      assert.equal(pieces.join(''), text);
      assert.ok(pieces.every((piece) => piece.length <= 10));
      assert.ok(pieces.every((piece) => !/[\ud800-\udbff]$/.test(piece)));
    });
  });

  describe('the sandbox process', () => {
    it('gets no secrets and no NODE_OPTIONS from the environment it is given', () => {
      const env = sandboxEnvironment({
        ELECTRON_RUN_AS_NODE: '1',
        E2B_API_KEY: 'e2b_secret',
        GITHUB_TOKEN: 'ghp_x',
        AWS_SECRET: 'x',
        NODE_OPTIONS: '--require evil.js',
        LANG: 'C.UTF-8',
      });
      assert.deepEqual(env, { ELECTRON_RUN_AS_NODE: '1', LANG: 'C.UTF-8' });
      assert.deepEqual(sandboxEnvironment(undefined), {});
    });

    it('runs under Node’s permission model where the binary has it, readable only where the runtime is', () => {
      const script = path.join('/opt/ext/dist', 'pyodide-worker.js');
      const hardened = sandboxNodeFlags({
        nodePath: process.execPath,
        workerScript: script,
        pyodideDir: '/opt/ext/dist/pyodide',
        permissionModel: true,
      });
      assert.ok(hardened.flags.includes('--disallow-code-generation-from-strings'));
      if (process.allowedNodeEnvironmentFlags.has('--experimental-permission')) {
        assert.equal(hardened.permissionModel, true);
        assert.ok(hardened.flags.includes('--allow-worker'));
        assert.ok(hardened.flags.includes('--allow-fs-read=/opt/ext/dist/*,/opt/ext/dist/pyodide/*'));
        assert.ok(
          !hardened.flags.some(
            (flag) => flag.startsWith('--allow-fs-write') || flag === '--allow-child-process',
          ),
        );
      }
      const plain = sandboxNodeFlags({
        nodePath: '/usr/bin/some-other-node',
        workerScript: script,
        pyodideDir: '/opt/ext/dist/pyodide',
        permissionModel: true,
      });
      assert.equal(plain.permissionModel, false);
    });

    it('is started with only the environment the runner allows', async function () {
      if (process.platform === 'win32') this.skip();
      // A stand-in for the Node binary that records its environment and arguments, then fails to boot.
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-fake-node-'));
      const record = path.join(dir, 'record.txt');
      const fakeNode = path.join(dir, 'node');
      fs.writeFileSync(fakeNode, `#!/bin/sh\nenv > '${record}'\necho "args: $*" >> '${record}'\nexit 3\n`, {
        mode: 0o755,
      });
      const runner = createPyodideRunner({
        warmSpare: false,
        nodePath: fakeNode,
        env: { ELECTRON_RUN_AS_NODE: '1', E2B_API_KEY: 'e2b_never_passed', NODE_OPTIONS: '--inspect' },
      });
      try {
        const result = await runner.run({ code: 'print(1)', filename: 'a.py', limits: DEFAULT_LIMITS });
        assert.equal(result.status, 'error');
        assert.match(
          result.error?.value ?? '',
          /stopped before it was ready \(the sandbox process stopped unexpectedly \(exit code 3\)\)/,
        );
        const recorded = fs.readFileSync(record, 'utf8');
        const variables = recorded
          .split('\n')
          .filter((line) => /^[A-Z_]+=/.test(line))
          .map((line) => line.split('=')[0]);
        assert.deepEqual(
          variables.filter((name) => !['PWD', 'SHLVL', '_'].includes(name)),
          ['ELECTRON_RUN_AS_NODE'],
        );
        assert.match(
          recorded,
          /args: .*--disallow-code-generation-from-strings .*pyodide-worker\.js --sandbox-policy-supervisor/,
        );
      } finally {
        await runner.dispose();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('finds the folder of the worker’s modules in both layouts', () => {
      assert.equal(scriptRoot('/x/dist/pyodide-worker.js'), '/x/dist');
      assert.equal(scriptRoot('/x/out/src/sandbox/pyodide/pyodide-worker.js'), '/x/out/src');
    });
  });

  describe('limits', () => {
    it('names what is wrong with a limit', () => {
      assert.match(
        checkLimits({ ...DEFAULT_LIMITS, timeoutMs: 0 })?.message ?? '',
        /timeout must be more than 0/,
      );
      assert.match(checkLimits({ ...DEFAULT_LIMITS, memoryMb: 5000 })?.message ?? '', /from 64 to 4096/);
      assert.match(checkLimits({ ...DEFAULT_LIMITS, maxOutputBytes: -1 })?.message ?? '', /output limit/);
      assert.equal(checkLimits(DEFAULT_LIMITS), undefined);
      assert.equal(checkProgram('x'.repeat(11), { ...DEFAULT_LIMITS, maxCodeBytes: 10 })?.limit, 'code-size');
      assert.equal(checkProgram('ok', DEFAULT_LIMITS), undefined);
    });
  });

  describe('jail hygiene', () => {
    it('a host function that overflows the stack on entry throws a host-realm error; the guard keeps it out', () => {
      const context = vm.createContext(Object.create(null), {
        codeGeneration: { strings: false, wasm: false },
      });
      const host = (x: unknown): string => typeof x;
      const probe = vm.runInContext(
        `(call) => {
          let foreign = 0, caught = 0;
          const dive = () => {
            try { dive(); } catch {}
            try { call(1); } catch (e) { caught++; if (!(e instanceof Object)) foreign++; }
          };
          dive();
          return [foreign, caught];
        }`,
        context,
      ) as (call: (x: unknown) => unknown) => [number, number];
      const [rawForeign] = probe(host);
      assert.ok(
        rawForeign > 0,
        'V8 no longer raises the overflow in the callee’s realm: the guard may be moot',
      );
      const guard = vm.runInContext(HOST_CALL_GUARD, context) as (fn: unknown) => (x: unknown) => unknown;
      const [guardedForeign] = probe(guard(host));
      assert.equal(guardedForeign, 0);
    });

    it('refuses to build a jail where import() would reject with a host-realm error', async () => {
      // This test process runs without --experimental-vm-modules: the check must fail closed here.
      if (process.execArgv.includes('--experimental-vm-modules')) return;
      await assert.rejects(
        assertDynamicImportContained(),
        /host-realm error; start the worker with --experimental-vm-modules/,
      );
    });
  });
});
