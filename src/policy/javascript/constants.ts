// Constant folding for JavaScript: string and template literals, concatenation, array joins,
// split/reverse, String.fromCharCode, atob and Buffer decodings — the usual ways to hide a module name.
import type { Node } from 'web-tree-sitter';
import { concatenate, foldEach, foldIntegers, formatPercent, repeat } from '../shared/folding';
import { OPAQUE, constString, type Value } from '../shared/value';

type Eval = (node: Node) => Value[];

const MAX_STRING = 100_000;
const FOLDED_METHODS = new Set([
  'fromCharCode',
  'from',
  'split',
  'toLowerCase',
  'toUpperCase',
  'trim',
  'concat',
  'replace',
  'replaceAll',
  'slice',
  'substring',
  'toString',
  'join',
  'reverse',
]);

/** Binary operators folded on constants (`+` with a string operand is handled before, as JS does). */
const FOLDED_OPERATORS = new Set(['+', '-', '*', '**', '%', '|', '&', '^', '<<']);

/**
 * One folded `a op b`. It still applies Python's rules past the integers (`'ab' * 2`, `'%s' % x`, list
 * concatenation), as the analyzer always has: issue 11 gives JavaScript its own semantics here.
 */
function binaryOne(op: string, a: Value, b: Value): Value {
  if (a.k === 'num' && b.k === 'num') return foldIntegers(op, a, b);
  switch (op) {
    case '+':
      return concatenate(a, b) ?? OPAQUE;
    case '%':
      return a.k === 'str' ? formatPercent(a.v, b) : OPAQUE;
    case '*':
      return repeat(a, b);
    default:
      return OPAQUE;
  }
}

function str(v: string): Value {
  return v.length > MAX_STRING ? OPAQUE : { k: 'str', v };
}

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

function numberValue(source: string): Value {
  const clean = source.replace(/_/g, '');
  try {
    if (/^\d+n$/.test(clean)) return { k: 'num', v: BigInt(clean.slice(0, -1)) };
    if (/^0[xob][0-9a-f]+$/i.test(clean)) return { k: 'num', v: BigInt(clean) };
    const value = Number(clean);
    if (Number.isFinite(value) && Number.isInteger(value) && Math.abs(value) < 2 ** 1023)
      return { k: 'num', v: BigInt(value) };
  } catch {
    return OPAQUE;
  }
  return OPAQUE;
}

function single(values: readonly Value[]): Value | undefined {
  return values.length === 1 ? values[0] : undefined;
}

function elements(value: Value | undefined): Value[] | undefined {
  if (!value) return undefined;
  if (value.k === 'seq')
    return value.items.every((i) => i.length === 1) ? value.items.map((i) => i[0]) : undefined;
  return undefined;
}

function args(node: Node, evaluate: Eval): Value[][] {
  const list = node.childForFieldName('arguments');
  return list ? list.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment').map(evaluate) : [];
}

function decodeBase64(text: string): string | undefined {
  const clean = text.replace(/\s+/g, '');
  return /^[A-Za-z0-9+/_-]*=*$/.test(clean) ? Buffer.from(clean, 'base64').toString('latin1') : undefined;
}

