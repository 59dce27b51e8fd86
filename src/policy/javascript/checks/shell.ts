// `exec(command)`: the command line runs through a shell; a destructive one is a finding of its own.
import { destructive, reportSink, type JsArgumentCheck } from './call-site';

export const shellCheck: JsArgumentCheck = (site) => {
  reportSink(site);
  destructive(site.analyzer, site.args[0]);
};
