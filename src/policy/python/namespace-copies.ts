// A module's namespace handed out whole: `vars(os).values()`, `dict(os.__dict__)`, `{**vars(os)}`,
// `inspect.getmembers(os)`. Any of its
// functions can then be picked from the copy without a name the analysis could read, as with
// `getattr(os, name)`: reported as a dynamic attribute rather than followed item by item. Reading names only
// (`list(vars(os))`, `"system" in vars(os)`, `.keys()`) gives no function and stays quiet, as does
// `globals()`, whose copies are everyday code (plugin registries, `exec(code, globals())`).
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import { identName, type Source } from './state';
import { GLOBALS, isSensitive } from './values';

/** Mapping methods that give members (or a copy holding them). */
const MEMBER_METHODS = new Set(['values', 'items', 'copy', 'pop', 'popitem', 'setdefault', '__getitem__']);
/**
 * Calls that copy a mapping given to them, by the name they are called by (a local function of that name
 * taking a module's namespace is as suspect): `dict`, `types.MappingProxyType`, `collections.ChainMap`...
 */
const COPIERS = new Set([
  'dict',
  'MappingProxyType',
  'SimpleNamespace',
  'ChainMap',
  'OrderedDict',
  'UserDict',
  'defaultdict',
  'copy',
  'deepcopy',
]);
/** Calls that list an object's members with their values: `inspect.getmembers(os)`. */
const LISTERS = new Set(['getmembers', 'getmembers_static']);

/** Methods that copy a mapping into their object. */
const COPYING_METHODS = new Set(['update', 'new_child', '__init__']);

/** What a module's whole namespace reaching `parent` gives away, if it does: a message, else undefined. */
export function namespaceCopy(source: Source, values: readonly Value[], parent: Node): string | undefined {
  const listed = parent.type === 'argument_list' ? listedModule(source, values, parent) : undefined;
  if (listed) return listed;
  const namespace = values.find((v) => v.k === 'ns' && v.q !== GLOBALS) as { q: string } | undefined;
  if (!namespace) return undefined;
  const what = `the namespace of ${namespace.q}`;
  switch (parent.type) {
    case 'attribute': {
      const attribute = parent.childForFieldName('attribute');
      const name = attribute ? identName(source, attribute) : '';
      return MEMBER_METHODS.has(name)
        ? `${what} read whole (.${name}): any of its functions could be reached`
        : undefined;
    }
    case 'dictionary_splat':
      return `${what} unpacked with **: any of its functions could be reached`;
    case 'argument_list': {
      const call = source.tree.parent(parent);
      const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
      if (!callee) return undefined;
      const name = callee.type === 'attribute' ? callee.childForFieldName('attribute') : callee;
      const called = name?.type === 'identifier' ? identName(source, name) : '';
      const copies = COPIERS.has(called) || (callee.type === 'attribute' && COPYING_METHODS.has(called));
      return copies ? `${what} copied whole: any of its functions could be reached` : undefined;
    }
    default:
      return undefined;
  }
}

/** `inspect.getmembers(os)`: a module's (name, member) pairs, which hand out every function it has. */
function listedModule(source: Source, values: readonly Value[], list: Node): string | undefined {
  const module = values.find((v) => v.k === 'q' && isSensitive(v)) as { q: string } | undefined;
  const call = source.tree.parent(list);
  const callee = call?.type === 'call' ? call.childForFieldName('function') : null;
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute') : callee;
  if (!module || name?.type !== 'identifier' || !LISTERS.has(identName(source, name))) return undefined;
  return `the members of ${module.q} listed with their values (${identName(source, name)}): any of its functions could be reached`;
}
