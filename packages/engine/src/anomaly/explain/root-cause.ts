import type { EngineContext } from '../../context.ts';
import { EngineError } from '../../errors.ts';
import {
  type AdtributorSettings,
  adtributor,
  type DimensionExplanation,
  defaultAdtributorSettings,
  type ElementCounts,
} from '../kernels/adtributor.ts';
import { type ChangeSettings, readWindowContext, type WindowContext } from './context.ts';
import type { AnomalyToExplain, ExplainRange, RootCause } from './explain-types.ts';
import { type LocalisationMeasure, localisedCounts } from './localisation.ts';
import {
  behavioralSentence,
  changeSentence,
  localisationSentence,
  recurrenceSentence,
  scopeSentence,
  spreadSentence,
} from './root-cause-wording.ts';
import { type OwnScope, ownScope, preferFinerRestatements, totals } from './slice-ranking.ts';

/** Settings of {@link explainRootCauses}; every one has a default. */
export interface RootCauseOptions {
  /** Words that make an incident a change (category, subcategory or tag); default change, deploy, release. */
  readonly changeWords?: readonly string[];
  /** Hours before the window searched for changes; default 24. */
  readonly changeLeadHours?: number;
  /** Adtributor thresholds; default T_EP 0.1, T_EEP 0.67, sets of up to 3 elements, lift 0.3, added share 0.2. */
  readonly adtributor?: AdtributorSettings;
}

const defaultChanges: ChangeSettings = { words: ['change', 'deploy', 'release'], leadHours: 24 };

/** Explained dimensions kept in the evidence, most surprising first. */
const keptDimensions = 5;

const round = (x: number, digits = 4) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** What an anomaly's excess is measured in: extra waiting for a delay anomaly, else incidents. */
function measureOf(anomaly: AnomalyToExplain): LocalisationMeasure {
  const metrics = new Set(anomaly.affectedMetrics);
  if (metrics.has('INCIDENT_COUNT')) return 'count';
  if (metrics.has('MTTA')) return 'ack_minutes';
  if (metrics.has('MTTR')) return 'resolve_hours';
  return 'count';
}

/**
 * Root cause of each anomaly of a run: one {@link RootCause} per input, in the same order.
 *
 * - **Where**: Adtributor (Bhagwan et al., NSDI 2014; `kernels/adtributor.ts`) over service, team,
 *   category, subcategory, priority, severity and tag, on every incident of the window against the
 *   baseline of the history before it (`localisation.ts`, one query for all anomalies): counts for
 *   volume anomalies, extra acknowledgement (resolution) time for MTTA (MTTR) ones. When no set of
 *   at most three elements of one attribute explains 67% of the change, it says so ("no single
 *   slice explains it: spread across N services") rather than name one. An anomaly of one slice
 *   (`metadata.slice`) whose change the incidents as a whole do not carry is localised within
 *   that slice instead (`ownScope` in `slice-ranking.ts`).
 * - **What is known** (`context.ts`): recurrence analyses holding incidents of the window on the
 *   anomaly's services, other stored anomalies (and other anomalies of this run) overlapping it, and
 *   changes (incidents whose category, subcategory or tag holds a change word) from 24 h before the
 *   window to its end, with the minutes between.
 * - A BEHAVIORAL anomaly leads with its team or service, the metric that moved and the before and
 *   after distributions of its metadata.
 *
 * `text` is the paragraph stored as `root_cause_analysis`; `evidence` goes under
 * `metadata.root_cause`.
 *
 * @throws EngineError VALIDATION_ERROR for an invalid range or a window that does not end after
 * it starts (nothing is read).
 */
export async function explainRootCauses(
  context: EngineContext,
  anomalies: readonly AnomalyToExplain[],
  range: ExplainRange,
  options: RootCauseOptions = {},
): Promise<RootCause[]> {
  if (anomalies.length === 0) return [];
  validate(anomalies, range);
  const settings = options.adtributor ?? defaultAdtributorSettings;
  const changes: ChangeSettings = {
    words: options.changeWords ?? defaultChanges.words,
    leadHours: options.changeLeadHours ?? defaultChanges.leadHours,
  };
  const measures = anomalies.map(measureOf);
  const counts = await localisedCounts(
    context.db,
    anomalies.map((a, i) => ({ windowStart: a.windowStart, windowEnd: a.windowEnd, measure: measures[i]! })),
    { from: range.from, to: range.to },
  );
  // An anomaly of one slice whose change the incidents as a whole do not share (a category rising
  // while the rest falls, one team's delays among others moving more) is localised within its slice.
  const scopes = anomalies.map((a, i) => ownScope(a, counts[i]!));
  const byScope = new Map<string, number[]>();
  scopes.forEach((scope, i) => {
    if (!scope) return;
    const key = `${scope.dimension}\u0000${scope.value}`;
    byScope.set(key, [...(byScope.get(key) ?? []), i]);
  });
  for (const indices of byScope.values()) {
    const scope = scopes[indices[0]!]!;
    const inner = await localisedCounts(
      context.db,
      indices.map((i) => ({ ...anomalies[i]!, measure: measures[i]! })),
      { from: range.from, to: range.to },
      scope,
    );
    indices.forEach((i, n) => {
      // Within the slice its own attribute has one value: nothing to tell.
      inner[n]!.delete(scope.dimension);
      counts[i] = inner[n]!;
    });
  }
  const known = await readWindowContext(context.db, anomalies, changes);
  return anomalies.map((anomaly, i) =>
    explainOne(anomaly, anomalies, measures[i]!, counts[i]!, known[i]!, settings, scopes[i]),
  );
}

