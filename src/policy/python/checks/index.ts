// The argument checks, one per CallCheck of the sink catalog (catalog/sinks.ts) plus `none` for sinks
// without one. The map is exhaustive: a CallCheck without an entry does not compile.
import type { CallCheck } from '../catalog/sinks';
import type { ArgumentCheck, CallFinding, CallSite } from './call-site';
import { sinkOnlyCheck } from './sink-only';
import { subprocessCheck } from './subprocess';
import { shellCommandCheck } from './shell-command';
import { openModeCheck } from './open-mode';
import { osOpenFlagsCheck } from './os-open-flags';
import { readPathCheck } from './read-path';
import { copyCheck } from './copy';
import { rmtreeCheck } from './rmtree';
import { archiveModeCheck } from './archive-mode';
import { dbmFlagCheck } from './dbm-flag';
import { doctestCheck } from './doctest';
import { yamlLoadCheck } from './yaml-load';
import { allowPickleCheck } from './allow-pickle';
import { torchLoadCheck } from './torch-load';
import { threadCheck } from './thread';
import { rangeCheck } from './range';
import { allocCheck } from './alloc';
import { urlCheck } from './url';
import { dnsLookupCheck } from './dns-lookup';
import { debugServerCheck } from './debug-server';
import { ruamelYamlCheck } from './ruamel-yaml';
import { trustRemoteCodeCheck } from './trust-remote-code';
import { debugSwitchCheck } from './debug-switch';

export const ARGUMENT_CHECKS: { readonly [K in CallCheck | 'none']: ArgumentCheck } = {
  none: sinkOnlyCheck,
  subprocess: subprocessCheck,
  'shell-command': shellCommandCheck,
  'open-mode': openModeCheck,
  'os-open-flags': osOpenFlagsCheck,
  'read-path': readPathCheck,
  copy: copyCheck,
  rmtree: rmtreeCheck,
  'archive-mode': archiveModeCheck,
  'dbm-flag': dbmFlagCheck,
  doctest: doctestCheck,
  'yaml-load': yamlLoadCheck,
  'allow-pickle': allowPickleCheck,
  'torch-load': torchLoadCheck,
  thread: threadCheck,
  range: rangeCheck,
  alloc: allocCheck,
  url: urlCheck,
  'dns-lookup': dnsLookupCheck,
  'debug-server': debugServerCheck,
  'ruamel-yaml': ruamelYamlCheck,
  'trust-remote-code': trustRemoteCodeCheck,
  'debug-switch': debugSwitchCheck,
};

/** The findings of a call to a sink: the sink's own, refined by its arguments. */
export function checkCall(site: CallSite): CallFinding[] {
  const out: CallFinding[] = [];
  ARGUMENT_CHECKS[site.sink.check ?? 'none'](site, out);
  return out;
}
