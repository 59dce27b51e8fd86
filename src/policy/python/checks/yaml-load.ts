// yaml.load without a safe Loader.
import type { Node } from 'web-tree-sitter';
import { display } from '../../shared/value';
import { argument, values, type ArgumentCheck, type CallSite } from './call-site';

const SAFE_YAML_LOADERS = new Set(
  ['SafeLoader', 'CSafeLoader', 'BaseLoader', 'CBaseLoader'].flatMap((name) => [
    `yaml.${name}`,
    `ruamel.yaml.${name}`,
  ]),
);

/**
 * Whether a yaml.load Loader argument is a safe loader whatever branch is taken: judged by its values
 * (`yaml.SafeLoader if c else yaml.Loader` is not safe), and by name only when it names a loader the
 * analyzer cannot follow (a class from another package).
 */
function safeYamlLoader(site: CallSite, loader: Node | undefined): boolean {
  if (!loader) return false;
  const options = values(site, loader);
  if (options.length > 0 && options.every((v) => v.k === 'q' && SAFE_YAML_LOADERS.has(v.q))) return true;
  // A class of the file (a subclass of a loader) is judged by its name, as one of another package is.
  if (options.some((v) => v.k !== 'opaque' && v.k !== 'class')) return false;
  if (loader.type !== 'identifier' && loader.type !== 'attribute') return false;
  return /(?:^|\.)C?(?:Safe|Base)Loader$/.test(site.analyzer.nodeText(loader));
}

export const yamlLoadCheck: ArgumentCheck = (site, out) => {
  const name = display(site.q);
  if (!safeYamlLoader(site, argument(site, 1, 'Loader'))) {
    out.push({
      rule: site.sink.rule,
      node: site.callee,
      message: `${name} without a safe Loader can construct arbitrary objects${site.via}`,
    });
  }
};
