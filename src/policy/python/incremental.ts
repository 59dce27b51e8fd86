// Python analysis of one document across edits: re-check only what an edit can affect.
//
// A function body can bind module-level names only through `global`/`nonlocal`, so an edit inside a
// function (top-level, or a method of a top-level class) that keeps its name and has no such statement
// cannot change what any other code resolves to. Then only that function is re-analysed (its uses; the
// bindings it needs are still read from the whole file) and the previous results elsewhere are kept,
// shifted by the edit's length. Anything else (an edit at module level, in a class body, a renamed def,
// statements merged by a broken indent) is a full re-analysis. Tests check that both paths agree.
import type { Node } from 'web-tree-sitter';
import type { RawAnalysis } from '../findings';
import { PythonAnalyzer, type PythonAnalysisOptions } from './analyzer';

export interface Change {
  /** Offsets of the (single) edit: where it starts, where it ended before and where it ends now. */
  start: number;
  oldEnd: number;
  newEnd: number;
}

/**
 * A statement that can be re-analysed on its own because it binds nothing other code sees: a function
 * (its name aside), an expression statement without `:=` (a call, a docstring), a comment.
 */
interface Unit {
  start: number;
  end: number;
  kind: 'def' | 'class' | 'expression' | 'comment';
  /** The function's or class's name. */
  name?: string;
}

interface Previous {
  text: string;
  raw: RawAnalysis;
  units: Unit[];
  statements: number;
  /** Values flowed between statements (arguments into a function, returns, attribute or container stores). */
  crossUnit: boolean;
}

const DEF_NAME = /^(?:@[^\n]*\n[ \t]*)*(?:async[ \t]+)?def[ \t]+([A-Za-z_][A-Za-z0-9_]*)/;
const CLASS_NAME = /^(?:@[^\n]*\n[ \t]*)*class[ \t]+([A-Za-z_][A-Za-z0-9_]*)/;
const SCOPE_ESCAPES = /\b(?:global|nonlocal)\b/;

function definitionOf(node: Node): Node | null {
  return node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
}

export class PythonIncremental {
  private previous: Previous | undefined;
  /** How the last analysis was done (for tests and the benchmark): a focused re-check or a full pass. */
  lastMode: 'full' | 'focused' = 'full';

  constructor(private readonly options: PythonAnalysisOptions = {}) {}

  analyze(text: string, root: Node, change?: Change): RawAnalysis {
    const children = root.children.filter((child): child is Node => !!child);
    const units = this.units(text, children);
    const focused =
      change && this.previous ? this.focused(this.previous, text, root, children, units, change) : undefined;
    let raw = focused?.raw;
    let crossUnit = focused?.crossUnit ?? false;
    if (!raw) {
      const analyzer = new PythonAnalyzer(text, root, undefined, undefined, this.options);
      raw = analyzer.run();
      crossUnit = analyzer.crossUnit;
    }
    this.lastMode = focused ? 'focused' : 'full';
    this.previous = { text, raw, units, statements: children.length, crossUnit };
    return raw;
  }

  /** Units at the top level and directly in top-level class bodies. */
  private units(text: string, children: Node[]): Unit[] {
    const out: Unit[] = [];
    const add = (node: Node): void => {
      const type = definitionOf(node)?.type;
      const start = node.startIndex;
      const end = node.endIndex;
      if (type === 'function_definition') {
        const match = DEF_NAME.exec(text.slice(start, Math.min(end, start + 2000)));
        if (match) out.push({ start, end, kind: 'def', name: match[1] });
      } else if (node.type === 'expression_statement') {
        if (!text.slice(start, end).includes(':=')) out.push({ start, end, kind: 'expression' });
      } else if (node.type === 'comment') out.push({ start, end, kind: 'comment' });
    };
    for (const child of children) {
      add(child);
      const definition = definitionOf(child);
      if (definition?.type === 'class_definition') {
        // A top-level class binds only its name at module level: its body can be re-analysed as a whole.
        const match = CLASS_NAME.exec(
          text.slice(child.startIndex, Math.min(child.endIndex, child.startIndex + 2000)),
        );
        if (match) out.push({ start: child.startIndex, end: child.endIndex, kind: 'class', name: match[1] });
        for (const member of definition.childForFieldName('body')?.namedChildren ?? [])
          if (member) add(member);
      }
    }
    return out;
  }

  private focused(
    previous: Previous,
    text: string,
    root: Node,
    children: Node[],
    units: Unit[],
    change: Change,
  ): { raw: RawAnalysis; crossUnit: boolean } | undefined {
    if (previous.raw.truncated || previous.crossUnit || children.length !== previous.statements)
      return undefined;
    const delta = change.newEnd - change.oldEnd;
    // The innermost unit around the edit that was the same kind of statement before, ending where it ends
    // now minus the edit (else the edit changed the structure around it).
    const candidates = units
      .filter((u) => u.start <= change.start && change.newEnd <= u.end && u.start < u.end)
      .sort((a, b) => a.end - a.start - (b.end - b.start));
    let unit: Unit | undefined;
    let before: Unit | undefined;
    for (const candidate of candidates) {
      const old = previous.units.find(
        (u) => u.start === candidate.start && u.kind === candidate.kind && u.end === candidate.end - delta,
      );
      if (!old || old.name !== candidate.name) continue;
      if (candidate.kind === 'def' || candidate.kind === 'class') {
        if (SCOPE_ESCAPES.test(text.slice(candidate.start, candidate.end))) continue;
        if (SCOPE_ESCAPES.test(previous.text.slice(old.start, old.end))) continue;
      }
      unit = candidate;
      before = old;
      break;
    }
    if (!unit || !before) return undefined;
    const analyzer = new PythonAnalyzer(
      text,
      root,
      undefined,
      { start: unit.start, end: unit.end },
      this.options,
    );
    const inner = analyzer.run();
    // A value that flows between statements makes the unit's findings depend on code outside it.
    if (inner.truncated || analyzer.crossUnit) return undefined;
    const { start, end } = before;
    const keep = <T extends { start: number; end: number }>(items: readonly T[]): T[] => {
      const out: T[] = [];
      for (const item of items) {
        if (item.start < start) out.push(item);
        else if (item.start >= end) out.push({ ...item, start: item.start + delta, end: item.end + delta });
      }
      return out;
    };
    return {
      raw: {
        findings: [...keep(previous.raw.findings), ...inner.findings],
        imports: [...keep(previous.raw.imports), ...inner.imports],
        embedded: [...keep(previous.raw.embedded ?? []), ...(inner.embedded ?? [])],
        truncated: false,
      },
      crossUnit: false,
    };
  }
}
