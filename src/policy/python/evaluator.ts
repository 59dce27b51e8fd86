// The evaluator: the values an expression can have (`evalExpr`), memoised per node: names through the
// binder, attributes through `member`, calls through `calls.ts`, constants folded with Python's semantics
// (`constants.ts`). It reports nothing: findings are made where values are followed (flow.ts, reports.ts).
import type { Node } from 'web-tree-sitter';
import { Memo } from '../shared/memo';
import { OPAQUE, constString, constStrings, dedupe, truthy, type Value } from '../shared/value';
import type { Binder } from './binder';
import { callResult, joinPath, type CallEvaluation } from './calls';
import {
  evalBinary,
  evalConstCall,
  evalConstSubscript,
  foldedArguments,
  stringLiteralValue,
} from './constants';
import { parseInteger } from './literals';
import type { CallArguments } from './model';
import { CONDITIONAL_PARENTS } from './scopes';
import { enteredValues } from './context-managers';
import { decoratedValues } from './decorators';
import { definedNames } from './seeds';
import { identName, DISPLAYS, misparsedSplat, nodeText, type Flows, type Source } from './state';
import { GLOBALS, canonical, isTracked, member, packageOf, topModule } from './values';
import { recordValues } from './records';
import {
  itemsAt,
  ANY_KEY,
  containerRead,
  followedOnly,
  itemsOf,
  dictItems,
  readsContainer,
} from './container-methods';
import { withArguments } from './parameters';
import { operationResult, type ClassModel, type ClassValue } from './special-methods';
import { insideParentheses } from './parentheses';

const MAX_EVAL_DEPTH = 100;
const MAX_RETURN_WALK = 5000;
/** Statements and clauses that can hold a return statement of the function they are in. */
const COMPOUND_PARTS = new Set(['block', ...CONDITIONAL_PARENTS]);
/** Nodes whose yields belong to another function (or, in a class body, to no function of ours). */
const NESTED_SCOPES = new Set(['function_definition', 'lambda', 'class_definition']);

export class Evaluator implements CallEvaluation {
  /** The values computed per node (the trace reads them). */
  readonly memo = new Memo(MAX_EVAL_DEPTH, (node) => this.evalNode(node));
  private readonly returnCache = new Map<number, Value[]>();
  /** The names a def of the file can bind (null: the text cannot tell), found when first needed. */
  private defined: Set<string> | null | undefined;
  /** What the special methods of the file's classes read (special-methods.ts). */
  private readonly classes: ClassModel;

  constructor(
    private readonly source: Source,
    private readonly binder: Binder,
    private readonly flows: Flows,
  ) {
    this.classes = { source, binder, ev: this };
  }

  /** What eval of constant code gives (exec-bindings.ts, wired by the analyzer). */
  codeValues: (call: Node) => Value[] = () => [OPAQUE];

  /** What calling a class of the file (or an object of one) gives. */
  classCall(value: ClassValue): Value[] {
    return operationResult(this.classes, value, 'call') ?? [OPAQUE];
  }

  /** The module an import by name gives: the module of that name, or what code stored into sys.modules under it. */
  moduleNamed(name: string): Value[] {
    const stored = this.flows.modules.get(name);
    const module: Value = { k: 'q', q: canonical(name) };
    return stored ? [module, ...stored] : [module];
  }

  /** `__import__("a.b")`: the top module `a`, whose `.b` is what `sys.modules["a.b"]` was given, if anything. */
  topModuleNamed(name: string): Value[] {
    const top = this.moduleNamed(topModule(name));
    const stored = name.includes('.') ? this.flows.modules.get(name) : undefined;
    return stored ? [...top, packageOf(name.split('.').slice(1), stored)] : top;
  }

  evalExpr(node: Node | null | undefined): Value[] {
    if (!node) return [OPAQUE];
    // Values overridden for one evaluation (a parameter bound to an argument) must not be remembered.
    return this.memo.evaluate(insideParentheses(node), this.binder.overlay.size === 0);
  }

  /** Cached evaluations may have read a parameter or attribute that has since gained a value. */
  forget(): void {
    this.memo.values.clear();
    this.returnCache.clear();
  }

