// JavaScript that runs INSIDE the jail (part of the prelude): notes the jail's JavaScript built-ins before
// any program runs, so that a fatal error of the runtime can say whether the program had replaced them.
// A program that replaced what Pyodide's glue uses (Object.prototype getters, Array and Promise methods,
// Reflect, JSON...) with Python functions that raise made every error the runtime handled raise again,
// until the stack ran out (redteam 87); the run read as a failure of the runtime with no word of why.

/** How the jail's fatal-error message starts when the built-ins were replaced (the host explains it). */
export const INTRINSICS_REPLACED = 'the program had replaced JavaScript built-ins of the jail: ';

/**
 * `() => () => boolean`: called at boot, returns whether any noted built-in changed since (a property
 * added, removed or replaced). It reads only own properties, with functions captured at boot, so that
 * a poisoned getter on a prototype is never called; a check that throws counts as changed.
 */
export const INTRINSICS_WATCH = String.raw`() => {
  const ownKeys = Reflect.ownKeys;
  const describe = Object.getOwnPropertyDescriptor;
  const apply = Reflect.apply;
  const hasOwn = Object.prototype.hasOwnProperty;
  const TypedArray = Object.getPrototypeOf(Uint8Array);
  const holders = [
    Object, Object.prototype, Array, Array.prototype, Function.prototype, String, String.prototype, Promise,
    Promise.prototype, Reflect, JSON, Map.prototype, Set.prototype, Symbol, Atomics, TypedArray,
    TypedArray.prototype, Uint8Array.prototype, Int32Array.prototype, ArrayBuffer.prototype, Error,
    Error.prototype, WebAssembly, WebAssembly.Memory.prototype,
  ];
  const own = (descriptor, key) => (apply(hasOwn, descriptor, [key]) ? descriptor[key] : undefined);
  const entry = (holder, key) => {
    const descriptor = describe(holder, key);
    return descriptor === undefined
      ? undefined
      : [own(descriptor, "value"), own(descriptor, "get"), own(descriptor, "set")];
  };
  const noted = holders.map((holder) => ownKeys(holder).map((key) => [key, entry(holder, key)]));
  return () => {
    try {
      for (let i = 0; i < holders.length; i++) {
        const keys = ownKeys(holders[i]);
        const entries = noted[i];
        if (keys.length !== entries.length) return true;
        for (let k = 0; k < entries.length; k++) {
          const now = entry(holders[i], entries[k][0]);
          const then = entries[k][1];
          if (now === undefined || now[0] !== then[0] || now[1] !== then[1] || now[2] !== then[2]) return true;
        }
      }
      return false;
    } catch {
      return true;
    }
  };
}`;
