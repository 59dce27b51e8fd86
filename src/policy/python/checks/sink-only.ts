// The sink itself: a call is a finding whatever its arguments.
import { baseFinding, type ArgumentCheck } from './call-site';

export const sinkOnlyCheck: ArgumentCheck = (site, out) => {
  out.push(baseFinding(site));
};