  private evalNode(node: Node): Value[] {
    switch (node.type) {
      case 'identifier':
        return this.binder.resolveUse(node, identName(this.source, node));
      case 'attribute': {
        const object = node.childForFieldName('object');
        const attribute = node.childForFieldName('attribute');
        if (!object || !attribute) return [OPAQUE];
        return this.memberValues(this.evalExpr(object), identName(this.source, attribute));
      }
      case 'call':
        return this.evalCall(node);
      case 'subscript':
        return this.subscriptValues(this.evalExpr(node.childForFieldName('value')), node);
      // `await get()`: what the coroutine returns, which is what the call of an async def gives.
      case 'await':
        return this.evalExpr(node.firstNamedChild);
      case 'list_splat':
        if (misparsedSplat(this.source.tree, node)) return this.evalExpr(node.firstNamedChild);
        // `[*xs]`: in a display, an item that is any element of xs.
        return DISPLAYS.has(this.source.tree.parent(node)?.type ?? '')
          ? this.evalExpr(node.firstNamedChild).flatMap((v) => (v.k === 'seq' ? v.items.flat() : [OPAQUE]))
          : [OPAQUE];
      case 'dictionary_comprehension': {
        // `{k: v for k, v in pairs}`: any key reads any value.
        const pair = node.firstNamedChild;
        const value = pair?.type === 'pair' ? this.evalExpr(pair.childForFieldName('value')) : [OPAQUE];
        return [{ k: 'dict', keys: [ANY_KEY], items: [value] }];
      }
      case 'string':
        return this.stringValue(node);
      case 'concatenated_string': {
        let out = '';
        let bytes = false;
        for (const part of node.namedChildren) {
          const value = part ? this.stringValue(part) : [];
          if (value.length !== 1 || (value[0].k !== 'str' && value[0].k !== 'bytes')) return [OPAQUE];
          out += value[0].v;
          bytes = value[0].k === 'bytes';
        }
        return [{ k: bytes ? 'bytes' : 'str', v: out }];
      }
      case 'integer':
      case 'float': {
        const value = parseInteger(nodeText(this.source, node));
        return value === undefined ? [OPAQUE] : [{ k: 'num', v: value }];
      }
      case 'true':
        return [{ k: 'num', v: 1n }];
      case 'false':
        return [{ k: 'num', v: 0n }];
      case 'none':
        return [{ k: 'none' }];
      case 'not_operator': {
        const inner = this.evalExpr(node.childForFieldName('argument'));
        const t = inner.length === 1 ? truthy(inner[0]) : undefined;
        return t === undefined ? [OPAQUE] : [{ k: 'num', v: t ? 0n : 1n }];
      }
      case 'unary_operator': {
        const inner = this.evalExpr(node.childForFieldName('argument'));
        const op = node.childForFieldName('operator');
        if (inner.length === 1 && inner[0].k === 'num' && !inner[0].huge && op) {
          const symbol = nodeText(this.source, op);
          if (symbol === '-') return [{ k: 'num', v: -inner[0].v }];
          if (symbol === '+') return inner;
        }
        return [OPAQUE];
      }
      case 'binary_operator': {
        const op = node.childForFieldName('operator');
        if (!op) return [OPAQUE];
        const left = this.evalExpr(node.childForFieldName('left'));
        const right = this.evalExpr(node.childForFieldName('right'));
        const symbol = nodeText(this.source, op);
        if (symbol === '/' && left.some((v) => v.k === 'inst' && v.q === 'pathlib.Path')) {
          const base = left.find((v) => v.k === 'inst')?.path;
          const tail = constString(right);
          return [
            { k: 'inst', q: 'pathlib.Path', path: tail !== undefined ? joinPath(base, tail) : undefined },
          ];
        }
        return evalBinary(symbol, left, right);
      }
      case 'tuple':
      case 'list':
      case 'expression_list':
      case 'set': {
        const items = node.namedChildren.filter(
          (child): child is Node => !!child && child.type !== 'comment',
        );
        if (items.length > 1000) return [OPAQUE];
        return [{ k: 'seq', items: items.map((item) => this.evalExpr(item)) }];
      }
      case 'conditional_expression': {
        const [whenTrue, , whenFalse] = node.namedChildren;
        return [...this.evalExpr(whenTrue), ...this.evalExpr(whenFalse)];
      }
      case 'boolean_operator':
        return [
          ...this.evalExpr(node.childForFieldName('left')),
          ...this.evalExpr(node.childForFieldName('right')),
        ];
      case 'assignment':
        return this.evalExpr(node.childForFieldName('right'));
      case 'named_expression':
        return this.evalExpr(node.childForFieldName('value'));
      case 'list_comprehension':
      case 'generator_expression':
        return this.evalComprehension(node);
      case 'dictionary':
        return [this.evalDictionary(node)];
      case 'lambda':
        return [{ k: 'fn', node }];
      case 'decorated_definition':
        return decoratedValues(this.source, this, this.binder, node);
      case 'as_pattern':
        return enteredValues(this.source, this, this.binder, node);
      default:
        return [OPAQUE];
    }
  }

