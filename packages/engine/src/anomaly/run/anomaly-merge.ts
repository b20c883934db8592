import type { AnomalyType } from '../../schema/enums.ts';
import { TimeSlice } from '../../store/time-slice.ts';

/** One detection ready to store: the spec's record fields plus what merging needs. */
export interface AnomalyDraft {
  readonly anomalyType: AnomalyType;
  readonly seriesKey: string;
  /** Lower ranks are more specific and become the primary of a merged group (0 = per-service hour). */
  readonly rank: number;
  readonly score: number;
  readonly threshold: number;
  readonly confidence: number;
  readonly windowStart: number;
  /** Exclusive end, epoch ms. */
  readonly windowEnd: number;
  readonly relatedIncidents: readonly string[];
  readonly affectedServices: readonly string[];
  readonly affectedMetrics: readonly string[];
  readonly description: string;
  readonly impact: { criticalCount: number; highCount: number; affectedUsers: number };
  readonly metadata: Record<string, unknown>;
}

/** A merged anomaly: a primary draft and every draft folded into it. */
export interface AnomalyGroup {
  readonly primary: AnomalyDraft;
  readonly members: AnomalyDraft[];
}

/**
 * Folds drafts that describe the same event into one anomaly, so one incident storm is one
 * anomaly rather than one per series and detector. Two drafts are the same event when they are
 * on the same series and their windows overlap or touch (a shift that lasts several periods), or
 * when their windows overlap, they measure the same kind of change (see {@link metricGroup}) and
 * they share incidents: at least half of the smaller of the two related-incident sets. A
 * BEHAVIORAL finding (a team's or service's delays or severity mix departing from its baseline)
 * merges with a finding of another family only when both measure exactly the same metrics (the
 * daily MTTA total showing a team's slowdown): a storm in the same days, or an isolation-forest
 * window over all features, never swallows it, nor it them. The stored window is the union of the windows of the primary's series. Drafts are visited most specific first
 * (rank, then score descending), so the per-service hourly view of a storm becomes the primary
 * and its daily, per-category and per-severity views become members. Cost O(d² · k) for d drafts
 * of k related incidents; d is small (tens to hundreds), k up to 10⁵, so the comparisons give the
 * event loop a turn every few milliseconds.
 */
export async function mergeDrafts(drafts: readonly AnomalyDraft[]): Promise<AnomalyGroup[]> {
  const slice = new TimeSlice();
  const order = [...drafts].sort(
    (a, b) =>
      a.rank - b.rank || b.score / b.threshold - a.score / a.threshold || a.windowStart - b.windowStart,
  );
  const groups: AnomalyGroup[] = [];
  for (const draft of order) {
    let target: AnomalyGroup | undefined;
    for (const group of groups) {
      for (const m of group.members) {
        await slice.pause();
        if (await sameEvent(m, draft, slice)) {
          target = group;
          break;
        }
      }
      if (target) break;
    }
    if (target) target.members.push(draft);
    else groups.push({ primary: draft, members: [draft] });
  }
  return groups;
}

/** Whether two drafts describe the same event (see {@link mergeDrafts}). */
async function sameEvent(m: AnomalyDraft, draft: AnomalyDraft, slice: TimeSlice): Promise<boolean> {
  if (m.seriesKey === draft.seriesKey) {
    return m.windowStart <= draft.windowEnd && draft.windowStart <= m.windowEnd;
  }
  return (
    m.windowStart < draft.windowEnd &&
    draft.windowStart < m.windowEnd &&
    sameKindOfChange(m, draft) &&
    (await sharesIncidents(m.relatedIncidents, draft.relatedIncidents, slice))
  );
}

/**
 * What kind of change a metric shows: incident volume and mix (counts, severity and category mix)
 * are one kind, since a storm changes all of them at once; each delay, rate and cost is its own.
 * A team acknowledging slowly is a different finding from a storm in the same days, even when the
 * incidents overlap.
 */
function metricGroup(metric: string): string {
  return metric === 'INCIDENT_COUNT' || metric === 'SEVERITY_MIX' || metric === 'CATEGORY_MIX'
    ? 'VOLUME'
    : metric;
}

function sameKindOfChange(a: AnomalyDraft, b: AnomalyDraft): boolean {
  if ((a.anomalyType === 'BEHAVIORAL') !== (b.anomalyType === 'BEHAVIORAL')) {
    const metrics = new Set(a.affectedMetrics);
    return metrics.size === new Set(b.affectedMetrics).size && b.affectedMetrics.every((m) => metrics.has(m));
  }
  const groups = new Set(a.affectedMetrics.map(metricGroup));
  return b.affectedMetrics.some((m) => groups.has(metricGroup(m)));
}

/** The related incidents of each draft as a set, built once however many drafts it is compared with. */
const incidentSets = new WeakMap<readonly string[], ReadonlySet<string>>();

async function incidentSet(ids: readonly string[], slice: TimeSlice): Promise<ReadonlySet<string>> {
  let set = incidentSets.get(ids);
  if (!set) {
    const building = new Set<string>();
    for (let i = 0; i < ids.length; i++) {
      building.add(ids[i] as string);
      if ((i & 4095) === 4095) await slice.pause();
    }
    set = building;
    incidentSets.set(ids, set);
  }
  return set;
}

async function sharesIncidents(
  a: readonly string[],
  b: readonly string[],
  slice: TimeSlice,
): Promise<boolean> {
  if (a.length === 0 || b.length === 0) return false;
  const [small, largeIds] = a.length <= b.length ? [a, b] : [b, a];
  const large = await incidentSet(largeIds, slice);
  let shared = 0;
  for (let i = 0; i < small.length; i++) {
    if (large.has(small[i] as string)) shared++;
    if ((i & 4095) === 4095) await slice.pause();
  }
  return shared * 2 >= small.length;
}