function methodCall(receiver: Value, method: string, argv: Value[][]): Value {
  const a0 = argv[0] ? single(argv[0]) : undefined;
  const a1 = argv[1] ? single(argv[1]) : undefined;
  if (receiver.k === 'str') {
    const s = receiver.v;
    switch (method) {
      case 'split':
        if (a0?.k !== 'str') return OPAQUE;
        return {
          k: 'seq',
          items: s
            .split(a0.v)
            .slice(0, 1000)
            .map((part) => [str(part)]),
        };
      case 'toLowerCase':
        return str(s.toLowerCase());
      case 'toUpperCase':
        return str(s.toUpperCase());
      case 'trim':
        return str(s.trim());
      case 'concat':
        return argv.every((a) => single(a)?.k === 'str')
          ? str(s + argv.map((a) => (single(a) as { v: string }).v).join(''))
          : OPAQUE;
      case 'replace':
      case 'replaceAll':
        if (a0?.k !== 'str' || a1?.k !== 'str') return OPAQUE;
        return str(method === 'replace' ? s.replace(a0.v, () => a1.v) : s.split(a0.v).join(a1.v));
      case 'slice':
      case 'substring': {
        const from = a0?.k === 'num' ? Number(a0.v) : 0;
        const to = a1?.k === 'num' ? Number(a1.v) : undefined;
        return str(method === 'slice' ? s.slice(from, to) : s.substring(from, to));
      }
      case 'toString':
        return receiver;
      default:
        return OPAQUE;
    }
  }
  if (receiver.k === 'bytes' && method === 'toString') {
    const encoding = a0?.k === 'str' ? a0.v.toLowerCase() : 'utf8';
    if (
      encoding === 'utf8' ||
      encoding === 'utf-8' ||
      encoding === 'latin1' ||
      encoding === 'ascii' ||
      encoding === 'binary'
    )
      return str(
        Buffer.from(receiver.v, 'latin1').toString(
          encoding === 'utf-8' ? 'utf8' : (encoding as BufferEncoding),
        ),
      );
    if (encoding === 'hex' || encoding === 'base64')
      return str(Buffer.from(receiver.v, 'latin1').toString(encoding));
    return OPAQUE;
  }
  const list = elements(receiver);
  if (list) {
    switch (method) {
      case 'join': {
        const sep = a0 === undefined ? ',' : a0.k === 'str' ? a0.v : undefined;
        if (sep === undefined || list.some((item) => item.k !== 'str')) return OPAQUE;
        return str(list.map((item) => (item as { v: string }).v).join(sep));
      }
      case 'reverse':
        return { k: 'seq', items: [...list].reverse().map((item) => [item]) };
      case 'concat':
        return OPAQUE;
      default:
        return OPAQUE;
    }
  }
  return OPAQUE;
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
          const value = inner ? single(evaluate(inner)) : undefined;
          if (value?.k === 'str') out += value.v;
          else if (value?.k === 'num' && !value.huge) out += value.v.toString();
          else return [OPAQUE];
        }
      }
      return [str(out)];
    }
    case 'number':
      return [numberValue(text.slice(node.startIndex, node.endIndex))];
    case 'true':
      return [{ k: 'num', v: 1n }];
    case 'false':
      return [{ k: 'num', v: 0n }];
    case 'null':
    case 'undefined':
      return [{ k: 'none' }];
    case 'array': {
      const items = node.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
      if (items.length > 1000) return [OPAQUE];
      return [{ k: 'seq', items: items.map(evaluate) }];
    }
    case 'unary_expression': {
      const operator = node.childForFieldName('operator');
      const argument = single(evaluate(node.childForFieldName('argument')!));
      const op = operator ? text.slice(operator.startIndex, operator.endIndex) : '';
      if (op === '!' && argument) {
        if (argument.k === 'num') return [{ k: 'num', v: argument.huge || argument.v !== 0n ? 0n : 1n }];
        if (argument.k === 'str') return [{ k: 'num', v: argument.v ? 0n : 1n }];
      }
      if (op === '-' && argument?.k === 'num' && !argument.huge) return [{ k: 'num', v: -argument.v }];
      return [OPAQUE];
    }
    case 'binary_expression': {
      const operator = node.childForFieldName('operator');
      const op = operator ? text.slice(operator.startIndex, operator.endIndex) : '';
      const left = evaluate(node.childForFieldName('left')!);
      const right = evaluate(node.childForFieldName('right')!);
      if (op === '+') {
        // JavaScript's + concatenates as soon as one side is a string.
        const l = single(left);
        const r = single(right);
        if (l && r && (l.k === 'str' || r.k === 'str')) {
          const ls = l.k === 'str' ? l.v : l.k === 'num' && !l.huge ? l.v.toString() : undefined;
          const rs = r.k === 'str' ? r.v : r.k === 'num' && !r.huge ? r.v.toString() : undefined;
          return ls !== undefined && rs !== undefined ? [str(ls + rs)] : [OPAQUE];
        }
      }
      if (FOLDED_OPERATORS.has(op)) return foldEach(left, right, (a, b) => binaryOne(op, a, b));
      return [OPAQUE];
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function');
      if (!fn) return [OPAQUE];
      if (fn.type === 'member_expression') {
        const object = fn.childForFieldName('object');
        const property = fn.childForFieldName('property');
        if (!object || !property) return [OPAQUE];
        const method = text.slice(property.startIndex, property.endIndex);
        // Arguments are evaluated only for the methods folded here.
        if (!FOLDED_METHODS.has(method)) return [OPAQUE];
        const argv = args(node, evaluate);
        const objectText = text.slice(object.startIndex, object.endIndex);
        if (objectText === 'String' && method === 'fromCharCode') {
          const codes = argv.map(single);
          if (codes.some((c) => c?.k !== 'num' || c.huge)) return [OPAQUE];
          return [str(String.fromCharCode(...codes.map((c) => Number((c as { v: bigint }).v))))];
        }
        if (objectText === 'Buffer' && method === 'from') {
          const input = argv[0] ? constString(argv[0]) : undefined;
          const encoding = argv[1] ? constString(argv[1]) : 'utf8';
          if (input === undefined) return [OPAQUE];
          if (encoding === 'base64') {
            const decoded = decodeBase64(input);
            return decoded === undefined ? [OPAQUE] : [{ k: 'bytes', v: decoded }];
          }
          if (encoding === 'hex') return [{ k: 'bytes', v: Buffer.from(input, 'hex').toString('latin1') }];
          return [{ k: 'bytes', v: Buffer.from(input, 'utf8').toString('latin1') }];
        }
        const receiver = evaluate(object);
        return receiver.length === 1 ? [methodCall(receiver[0], method, argv)] : [OPAQUE];
      }
      if (text.slice(fn.startIndex, fn.endIndex) === 'atob') {
        const argv = args(node, evaluate);
        const input = argv[0] ? constString(argv[0]) : undefined;
        const decoded = input === undefined ? undefined : decodeBase64(input);
        return decoded === undefined ? [OPAQUE] : [str(decoded)];
      }
      return [OPAQUE];
    }
    case 'subscript_expression': {
      const object = single(evaluate(node.childForFieldName('object')!));
      const index = single(evaluate(node.childForFieldName('index')!));
      if (!object || index?.k !== 'num' || index.huge) return [OPAQUE];
      const i = Number(index.v);
      if (object.k === 'str') return i >= 0 && i < object.v.length ? [str(object.v[i])] : [OPAQUE];
      const list = elements(object);
      return list && i >= 0 && i < list.length ? [list[i]] : [OPAQUE];
    }
    default:
      return [OPAQUE];
  }
}
