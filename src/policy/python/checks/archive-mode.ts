// tarfile.open / zipfile.ZipFile: a mode that writes (or is computed).
import { quote } from '../../shared/judgments';
import { constStrings, display } from '../../shared/value';
import { argument, values, type ArgumentCheck } from './call-site';

export const archiveModeCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const node = argument(site, 1, 'mode');
  const modes = node ? constStrings(values(site, node)) : site.args.splat ? undefined : ['r'];
  const writing = modes?.find((mode) => /^[wax]/.test(mode));
  if (!modes || writing) {
    out.push({
      rule: 'file-write',
      node: site.callee,
      message: writing
        ? `${name} opens an archive for writing (mode ${quote(writing)})${site.via}`
        : `${name} opens an archive with a mode computed at run time (may write)${site.via}`,
    });
  }
};
