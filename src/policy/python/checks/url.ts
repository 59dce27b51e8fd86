// A URL fetch: the request itself, and a file: (or Python 2's local_file:) URL read as a file.
import { isOutsideWorkdir, quote } from '../../shared/judgments';
import { constStrings, display } from '../../shared/value';
import { argument, baseFinding, values, type ArgumentCheck } from './call-site';

const FILE_URL = /^\s*(?:file|local[_-]file):(.*)$/is;

/** The local path a file: URL names (`file:///etc/passwd`, `file://localhost/etc/passwd`), if it is one. */
export function fileUrlPath(url: string): string | undefined {
  const match = FILE_URL.exec(url);
  if (!match) return undefined;
  let rest = match[1];
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    rest = slash === -1 ? '' : rest.slice(slash);
  }
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // A malformed escape: urllib keeps the text as it is.
  }
  return rest;
}

export const urlCheck: ArgumentCheck = (site, out) => {
  out.push(baseFinding(site));
  const urls = constStrings(values(site, argument(site, 0, 'url', 'fullurl')));
  for (const url of urls ?? []) {
    const path = fileUrlPath(url);
    if (path === undefined || !isOutsideWorkdir(path)) continue;
    out.push({
      rule: 'read-outside-workdir',
      node: site.callee,
      message: `${display(site.q)} reads ${quote(path)} through a file URL, outside the working directory${site.via}`,
    });
    return;
  }
};