  /** A dict display, its items under their constant string keys. */
  private evalDictionary(node: Node): Value {
    const keys: string[] = [];
    const items: Value[][] = [];
    const keyValues: Array<Value[] | undefined> = [];
    for (const pair of node.namedChildren) {
      if (!pair || pair.type === 'comment') continue;
      if (pair.type === 'dictionary_splat' && keys.length < 1000) {
        // `{**d}`: d's items under their keys; an unknown mapping's under any key.
        for (const spread of this.evalExpr(pair.firstNamedChild)) {
          keys.push(...(spread.k === 'dict' ? spread.keys : [ANY_KEY]));
          items.push(...(spread.k === 'dict' ? spread.items : [[OPAQUE]]));
        }
        continue;
      }
      if (pair.type !== 'pair' || keys.length >= 1000) return OPAQUE;
      // `{1: os}`: a key that is not a constant string is one no constant string reads (`d[1]` reads any item);
      // `{os: 1}`: iterating the dict gives the key's values.
      const given = this.evalExpr(pair.childForFieldName('key'));
      const key = constString(given);
      if (key === undefined) keyValues[keys.length] = given;
      keys.push(key ?? `\0${keys.length}`);
      items.push(this.evalExpr(pair.childForFieldName('value')));
    }
    return keyValues.length > 0 ? { k: 'dict', keys, items, keyValues } : { k: 'dict', keys, items };
  }

  private stringValue(node: Node): Value[] {
    if (node.type !== 'string') return this.evalExpr(node);
    return stringLiteralValue(node, this.source.text, (expression) => this.evalExpr(expression));
  }

  /** `[f(x) for x in <constant sequence>]` with a single clause, so that `"".join(chr(c) for c in [...])` folds. */
  private evalComprehension(node: Node): Value[] {
    const children = node.namedChildren;
    if (children.length !== 2 || children[1]?.type !== 'for_in_clause') return [OPAQUE];
    const body = children[0];
    const clause = children[1];
    const left = clause.childForFieldName('left');
    if (!body || !left || left.type !== 'identifier') return [OPAQUE];
    const iterable = this.evalExpr(clause.childForFieldName('right'));
    if (iterable.length !== 1) return [OPAQUE];
    const elements = itemsOf(iterable[0]);
    if (!elements || elements.length > 1000) return [OPAQUE];
    const name = identName(this.source, left);
    const items: Value[][] = [];
    const overlay = this.binder.overlay;
    for (const element of elements) {
      overlay.set(name, element);
      try {
        items.push(this.evalExpr(body));
      } finally {
        overlay.delete(name);
      }
    }
    return [{ k: 'seq', items }];
  }

  memberValues(values: readonly Value[], name: string): Value[] {
    const out: Value[] = [];
    for (const value of values) {
      if (value.k === 'obj') {
        // `SimpleNamespace(m=os).m`: the attribute's values (an unknown one may be set later).
        const index = value.keys.lastIndexOf(name);
        out.push(...(index === -1 ? [OPAQUE] : value.items[index]));
        continue;
      }
      if (value.k === 'class') {
        out.push(...(operationResult(this.classes, value, 'attribute', name) ?? [OPAQUE]));
        continue;
      }
      const next = member(value, name);
      if (next) out.push(next);
      else out.push(OPAQUE);
    }
    return dedupe(out);
  }

  argumentsOf(call: Node): CallArguments {
    const list = call.childForFieldName('arguments');
    const positional: Node[] = [];
    const keywords = new Map<string, Node>();
    let splat = false;
    if (list?.type === 'generator_expression') positional.push(list);
    else if (list) {
      for (const child of list.namedChildren) {
        if (!child || child.type === 'comment') continue;
        if (child.type === 'keyword_argument') {
          const name = child.childForFieldName('name');
          const value = child.childForFieldName('value');
          if (name && value) keywords.set(identName(this.source, name), value);
        } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') splat = true;
        else positional.push(child);
      }
    }
    return { positional, keywords, splat };
  }

