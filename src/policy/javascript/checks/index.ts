// The argument checks, one per JsCheck of the sink catalog (catalog/sinks.ts) plus `none` for sinks
// without one. The map is exhaustive: a JsCheck without an entry does not compile.
import type { JsCheck } from '../catalog/sinks';
import { allocCheck } from './alloc';
import type { JsArgumentCheck, JsCallSite } from './call-site';
import { deletePathCheck } from './delete-path';
import { fsOpenCheck } from './fs-open';
import { moduleCheck } from './module';
import { readPathCheck } from './read-path';
import { shellCheck } from './shell';
import { sinkOnlyCheck } from './sink-only';
import { spawnCheck } from './spawn';
import { timerCheck } from './timer';
import { workerCheck } from './worker';

export const JS_ARGUMENT_CHECKS: { readonly [K in JsCheck | 'none']: JsArgumentCheck } = {
  none: sinkOnlyCheck,
  shell: shellCheck,
  spawn: spawnCheck,
  timer: timerCheck,
  module: moduleCheck,
  'fs-open': fsOpenCheck,
  'read-path': readPathCheck,
  'delete-path': deletePathCheck,
  worker: workerCheck,
  alloc: allocCheck,
};

/** Reports a call to a sink, refined by its arguments. */
export function checkJsCall(site: JsCallSite): void {
  JS_ARGUMENT_CHECKS[site.sink.check ?? 'none'](site);
}
