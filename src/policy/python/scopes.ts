// Scopes: the scope chain of a node (module, function, lambda, class, comprehension) and whether it runs
// conditionally or in a loop, found by climbing the tree. Each `block` is climbed through once per tree:
// its context is cached, and a node's climb stops at the nearest block.
import type { Node } from 'web-tree-sitter';
import type { ParentIndex } from '../tree';
import { same, type Context, type Scope } from './state';

const MAX_CLIMB = 400;

export const COMPREHENSIONS = new Set([
  'list_comprehension',
  'set_comprehension',
  'dictionary_comprehension',
  'generator_expression',
]);
/** Statements and clauses under which code runs conditionally. */
export const CONDITIONAL_PARENTS = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'match_statement',
  'case_clause',
]);

interface Segment {
  scopes: Scope[];
  conditional: boolean;
  inLoop: boolean;
  sawFunction: boolean;
  /** The enclosing block the climb stopped at; null at the module. */
  block: Node | null;
}

const MODULE_CONTEXT: Context = { scopes: [{ key: 0, kind: 'module' }], conditional: false, inLoop: false };
/** Module code that may run again after code further down (a notebook's cells): as if in a loop. */
const REPEATED_MODULE_CONTEXT: Context = { ...MODULE_CONTEXT, inLoop: true };

/** A context from the part of the climb below a block and the block's own context. */
function mergeContext(segment: Segment, outer: Context): Context {
  return {
    scopes: segment.scopes.length ? [...segment.scopes, ...outer.scopes] : outer.scopes,
    conditional: segment.scopes.length ? segment.conditional : segment.conditional || outer.conditional,
    inLoop: segment.sawFunction ? segment.inLoop : segment.inLoop || outer.inLoop,
  };
}

export class Scopes {
  private readonly cache = new Map<number, Context>();

  constructor(
    private readonly tree: ParentIndex,
    /** Module code may run again after later module code (a notebook's cells, re-run in any order). */
    private readonly moduleCodeRepeats = false,
  ) {}

  /**
   * Scope chain and block context of a node. The climb stops at the nearest `block`, whose own context is
   * cached, so each block is climbed through once per tree (and without recursion, however deep).
   */
  contextOf(node: Node): Context {
    const cached = this.cache.get(node.id);
    if (cached) return cached;
    const own = this.climbSegment(node);
    const chain: Array<[Node, Segment]> = [];
    let block = own.block;
    while (block && !this.cache.has(block.id)) {
      const segment = this.climbSegment(block);
      chain.push([block, segment]);
      block = segment.block;
    }
    let base: Context = block
      ? this.cache.get(block.id)!
      : this.moduleCodeRepeats
        ? REPEATED_MODULE_CONTEXT
        : MODULE_CONTEXT;
    for (let i = chain.length - 1; i >= 0; i--) {
      base = mergeContext(chain[i][1], base);
      this.cache.set(chain[i][0].id, base);
    }
    const context = mergeContext(own, base);
    this.cache.set(node.id, context);
    return context;
  }

  /** The function (or lambda) a node is in, within its class or module. */
  enclosingFunction(node: Node): Node | undefined {
    for (let current = this.tree.parent(node), steps = 0; current && steps < MAX_CLIMB; steps++) {
      if (current.type === 'function_definition' || current.type === 'lambda') return current;
      if (current.type === 'class_definition' || current.type === 'module') return undefined;
      current = this.tree.parent(current);
    }
    return undefined;
  }

  /** Climbs from a node to the nearest enclosing `block` (or the module), noting scopes and conditions passed. */
  private climbSegment(node: Node): Segment {
    const segment: Segment = {
      scopes: [],
      conditional: false,
      inLoop: false,
      sawFunction: false,
      block: null,
    };
    let outerParameter = false;
    let fromComprehensionIterable = false;
    let previous = node;
    let current = this.tree.parent(node);
    for (let steps = 0; current && steps < MAX_CLIMB; steps++) {
      const type = current.type;
      if (type === 'module') return segment;
      if (type === 'block') {
        segment.block = current;
        return segment;
      }
      switch (type) {
        case 'function_definition':
        case 'lambda': {
          const body = current.childForFieldName('body');
          const params = current.childForFieldName('parameters');
          if (same(body, previous) || (same(params, previous) && !outerParameter)) {
            segment.scopes.push({ key: current.id, kind: type === 'lambda' ? 'lambda' : 'function' });
            segment.sawFunction = true;
          }
          outerParameter = false;
          break;
        }
        case 'class_definition':
          if (same(current.childForFieldName('body'), previous))
            segment.scopes.push({ key: current.id, kind: 'class' });
          break;
        case 'default_parameter':
        case 'typed_default_parameter':
          if (same(current.childForFieldName('value'), previous)) outerParameter = true;
          break;
        case 'type':
          // An annotation is evaluated where the def runs; the typed parameter's name is the function's.
          outerParameter = true;
          break;
        case 'for_in_clause': {
          const right = current.childForFieldName('right');
          fromComprehensionIterable = !!right && previous.startIndex >= right.startIndex;
          break;
        }
        case 'for_statement':
        case 'while_statement':
          if (!segment.sawFunction && same(current.childForFieldName('body'), previous))
            segment.inLoop = true;
          break;
        default:
          if (COMPREHENSIONS.has(type)) {
            const first = previous.type === 'for_in_clause' && isFirstForIn(current, previous);
            if (!(first && fromComprehensionIterable)) {
              segment.scopes.push({ key: current.id, kind: 'comprehension' });
              if (!segment.sawFunction) segment.inLoop = true;
            }
            fromComprehensionIterable = false;
          }
      }
      if (segment.scopes.length === 0 && CONDITIONAL_PARENTS.has(type)) segment.conditional = true;
      previous = current;
      current = this.tree.parent(current);
    }
    return segment;
  }
}

function isFirstForIn(comprehension: Node, clause: Node): boolean {
  for (const child of comprehension.namedChildren) {
    if (child?.type === 'for_in_clause') return child.id === clause.id;
  }
  return false;
}
