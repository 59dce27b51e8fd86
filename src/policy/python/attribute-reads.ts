// Where an attribute stored by name (flow.ts `storeAttribute`: `obj.m = os`, a record's field, setattr) is
// read: `x.m` anywhere in the file (a store to `x.m` is no read), and `getattr(x, "m")` (with a default or
// not) naming it in a constant string. Attributes are followed by name, whatever the object.
import type { Node } from 'web-tree-sitter';
import type { CallEvaluation } from './model';
import { attributeRead, occurrencesOf, previousChar } from './seeds';
import { inFocus, type Budget, type Source } from './state';

/** The expressions that read the attribute: the `x.m` attribute nodes and the `getattr(x, "m")` calls. */
export function attributeReads(
  source: Source,
  budget: Budget,
  ev: CallEvaluation,
  attribute: string,
): Node[] {
  const out: Node[] = [];
  for (const [offset, length] of occurrencesOf(source, attribute)) {
    if (!budget.spend()) break;
    if (!inFocus(source, offset)) continue;
    const before = previousChar(source.text, offset);
    const read =
      before === '.'
        ? attributeRead(source, offset, length)
        : before === '"' || before === "'"
          ? getattrCall(source, ev, offset, length)
          : undefined;
    if (read) out.push(read);
  }
  return out;
}

/** `getattr(x, "m")` whose name string is exactly the occurrence. */
function getattrCall(source: Source, ev: CallEvaluation, offset: number, length: number): Node | undefined {
  let string = source.tree.descendantAt(offset, offset + length);
  while (string && string.type !== 'string' && string.endIndex - string.startIndex <= length + 2)
    string = source.tree.parent(string);
  if (
    string?.type !== 'string' ||
    string.startIndex !== offset - 1 ||
    string.endIndex !== offset + length + 1
  )
    return undefined;
  const list = source.tree.parent(string);
  const call = list?.type === 'argument_list' ? source.tree.parent(list) : null;
  if (call?.type !== 'call' || ev.argumentsOf(call).positional[1]?.id !== string.id) return undefined;
  const fn = call.childForFieldName('function');
  return ev.evalExpr(fn).some((v) => v.k === 'q' && v.q === 'builtins.getattr') ? call : undefined;
}
