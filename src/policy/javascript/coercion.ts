// JavaScript's own conversions and operators on constants, as the language defines them: a value is
// turned into a primitive (an array joins its elements, a Buffer decodes as UTF-8), the operator is
// applied by this very engine to those primitives (so `"child_process" * 1` is NaN and `[1] + [2]` is
// "12"), and the result is turned back into a Value. Nothing of Python's folding is used here.
import { str } from '../shared/folding';
import { OPAQUE, type Value } from '../shared/value';

export type Prim = string | number | boolean | null | undefined;
/** A value with no constant primitive (a module, a function, an object, an unknown). */
export const NOT_CONSTANT = Symbol('not constant');
type Maybe = Prim | typeof NOT_CONSTANT;

const MAX_ELEMENTS = 1000;

/** The single value of a list of options, if there is one. */
export function single(values: readonly Value[] | undefined): Value | undefined {
  return values && values.length === 1 ? values[0] : undefined;
}

/**
 * What a spread (`...x`) iterates: x's one value, or the list an object with its own iterator gives (the
 * evaluator adds it beside the object, object-literals.ts).
 */
export function spreadValue(values: readonly Value[]): Value | undefined {
  const lists = values.filter((v) => v.k === 'seq');
  const iterable = lists.length === 1 && values.every((v) => v.k === 'seq' || v.k === 'dict');
  return single(values) ?? (iterable ? lists[0] : undefined);
}

/** An array's elements when each has one known value. */
export function elements(value: Value | undefined): Value[] | undefined {
  if (value?.k !== 'seq') return undefined;
  return value.items.every((i) => i.length === 1) ? value.items.map((i) => i[0]) : undefined;
}

/** ToPrimitive: what `+`, a template or String() sees of a value. */
export function toPrim(value: Value | undefined): Maybe {
  return primitive(value, 0, { left: MAX_JOINED });
}

/** Characters an array's join may produce (nested arrays share elements: the work is bounded by it). */
const MAX_JOINED = 100_000;

function primitive(value: Value | undefined, depth: number, budget: { left: number }): Maybe {
  switch (value?.k) {
    case 'str':
      return value.v;
    case 'num':
      return value.huge ? NOT_CONSTANT : Number(value.v);
    case 'jsprim':
      return value.v;
    case 'none':
      return undefined;
    case 'bytes':
      return Buffer.from(value.v, 'latin1').toString('utf8');
    case 'seq': {
      // Array.prototype.toString: the elements joined by commas, null and undefined as empty.
      const list = elements(value);
      if (!list || depth > 4) return NOT_CONSTANT;
      const parts: string[] = [];
      for (const item of list) {
        const prim = primitive(item, depth + 1, budget);
        if (prim === NOT_CONSTANT) return NOT_CONSTANT;
        const part = prim === null || prim === undefined ? '' : String(prim);
        budget.left -= part.length + 1;
        if (budget.left < 0) return NOT_CONSTANT;
        parts.push(part);
      }
      return parts.join(',');
    }
    default:
      return NOT_CONSTANT;
  }
}

/** ToString of a value, or undefined when it has no constant one. */
export function toText(value: Value | undefined): string | undefined {
  const prim = toPrim(value);
  return prim === NOT_CONSTANT ? undefined : String(prim);
}

/** A primitive back as a Value: integers as numbers, strings capped in length, the rest as they are. */
export function fromPrim(prim: unknown): Value {
  switch (typeof prim) {
    case 'string':
      return str(prim);
    case 'number':
      return Number.isInteger(prim) ? { k: 'num', v: BigInt(prim) } : { k: 'jsprim', v: prim };
    case 'boolean':
      return { k: 'jsprim', v: prim };
    case 'undefined':
      return { k: 'jsprim', v: undefined };
    default:
      if (prim === null) return { k: 'jsprim', v: null };
      if (Array.isArray(prim) && prim.length <= MAX_ELEMENTS)
        return { k: 'seq', items: prim.map((item) => [fromPrim(item)]) };
      return OPAQUE;
  }
}

function lessThan(a: Prim, b: Prim): boolean | undefined {
  if (typeof a === 'string' && typeof b === 'string') return a < b;
  const x = Number(a);
  const y = Number(b);
  return Number.isNaN(x) || Number.isNaN(y) ? undefined : x < y;
}

/** `a op b` on two primitives, as JavaScript computes it; NOT_CONSTANT for operators not folded. */
export function binaryPrim(op: string, a: Prim, b: Prim): Maybe {
  if (op === '+') {
    if (typeof a === 'string' || typeof b === 'string') {
      const left = String(a);
      const right = String(b);
      return left.length + right.length > 100_000 ? NOT_CONSTANT : left + right;
    }
    return Number(a) + Number(b);
  }
  const x = Number(a);
  const y = Number(b);
  switch (op) {
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    case '%':
      return x % y;
    case '**':
      return x ** y;
    case '|':
      return x | y;
    case '&':
      return x & y;
    case '^':
      return x ^ y;
    case '<<':
      return x << y;
    case '>>':
      return x >> y;
    case '>>>':
      return x >>> y;
    case '===':
      return a === b;
    case '!==':
      return a !== b;
    case '==':
      return a == b; // eslint-disable-line eqeqeq -- JavaScript's loose equality is what is folded
    case '!=':
      return a != b; // eslint-disable-line eqeqeq
    case '<':
      return lessThan(a, b) ?? false;
    case '>':
      return lessThan(b, a) ?? false;
    case '<=':
      return lessThan(b, a) === undefined ? false : !lessThan(b, a);
    case '>=':
      return lessThan(a, b) === undefined ? false : !lessThan(a, b);
    default:
      return NOT_CONSTANT;
  }
}

/** `op a` on a primitive. */
export function unaryPrim(op: string, a: Prim): Maybe {
  switch (op) {
    case '!':
      return !a;
    case '-':
      return -Number(a);
    case '+':
      return Number(a);
    case '~':
      return ~Number(a);
    case 'typeof':
      return typeof a;
    case 'void':
      return undefined;
    default:
      return NOT_CONSTANT;
  }
}
