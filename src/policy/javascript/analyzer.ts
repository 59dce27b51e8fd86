// JavaScript and TypeScript analysis by name resolution, in the same style as the Python analyzer: start
// from occurrences of the names that matter, ask the tree what each one is, follow values through
// `require`/`import` (with `node:` prefixes, destructuring and aliases), member and computed-member
// access, calls and constant strings, and report what they reach. The work is split by role:
// seeds.ts (where it starts), binder.ts (bindings and uses), evaluator.ts (values), sinks.ts and
// checks/ (findings), flow.ts (following values forward), imports.ts, detectors.ts and loops.ts.
import type { Node } from 'web-tree-sitter';
import type { RawAnalysis } from '../findings';
import type { ParentIndex } from '../tree';
import { traceUse } from '../shared/trace';
import { callerRead, constructorChain, globalThisAt, hugeString } from './detectors';
import { Flow } from './flow';
import { exportAt, importAt } from './imports';
import { loopAt } from './loops';
import { KEYWORD_SEEDS, SEEDS } from './seeds';
import { cutsMatter } from '../shared/cuts';
import { isTracked } from './values';
import { anyWrapperArguments } from './wrapper-arguments';

/** The keyword seeds, which lead nowhere by themselves where the evaluation cut something off. */
const KEYWORD_SEED_SET: ReadonlySet<string> = new Set(KEYWORD_SEEDS);

export function analyzeScript(text: string, root: Node, tree?: ParentIndex): RawAnalysis {
  return new ScriptAnalyzer(text, root, tree).run();
}

export class ScriptAnalyzer extends Flow {
  run(): RawAnalysis {
    this.seeds = SEEDS.scan(this.text);
    for (const offset of this.seeds.get('import') ?? []) importAt(this, offset);
    for (const offset of this.seeds.get('export') ?? []) exportAt(this, offset);
    for (const name of this.seeds.keys()) {
      if (!KEYWORD_SEEDS.includes(name)) this.scanName(name);
    }
    for (const offset of this.seeds.get('constructor') ?? []) constructorChain(this, offset);
    for (const offset of this.seeds.get('caller') ?? []) callerRead(this, offset);
    for (const offset of this.seeds.get('this') ?? []) globalThisAt(this, offset);
    // A CommonJS file's own `arguments` (its wrapper's: require, module); a function's are never followed.
    if (anyWrapperArguments(this.tree, this.seeds.get('arguments') ?? [])) this.scanName('arguments');
    for (const name of ['repeat', 'padStart', 'padEnd'])
      for (const offset of this.seeds.get(name) ?? []) hugeString(this, offset, name);
    while (this.uses.length > 0 && !this.truncated) {
      const [node, name] = this.uses.pop()!;
      const values = this.resolveUse(node, name);
      if (values.some(this.live)) this.liveUses.push(node.startIndex);
      if (this.tracer) traceUse(this.tracer, this.text, node, name, values, values.some(isTracked));
      this.forward(node, values);
    }
    for (const keyword of ['while', 'for', 'do']) {
      for (const offset of this.seeds.get(keyword) ?? []) loopAt(this, offset, keyword);
    }
    return {
      findings: this.reporter.findings(),
      imports: this.imports,
      embedded: this.embedded,
      // The evaluation's depth limit may have dropped a dangerous value (cuts.ts).
      truncated:
        this.truncated ||
        cutsMatter(this.memo, {
          seeds: this.seeds,
          keywords: KEYWORD_SEED_SET,
          trackedUses: this.liveUses,
        }),
    };
  }
}
