// Exceptions carry what they are built with: `E(os)` keeps os in `.args` wherever the exception is raised
// from (`err = E(os); raise err`, `raise E(os).with_traceback(tb)`), and `raise X from os` in `.__cause__`.
// An `except E as e:` reads them back (`e.args[0]`, `e.__cause__`). flow.ts stores the value under the
// attribute's name, as it does for `self.m = m`.
import type { Node } from 'web-tree-sitter';
import type { Binder } from './binder';
import { classesNamed } from './classes';
import { identName, nodeText, type Source } from './state';

/** Names of exception classes: the builtins' and the usual spelling of user-defined ones. */
const EXCEPTION_NAME = /^(?:[A-Z]\w*)?(?:Error|Exception|Warning|Exit|Interrupt|Iteration)$/;
/** How many classes of the file are climbed to find an exception base. */
const MAX_BASES = 4;

/** Whether a call builds an exception: raised where it stands, or a class that is one by name or base. */
export function buildsException(source: Source, binder: Binder, callee: Node, call: Node): boolean {
  if (source.tree.parent(call)?.type === 'raise_statement') return true;
  return isExceptionClass(source, binder, callee, 0);
}

function isExceptionClass(source: Source, binder: Binder, node: Node, depth: number): boolean {
  const name =
    node.type === 'identifier'
      ? identName(source, node)
      : node.type === 'attribute'
        ? nodeText(source, node.childForFieldName('attribute') ?? node)
        : '';
  if (EXCEPTION_NAME.test(name)) return true;
  if (depth >= MAX_BASES) return false;
  for (const cls of classesNamed(source, binder, node))
    for (const base of cls.childForFieldName('superclasses')?.namedChildren ?? [])
      if (base && isExceptionClass(source, binder, base, depth + 1)) return true;
  return false;
}
