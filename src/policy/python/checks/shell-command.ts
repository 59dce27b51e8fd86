// Always a shell: the sink and a destructive command line.
import { argument, baseFinding, destructive, type ArgumentCheck } from './call-site';

export const shellCommandCheck: ArgumentCheck = (site, out) => {
  out.push(baseFinding(site));
  destructive(site, argument(site, 0, 'cmd', 'command', 'program'), out);
};
