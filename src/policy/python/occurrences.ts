// Occurrences: each occurrence of a name found by text is asked of the tree what it is: a binding (handed
// to the binder), a use (queued on the worklist, to be followed forward), an attribute name (an escape
// attribute is a finding), or nothing (text in a string or comment, a keyword argument's name, an import
// part). A name is classified once per mode: `bindings` (a name resolved on demand) or `full` (a name that
// can reach a sink, whose uses are followed too).
import type { Node } from 'web-tree-sitter';
import type { Binder } from './binder';
import { ESCAPE_ATTRIBUTES, ESCAPE_MESSAGES } from './catalog/names';
import type { Evaluator } from './evaluator';
import { capturedSubject, patternSubject } from './match-captures';
import type { Reports } from './reports';
import {
  attributeRead,
  identifierAt,
  maybeBinding,
  memberAfter,
  occurrencesOf,
  previousChar,
  withTarget,
} from './seeds';
import { inFocus, nodeText, same, type Budget, type Flows, type Source, type Worklist } from './state';
import { TARGET_PATTERNS } from './target-patterns';
import { REEXPORTED_MODULES, isTracked, leadsSomewhere } from './values';

/** A star in an assignment's target: the items after it are not at their place in the value. */
const STARRED = /\*/;
const IMPORT_PARTS = new Set([
  'import_statement',
  'import_from_statement',
  'aliased_import',
  'relative_import',
  'future_import_statement',
]);

export class Occurrences {
  private readonly scanState = new Map<string, 'bindings' | 'full'>();
  /** Uses found while a name was scanned for its bindings only: queued if it is scanned in full later. */
  private readonly pendingUses = new Map<string, Node[]>();

  constructor(
    private readonly source: Source,
    private readonly budget: Budget,
    private readonly worklist: Worklist,
    private readonly flows: Flows,
    private readonly binder: Binder,
    private readonly evaluator: Evaluator,
    private readonly reports: Reports,
  ) {}

  /** Whether the name's uses are followed (it was scanned in `full` mode). */
  scannedInFull(name: string): boolean {
    return this.scanState.get(name) === 'full';
  }

  /**
   * Classifies the occurrences of `name`. In `bindings` mode (a name resolved on demand, for a constant)
   * only those that can be bindings are looked at; `full` mode (a name that can reach a sink) also queues
   * its uses, skipping `X.attr` reads that cannot lead anywhere whatever X is bound to.
   */
  scanName(name: string, mode: 'full' | 'bindings' = 'full'): void {
    const state = this.scanState.get(name);
    if (state === 'full' || state === mode) return;
    this.scanState.set(name, mode);
    const text = this.source.text;
    const deferred: Array<[number, number, string]> = [];
    for (const [offset, length] of occurrencesOf(this.source, name)) {
      if (!this.budget.spend()) return;
      const binding = maybeBinding(text, offset, length);
      if (binding && state === 'bindings') continue; // classified by the first pass
      const focused = inFocus(this.source, offset);
      if (!binding) {
        if (mode === 'bindings' || !focused) continue;
        if (previousChar(text, offset) === '.') {
          if (name in REEXPORTED_MODULES || name === '__getattribute__') {
            this.reexportAt(offset, length);
            continue;
          }
          if (!ESCAPE_ATTRIBUTES.has(name)) continue;
        } else {
          const attribute = memberAfter(text, offset + length);
          if (attribute) {
            deferred.push([offset, length, attribute]);
            continue;
          }
        }
      }
      const node = identifierAt(this.source, offset, length);
      if (node) this.classify(node, name, mode === 'full' && focused, focused);
      else if (mode === 'full' && focused && ESCAPE_ATTRIBUTES.has(name))
        this.reports.escapeNameAt(offset, length);
    }
    if (mode === 'full') {
      for (const use of this.pendingUses.get(name) ?? []) this.worklist.uses.push([use, name]);
      this.pendingUses.delete(name);
    }
    if (deferred.length === 0) return;
    const possible = this.binder.possibleValues(name);
    // `os.path.join` a hundred times: whether `.path` leads anywhere is asked once.
    const leads = new Map<string, boolean>();
    for (const [offset, length, attribute] of deferred) {
      let somewhere = leads.get(attribute);
      if (somewhere === undefined) {
        somewhere = possible.some((value) => leadsSomewhere(value, attribute));
        leads.set(attribute, somewhere);
      }
      if (!somewhere && !this.flows.attributes.has(attribute)) continue;
      const node = identifierAt(this.source, offset, length);
      if (node) this.classify(node, name, true);
    }
  }

  /**
   * `module.os` (any module re-exports the modules it imports), `x.__getattribute__`: followed when the
   * read gives something tracked (a module, getattr).
   */
  private reexportAt(offset: number, length: number): void {
    const read = attributeRead(this.source, offset, length);
    if (!read) return;
    const values = this.evaluator.evalExpr(read);
    if (values.some(isTracked)) this.worklist.expressions.push([read, values]);
  }

