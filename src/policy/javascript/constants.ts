// Constant folding for JavaScript, with JavaScript's semantics: string and template literals, numbers as
// doubles, `+` concatenating as soon as one side is a string (arrays join, booleans, null and undefined
// spell themselves), every other operator numeric, and the calls of constant-calls.ts. It imports
// nothing of Python's folding: `"child_process" * 1` is NaN here, never a string.
import type { Node } from 'web-tree-sitter';
import { str } from '../shared/folding';
import { OPAQUE, type Value } from '../shared/value';
import {
  NOT_CONSTANT,
  binaryPrim,
  elements,
  fromPrim,
  single,
  spreadValue,
  toPrim,
  toText,
  unaryPrim,
} from './coercion';
import { FOLDED_GLOBALS, FOLDED_METHODS, globalCall, methodCall, staticCall } from './constant-calls';

type Eval = (node: Node) => Value[];

/** Options folded pairwise at most (`a ? "x" : "y"` on both sides of `+`). */
const MAX_COMBINATIONS = 16;
const MAX_ELEMENTS = 1000;

function unescapeJs(body: string): string | undefined {
  if (!body.includes('\\')) return body;
  try {
    return body.replace(
      /\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|\r?\n|.)/g,
      (_m, e: string) => {
        if (e.startsWith('u{')) return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
        if (e.length === 5 && e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
        if (e.length === 3 && e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
        if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
        if (e === '\n' || e === '\r\n') return '';
        return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' }[e] ?? e;
      },
    );
  } catch {
    return undefined;
  }
}

/** A numeric literal: an integer as a number value (BigInt literals too), anything else as a double. */
function numberValue(source: string): Value {
  const clean = source.replace(/_/g, '');
  try {
    if (/^\d+n$/.test(clean)) return { k: 'num', v: BigInt(clean.slice(0, -1)) };
    if (/^0[xob][0-9a-f]+n?$/i.test(clean)) return { k: 'num', v: BigInt(clean.replace(/n$/, '')) };
  } catch {
    return OPAQUE;
  }
  const value = Number(clean);
  return Number.isNaN(value) ? OPAQUE : fromPrim(value);
}

/** A call's arguments' values; a spread constant array (`f(...[101, 118])`) gives its elements. */
function args(node: Node, evaluate: Eval): Value[][] {
  const list = node.childForFieldName('arguments');
  const out: Value[][] = [];
  for (const child of list?.namedChildren ?? []) {
    if (!child || child.type === 'comment') continue;
    if (child.type !== 'spread_element') out.push(evaluate(child));
    else {
      const spread = spreadValue(child.firstNamedChild ? evaluate(child.firstNamedChild) : []);
      if (spread?.k === 'seq' && spread.items.length <= MAX_ELEMENTS) out.push(...spread.items);
      else if (spread?.k === 'str' && spread.v.length <= MAX_ELEMENTS)
        out.push(...Array.from(spread.v, (c) => [str(c)]));
      else out.push([OPAQUE]);
    }
  }
  return out;
}

/** Whether a name still means the global of that name (not rebound in the file). */
function isGlobal(values: readonly Value[], name: string): boolean {
  return (
    values.length === 0 || (values.length === 1 && values[0].k === 'q' && values[0].q === `builtins.${name}`)
  );
}

/** Every combination of the operands' options, folded by `one` (unknown past MAX_COMBINATIONS). */
function foldPairs(left: readonly Value[], right: readonly Value[], op: string): Value[] {
  if (left.length * right.length > MAX_COMBINATIONS) return [OPAQUE];
  const out: Value[] = [];
  for (const a of left) {
    for (const b of right) {
      const x = toPrim(a);
      const y = toPrim(b);
      const result = x === NOT_CONSTANT || y === NOT_CONSTANT ? NOT_CONSTANT : binaryPrim(op, x, y);
      out.push(result === NOT_CONSTANT ? OPAQUE : fromPrim(result));
    }
  }
  return out;
}

/** An array literal; spread constants (`[..."abc"]`, `[...list]`) add their elements. */
function arrayValue(node: Node, evaluate: Eval): Value {
  const items: Value[][] = [];
  for (const child of node.namedChildren) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'spread_element') {
      const spread = spreadValue(child.firstNamedChild ? evaluate(child.firstNamedChild) : []);
      if (spread?.k === 'str') items.push(...Array.from(spread.v, (c) => [str(c)]));
      else if (spread?.k === 'seq') items.push(...spread.items);
      else return OPAQUE;
    } else items.push(evaluate(child));
    if (items.length > MAX_ELEMENTS) return OPAQUE;
  }
  return { k: 'seq', items };
}