/** Refuses windows and ranges that are not instants in order, before any query. */
function validate(anomalies: readonly AnomalyToExplain[], range: ExplainRange): void {
  const from = range.from.getTime();
  const to = range.to.getTime();
  if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) {
    throw new EngineError('VALIDATION_ERROR', 'the explanation range needs valid dates with from before to', {
      field: 'range',
    });
  }
  for (const a of anomalies) {
    if (!Number.isFinite(a.windowStart) || !Number.isFinite(a.windowEnd) || a.windowEnd <= a.windowStart) {
      throw new EngineError('VALIDATION_ERROR', 'an anomaly window needs a start before its end', {
        field: 'window',
        value: a.index,
      });
    }
  }
}

function explainOne(
  anomaly: AnomalyToExplain,
  all: readonly AnomalyToExplain[],
  measure: LocalisationMeasure,
  dimensions: ReadonlyMap<string, ElementCounts[]>,
  known: WindowContext,
  settings: AdtributorSettings,
  scope: OwnScope | undefined,
): RootCause {
  const ranked = preferFinerRestatements(adtributor(dimensions, settings), anomaly.metadata['slice']).slice(
    0,
    keptDimensions,
  );
  const services = dimensions.get('service') ?? [];
  const { actual, expected } = totals(services.length > 0 ? services : ([...dimensions.values()][0] ?? []));
  const change = actual - expected;
  const spreadOver = services.filter((e) =>
    change >= 0 ? e.actual > e.expected : e.actual < e.expected,
  ).length;
  // Where the anomaly is: the located services, else the anomaly's own.
  const located = ranked[0]?.dimension === 'service' ? ranked[0].elements.map((e) => e.value) : [];
  const focus = new Set(located.length > 0 ? located : anomaly.affectedServices);
  const recurrences = known.recurrences
    .map((r) => ({
      ...r,
      in_window: Object.entries(r.in_window_by_service)
        .filter(([s]) => focus.size === 0 || focus.has(s))
        .reduce((sum, [, n]) => sum + n, 0),
    }))
    .filter((r) => r.in_window > 0)
    .sort((a, b) => b.in_window - a.in_window || b.occurrence_count - a.occurrence_count);
  const changes = [...known.changes].sort(
    (a, b) =>
      Number(!(a.service && focus.has(a.service))) - Number(!(b.service && focus.has(b.service))) ||
      Math.abs(a.minutes_before_window) - Math.abs(b.minutes_before_window),
  );
  const sameRun = all
    .filter(
      (o) =>
        o !== anomaly &&
        o.seriesKey !== anomaly.seriesKey &&
        o.windowStart < anomaly.windowEnd &&
        o.windowEnd > anomaly.windowStart,
    )
    .map((o) => ({ run_index: o.index, anomaly_type: o.anomalyType, series_key: o.seriesKey }));
  const overlapping = [...known.overlapping, ...sameRun];

  const sentences: string[] = [];
  if (anomaly.anomalyType === 'BEHAVIORAL' && anomaly.metadata['slice_value'] !== undefined) {
    sentences.push(behavioralSentence(anomaly.metadata, anomaly.affectedMetrics[0] ?? ''));
  }
  if (scope) {
    sentences.push(scopeSentence(scope, measure));
    if (ranked.length > 0) sentences.push(`Within it, ${localisationSentence(ranked, measure, change)}`);
  } else if (ranked.length > 0) sentences.push(localisationSentence(ranked, measure, change));
  else if (change !== 0) sentences.push(spreadSentence(spreadOver));
  const firstChange = changes[0];
  if (firstChange) sentences.push(changeSentence(firstChange));
  const firstRecurrence = recurrences[0];
  if (firstRecurrence) sentences.push(recurrenceSentence(firstRecurrence));
  if (overlapping.length > 0) {
    const types = [...new Set(overlapping.map((o) => o.anomaly_type))].sort().join(', ');
    sentences.push(
      `${overlapping.length} other anomal${overlapping.length === 1 ? 'y' : 'ies'} at the same time (${types}).`,
    );
  }
  const scored = (d: DimensionExplanation) =>
    d.elements.map((e) => ({
      dimension: d.dimension,
      value: e.value,
      actual: round(e.actual, 2),
      expected: round(e.expected, 2),
      share: round(e.share),
      surprise: round(e.surprise, 6),
    }));
  return {
    text: sentences.join(' '),
    evidence: {
      method: 'adtributor',
      measure,
      thresholds: {
        min_element_share: settings.minElementShare,
        min_explained_share: settings.minExplainedShare,
        max_set_size: settings.maxSetSize,
        min_lift: settings.minLift,
        min_added_share: settings.minAddedShare,
      },
      total: { actual: round(actual, 2), expected: round(expected, 2) },
      explained: ranked.length > 0,
      explained_share: ranked[0] ? round(ranked[0].explainedShare) : 0,
      slices: ranked[0] ? scored(ranked[0]) : [],
      dimensions_ranked: ranked.map((d) => ({
        dimension: d.dimension,
        values: d.elements.map((e) => e.value),
        explained_share: round(d.explainedShare),
        expected_share: round(d.expectedShare),
        surprise: round(d.surprise, 6),
        slices: scored(d),
      })),
      ...(scope
        ? {
            scope: {
              dimension: scope.dimension,
              value: scope.value,
              actual: round(scope.actual, 2),
              expected: round(scope.expected, 2),
            },
          }
        : ranked.length === 0
          ? { spread_across_services: spreadOver }
          : {}),
      recurrences: recurrences.slice(0, 5).map(({ in_window_by_service: _, ...r }) => r),
      overlapping_anomalies: overlapping.slice(0, 20),
      changes: changes.slice(0, 5),
    },
  };
}
