// range() of more than a billion items.
import { HUGE_RANGE } from '../../shared/judgments';
import { constNumber } from '../../shared/value';
import { values, type ArgumentCheck } from './call-site';

function rangeLength(nums: Array<bigint | 'huge'>): bigint | 'huge' {
  if (nums.includes('huge')) return 'huge';
  const [a, b, c] = nums as bigint[];
  const [start, stop, step] = nums.length === 1 ? [0n, a, 1n] : [a, b, c ?? 1n];
  if (step === 0n) return 0n;
  const span = step > 0n ? stop - start : start - stop;
  return span <= 0n ? 0n : span / (step > 0n ? step : -step);
}

export const rangeCheck: ArgumentCheck = (site, out) => {
  const nums = site.args.positional.map((node) => constNumber(values(site, node)));
  if (nums.length === 0 || nums.some((n) => n === undefined)) return;
  const count = rangeLength(nums as Array<bigint | 'huge'>);
  if (count === 'huge' || count > HUGE_RANGE) {
    out.push({
      rule: 'resource-exhaustion',
      node: site.call,
      message: 'a range of more than a billion items',
    });
  }
};
