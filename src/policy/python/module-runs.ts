// When module code runs a function of the file: at a call by its name (`f()`) or a decorator use (`@f`,
// `@f(...)`, run when the decorated def is executed) in module or class-body code; and, when the call is in
// another function's body, wherever that function runs in turn (module code calls `f()`, which calls `g()`).
// The binder uses it to decide whether a function may run before a later module binding of a name it uses.
import type { Node } from 'web-tree-sitter';
import { identifierAt, occurrencesOf } from './seeds';
import { identName, same, type Source } from './state';

/** How many functions' uses are looked for (one text scan each) before assuming the worst. */
export const MAX_CALL_SCANS = 200;
const MAX_CLIMB = 400;

/** A place that runs a function: module-level code at an offset, or the body of another function. */
type RunSite = { offset: number; runner?: undefined } | { offset: number; runner: Node };

export class ModuleRuns {
  /** The run sites of each function scanned so far (by the def's node id). */
  private readonly sites = new Map<number, RunSite[]>();

  constructor(private readonly source: Source) {}

  /**
   * Offsets of module-level code at which a function may run, directly or through other functions;
   * undefined when that needs more than MAX_CALL_SCANS scans (then it may run anywhere).
   */
  moduleOffsets(fn: Node): number[] | undefined {
    const offsets: number[] = [];
    const seen = new Set<number>([fn.id]);
    const queue = [fn];
    for (let current = queue.pop(); current; current = queue.pop()) {
      const sites = this.runSites(current);
      if (!sites) return undefined;
      for (const site of sites) {
        if (!site.runner) offsets.push(site.offset);
        else if (!seen.has(site.runner.id)) {
          seen.add(site.runner.id);
          queue.push(site.runner);
        }
      }
    }
    return offsets;
  }

  private runSites(fn: Node): RunSite[] | undefined {
    const cached = this.sites.get(fn.id);
    if (cached) return cached;
    if (this.sites.size >= MAX_CALL_SCANS) return undefined;
    const sites: RunSite[] = [];
    const nameNode = fn.childForFieldName('name');
    const name = nameNode ? identName(this.source, nameNode) : undefined;
    for (const [offset, length] of name ? occurrencesOf(this.source, name) : []) {
      const identifier = identifierAt(this.source, offset, length);
      const parent = identifier ? this.source.tree.parent(identifier) : null;
      const called = parent?.type === 'call' && same(parent.childForFieldName('function'), identifier!);
      if (!identifier || !parent || !(called || parent.type === 'decorator')) continue;
      const site = called ? parent : identifier;
      const runner = this.runnerOf(site);
      if (runner !== null)
        sites.push(runner ? { offset: site.startIndex, runner } : { offset: site.startIndex });
    }
    this.sites.set(fn.id, sites);
    return sites;
  }

  /**
   * The function whose body holds a call (undefined: module or class-body code, which runs in place; null:
   * a lambda's body, which runs whenever the lambda is called, unknown here).
   */
  private runnerOf(site: Node): Node | undefined | null {
    let previous = site;
    for (let current = this.source.tree.parent(site), steps = 0; current && steps < MAX_CLIMB; steps++) {
      if (current.type === 'function_definition' && same(current.childForFieldName('body'), previous))
        return current;
      if (current.type === 'lambda' && same(current.childForFieldName('body'), previous)) return null;
      previous = current;
      current = this.source.tree.parent(current);
    }
    return undefined;
  }
}
