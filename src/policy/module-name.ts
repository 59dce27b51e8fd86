// How module names are compared, apart from the policy schema (config.ts), so that the engine does not
// load zod to call it.

/** Module names are compared without Node's `node:` prefix. */
export function normalizeModuleName(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}