  private classify(node: Node, name: string, queueUses = true, focused = true): void {
    const tree = this.source.tree;
    const binder = this.binder;
    const parent = tree.parent(node);
    if (!parent) return;
    switch (parent.type) {
      case 'attribute':
        if (parent.endIndex === node.endIndex && parent.startIndex !== node.startIndex) {
          this.reports.attributeName(node, name);
          return;
        }
        break;
      case 'keyword_argument':
        if (same(parent.childForFieldName('name'), node)) return;
        break;
      case 'function_definition':
        if (same(parent.childForFieldName('name'), node)) {
          // A decorator may replace the function: what it gives (decorators.ts), or anything.
          const decorated = tree.parent(parent);
          if (decorated?.type === 'decorated_definition')
            binder.bind(name, parent, {
              kind: 'assign',
              valueNode: decorated,
              pos: parent.endIndex,
              isFunction: true,
            });
          else
            binder.bind(name, parent, {
              kind: 'value',
              value: [{ k: 'fn', node: parent }],
              pos: parent.endIndex,
              isFunction: true,
            });
          return;
        }
        break;
      case 'class_definition':
        if (same(parent.childForFieldName('name'), node)) {
          // `site`: the class, whose `__init__` and `__enter__` calls of it run (classes.ts).
          const decorated = tree.parent(parent);
          if (decorated?.type === 'decorated_definition')
            binder.bind(name, parent, {
              kind: 'assign',
              valueNode: decorated,
              pos: parent.endIndex,
              site: parent,
            });
          else
            binder.bind(name, parent, {
              kind: 'value',
              value: [{ k: 'class', node: parent, instance: false }],
              pos: parent.endIndex,
              site: parent,
            });
          return;
        }
        break;
      case 'parameters':
      case 'lambda_parameters':
        binder.bind(name, node, { kind: 'param', pos: -1, site: node });
        return;
      case 'default_parameter':
      case 'typed_default_parameter':
        if (same(parent.childForFieldName('name'), node)) {
          // `def f(os=os)`: the parameter most likely holds its default.
          binder.bind(name, node, {
            kind: 'default',
            valueNode: parent.childForFieldName('value'),
            pos: -1,
            site: node,
          });
          return;
        }
        break;
      case 'typed_parameter':
        if (same(parent.firstNamedChild, node)) {
          binder.bind(name, node, { kind: 'param', pos: -1, site: node });
          return;
        }
        break;
      case 'list_splat_pattern':
      case 'dictionary_splat_pattern': {
        const holder = tree.parent(parent);
        // `*args: Any` is a typed parameter around the splat.
        const grand = (holder?.type === 'typed_parameter' ? tree.parent(holder) : holder)?.type;
        if (grand === 'parameters' || grand === 'lambda_parameters') {
          // `*args`, `**kwargs`: a tuple or dict of the arguments passed (parameters.ts, collectingParameter).
          binder.bind(name, node, { kind: 'param', pos: -1, site: node });
          return;
        }
        break;
      }
      case 'global_statement':
        binder.declare('global', name, parent);
        return;
      case 'nonlocal_statement':
        binder.declare('nonlocal', name, parent);
        return;
      case 'dotted_name': {
        const grand = tree.parent(parent);
        if (grand?.type === 'case_pattern') {
          if (parent.namedChildCount === 1) this.bindCapture(name, node);
          return;
        }
        if (grand?.type === 'keyword_pattern' && same(grand.lastNamedChild, parent)) {
          // `case K(a=m):`: m takes the attribute, a part of the subject.
          this.bindCapture(name, node);
          return;
        }
        if (grand && IMPORT_PARTS.has(grand.type)) return;
        break;
      }
      case 'aliased_import':
      case 'import_statement':
      case 'import_from_statement':
      case 'future_import_statement':
      case 'relative_import':
        return;
      case 'as_pattern_target': {
        const pattern = this.source.tree.parent(parent);
        if (pattern?.type === 'as_pattern' && same(withTarget(this.source, pattern), node)) {
          // What the context's `__enter__` gives (context-managers.ts).
          binder.bind(name, node, { kind: 'assign', valueNode: pattern, pos: node.endIndex });
          return;
        }
        binder.bind(name, node, { kind: 'opaque', pos: node.endIndex });
        return;
      }
      case 'splat_pattern':
      case 'case_pattern':
      case 'as_pattern':
        if (
          parent.type === 'as_pattern' &&
          same(parent.lastNamedChild, node) &&
          capturedSubject(tree, node)
        ) {
          this.bindCapture(name, node);
          return;
        }
        if (
          parent.type !== 'case_pattern' &&
          same(parent.lastNamedChild, node) &&
          patternSubject(tree, node)
        ) {
          this.bindCapture(name, node);
          return;
        }
        if (parent.type === 'as_pattern' && !same(parent.childForFieldName('alias'), node)) break;
        binder.bind(name, node, { kind: 'opaque', pos: node.endIndex });
        return;
      case 'keyword_pattern':
        if (same(parent.firstNamedChild, node)) return;
        binder.bind(name, node, { kind: 'opaque', pos: node.endIndex });
        return;
      case 'named_expression':
        if (same(parent.childForFieldName('name'), node)) {
          binder.bind(name, node, {
            kind: 'assign',
            valueNode: parent.childForFieldName('value'),
            pos: parent.endIndex,
            walrus: true,
          });
          return;
        }
        break;
      case 'delete_statement':
        // `del x`: from here on a module or class name is the builtin again (a local is unbound).
        binder.bind(name, node, { kind: 'deleted', pos: parent.endIndex });
        return;
      case 'expression_list':
        if (tree.parent(parent)?.type === 'delete_statement') {
          binder.bind(name, node, { kind: 'deleted', pos: parent.endIndex });
          return;
        }
        break;
      default:
        break;
    }
    if (this.classifyTarget(node, name)) return;
    if (name === '__builtins__')
      this.reports.report('sandbox-escape', node, `__builtins__ ${ESCAPE_MESSAGES.__builtins__}`);
    if (queueUses) this.worklist.queueUse(node, name);
    else if (focused) {
      let pending = this.pendingUses.get(name);
      if (!pending) this.pendingUses.set(name, (pending = []));
      pending.push(node);
    }
  }

