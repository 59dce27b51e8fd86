// A sink whose arguments change nothing: the call is the finding.
import { reportSink, type JsArgumentCheck } from './call-site';

export const sinkOnlyCheck: JsArgumentCheck = reportSink;
