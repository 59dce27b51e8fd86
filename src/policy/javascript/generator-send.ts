// Values sent into a generator: `gen.next(v)` resumes it with v as the value of the `yield` it is paused
// at (`const x = yield;`). The generator a `next` call resumes is not told apart, so a followed value sent
// by any `next(v)` is a possible value of every `yield` of the file's generators (bounded).
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import type { ParameterValues } from '../shared/parameters';
import type { Value } from '../shared/value';
import { enclosingFunction } from './syntax';

/** How many generators, and yields in each, a sent value is given to. */
const MAX_GENERATORS = 50;
const MAX_YIELDS = 50;

const GENERATORS = ['generator_function', 'generator_function_declaration', 'method_definition'];

/** The file's generator functions and methods (`function* g()`, `*m()`, `async *m()`). */
export function generatorsOf(root: Node): Node[] {
  return root
    .descendantsOfType(GENERATORS)
    .filter(
      (fn): fn is Node =>
        !!fn && (fn.type !== 'method_definition' || fn.children.some((c) => c?.type === '*')),
    )
    .slice(0, MAX_GENERATORS);
}

/** A generator's own `yield` expressions (not those of generators nested in it). */
export function yieldsOf(tree: ParentIndex, generator: Node): Node[] {
  return generator
    .descendantsOfType('yield_expression')
    .filter((y): y is Node => !!y && enclosingFunction(tree, y)?.id === generator.id)
    .slice(0, MAX_YIELDS);
}

/** What a `yield` expression may give: the values sent into its generator so far. */
export function sentValues(tree: ParentIndex, sent: ParameterValues, expression: Node): Value[] {
  const generator = enclosingFunction(tree, expression);
  return (generator && sent.get(generator.id)) ?? [];
}
