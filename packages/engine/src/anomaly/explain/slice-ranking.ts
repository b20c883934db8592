import type { DimensionExplanation, ElementCounts } from '../kernels/adtributor.ts';
import type { AnomalyToExplain } from './explain-types.ts';
import {
  type LocalisationDimension,
  type LocalisationScope,
  localisationDimensions,
} from './localisation.ts';

/** Sums of the elements' actual and expected values. */
export function totals(elements: readonly ElementCounts[]): { actual: number; expected: number } {
  let actual = 0;
  let expected = 0;
  for (const e of elements) {
    actual += e.actual;
    expected += e.expected;
  }
  return { actual, expected };
}

/**
 * Orders explanations that say the same thing in other words (a team of one service, a tag one
 * service carries alone: actual totals and excesses within 10%) by attribute, the anomaly's own
 * attribute (a BEHAVIORAL team) first, then service, team, category, subcategory, priority,
 * severity, tag; other explanations keep their rank by surprise.
 */
export function preferFinerRestatements(
  ranked: readonly DimensionExplanation[],
  own: unknown,
): DimensionExplanation[] {
  const order = (d: DimensionExplanation) =>
    d.dimension === own ? -1 : localisationDimensions.indexOf(d.dimension as LocalisationDimension);
  const close = (a: number, b: number) =>
    Math.abs(a - b) <= Math.max(0.5, 0.1 * Math.max(Math.abs(a), Math.abs(b)));
  const restates = (a: DimensionExplanation, b: DimensionExplanation) => {
    const x = totals(a.elements);
    const y = totals(b.elements);
    return close(x.actual, y.actual) && close(x.actual - x.expected, y.actual - y.expected);
  };
  const out: DimensionExplanation[] = [];
  for (const d of ranked) {
    const k = out.findIndex((e) => restates(d, e) && order(d) < order(e));
    if (k >= 0) out.splice(k, 0, d);
    else out.push(d);
  }
  return out;
}

/** An anomaly's own slice with its actual and expected value, when it is to be localised within. */
export type OwnScope = LocalisationScope & { readonly actual: number; readonly expected: number };

const scopeDimensions: readonly string[] = ['service', 'team', 'category', 'severity'];

/**
 * The anomaly's own slice (`metadata.slice` / `slice_value`) when the incidents as a whole do not
 * carry its change: the whole's change is below half the slice's, or of the other sign, or over
 * four times it (the slice is under a quarter of what moved). Else undefined: localise over all.
 */
export function ownScope(
  anomaly: AnomalyToExplain,
  counts: ReadonlyMap<string, ElementCounts[]>,
): OwnScope | undefined {
  const dimension = anomaly.metadata['slice'];
  const value = anomaly.metadata['slice_value'];
  if (typeof dimension !== 'string' || typeof value !== 'string' || !scopeDimensions.includes(dimension)) {
    return undefined;
  }
  const list = counts.get(dimension) ?? [];
  const own = list.find((e) => e.value === value);
  if (!own || own.actual === own.expected) return undefined;
  const all = totals(list);
  const ratio = (all.actual - all.expected) / (own.actual - own.expected);
  if (ratio >= 0.5 && ratio <= 4) return undefined;
  return {
    dimension: dimension as LocalisationScope['dimension'],
    value,
    actual: own.actual,
    expected: own.expected,
  };
}
