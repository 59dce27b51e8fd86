// A method's result reaches its callers through attribute reads, not through its name: `K().m()` (a call of
// `.m`) or `K().m` (a property). flow.ts follows a tracked return value to every such site in the file.
import type { Node } from 'web-tree-sitter';
import { ENTER_METHODS, withContexts } from './context-managers';
import { attributeRead, occurrencesOf, previousChar } from './seeds';
import { identName, inFocus, nodeText, same, type Budget, type Source } from './state';

/** Decorators that make a method's result the value of reading its name. */
const PROPERTY_DECORATORS = /^@\s*(?:[\w.]+\.)?(?:property|cached_property)\s*$/;

/** The name of a def written in a class body, and whether it is read as a property; undefined for other defs. */
export function methodOf(source: Source, fn: Node): { name: string; property: boolean } | undefined {
  if (fn.type !== 'function_definition') return undefined;
  const name = fn.childForFieldName('name');
  const decorated = source.tree.parent(fn);
  const holder = decorated?.type === 'decorated_definition' ? decorated : fn;
  const block = source.tree.parent(holder);
  if (!name || block?.type !== 'block' || source.tree.parent(block)?.type !== 'class_definition')
    return undefined;
  const property =
    decorated?.type === 'decorated_definition' &&
    decorated.namedChildren.some(
      (d) => d?.type === 'decorator' && PROPERTY_DECORATORS.test(nodeText(source, d)),
    );
  return { name: identName(source, name), property };
}

/** Where a method's result is given in the file: each `.name(...)` call, or each `.name` read of a property. */
export function methodResultSites(source: Source, budget: Budget, name: string, property: boolean): Node[] {
  // `__enter__` gives a with statement's target too (context-managers.ts).
  const out: Node[] = ENTER_METHODS.has(name) ? withContexts(source, budget) : [];
  for (const [offset, length] of occurrencesOf(source, name)) {
    if (!budget.spend()) break;
    if (previousChar(source.text, offset) !== '.' || !inFocus(source, offset)) continue;
    const read = attributeRead(source, offset, length);
    if (!read) continue;
    if (property) {
      out.push(read);
      continue;
    }
    const call = source.tree.parent(read);
    if (call?.type === 'call' && same(call.childForFieldName('function'), read)) out.push(call);
  }
  return out;
}