  /**
   * A capture in a case pattern: the subject itself for `case m:` and `case ... as m:`; any part of it for
   * a capture nested in the pattern (`case [m]:`, match-captures.ts); unknown outside a match.
   */
  private bindCapture(name: string, node: Node): void {
    const subject = capturedSubject(this.source.tree, node);
    const whole = patternSubject(this.source.tree, node);
    const splat = this.source.tree.parent(node)?.type === 'splat_pattern';
    this.binder.bind(
      name,
      node,
      subject
        ? { kind: 'assign', valueNode: subject, pos: node.endIndex }
        : whole
          ? // `case [_, *ms]:`: ms is a list of parts (`index: -1`).
            { kind: 'parts', valueNode: whole, pos: node.endIndex, index: splat ? -1 : undefined }
          : { kind: 'opaque', pos: node.endIndex },
    );
  }

  /** Assignment, for-loop and comprehension targets, possibly inside tuples and lists. */
  private classifyTarget(node: Node, name: string): boolean {
    const tree = this.source.tree;
    let child = node;
    let ancestor = tree.parent(node);
    let levels = 0;
    let index = -1;
    let arity = 0;
    while (ancestor && TARGET_PATTERNS.has(ancestor.type)) {
      if (levels === 0) {
        const items = ancestor.namedChildren;
        index = items.findIndex((item) => item?.id === child.id);
        arity = items.length;
      }
      levels++;
      child = ancestor;
      ancestor = tree.parent(ancestor);
    }
    if (!ancestor) return false;
    const binder = this.binder;
    switch (ancestor.type) {
      case 'assignment': {
        if (!same(ancestor.childForFieldName('left'), child)) return false;
        const valueNode = ancestor.childForFieldName('right');
        const starred = levels > 0 && STARRED.test(nodeText(this.source, child));
        if (levels === 0) binder.bind(name, node, { kind: 'assign', valueNode, pos: ancestor.endIndex });
        else if (levels === 1 && index >= 0 && child.type !== 'parenthesized_expression' && !starred)
          binder.bind(name, node, { kind: 'unpack', valueNode, index, arity, pos: ancestor.endIndex });
        else {
          // Nested or starred (`a, *rest = xs`, `(a, (b, m)) = xs`): any part; a starred name a list of them.
          const splat =
            tree.parent(node)?.type === 'list_splat_pattern' || tree.parent(node)?.type === 'list_splat';
          binder.bind(name, node, {
            kind: 'parts',
            valueNode,
            pos: ancestor.endIndex,
            index: splat ? -1 : undefined,
          });
        }
        return true;
      }
      case 'augmented_assignment': {
        if (!same(ancestor.childForFieldName('left'), child)) return false;
        const op = ancestor.childForFieldName('operator');
        if (levels === 0 && op)
          binder.bind(name, node, {
            kind: 'augment',
            valueNode: ancestor.childForFieldName('right'),
            op: nodeText(this.source, op).slice(0, -1),
            site: node,
            pos: ancestor.endIndex,
          });
        else binder.bind(name, node, { kind: 'opaque', pos: ancestor.endIndex });
        return true;
      }
      case 'for_statement':
      case 'for_in_clause':
        if (!same(ancestor.childForFieldName('left'), child)) return false;
        // `for i, m in pairs`: the item at the name's place, or any part (nested, starred; loop-targets.ts).
        binder.bind(name, node, {
          kind: 'iterate',
          valueNode: ancestor.childForFieldName('right'),
          pos: child.endIndex,
          // `for f, *rest in rows`: rest is a list of parts (`index: -1`).
          index: tree.parent(node)?.type === 'list_splat_pattern' ? -1 : levels === 1 ? index : undefined,
          arity: levels === 0 ? undefined : arity,
        });
        return true;
      default:
        return false;
    }
  }
}
