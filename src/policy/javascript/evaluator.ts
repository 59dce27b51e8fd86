// Evaluation: the values an expression can have (modules and their members, the file's functions, object
// and array literals, constants folded with JavaScript's rules), memoised per node, and what the calls
// the catalog models (propagators) or the file's own functions give back.
import type { Node } from 'web-tree-sitter';
import { wordOccurrences } from '../text';
import { OPAQUE, constStrings, dedupe, type Value } from '../shared/value';
import { canonicalJs } from './catalog/names';
import { jsPropagatorFor, type JsPropagatorKind } from './catalog/propagators';
import { Binder } from './binder';
import { evalJsConstant } from './constants';
import {
  TRANSPARENT,
  argumentsOf,
  enclosingFunction,
  firstArgument,
  hasOwnConstructor,
  parameterAt,
} from './syntax';
import { isTracked, membersOf, prototypeOf } from './values';

export abstract class Evaluator extends Binder {
  evalExpr(node: Node | null | undefined): Value[] {
    if (!node) return [OPAQUE];
    return this.memo.evaluate(node);
  }

  protected evalNode(node: Node): Value[] {
    const type = node.type;
    if (TRANSPARENT.has(type))
      return this.evalExpr(type === 'type_assertion' ? node.lastNamedChild : node.firstNamedChild);
    switch (type) {
      case 'identifier':
      case 'shorthand_property_identifier':
        return this.resolveUse(node, this.nodeText(node));
      case 'member_expression': {
        const property = node.childForFieldName('property');
        if (!property) return [OPAQUE];
        return membersOf(this.evalExpr(node.childForFieldName('object')), [this.nodeText(property)]);
      }
      case 'subscript_expression': {
        const object = this.evalExpr(node.childForFieldName('object'));
        if (object.some((v) => this.live(v) || v.k === 'dict')) {
          const keys = this.keysOf(node.childForFieldName('index'));
          if (!keys) return [OPAQUE];
          return membersOf(object, keys);
        }
        return this.constant(node);
      }
      case 'object': {
        // Spread members (`{ ...cp }`) are reached through the object too.
        const spread = node.namedChildren
          .filter((c): c is Node => c?.type === 'spread_element')
          .slice(0, 8)
          .flatMap((c) => this.evalExpr(c.firstNamedChild).filter(isTracked));
        return [this.objectValue(node), ...spread];
      }
      case 'class':
      case 'class_declaration': {
        // A subclass of a sink (`class X extends Function {}`) constructs like it.
        // Only without a constructor of its own: then `new X(...)` passes its arguments to the base.
        const heritage = node.namedChildren.find((c) => c?.type === 'class_heritage');
        const base = heritage?.firstNamedChild;
        const inherited =
          base && !hasOwnConstructor(this.text, node) ? this.evalExpr(base).filter(isTracked) : [];
        return [{ k: 'fn', node }, ...inherited];
      }
      case 'function_expression':
      case 'function':
      case 'arrow_function':
      case 'generator_function':
        return [{ k: 'fn', node }];
      case 'sequence_expression':
        return this.evalExpr(node.lastNamedChild);
      case 'call_expression':
      case 'new_expression': {
        const callee = node.childForFieldName(type === 'new_expression' ? 'constructor' : 'function');
        if (callee?.type === 'import') return this.moduleValues(node);
        const callees = callee ? this.evalExpr(callee) : [];
        const results = this.callResults(node, callees, type === 'new_expression');
        return results.length > 0 ? results : this.constant(node);
      }
      case 'binary_expression': {
        const operator = node.childForFieldName('operator');
        const op = operator ? this.nodeText(operator) : '';
        // `a || b`, `a ?? b`: either; `a && b`: b (a is the guard, `typeof require == "function" && require`).
        if (op === '&&') return this.evalExpr(node.childForFieldName('right'));
        if (op === '||' || op === '??')
          return [
            ...this.evalExpr(node.childForFieldName('left')),
            ...this.evalExpr(node.childForFieldName('right')),
          ];
        return this.constant(node);
      }
      case 'ternary_expression':
        return [
          ...this.evalExpr(node.childForFieldName('consequence')),
          ...this.evalExpr(node.childForFieldName('alternative')),
        ];
      case 'assignment_expression':
        return this.evalExpr(node.childForFieldName('right'));
      default:
        return this.constant(node);
    }
  }

  private constant(node: Node): Value[] {
    return evalJsConstant(node, this.text, (n) => this.evalExpr(n));
  }

  /** What a call gives back, for the callees the analyzer models; empty when none is. */
  private callResults(call: Node, callees: readonly Value[], isNew: boolean): Value[] {
    const out: Value[] = [];
    for (const callee of callees) {
      if (callee.k === 'fn') {
        if (!isNew && this.returning.has(callee.node.id)) out.push(...this.returnsOf(callee.node));
        continue;
      }
      if (callee.k !== 'q') continue;
      const args = argumentsOf(call);
      const row = jsPropagatorFor(callee.q);
      if (row) out.push(...this.propagate(row.kind, call, args));
      // `eval.bind(null)`: the same function.
      else if (callee.q.endsWith('.bind') && !isNew) out.push({ k: 'q', q: callee.q.slice(0, -5) });
    }
    return out;
  }

