// Caps a WebAssembly module's linear memory by rewriting the maximum in its memory section, so that a
// Python program that allocates without end gets a MemoryError instead of growing the process.
// (Worker `resourceLimits` bound the JavaScript heap only; wasm memory is allocated outside it.)

/** Size of one wasm memory page. */
export const WASM_PAGE_BYTES = 64 * 1024;
/** A wasm32 memory cannot exceed 4 GiB. */
export const WASM32_MAX_PAGES = 65536;

const MEMORY_SECTION_ID = 5;
const HEADER_BYTES = 8; // "\0asm" + version
const FLAG_HAS_MAX = 0x01;

export class WasmMemoryCapError extends Error {
  override name = 'WasmMemoryCapError';
}

interface Leb {
  value: number;
  next: number;
}

function readU32Leb(bytes: Uint8Array, position: number): Leb {
  let value = 0;
  let shift = 0;
  let pos = position;
  for (;;) {
    if (pos >= bytes.length) throw new WasmMemoryCapError('truncated LEB128 number');
    const byte = bytes[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 28) throw new WasmMemoryCapError('LEB128 number too long for u32');
  }
  return { value, next: pos };
}

function u32Leb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/**
 * Returns a copy of `module` whose (single, defined) memory has `maxPages` as its maximum, or its
 * initial size if that is larger. Throws if the module imports its memory or has several.
 */
export function capWasmMemory(module: Uint8Array, maxPages: number): Uint8Array {
  if (!Number.isInteger(maxPages) || maxPages < 1 || maxPages > WASM32_MAX_PAGES) {
    throw new WasmMemoryCapError(
      `maxPages must be an integer from 1 to ${WASM32_MAX_PAGES}, got ${maxPages}`,
    );
  }
  if (module.length < HEADER_BYTES || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73) {
    throw new WasmMemoryCapError('not a WebAssembly module');
  }
  const parts: Uint8Array[] = [module.subarray(0, HEADER_BYTES)];
  let position = HEADER_BYTES;
  let capped = false;
  while (position < module.length) {
    const sectionStart = position;
    const id = module[position];
    const size = readU32Leb(module, position + 1);
    const bodyStart = size.next;
    const bodyEnd = bodyStart + size.value;
    if (bodyEnd > module.length) throw new WasmMemoryCapError('section runs past the end of the module');
    position = bodyEnd;
    if (id !== MEMORY_SECTION_ID) {
      parts.push(module.subarray(sectionStart, bodyEnd));
      continue;
    }
    const body = module.subarray(bodyStart, bodyEnd);
    const count = readU32Leb(body, 0);
    if (count.value !== 1) throw new WasmMemoryCapError(`expected one memory, found ${count.value}`);
    const flags = body[count.next];
    if ((flags & ~FLAG_HAS_MAX) !== 0) {
      throw new WasmMemoryCapError(
        `unsupported memory flags 0x${flags.toString(16)} (shared or 64-bit memory)`,
      );
    }
    const initial = readU32Leb(body, count.next + 1);
    let rest = initial.next;
    if (flags & FLAG_HAS_MAX) rest = readU32Leb(body, initial.next).next;
    const newBody = Uint8Array.from([
      ...u32Leb(1),
      FLAG_HAS_MAX,
      ...u32Leb(initial.value),
      ...u32Leb(Math.max(initial.value, maxPages)),
      ...body.subarray(rest),
    ]);
    parts.push(Uint8Array.from([MEMORY_SECTION_ID, ...u32Leb(newBody.length)]), newBody);
    capped = true;
  }
  if (!capped) throw new WasmMemoryCapError('the module defines no memory (is it imported?)');
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Pages for a memory limit in megabytes (MiB). */
export function pagesForMegabytes(megabytes: number): number {
  return Math.min(WASM32_MAX_PAGES, Math.floor((megabytes * 1024 * 1024) / WASM_PAGE_BYTES));
}