  private evalCall(call: Node): Value[] {
    const fn = call.childForFieldName('function');
    if (!fn) return [OPAQUE];
    if (fn.type === 'attribute') {
      const object = fn.childForFieldName('object');
      const attribute = fn.childForFieldName('attribute');
      if (object && attribute) {
        const receiver = this.evalExpr(object);
        const method = identName(this.source, attribute);
        // `d.get("k")`, `d.values()`, `xs.pop()`: what the container holds (container-methods.ts).
        // Only a followed value is taken from it: the container may have been given other items since.
        const read = readsContainer(receiver, method) ? containerRead(this, receiver, method, call) : [];
        if (read.some(isTracked)) return followedOnly(read);
        if (receiver.length === 1 && ['str', 'bytes', 'seq'].includes(receiver[0].k)) {
          const method = `.${identName(this.source, attribute)}`;
          const args = foldedArguments(method, this.argumentsOf(call), (a) => this.evalExpr(a));
          return args ? evalConstCall(method, receiver[0], args) : [OPAQUE];
        }
        return this.callResult(this.memberValues(receiver, identName(this.source, attribute)), call);
      }
    }
    const result = this.callResult(this.evalExpr(fn), call);
    const record = this.recordValues(call);
    return record ? [...result, ...record] : result;
  }

  recordValues(call: Node): Value[] | undefined {
    return recordValues(this.source, this.binder, this, call);
  }

  /** What calling one of `callees` with the arguments of `call` returns. */
  callResult(callees: readonly Value[], call: Node): Value[] {
    return callResult(this, callees, call);
  }

  /** Whether `type(<node>)` is the type of a function or code object (calling it builds code). */
  isCodeLike(node: Node): boolean {
    if (node.type === 'lambda') return true;
    const text = nodeText(this.source, node);
    if (/(__code__|func_code|gi_code|f_code)\s*$/.test(text)) return true;
    if (node.type === 'identifier') {
      const name = identName(this.source, node);
      // Only a def binds a function: a name no def can bind is not one, known without classifying every
      // occurrence of the name (`type(self)` is common, and `self` is everywhere).
      if (this.defined === undefined) this.defined = definedNames(this.source) ?? null;
      if (this.defined && !this.defined.has(name)) return false;
      return this.binder.bindingsOf(name).some((b) => b.isFunction === true);
    }
    return false;
  }

  subscriptValues(values: readonly Value[], node: Node): Value[] {
    const keyNode = node.childForFieldName('subscript');
    const keys = keyNode ? this.evalExpr(keyNode) : [];
    const out: Value[] = [];
    for (const value of values) {
      if (value.k === 'ns') out.push(...this.namespaceLookup(value.q, constStrings(keys)));
      else if (value.k === 'class')
        out.push(...(operationResult(this.classes, value, 'subscript') ?? [OPAQUE]));
      else if (value.k === 'q' && value.q === 'sys.modules') {
        const names = constStrings(keys);
        if (names) for (const name of names) out.push(...this.moduleNamed(name));
        else out.push({ k: 'dynmod' });
      } else if (value.k === 'dict') {
        // A dict keyed by other things than strings, read by a key not known: only what is followed.
        const names = constStrings(keys);
        const items = dictItems(value, names);
        const anyKey = !names && value.keys.some((k) => k.startsWith('\0'));
        out.push(...(!anyKey ? items : items.some(isTracked) ? followedOnly(items) : [OPAQUE]));
      } else if (
        value.k === 'seq' &&
        keyNode &&
        keyNode.type !== 'slice' &&
        (keys.length !== 1 || keys[0].k !== 'num')
      ) {
        // `mods[i]`, `mods[k % 2]`: any item of a followed sequence (constants stay unknown).
        const items = value.items.flat();
        out.push(...(items.some(isTracked) ? followedOnly(items) : [OPAQUE]));
      } else if (keyNode && (value.k === 'str' || value.k === 'bytes' || value.k === 'seq')) {
        out.push(...evalConstSubscript(value, keyNode, this.source.text, (n) => this.evalExpr(n)));
      } else out.push(OPAQUE);
    }
    return dedupe(out);
  }

