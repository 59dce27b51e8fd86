// open() and friends: a mode that writes (or is computed), else a read outside the working directory.
import { quote } from '../../shared/judgments';
import { display } from '../../shared/value';
import { openMode, pathOf, readOutside, type ArgumentCheck } from './call-site';

export const openModeCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const mode = openMode(site);
  const path = pathOf(site, 0, 'file', 'filename', 'name');
  const where = path !== undefined ? ` ${quote(path)}` : '';
  if (mode.kind === 'write') {
    out.push({
      rule: 'file-write',
      node: site.callee,
      message: `${name} opens${where} for writing (mode ${quote(mode.mode!)})${site.via}`,
    });
  } else if (mode.kind === 'unknown') {
    out.push({
      rule: 'file-write',
      node: site.callee,
      message: `${name} opens${where} with a mode computed at run time (may write)${site.via}`,
    });
  } else readOutside(site, path, out);
};
