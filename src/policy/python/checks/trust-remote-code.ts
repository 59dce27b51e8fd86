// Hugging Face loaders with `trust_remote_code=True` download Python files from the model or dataset
// repository and import them: code from the hub runs in this process. Without the flag (or with it false)
// they only read weights and configuration, and nothing is reported.
import { display, truthy } from '../../shared/value';
import { keywordValues, type ArgumentCheck } from './call-site';

export const trustRemoteCodeCheck: ArgumentCheck = (site, out) => {
  const flag = keywordValues(site, 'trust_remote_code');
  if (!flag) return;
  const known = flag.values.map(truthy);
  if (known.length > 0 && known.every((t) => t === false)) return;
  const computed = known.length === 0 || known.some((t) => t === undefined);
  out.push({
    rule: site.sink.rule,
    node: flag.node,
    message: `${display(site.q)} with trust_remote_code${computed ? ' computed at run time may run' : '=True runs'} Python code downloaded from the hub${site.via}`,
  });
};