  namespaceLookup(namespace: string, keys: string[] | undefined): Value[] {
    if (!keys) return [OPAQUE];
    const out: Value[] = [];
    for (const key of keys) {
      if (namespace === 'sys.modules') out.push(...this.moduleNamed(key));
      else if (namespace === GLOBALS) out.push(...this.binder.resolveGlobal(key));
      else out.push({ k: 'q', q: canonical(`${namespace}.${key}`) });
    }
    return out;
  }

  /** What a function of the file returns when its parameters hold these values (by position). */
  returnsGiven(fn: Node, positional: Value[][]): Value[] {
    return withArguments(this.source, this.binder.overlay, fn, positional, 0, () => this.returnValues(fn));
  }

  /** The values a function of the file may return (`None` when it has no return with a value). */
  returnValues(fn: Node): Value[] {
    const cacheable = this.binder.overlay.size === 0;
    const cached = this.returnCache.get(fn.id);
    if (cached && cacheable) return cached;
    if (this.memo.evaluating.has(fn.id)) return [OPAQUE];
    this.memo.evaluating.add(fn.id);
    const out: Value[] = [];
    try {
      // What the forward flow saw reach the function's returns (`return self.m` after `self.m = os`).
      out.push(...(this.flows.returns.get(fn.id) ?? []));
      if (fn.type === 'lambda') out.push(...this.evalExpr(fn.childForFieldName('body')));
      else {
        const body = fn.childForFieldName('body');
        const stack: Node[] = body ? [body] : [];
        for (let visited = 0; stack.length > 0; visited++) {
          if (visited > MAX_RETURN_WALK) {
            out.push(OPAQUE);
            break;
          }
          const current = stack.pop()!;
          if (current.type === 'return_statement') {
            const value = current.firstNamedChild;
            out.push(...(value ? this.evalExpr(value) : [{ k: 'none' } as Value]));
            continue;
          }
          for (const child of current.namedChildren) {
            if (child && (child.type === 'return_statement' || COMPOUND_PARTS.has(child.type)))
              stack.push(child);
          }
        }
        if (out.length === 0) out.push({ k: 'none' });
        // A generator's call gives the generator: iterating it (`next(g())`, `for m in g()`) gives what it yields.
        const yielded = body ? this.yieldedValues(body) : undefined;
        const flowed = this.flows.yields.get(fn.id) ?? [];
        if (yielded) out.splice(0, out.length, { k: 'seq', items: [dedupe([...yielded, ...flowed])] });
      }
    } finally {
      this.memo.evaluating.delete(fn.id);
    }
    const values = dedupe(out);
    if (this.binder.overlay.size === 0) this.returnCache.set(fn.id, values);
    return values;
  }

  /** The values a function body yields (`yield from xs`: the elements of xs), or undefined if it yields nothing. */
  private yieldedValues(body: Node): Value[] | undefined {
    const stack: Node[] = [body];
    let out: Value[] | undefined;
    for (let visited = 0; stack.length > 0; visited++) {
      if (visited > MAX_RETURN_WALK) return [...(out ?? []), OPAQUE];
      const current = stack.pop()!;
      if (current.type === 'yield') {
        const value = current.firstNamedChild;
        const values = value ? this.evalExpr(value) : [{ k: 'none' } as Value];
        const from = nodeText(this.source, current).startsWith('yield from');
        (out ??= []).push(...(from ? values.flatMap((v) => itemsOf(v)?.flat() ?? [OPAQUE]) : values));
      }
      for (const child of current.namedChildren) {
        if (child && !NESTED_SCOPES.has(child.type)) stack.push(child);
      }
    }
    return out && dedupe(out);
  }

  /** What an `operator.attrgetter(...)` returns when called on these values. */
  getterResult(getter: Extract<Value, { k: 'getter' }>, values: readonly Value[]): Value[] {
    if (getter.keys) return dedupe(getter.keys.flatMap((key) => itemsAt(values, key)));
    if (!getter.names) return [OPAQUE];
    const out: Value[] = [];
    for (const name of getter.names) {
      let current: Value[] = [...values];
      for (const part of name.split('.')) current = this.memberValues(current, part);
      out.push(...current);
    }
    return dedupe(out);
  }
}
