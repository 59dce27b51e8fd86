// A subprocess: the sink, a shell flag that is (or may be) true, a destructive command line.
import { argument, baseFinding, destructive, shellFlag, type ArgumentCheck } from './call-site';

export const subprocessCheck: ArgumentCheck = (site, out) => {
  out.push(baseFinding(site));
  shellFlag(site, out);
  destructive(site, argument(site, 0, 'args', 'argv', 'program', 'file', 'path'), out);
};
