// `fs.readFile(path)`: a read is a finding when its constant path is outside the working directory.
import { readOutside, type JsArgumentCheck } from './call-site';

export const readPathCheck: JsArgumentCheck = (site) => readOutside(site, site.args[0]);
