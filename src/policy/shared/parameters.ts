// Values passed to the parameters of the file's own functions by the calls an analyzer follows. A
// parameter called from several places may hold any of the values; a call that adds nothing new changes
// nothing (so the analyzer does not follow the parameter again).
import { dedupe, type Value } from './value';

export class ParameterValues {
  private readonly byParameter = new Map<number, Value[]>();

  get(parameter: number): Value[] | undefined {
    return this.byParameter.get(parameter);
  }

  has(parameter: number): boolean {
    return this.byParameter.has(parameter);
  }

  /** Adds values to a parameter's; the merged values when that added any, undefined when not. */
  merge(parameter: number, values: readonly Value[]): Value[] | undefined {
    const before = this.byParameter.get(parameter) ?? [];
    const merged = dedupe([...before, ...values]);
    if (merged.length === before.length) return undefined;
    this.byParameter.set(parameter, merged);
    return merged;
  }
}