function callValue(node: Node, text: string, evaluate: Eval): Value {
  const fn = node.childForFieldName('function');
  if (!fn) return OPAQUE;
  if (fn.type === 'member_expression') {
    const object = fn.childForFieldName('object');
    const property = fn.childForFieldName('property');
    if (!object || !property) return OPAQUE;
    const method = text.slice(property.startIndex, property.endIndex);
    // Arguments are evaluated only for the methods folded here.
    if (!FOLDED_METHODS.has(method)) return OPAQUE;
    const receiver = evaluate(object);
    for (const owner of ['String', 'Array', 'Buffer']) {
      if (receiver.length === 1 && isGlobal(receiver, owner))
        return staticCall(owner, method, args(node, evaluate));
    }
    const value = single(receiver);
    return value ? methodCall(value, method, args(node, evaluate)) : OPAQUE;
  }
  if (fn.type !== 'identifier') return OPAQUE;
  const name = text.slice(fn.startIndex, fn.endIndex);
  if (!FOLDED_GLOBALS.has(name) || !isGlobal(evaluate(fn), name)) return OPAQUE;
  return globalCall(name, args(node, evaluate));
}

/** The constant value of a JavaScript expression, or opaque. */
export function evalJsConstant(node: Node, text: string, evaluate: Eval): Value[] {
  switch (node.type) {
    case 'string': {
      const body = unescapeJs(text.slice(node.startIndex + 1, node.endIndex - 1));
      return body === undefined ? [OPAQUE] : [str(body)];
    }
    case 'template_string': {
      let out = '';
      for (const child of node.namedChildren) {
        if (!child) continue;
        if (child.type === 'string_fragment') out += text.slice(child.startIndex, child.endIndex);
        else if (child.type === 'escape_sequence')
          out += unescapeJs(text.slice(child.startIndex, child.endIndex)) ?? '';
        else if (child.type === 'template_substitution') {
          const inner = child.firstNamedChild;
          const part = inner ? toText(single(evaluate(inner))) : undefined;
          if (part === undefined) return [OPAQUE];
          out += part;
        }
      }
      return [str(out)];
    }
    case 'number':
      return [numberValue(text.slice(node.startIndex, node.endIndex))];
    case 'true':
    case 'false':
      return [{ k: 'jsprim', v: node.type === 'true' }];
    case 'null':
      return [{ k: 'jsprim', v: null }];
    case 'undefined':
      return [{ k: 'jsprim', v: undefined }];
    case 'array':
      return [arrayValue(node, evaluate)];
    case 'unary_expression': {
      const operator = node.childForFieldName('operator');
      const argument = node.childForFieldName('argument');
      const op = operator ? text.slice(operator.startIndex, operator.endIndex) : '';
      const prim = argument ? toPrim(single(evaluate(argument))) : NOT_CONSTANT;
      const result = prim === NOT_CONSTANT ? NOT_CONSTANT : unaryPrim(op, prim);
      return [result === NOT_CONSTANT ? OPAQUE : fromPrim(result)];
    }
    case 'binary_expression': {
      const operator = node.childForFieldName('operator');
      const op = operator ? text.slice(operator.startIndex, operator.endIndex) : '';
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return [OPAQUE];
      return foldPairs(evaluate(left), evaluate(right), op);
    }
    case 'call_expression':
      return [callValue(node, text, evaluate)];
    case 'subscript_expression': {
      const object = single(evaluate(node.childForFieldName('object')!));
      const index = toPrim(single(evaluate(node.childForFieldName('index')!)));
      if (!object || index === NOT_CONSTANT) return [OPAQUE];
      const key = String(index);
      if (object.k === 'str') {
        if (key === 'length') return [fromPrim(object.v.length)];
        return /^\d+$/.test(key) && Number(key) < object.v.length ? [str(object.v[Number(key)])] : [OPAQUE];
      }
      const list = elements(object);
      if (!list) return [OPAQUE];
      if (key === 'length') return [fromPrim(list.length)];
      return /^\d+$/.test(key) && Number(key) < list.length ? [list[Number(key)]] : [OPAQUE];
    }
    default:
      return [OPAQUE];
  }
}
