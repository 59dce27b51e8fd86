// numpy.load with allow_pickle that is (or may be) true.
import { display, truthy } from '../../shared/value';
import { values, type ArgumentCheck } from './call-site';

export const allowPickleCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const flag = site.args.keywords.get('allow_pickle');
  if (
    flag &&
    values(site, flag)
      .map(truthy)
      .some((t) => t !== false)
  ) {
    out.push({
      rule: site.sink.rule,
      node: site.callee,
      message: `${name} with allow_pickle=True unpickles data that can run code${site.via}`,
    });
  }
};
