// Import and export statements: the module each loads (an import event) and the names it binds
// (`import cp from "child_process"`, `import { exec as run } from "child_process"`, `import fs = require("fs")`).
import type { Node } from 'web-tree-sitter';
import { constString, type Value } from '../shared/value';
import { canonicalJs } from './catalog/names';
import type { Flow } from './flow';
import { PROGRAM } from './scopes';
import { isTracked } from './values';
import { dataUrlModule } from './checks/data-url';

export function importAt(analyzer: Flow, offset: number): void {
  const { tree } = analyzer;
  let keyword = tree.descendantAt(offset, offset + 6);
  if (!keyword || keyword.type !== 'import') return;
  // In `import(x)` the keyword token sits inside a named `import` node.
  const wrapper = tree.parent(keyword);
  if (wrapper?.type === 'import') keyword = wrapper;
  const parent = tree.parent(keyword);
  if (!parent) return;
  if (parent.type === 'call_expression') {
    if (!analyzer.inType(keyword)) analyzer.forward(keyword, [{ k: 'q', q: 'builtins.import' }]);
    return;
  }
  if (parent.type !== 'import_statement') return;
  // `import type ... from "m"` is erased by the compiler: nothing is loaded.
  if (parent.children.some((c) => c?.type === 'type')) return;
  const source = parent.childForFieldName('source');
  const require = parent.namedChildren.find((c) => c?.type === 'import_require_clause');
  const sourceNode = source ?? require?.childForFieldName('source');
  if (!sourceNode) return;
  if (dataUrlModule(analyzer, sourceNode, sourceNode, 'import')) return;
  const module = canonicalJs(constString(analyzer.evalExpr(sourceNode)) ?? '');
  if (!module) return;
  analyzer.imports.push({ module, start: sourceNode.startIndex, end: sourceNode.endIndex, dynamic: false });
  const bindings: Array<[Node, Value]> = [];
  if (require) {
    const name = require.namedChildren.find((c) => c?.type === 'identifier');
    if (name) bindings.push([name, { k: 'q', q: module }]);
  }
  const clause = parent.namedChildren.find((c) => c?.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (!part) continue;
    if (part.type === 'identifier') bindings.push([part, { k: 'q', q: module }]);
    else if (part.type === 'namespace_import') {
      const name = part.namedChildren.find((c) => c?.type === 'identifier');
      if (name) bindings.push([name, { k: 'q', q: module }]);
    } else if (part.type === 'named_imports') {
      for (const specifier of part.namedChildren) {
        if (specifier?.type !== 'import_specifier') continue;
        const imported = specifier.childForFieldName('name');
        const local = specifier.childForFieldName('alias') ?? imported;
        if (imported && local)
          bindings.push([
            local,
            { k: 'q', q: canonicalJs(`${module}.${analyzer.nodeText(imported).replace(/['"]/g, '')}`) },
          ]);
      }
    }
  }
  for (const [node, value] of bindings) {
    const name = analyzer.nodeText(node);
    // Imports are hoisted: bound before any of the module's code runs; assigning to one throws.
    analyzer.pushBinding({
      name,
      chain: [PROGRAM],
      declaration: true,
      kind: 'hoisted',
      pos: 0,
      immutable: true,
      value: [value],
    });
    if (isTracked(value)) analyzer.scanName(name);
  }
}

/** `export { x } from "m"`, `export * from "m"`: the module is loaded like an import. */
export function exportAt(analyzer: Flow, offset: number): void {
  const keyword = analyzer.tree.descendantAt(offset, offset + 6);
  const statement = keyword?.type === 'export' ? analyzer.tree.parent(keyword) : null;
  const source = statement?.type === 'export_statement' ? statement.childForFieldName('source') : null;
  if (!source || statement?.children.some((c) => c?.type === 'type')) return;
  if (dataUrlModule(analyzer, source, source, 'export from')) return;
  const module = canonicalJs(constString(analyzer.evalExpr(source)) ?? '');
  if (module)
    analyzer.imports.push({ module, start: source.startIndex, end: source.endIndex, dynamic: false });
}
