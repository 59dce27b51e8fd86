// Tables keyed by names that come from the analysed code. A plain object literal would answer
// `constructor`, `toString` or `__proto__` from Object.prototype (a function where a string was expected,
// and a crash further on), so every such table has no prototype.

/** A read-only, prototype-free copy of `entries`: a lookup of any other key is `undefined`. */
export function lookupTable<T>(entries: Record<string, T>): Readonly<Record<string, T | undefined>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T | undefined>, entries));
}
