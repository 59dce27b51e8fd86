// The names the JavaScript analyzer knows besides its sinks: globals, modules that are globals, and the
// canonical spelling of a qualified name (`node:fs` is `fs`, `fs.promises.x` is `fs.x`).
import { jsSinkNames } from './sinks';

/** Global names, unless shadowed: `globalThis`-like objects are the builtins namespace itself. */
export const GLOBAL_OBJECTS = new Set(['globalThis', 'global', 'window', 'self']);

export const GLOBAL_NAMES = new Set([
  'eval',
  'Function',
  'require',
  'fetch',
  'process',
  'module',
  'setTimeout',
  'setInterval',
  'XMLHttpRequest',
  'WebSocket',
  'Buffer',
  'Array',
  'ArrayBuffer',
  'SharedArrayBuffer',
  'Uint8Array',
  'Float64Array',
  'String',
  'atob',
  'ShadowRealm',
  'WebAssembly',
  // The other runtimes' namespaces (their members are sinks as Node's modules' are).
  'Bun',
  'Deno',
]);

/**
 * Container constructors (`new Map(pairs)`, `new Proxy(cp, handler)`): resolved so that their calls are
 * modelled when a dangerous value goes in, never followed themselves (they are everywhere, and harmless
 * until given one).
 */
export const CONTAINER_GLOBALS = new Set([
  'Proxy',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'WeakRef',
  'FinalizationRegistry',
]);

/**
 * Globals resolved when an expression is evaluated but not searched for: they lead to sinks only through
 * calls the analyzer models (`Reflect.get(globalThis, "eval")`, `Object.getPrototypeOf(fn).constructor`).
 */
export const RESOLVED_GLOBALS = new Set([
  'Reflect',
  'JSON',
  'Iterator',
  'Object',
  'Promise',
  ...CONTAINER_GLOBALS,
  'setImmediate',
]);

/** Globals that are modules of their own (`process.exit`, `module.require`, `Bun.spawn`, `Deno.Command`). */
export const GLOBAL_MODULES = new Set(['process', 'module', 'Bun', 'Deno']);

/** Module names whose members the analyzer follows. */
export function knownJsModules(): Set<string> {
  const out = new Set<string>();
  for (const name of jsSinkNames()) {
    if (!name.startsWith('builtins.')) out.add(name.includes('.') ? name.slice(0, name.indexOf('.')) : name);
  }
  out.add('fs');
  return out;
}

const PROMISE_APIS = /^(fs|dns|inspector)(?:\/promises|\.promises)(?=$|\.)/;

/**
 * `node:fs` → `fs`, `fs/promises` → `fs`, `fs.promises.x` → `fs.x` (and dns), `X.prototype.constructor` → `X`,
 * `cp.default.exec` → `cp.exec`.
 */
export function canonicalJs(q: string): string {
  let out = q.startsWith('node:') ? q.slice(5) : q;
  out = out.replace(PROMISE_APIS, '$1');
  if (out.endsWith('.prototype.constructor')) out = out.slice(0, -22);
  // A CommonJS module's `default` (as `import()` and transpiled imports see it) is the module itself.
  const dot = out.indexOf('.default');
  if (
    dot > 0 &&
    !out.startsWith('builtins.') &&
    out.indexOf('.') === dot &&
    /^\.default(?:$|\.)/.test(out.slice(dot))
  )
    out = out.slice(0, dot) + out.slice(dot + 8);
  if (out.startsWith('globalThis.')) out = `builtins.${out.slice(11)}`;
  if (out.startsWith('builtins.process') || out.startsWith('builtins.module')) out = out.slice(9);
  else if (/^builtins\.(?:Bun|Deno)(?=$|\.)/.test(out)) out = out.slice(9);
  if (out === 'builtins.require.main.require' || out === 'process.mainModule.require') out = 'module.require';
  return out;
}
