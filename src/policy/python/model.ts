// The read-only view of a Python analysis that checks see (checks/*.ts): the source, the tree, the
// values an expression can hold and where a node sits. Checks never change the analysis; they return
// findings, which the analyzer reports (reports.ts, resources.ts). PythonAnalyzer implements it.
import type { Node } from 'web-tree-sitter';
import type { Value } from '../shared/value';
import type { ParentIndex } from '../tree';

/** A stretch of source a finding covers (a node, or part of one). */
export interface Span {
  startIndex: number;
  endIndex: number;
}

/** A call's arguments by position and keyword. */
export interface CallArguments {
  positional: Node[];
  keywords: Map<string, Node>;
  /** `*args` or `**kwargs` present: unknown arguments. */
  splat: boolean;
}

/** Where a node sits within its function. */
export interface NodeContext {
  /** Under an if/try/loop/with/match inside its innermost scope. */
  readonly conditional: boolean;
  /** Inside a loop body within its function. */
  readonly inLoop: boolean;
}

/** The parts of the evaluator a call's result is computed with. */
export interface CallEvaluation {
  evalExpr(node: Node | null | undefined): Value[];
  argumentsOf(call: Node): CallArguments;
  memberValues(values: readonly Value[], name: string): Value[];
  returnValues(fn: Node): Value[];
  /** What a function of the file returns when its parameters hold these values (by position). */
  returnsGiven(fn: Node, positional: Value[][]): Value[];
  namespaceLookup(namespace: string, keys: string[] | undefined): Value[];
  getterResult(getter: Extract<Value, { k: 'getter' }>, values: readonly Value[]): Value[];
  /** Whether `type(<node>)` is the type of a function or code object (calling it builds code). */
  isCodeLike(node: Node): boolean;
  /** The module an import by name gives (what code stored into sys.modules under the name, besides). */
  moduleNamed(name: string): Value[];
  /** What `__import__(name)` gives: the top module (with the stored module of a dotted name as its member). */
  topModuleNamed(name: string): Value[];
  /** What eval of constant code gives: the expression's values (exec-bindings.ts). */
  codeValues(call: Node): Value[];
  /** What calling a class of the file (or an object of one) gives (special-methods.ts). */
  classCall(value: Extract<Value, { k: 'class' }>): Value[];
  /** A record class's call (records.ts): an object of its fields and their tuple; undefined for another call. */
  recordValues(call: Node): Value[] | undefined;
}

export interface PythonModel {
  readonly text: string;
  readonly tree: ParentIndex;
  nodeText(node: Node): string;
  /** Every value the expression can have (an empty list when none is known). */
  evalExpr(node: Node | null | undefined): Value[];
  contextOf(node: Node): NodeContext;
}
