// bytearray(n) / bytes(n) of more than 100 MB.
import { HUGE_SIZE } from '../../shared/judgments';
import { constNumber, display } from '../../shared/value';
import { values, type ArgumentCheck } from './call-site';

export const allocCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const size =
    site.args.positional.length === 1 ? constNumber(values(site, site.args.positional[0])) : undefined;
  if (size === 'huge' || (typeof size === 'bigint' && size > HUGE_SIZE)) {
    out.push({ rule: 'resource-exhaustion', node: site.call, message: `${name} of more than 100 MB` });
  }
};
