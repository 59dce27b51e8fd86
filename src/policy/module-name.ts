// Module names as the policy compares them; apart from config.ts so that the engine does not load the schema.

/** Module names are compared without Node's `node:` prefix. */
export function normalizeModuleName(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}
