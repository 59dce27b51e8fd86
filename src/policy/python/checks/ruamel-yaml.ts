// ruamel.yaml.YAML(typ=...): the 'unsafe' type constructs any Python object a document names; 'base' is
// judged alike (neither is the safe or round-trip loader), and a type computed at run time may be either.
import { constStrings, display, type Value } from '../../shared/value';
import { argument, values, type ArgumentCheck } from './call-site';

const UNSAFE_TYPES = new Set(['unsafe', 'base']);

/** The typ strings a value gives (`typ="unsafe"`, `typ=["unsafe", "pure"]`), undefined when not constant. */
function types(options: readonly Value[]): string[] | undefined {
  if (options.length === 0) return undefined;
  const out: string[] = [];
  for (const option of options) {
    if (option.k === 'seq') {
      const items = option.items.map((item) => constStrings(item));
      if (items.some((item) => item === undefined)) return undefined;
      out.push(...(items.flat() as string[]));
    } else {
      const strings = constStrings([option]);
      if (!strings) return undefined;
      out.push(...strings);
    }
  }
  return out;
}

export const ruamelYamlCheck: ArgumentCheck = (site, out) => {
  const typ = argument(site, -1, 'typ');
  if (!typ) return;
  const given = types(values(site, typ));
  const name = display(site.q);
  const unsafe = given?.find((t) => UNSAFE_TYPES.has(t));
  if (given && !unsafe) return;
  out.push({
    rule: site.sink.rule,
    node: site.callee,
    message: unsafe
      ? `${name}(typ=${JSON.stringify(unsafe)}) loads YAML that can construct arbitrary objects${site.via}`
      : `${name} with a typ computed at run time may load YAML that constructs arbitrary objects${site.via}`,
  });
};
