// A thread started inside a loop.
import { display } from '../../shared/value';
import { type ArgumentCheck } from './call-site';

export const threadCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  if (site.analyzer.contextOf(site.call).inLoop) {
    out.push({
      rule: site.sink.rule,
      node: site.callee,
      message: `${name} inside a loop can flood the process with threads${site.via}`,
    });
  }
};
