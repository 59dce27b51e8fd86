// shutil.copy*(src, dst): the destination is a write (the sink), the source a read.
import { constString } from '../../shared/value';
import { argument, baseFinding, readOutside, values, type ArgumentCheck } from './call-site';

export const copyCheck: ArgumentCheck = (site, out) => {
  out.push(baseFinding(site));
  readOutside(site, constString(values(site, argument(site, 0, 'src'))), out);
};
