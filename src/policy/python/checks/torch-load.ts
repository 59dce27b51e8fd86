// torch.load without weights_only=True.
import { display, truthy } from '../../shared/value';
import { values, type ArgumentCheck } from './call-site';

export const torchLoadCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const flag = site.args.keywords.get('weights_only');
  if (
    !flag ||
    values(site, flag)
      .map(truthy)
      .some((t) => t !== true)
  ) {
    out.push({
      rule: site.sink.rule,
      node: site.callee,
      message: `${name} without weights_only=True unpickles data that can run code${site.via}`,
    });
  }
};
