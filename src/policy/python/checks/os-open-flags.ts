// os.open(path, flags): flags that can write, else a read outside the working directory.
import { constNumber, display } from '../../shared/value';
import { argument, pathOf, readOutside, values, type ArgumentCheck } from './call-site';

const OS_OPEN_WRITE_FLAGS = /\bO_(?:WRONLY|RDWR|CREAT|APPEND|TRUNC|EXCL)\b/;

export const osOpenFlagsCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  const flags = argument(site, 1, 'flags');
  const path = pathOf(site, 0, 'path');
  const flagText = flags ? site.analyzer.nodeText(flags) : '';
  const flagValue = constNumber(values(site, flags));
  const writes =
    !flags ||
    OS_OPEN_WRITE_FLAGS.test(flagText) ||
    (typeof flagValue === 'bigint' ? (flagValue & 0x643n) !== 0n : !/\bO_RDONLY\b/.test(flagText));
  if (flags && writes)
    out.push({
      rule: 'file-write',
      node: site.callee,
      message: `${name} opens a file descriptor that can write${site.via}`,
    });
  else readOutside(site, path, out);
};
