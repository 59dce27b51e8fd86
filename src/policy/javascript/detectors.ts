// Detections started from a seed word rather than a followed name: `.constructor` chains that reach the
// Function constructor, and `.repeat()`/`.padStart()` building huge strings.
import type { Node } from 'web-tree-sitter';
import { HUGE_SIZE } from '../shared/judgments';
import { constString } from '../shared/value';
import type { Flow } from './flow';
import { TRANSPARENT, argumentsOf, relationOf, same } from './syntax';
import { membersOf } from './values';
import { thisOwner } from './classes';

/**
 * `x.constructor`: the Function constructor when x is a function or a class (`(() => {}).constructor`,
 * `Object.getPrototypeOf(async function () {}).constructor`, `Function.prototype.constructor`), and
 * `.constructor.constructor` from any object.
 */
export function constructorChain(analyzer: Flow, offset: number): void {
  const { tree } = analyzer;
  const node = tree.descendantAt(offset, offset + 11);
  if (!node || node.startIndex !== offset) return;
  if (node.type === 'shorthand_property_identifier_pattern' || tree.parent(node)?.type === 'pair_pattern') {
    destructuredConstructor(analyzer, node);
    return;
  }
  if (node.type !== 'property_identifier') return;
  const member = tree.parent(node);
  if (member?.type !== 'member_expression' || !same(member.childForFieldName('property'), node)) return;
  const object = member.childForFieldName('object');
  const inner = object?.type === 'member_expression' ? object.childForFieldName('property') : null;
  if (inner && analyzer.nodeText(inner) === 'constructor') {
    analyzer.report(
      'dynamic-code',
      member,
      '.constructor.constructor reaches the Function constructor, which builds code from strings',
    );
    return;
  }
  if (!object || object.type === 'this' || object.type === 'super' || !analyzer.budget()) return;
  const values = analyzer.evalExpr(member).filter((v) => v.k === 'q' && v.q === 'builtins.Function');
  if (values.length === 0) return;
  // Calling it, keeping it or passing it on is a use; reading its name, comparing it or assigning to it is not.
  let use: Node = member;
  for (let parent = tree.parent(use); parent && TRANSPARENT.has(parent.type); parent = tree.parent(use))
    use = parent;
  const parent = tree.parent(use);
  if (!parent) return;
  const relation = relationOf(analyzer.text, tree, use, parent);
  const property = relation === 'member' ? parent.childForFieldName('property') : null;
  const used =
    ['call', 'alias', 'argument', 'return', 'contained'].includes(relation) ||
    (!!property && ['call', 'apply', 'bind'].includes(analyzer.nodeText(property)));
  if (!used) return;
  const source = analyzer.nodeText(member).replace(/\s+/g, ' ');
  analyzer.report(
    'dynamic-code',
    member,
    `\`${source.length > 60 ? `${source.slice(0, 57)}...` : source}\` is the Function constructor, which builds code from strings`,
  );
  analyzer.forward(member, values);
}

/** `const { constructor: F } = () => {}`: F is the Function constructor. */
function destructuredConstructor(analyzer: Flow, node: Node): void {
  const pair = node.type === 'shorthand_property_identifier_pattern' ? null : analyzer.tree.parent(node);
  if (pair && !same(pair.childForFieldName('key'), node)) return;
  const target = pair ? pair.childForFieldName('value') : node;
  if (target?.type !== 'identifier' && target?.type !== 'shorthand_property_identifier_pattern') return;
  const text = analyzer.nodeText(target);
  const place = analyzer.patternPlace(target, text);
  if (typeof place === 'string' || !place.path || place.holder.type !== 'variable_declarator') return;
  const values = membersOf(analyzer.evalExpr(place.holder.childForFieldName('value')), place.path);
  if (!values.some((v) => v.k === 'q' && v.q === 'builtins.Function')) return;
  analyzer.report(
    'dynamic-code',
    target,
    `\`${text}\` is the Function constructor, which builds code from strings`,
  );
  analyzer.rescan(text);
}

/** `this` in a sloppy function called without a receiver: the global object, followed like `globalThis`. */
export function globalThisAt(analyzer: Flow, offset: number): void {
  const node = analyzer.tree.descendantAt(offset, offset + 4);
  if (node?.type !== 'this' || node.startIndex !== offset) return;
  // The budget is spent only on a `this` that is followed: classes' and strict code's are many and cheap.
  if (!analyzer.sloppyGlobalThis(node) || thisOwner(analyzer.tree, node) || !analyzer.budget()) return;
  analyzer.forward(node, [{ k: 'ns', q: 'builtins' }]);
}

/** `"x".repeat(1e10)`, `s.padStart(1e10)`: a string of more than 100 million characters. */
export function hugeString(analyzer: Flow, offset: number, method: string): void {
  const { tree } = analyzer;
  const node = tree.descendantAt(offset, offset + method.length);
  if (!node || node.type !== 'property_identifier' || node.startIndex !== offset) return;
  const member = tree.parent(node);
  const call = member ? tree.parent(member) : null;
  if (member?.type !== 'member_expression' || call?.type !== 'call_expression') return;
  if (!same(call.childForFieldName('function'), member)) return;
  const count = argumentsOf(call)[0];
  const values = count ? analyzer.evalExpr(count) : [];
  if (values.length !== 1 || values[0].k !== 'num') return;
  let size = values[0].huge ? HUGE_SIZE + 1n : values[0].v;
  if (method === 'repeat') {
    const receiver = constString(analyzer.evalExpr(member.childForFieldName('object')));
    if (receiver) size *= BigInt(receiver.length);
  }
  if (size > HUGE_SIZE)
    analyzer.report(
      'resource-exhaustion',
      call,
      `.${method}() builds a string of more than 100 million characters`,
    );
}

/**
 * `arguments.callee.caller`, `f.caller`: the function that called this one, reached without being given
 * it. In a vm context or a sandboxed callback that is host code, whose own `constructor` and scope escape.
 */
export function callerRead(analyzer: Flow, offset: number): void {
  const { tree } = analyzer;
  let key = tree.descendantAt(offset, offset + 6);
  if (key?.type === 'string_fragment') key = tree.parent(key);
  const read = key ? tree.parent(key) : null;
  if (!key || !read) return;
  const named =
    read.type === 'member_expression'
      ? same(read.childForFieldName('property'), key) && analyzer.nodeText(key) === 'caller'
      : read.type === 'subscript_expression' &&
        same(read.childForFieldName('index'), key) &&
        constString(analyzer.evalExpr(key)) === 'caller';
  const object = named ? read.childForFieldName('object') : null;
  if (!object || !analyzer.budget()) return;
  const callee = /^arguments\s*(?:\.\s*callee|\[\s*["'`]callee["'`]\s*\])$/.test(analyzer.nodeText(object));
  if (!callee && !analyzer.evalExpr(object).some((v) => v.k === 'fn')) return;
  analyzer.report(
    'sandbox-escape',
    read,
    '`.caller` reaches the function that called this one (host code, outside a sandboxed function)',
  );
}
