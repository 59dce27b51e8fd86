// Resource exhaustion found from the text: `while` loops that never end (checks/while-loop.ts) and
// numbers or repeats too big to compute (`10**10**10`, `[0] * 10**9`, `range(10**12)`), found from the
// operators and long literals that make them.
import type { Node } from 'web-tree-sitter';
import { HUGE_SIZE } from '../shared/judgments';
import { checkWhileLoop } from './checks/while-loop';
import { evalBinary } from './constants';
import type { Evaluator } from './evaluator';
import type { PythonModel } from './model';
import type { Reports } from './reports';
import { NUMERIC_SEEDS } from './seeds';
import { inFocus, nodeText, type Budget, type Source } from './state';

const SEQUENCE_LITERALS = new Set(['string', 'concatenated_string', 'list', 'tuple', 'list_comprehension']);

export class Resources {
  constructor(
    private readonly source: Source,
    private readonly budget: Budget,
    private readonly evaluator: Evaluator,
    private readonly reports: Reports,
    private readonly model: PythonModel,
  ) {}

  /** The `while` loop whose keyword is at an offset. */
  whileAt(offset: number): void {
    if (!inFocus(this.source, offset)) return;
    const tree = this.source.tree;
    const keyword = tree.descendantAt(offset, offset + 5);
    const loop = keyword?.type === 'while' ? tree.parent(keyword) : null;
    if (!loop || loop.type !== 'while_statement') return;
    const finding = checkWhileLoop(this.model, loop);
    if (finding) this.reports.report('resource-exhaustion', finding.node, finding.message);
  }

  /** Every arithmetic expression around a numeric seed, and the call it is an argument of. */
  numericSeeds(): void {
    const { text, tree, focus } = this.source;
    const ev = this.evaluator;
    NUMERIC_SEEDS.lastIndex = focus?.start ?? 0;
    const seen = new Set<number>();
    for (let m = NUMERIC_SEEDS.exec(text); m !== null; m = NUMERIC_SEEDS.exec(text)) {
      if (focus && m.index >= focus.end) return;
      if (!this.budget.spend()) return;
      const token = tree.descendantAt(m.index, m.index + m[0].length);
      if (!token) continue;
      let node: Node | null =
        token.type === '**' || token.type === '<<'
          ? tree.parent(token)
          : token.type === 'integer' || token.type === 'float'
            ? token
            : null;
      if (!node || (node.type !== 'binary_operator' && node.type !== 'integer' && node.type !== 'float'))
        continue;
      // The largest arithmetic expression around the number.
      for (
        let parent = tree.parent(node), steps = 0;
        parent && steps < 50;
        parent = tree.parent(parent), steps++
      ) {
        // `int(1e10)`: the integer made of the number.
        const call = parent.type === 'argument_list' ? tree.parent(parent) : null;
        if (call?.type === 'call' && parent.namedChildCount === 1 && this.isIntCall(call)) {
          node = call;
          parent = call;
          continue;
        }
        if (
          parent.type !== 'binary_operator' &&
          parent.type !== 'parenthesized_expression' &&
          parent.type !== 'unary_operator'
        )
          break;
        node = parent;
      }
      if (seen.has(node.id)) continue;
      seen.add(node.id);
      this.checkHugeExpression(node);
      // A huge argument: range(10**12), bytearray(10**10), pow(2, 10**10).
      const args = tree.parent(node);
      const call = args ? tree.parent(args) : null;
      const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
      if (args?.type === 'argument_list' && call && fn) {
        const callees = ev.evalExpr(fn);
        this.reports.checkSinks(callees, fn, call, 'call');
        if (callees.some((v) => v.k === 'q' && v.q === 'builtins.pow')) {
          const [base, exponent] = ev.argumentsOf(call).positional;
          const value = base && exponent ? evalBinary('**', ev.evalExpr(base), ev.evalExpr(exponent)) : [];
          if (value.length === 1 && value[0].k === 'num' && value[0].huge) {
            this.reports.report('resource-exhaustion', call, 'computes a number with millions of digits');
          }
        }
      }
    }
  }

  private isIntCall(call: Node): boolean {
    const fn = call.childForFieldName('function');
    return !!fn && this.evaluator.evalExpr(fn).some((v) => v.k === 'q' && v.q === 'builtins.int');
  }

  private checkHugeExpression(node: Node): void {
    // Walk the arithmetic expression iteratively, looking at every `*` and `**`.
    const stack: Node[] = [node];
    for (let visited = 0; stack.length > 0 && visited < 200; visited++) {
      const current = stack.pop()!;
      if (current.type === 'parenthesized_expression' || current.type === 'unary_operator') {
        const inner = current.firstNamedChild;
        if (inner) stack.push(inner);
        continue;
      }
      if (current.type !== 'binary_operator') continue;
      const op = current.childForFieldName('operator');
      const left = current.childForFieldName('left');
      const right = current.childForFieldName('right');
      if (!op || !left || !right) continue;
      const symbol = nodeText(this.source, op);
      if (symbol === '**') {
        const value = this.evaluator.evalExpr(current);
        if (value.length === 1 && value[0].k === 'num' && value[0].huge) {
          this.reports.report('resource-exhaustion', current, 'computes a number with millions of digits');
          continue;
        }
      } else if (symbol === '*') {
        for (const [sequence, count] of [
          [left, right],
          [right, left],
        ]) {
          if (!SEQUENCE_LITERALS.has(sequence.type)) continue;
          const n = this.evaluator.evalExpr(count);
          if (n.length === 1 && n[0].k === 'num' && (n[0].huge || n[0].v > HUGE_SIZE)) {
            this.reports.report(
              'resource-exhaustion',
              current,
              'repeats a sequence more than 100 million times',
            );
          }
        }
      }
      stack.push(left, right);
    }
  }
}
