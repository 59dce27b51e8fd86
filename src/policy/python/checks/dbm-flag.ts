// dbm.open(file, flag): a flag that creates or writes the database ("c", "n", "w"), or one computed at run time.
import { quote } from '../../shared/judgments';
import { constStrings, display } from '../../shared/value';
import { argument, values, type ArgumentCheck } from './call-site';

export const dbmFlagCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const node = argument(site, 1, 'flag');
  const flags = node ? constStrings(values(site, node)) : site.args.splat ? undefined : ['r'];
  const writing = flags?.find((flag) => /^[cnw]/.test(flag));
  if (!flags || writing) {
    out.push({
      rule: 'file-write',
      node: site.callee,
      message: writing
        ? `${name} opens a database file for writing (flag ${quote(writing)})${site.via}`
        : `${name} opens a database file with a flag computed at run time (may write)${site.via}`,
    });
  }
};
