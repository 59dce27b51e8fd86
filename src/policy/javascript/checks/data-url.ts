// `data:` URLs that Node runs as code: a Worker's first argument and a module specifier (`import("data:
// text/javascript,...")`, `import "data:..."`). Given as a string, its constant start (`"data:..." + code`,
// `` `data:...${code}` ``) or `new URL("data:...")`; when the whole URL is constant, its text (percent- or
// base64-decoded) is analysed as part of the file.
import type { Node } from 'web-tree-sitter';
import { constString } from '../../shared/value';
import type { JsModel } from '../model';

const DATA = /^\s*data:/i;

/** The text of a `data:` URL given as a string (or its start) or as `new URL("data:...")`. */
export function dataUrl(analyzer: JsModel, node: Node): string | undefined {
  let target = node;
  if (
    node.type === 'new_expression' &&
    analyzer.nodeText(node.childForFieldName('constructor') ?? node) === 'URL'
  ) {
    const inner = node.childForFieldName('arguments')?.namedChildren[0];
    if (!inner) return undefined;
    target = inner;
  }
  const whole = constString(analyzer.evalExpr(target));
  if (whole !== undefined) return DATA.test(whole) ? whole : undefined;
  while (target.type === 'binary_expression' && target.childForFieldName('left'))
    target = target.childForFieldName('left')!;
  if (target.type === 'template_string' && /^`\s*data:/i.test(analyzer.nodeText(target)))
    return analyzer.nodeText(target);
  const start = constString(analyzer.evalExpr(target));
  return start !== undefined && DATA.test(start) ? start : undefined;
}

/** The code a constant `data:` URL holds (`data:text/javascript;base64,...` decoded), if it can be read. */
export function dataUrlCode(url: string): string | undefined {
  const comma = url.indexOf(',');
  if (comma < 0) return undefined;
  const body = url.slice(comma + 1);
  try {
    return /;base64$/i.test(url.slice(0, comma).trim()) ? atob(body) : decodeURIComponent(body);
  } catch {
    return undefined;
  }
}

/**
 * A module specifier that is a `data:` URL: reported as code run from the URL's text, which is analysed
 * too when the whole URL is a constant. Returns whether it was one.
 */
export function dataUrlModule(analyzer: JsModel, specifier: Node, at: Node, what: string): boolean {
  const url = dataUrl(analyzer, specifier);
  if (url === undefined) return false;
  analyzer.report('dynamic-code', at, `${what} of a data: URL runs the URL's text as code`);
  const whole = constString(analyzer.evalExpr(specifier));
  const code = whole === undefined ? undefined : dataUrlCode(whole);
  if (code?.trim())
    analyzer.embedded.push({
      language: 'javascript',
      code,
      start: at.startIndex,
      end: at.endIndex,
      via: what,
    });
  return true;
}