  /** What a propagator's call gives, by the kind of its catalog row. */
  private propagate(kind: JsPropagatorKind, call: Node, args: Node[]): Value[] {
    switch (kind) {
      case 'module-by-name':
        return this.moduleValues(call);
      case 'require-function':
        return [{ k: 'q', q: 'builtins.require' }];
      case 'home-directory':
        return [{ k: 'str', v: '~' }];
      case 'merged-members': {
        // The target gains the sources' members: a module merged in is reached through it.
        const out = args.slice(0, 8).flatMap((arg) => this.evalExpr(arg).filter(isTracked));
        return out.length > 0 ? out : [OPAQUE];
      }
      case 'any-element': {
        const list = args[0] ? this.evalExpr(args[0]) : [];
        return list.flatMap((v) => (v.k === 'seq' ? v.items.flat() : [OPAQUE]));
      }
      case 'member-by-name': {
        const keys = args[1] ? this.keysOf(args[1]) : undefined;
        return args[0] && keys ? membersOf(this.evalExpr(args[0]), keys) : [OPAQUE];
      }
      case 'prototype-of':
        return args[0] ? this.evalExpr(args[0]).map(prototypeOf) : [OPAQUE];
      case 'same-as-argument':
        return args[0] ? this.evalExpr(args[0]) : [OPAQUE];
      default:
        // Every kind has a case above: a new one does not compile until it has.
        return kind satisfies never;
    }
  }

  /** What a function defined in the file returns: its expression body or its return statements. */
  returnsOf(fn: Node): Value[] {
    const returned = this.returnedExpressions(fn);
    if (!returned) return [OPAQUE];
    const out = returned.flatMap((node) => (node ? this.evalExpr(node) : [{ k: 'none' } as Value]));
    return out.length > 0 ? dedupe(out) : [OPAQUE];
  }

  /** The expressions a function returns (null for a bare `return`); undefined when not known. */
  private returnedExpressions(fn: Node): Array<Node | null> | undefined {
    if (this.returnCache.has(fn.id)) return this.returnCache.get(fn.id);
    const body = fn.childForFieldName('body');
    let out: Array<Node | null> | undefined;
    if (!body || fn.type === 'class' || fn.type === 'class_declaration') out = undefined;
    else if (body.type !== 'statement_block') out = [body];
    else if (body.endIndex - body.startIndex > 200_000) out = undefined;
    else {
      out = [];
      for (const statement of body.descendantsOfType('return_statement').slice(0, 50)) {
        if (!statement || enclosingFunction(this.tree, statement)?.id !== fn.id) continue;
        out.push(statement.firstNamedChild);
      }
    }
    this.returnCache.set(fn.id, out);
    return out;
  }

  /** Whether a function's return values can depend on its parameter at `index` (by name). */
  returnsParameter(fn: Node, index: number): boolean {
    const returned = this.returnedExpressions(fn);
    if (!returned || returned.length === 0) return false;
    const parameter = parameterAt(fn, index);
    if (!parameter) return false;
    const names =
      parameter.type === 'identifier'
        ? [this.nodeText(parameter)]
        : parameter
            .descendantsOfType(['identifier', 'shorthand_property_identifier_pattern'])
            .map((n) => (n ? this.nodeText(n) : ''));
    return returned.some((node) => {
      const text = node ? this.nodeText(node) : '';
      return names.some((name) => name && wordOccurrences(text, name).length > 0);
    });
  }

  /** An object literal with constant keys: `{ f: require("fs"), g, m() {} }`. */
  private objectValue(node: Node): Value {
    const keys: string[] = [];
    const items: Value[][] = [];
    for (const part of node.namedChildren.slice(0, 1000)) {
      if (!part) continue;
      if (part.type === 'shorthand_property_identifier') {
        keys.push(this.nodeText(part));
        items.push(this.resolveUse(part, this.nodeText(part)));
        continue;
      }
      const key =
        part.type === 'pair' || part.type === 'method_definition'
          ? part.childForFieldName(part.type === 'pair' ? 'key' : 'name')
          : null;
      const name = this.propertyKey(key);
      if (name === undefined) continue;
      keys.push(name);
      items.push(
        part.type === 'pair' ? this.evalExpr(part.childForFieldName('value')) : [{ k: 'fn', node: part }],
      );
    }
    return { k: 'dict', keys, items };
  }

  /** Constant property names of an index: strings, or numbers for arrays. */
  keysOf(index: Node | null | undefined): string[] | undefined {
    const values = this.evalExpr(index);
    if (values.length === 0) return undefined;
    const out: string[] = [];
    for (const value of values) {
      if (value.k === 'str') out.push(value.v);
      else if (value.k === 'num' && !value.huge) out.push(value.v.toString());
      else return undefined;
    }
    return out;
  }

  private moduleValues(call: Node): Value[] {
    const arg = firstArgument(call);
    const names = arg ? constStrings(this.evalExpr(arg)) : undefined;
    if (!names) return [{ k: 'dynmod' }];
    return names.map((name) => ({ k: 'q', q: canonicalJs(name) }));
  }
}
