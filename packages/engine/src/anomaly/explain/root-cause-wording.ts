import type { DimensionExplanation } from '../kernels/adtributor.ts';
import { formatAmount } from '../run/anomaly-wording.ts';
import type { LinkedRecurrence, PrecedingChange } from './context.ts';
import type { LocalisationMeasure } from './localisation.ts';

/** Words of a measure: what its change is called and its unit. */
const measureWords: Record<LocalisationMeasure, { excess: string; shortfall: string; unit: string }> = {
  count: { excess: 'the excess', shortfall: 'the shortfall', unit: 'incidents' },
  ack_minutes: {
    excess: 'the extra acknowledgement time',
    shortfall: 'the saved acknowledgement time',
    unit: 'min',
  },
  resolve_hours: { excess: 'the extra resolution time', shortfall: 'the saved resolution time', unit: 'h' },
};

/** Which attributes tell the same kind of thing (where, what, how bad, tagged). */
const dimensionGroup: Record<string, string> = {
  service: 'where',
  team: 'where',
  category: 'what',
  subcategory: 'what',
  priority: 'grade',
  severity: 'grade',
  tag: 'tag',
};

function percent(share: number): string {
  return `${Math.round(Math.min(1, Math.max(0, share)) * 100)}%`;
}

function sliceName(dimension: string, values: readonly string[]): string {
  const named = values.filter((v) => v !== '(none)');
  const list = named.length <= 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  const head = named.length === 0 ? '' : dimension === 'service' ? list : `${dimension} ${list}`;
  if (named.length === values.length) return head;
  const none = `incidents without a ${dimension}`;
  return head ? `${head} and ${none}` : none;
}

/** A duration in minutes in words: "35 min", "5.5 h", "3 days". */
function minutesInWords(minutes: number): string {
  const m = Math.abs(minutes);
  if (m < 120) return `${Math.round(m)} min`;
  const hours = m / 60;
  if (hours < 48) return `${hours < 10 ? Math.round(hours * 10) / 10 : Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}

/**
 * The localisation in a sentence: "78% of the excess is payments (41 incidents against 6
 * expected), mostly category Network." The second part names the best explanation of another kind
 * of attribute (where, what, how bad), when there is one.
 */
export function localisationSentence(
  ranked: readonly DimensionExplanation[],
  measure: LocalisationMeasure,
  change: number,
): string {
  const top = ranked[0];
  if (!top) return '';
  const words = measureWords[measure];
  let actual = 0;
  let expected = 0;
  for (const e of top.elements) {
    actual += e.actual;
    expected += e.expected;
  }
  const what = change >= 0 ? words.excess : words.shortfall;
  const values = top.elements.map((e) => e.value);
  let sentence = `${percent(top.explainedShare)} of ${what} is ${sliceName(top.dimension, values)} (${formatAmount(actual)} ${words.unit} against ${formatAmount(expected)} expected)`;
  const other = ranked.find(
    (r) => dimensionGroup[r.dimension] !== dimensionGroup[top.dimension] && r.dimension !== 'tag',
  );
  if (other)
    sentence += `, mostly ${sliceName(
      other.dimension,
      other.elements.map((e) => e.value),
    )}`;
  return `${sentence}.`;
}

/**
 * An anomaly localised within its own slice: "Only category Network moved (8 incidents against 2.5
 * expected), not the incidents as a whole."
 */
export function scopeSentence(
  scope: { dimension: string; value: string; actual: number; expected: number },
  measure: LocalisationMeasure,
): string {
  return `Only ${sliceName(scope.dimension, [scope.value])} moved (${formatAmount(scope.actual)} ${measureWords[measure].unit} against ${formatAmount(scope.expected)} expected), not the incidents as a whole.`;
}

/** "No single slice explains it: spread across 7 services." */
export function spreadSentence(services: number): string {
  return `No single slice explains it: spread across ${services} service${services === 1 ? '' : 's'}.`;
}

/** "Preceded by a change to payments 35 min before: 'Deploy v2.3'." (or during the window). */
export function changeSentence(change: PrecedingChange): string {
  const to = change.service ? ` to ${change.service}` : '';
  const when = minutesInWords(change.minutes_before_window);
  return change.minutes_before_window >= 0
    ? `Preceded by a change${to} ${when} before: '${change.title}'.`
    : `A change${to} ${when} into the window: '${change.title}'.`;
}

/** "A known recurring problem: 'Payment gateway returns 502', 12 times since 2026-05-02." */
export function recurrenceSentence(recurrence: LinkedRecurrence): string {
  return `A known recurring problem: '${recurrence.pattern}', ${recurrence.occurrence_count} times since ${recurrence.first_seen.slice(0, 10)}.`;
}

/** Words of a BEHAVIORAL metric. */
const behavioralMetric: Record<string, { what: string; unit: string }> = {
  MTTA: { what: 'acknowledgement time', unit: 'min' },
  MTTR: { what: 'resolution time', unit: 'h' },
};

/**
 * The BEHAVIORAL lead: who, which metric moved, and its before and after distributions, e.g.
 * "Team payments' acknowledgement time moved: median 45 min over the period against 12 min before
 * (before: 10th to 90th percentile 5 to 30 min; 120 incidents against 2,400)."
 */
export function behavioralSentence(metadata: Readonly<Record<string, unknown>>, metric: string): string {
  const slice = String(metadata['slice'] ?? '');
  const value = String(metadata['slice_value'] ?? '');
  const possessive = value.endsWith('s') ? `${value}'` : `${value}'s`;
  const who = slice === 'team' ? `Team ${possessive}` : possessive;
  const samples = metadata['samples'] as { baseline?: number; recent?: number } | undefined;
  const words = behavioralMetric[metric];
  const num = (key: string) => formatAmount(Number(metadata[key]));
  if (words) {
    return `${who} ${words.what} moved: median ${num('observed')} ${words.unit} over the period against ${num('expected')} ${words.unit} before (before: 10th to 90th percentile ${num('lower')} to ${num('upper')} ${words.unit}; ${formatAmount(samples?.recent ?? 0)} incidents against ${formatAmount(samples?.baseline ?? 0)}).`;
  }
  const counts = metadata['counts'] as Record<string, { baseline?: number; recent?: number }> | undefined;
  const mix = (which: 'baseline' | 'recent') => {
    const entries = Object.entries(counts ?? {});
    const total = entries.reduce((s, [, c]) => s + (c[which] ?? 0), 0);
    return entries.map(([sev, c]) => `${sev} ${percent(total > 0 ? (c[which] ?? 0) / total : 0)}`).join(', ');
  };
  return `${who} severity mix moved: ${num('observed')}% HIGH or CRITICAL over the period against ${num('expected')}% before (after: ${mix('recent')}; before: ${mix('baseline')}).`;
}
