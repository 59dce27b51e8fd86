// A call that reads a path: a constant path outside the working directory.
import { pathOf, readOutside, type ArgumentCheck } from './call-site';

export const readPathCheck: ArgumentCheck = (site, out) => {
  readOutside(site, pathOf(site, 0, 'path', 'top', 'pathname', 'root_dir'), out);
};
