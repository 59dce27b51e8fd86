// What a function of the file gives, as the forward flow sees it (flow.ts): a followed value reaching a
// return (or a yield) is kept for the evaluator (`Flows.returns`, what it cannot tell itself: `return self.m`
// after `self.m = os`), and whatever the function gives is followed on where it is called: its name's uses,
// `.m()` calls of a method, and for a special method (`__getitem__`, `__call__`...) its class, whose objects
// give it (special-methods.ts). And whether a function or class of the file can lead to a finding at all.
import type { Node } from 'web-tree-sitter';
import { dedupe, type Value } from '../shared/value';
import type { Evaluator } from './evaluator';
import { methodOf, methodResultSites } from './methods';
import { RESULT_METHODS, classOfMethod, resultMethods, type ClassModel } from './special-methods';
import { identName, type Budget, type Flows, type Source, type Worklist } from './state';
import { isTracked } from './values';

/** What the flow does when a function gives a new value. */
export interface ResultHooks {
  /** A name gained a value: its uses are followed (again). */
  follow(name: string): void;
  /** Cached evaluations may be stale. */
  invalidate(): void;
}

/** How many functions or classes deep `tracked` looks through returns. */
const MAX_NESTED = 3;

export class FunctionResults {
  private readonly followed = new Set<number>();
  private readonly nesting = new Set<number>();
  /** Classes with a special method that uses a followed value (`usedIn`). */
  private readonly usingClasses = new Set<number>();
  /**
   * A class's result methods, by class node: `tracked` runs for every value the flow meets, and looking
   * them up walks the class body and its bases (5x the whole analysis of the standard library, uncached).
   */
  private readonly methodsOfClass = new Map<number, Node[]>();

  constructor(
    private readonly source: Source,
    private readonly budget: Budget,
    private readonly worklist: Worklist,
    private readonly flows: Flows,
    private readonly evaluator: Evaluator,
    private readonly classes: ClassModel,
    private readonly hooks: ResultHooks,
  ) {}

  /**
   * Whether a value can lead to a finding: a tracked value, a function of the file returning one, or a class
   * of the file (an object of one) whose special methods return one.
   */
  tracked = (value: Value): boolean => {
    if (value.k !== 'fn' && value.k !== 'class') return isTracked(value);
    // A function returning a function returning a module: followed a few levels deep.
    if (this.nesting.has(value.node.id) || this.nesting.size > MAX_NESTED) return false;
    this.nesting.add(value.node.id);
    try {
      const methods = value.k === 'fn' ? [value.node] : this.classMethods(value);
      return methods.some(
        (fn) =>
          this.usingClasses.has(classOfMethod(this.source, fn)?.id ?? -1) ||
          this.evaluator.returnValues(fn).some(this.tracked),
      );
    } finally {
      this.nesting.delete(value.node.id);
    }
  };

  /** The methods whose returns decide what a class, or an object of it, gives (resultMethods), looked up once. */
  private classMethods(value: Extract<Value, { k: 'class' }>): Node[] {
    const key = value.instance ? -value.node.id - 1 : value.node.id;
    let methods = this.methodsOfClass.get(key);
    if (!methods) {
      methods = [
        ...resultMethods(this.classes, value),
        ...(value.instance ? [] : resultMethods(this.classes, { ...value, instance: true })),
      ];
      this.methodsOfClass.set(key, methods);
    }
    return methods;
  }

  /**
   * A followed value is used in `fn`: when fn is a special method (`__getattr__` reading `getattr(os, n)`,
   * whose result only the name read decides), its class is followed, as one that may give the value.
   */
  usedIn(fn: Node): void {
    const method = methodOf(this.source, fn);
    const cls = method && RESULT_METHODS.has(method.name) ? classOfMethod(this.source, fn) : undefined;
    const name = cls?.childForFieldName('name');
    if (!cls || !name || this.usingClasses.has(cls.id)) return;
    this.usingClasses.add(cls.id);
    this.hooks.follow(identName(this.source, name));
  }

  /** Followed values reach a return or yield of `fn` (a def or a lambda): what it gives is followed on. */
  gives(fn: Node, values: readonly Value[], yielded: boolean): void {
    const gained = this.keep(fn, values, yielded);
    const name = fn.childForFieldName('name');
    if (fn.type === 'lambda' || !name || (this.followed.has(fn.id) && !gained)) return;
    this.followed.add(fn.id);
    this.flows.crossUnit = true;
    this.hooks.follow(identName(this.source, name));
    const method = methodOf(this.source, fn);
    if (!method) return;
    // Instances (paths, archives) are left out: a method's name alone does not say the object is ours.
    const result = this.evaluator.returnValues(fn).filter((v) => v.k !== 'inst');
    for (const site of methodResultSites(this.source, this.budget, method.name, method.property))
      this.worklist.expressions.push([site, result]);
    // `__getitem__`, `__call__`, `__getattr__`...: the class and its objects give the value.
    const cls = RESULT_METHODS.has(method.name) ? classOfMethod(this.source, fn) : undefined;
    const className = cls?.childForFieldName('name');
    if (className) this.hooks.follow(identName(this.source, className));
  }

  /** Keeps what reached the function's returns (or yields) for the evaluator; true when it gained a value. */
  private keep(fn: Node, values: readonly Value[], yielded: boolean): boolean {
    const table = yielded ? this.flows.yields : this.flows.returns;
    const known = table.get(fn.id) ?? [];
    const merged = dedupe([...known, ...values.filter(this.tracked)]);
    if (merged.length === known.length) return false;
    table.set(fn.id, merged);
    this.flows.crossUnit = true;
    this.hooks.invalidate();
    return true;
  }
}
