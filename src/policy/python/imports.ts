// Imports: each `import` statement found by text binds its names to the modules they hold (before any
// name is resolved), records the import for the policy's module lists, and has a tracked module's name
// scanned in full.
import type { Node } from 'web-tree-sitter';
import { nfkc } from '../text';
import { OPAQUE, type Value } from '../shared/value';
import type { Binder } from './binder';
import { starExports } from './catalog/sinks';
import type { Occurrences } from './occurrences';
import { identName, nodeText, type Output, type Source } from './state';
import { canonical, isTracked, topModule } from './values';

export class Imports {
  private readonly processed = new Set<number>();

  constructor(
    private readonly source: Source,
    private readonly output: Output,
    private readonly binder: Binder,
    private readonly occurrences: Occurrences,
  ) {}

  /** The import statement whose `import` keyword is at an offset, if it is one. */
  importAt(offset: number): void {
    const tree = this.source.tree;
    const keyword = tree.descendantAt(offset, offset + 6);
    if (!keyword || keyword.type !== 'import') return;
    const statement = tree.parent(keyword);
    if (!statement || this.processed.has(statement.id)) return;
    this.processed.add(statement.id);
    if (statement.type === 'import_statement') this.importStatement(statement);
    else if (statement.type === 'import_from_statement') this.importFrom(statement);
  }

  private dotted(node: Node): string {
    return nodeText(this.source, node).replace(/\s+/g, '').split('.').map(nfkc).join('.');
  }

  private importStatement(statement: Node): void {
    for (const child of statement.namedChildren) {
      if (!child) continue;
      if (child.type === 'dotted_name') {
        const module = this.dotted(child);
        this.output.imports.push({ module, start: child.startIndex, end: child.endIndex, dynamic: false });
        const top = topModule(module);
        this.importBinding(top, statement, { k: 'q', q: canonical(top) });
      } else if (child.type === 'aliased_import') {
        const name = child.childForFieldName('name');
        const alias = child.childForFieldName('alias');
        if (!name || !alias) continue;
        const module = this.dotted(name);
        this.output.imports.push({ module, start: name.startIndex, end: name.endIndex, dynamic: false });
        this.importBinding(identName(this.source, alias), statement, { k: 'q', q: canonical(module) });
      }
    }
  }

  private importFrom(statement: Node): void {
    const moduleNode = statement.childForFieldName('module_name');
    if (!moduleNode) return;
    const relative = moduleNode.type === 'relative_import';
    const module = relative ? '' : this.dotted(moduleNode);
    if (!relative)
      this.output.imports.push({
        module,
        start: moduleNode.startIndex,
        end: moduleNode.endIndex,
        dynamic: false,
      });
    for (const child of statement.namedChildren) {
      if (!child || child.id === moduleNode.id) continue;
      if (child.type === 'wildcard_import') {
        if (relative) continue;
        const base = canonical(module);
        for (const name of starExports(base))
          this.importBinding(name, statement, { k: 'q', q: canonical(`${base}.${name}`) });
      } else if (child.type === 'dotted_name' || child.type === 'aliased_import') {
        const nameNode = child.type === 'aliased_import' ? child.childForFieldName('name') : child;
        const aliasNode = child.type === 'aliased_import' ? child.childForFieldName('alias') : child;
        if (!nameNode || !aliasNode) continue;
        const imported = this.dotted(nameNode);
        const value: Value = relative ? OPAQUE : { k: 'q', q: canonical(`${module}.${imported}`) };
        this.importBinding(identName(this.source, aliasNode), statement, value);
      }
    }
  }

  private importBinding(name: string, statement: Node, value: Value): void {
    this.binder.bind(name, statement, { kind: 'value', value: [value], pos: statement.endIndex });
    if (isTracked(value)) this.occurrences.scanName(name);
  }
}
