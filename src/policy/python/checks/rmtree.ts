// shutil.rmtree: the sink, and a recursive deletion of the root or a system folder.
import { isRootPath, quote } from '../../shared/judgments';
import { constString } from '../../shared/value';
import { argument, baseFinding, values, type ArgumentCheck } from './call-site';

export const rmtreeCheck: ArgumentCheck = (site, out) => {
  out.push(baseFinding(site));
  const target = argument(site, 0, 'path');
  const path = constString(values(site, target));
  if (target && path !== undefined && isRootPath(path)) {
    out.push({
      rule: 'destructive-command',
      node: target,
      message: `deletes ${quote(path)} recursively`,
    });
  }
};
