// The node types that hold other targets in an assignment, `for` or comprehension target: `a, b`,
// `(a, [b, *c])`. One set for every place that walks a target down to its names.

/** The patterns a target's names sit in, the starred item (`*rest`) included. */
export const TARGET_PATTERNS: ReadonlySet<string> = new Set([
  'pattern_list',
  'tuple_pattern',
  'list_pattern',
  'tuple',
  'list',
  'parenthesized_expression',
  'list_splat_pattern',
  'list_splat',
]);
