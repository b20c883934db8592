import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { persistGroups } from '../src/anomaly/persist/anomaly-persist.ts';
import { type AnomalyDraft, mergeDrafts } from '../src/anomaly/run/anomaly-merge.ts';
import { type Engine, openEngine } from '../src/index.ts';
import { internalContext } from '../src/internal.ts';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 2, 1);
const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** A draft with plain defaults; windows in hours from 2026-03-01T00:00Z. */
function draft(
  over: Partial<AnomalyDraft> & Pick<AnomalyDraft, 'seriesKey' | 'anomalyType'>,
  from: number,
  to: number,
): AnomalyDraft {
  return {
    rank: 0,
    score: 10,
    threshold: 3,
    confidence: 0.999,
    windowStart: t0 + from * hour,
    windowEnd: t0 + to * hour,
    relatedIncidents: [],
    affectedServices: [],
    affectedMetrics: ['INCIDENT_COUNT'],
    description: over.seriesKey,
    impact: { criticalCount: 0, highCount: 0, affectedUsers: 0 },
    metadata: { method: 'test' },
    ...over,
  };
}

describe('merging detections into anomalies', () => {
  // A storm on search (hour 50-53) whose incidents also make up most of the team's 3-day period,
  // the team's own severity-mix and acknowledgement-time departures over hours 24-96, and an
  // isolation-forest window in the same days sharing the team's incidents.
  const storm = ids('storm', 30);
  const team = [...storm, ...ids('team', 20)];
  const drafts = [
    draft(
      {
        seriesKey: 'incident_count:hour:service=search',
        anomalyType: 'TEMPORAL',
        relatedIncidents: storm,
        affectedServices: ['search'],
      },
      50,
      53,
    ),
    draft(
      {
        seriesKey: 'severity_mix:team=search-team',
        anomalyType: 'BEHAVIORAL',
        rank: 8,
        relatedIncidents: team,
        affectedMetrics: ['SEVERITY_MIX'],
      },
      24,
      96,
    ),
    draft(
      {
        seriesKey: 'mtta_distribution:team=search-team',
        anomalyType: 'BEHAVIORAL',
        rank: 8,
        relatedIncidents: team,
        affectedMetrics: ['MTTA'],
      },
      24,
      96,
    ),
    draft(
      {
        seriesKey: 'incident_features:6h:all',
        anomalyType: 'PATTERN',
        rank: 10,
        relatedIncidents: ids('team', 20),
        affectedMetrics: ['INCIDENT_COUNT', 'SEVERITY_MIX', 'CATEGORY_MIX', 'MTTA'],
      },
      60,
      66,
    ),
  ];

  it('keeps every behavioural departure as its own BEHAVIORAL anomaly, apart from storms', async () => {
    const groups = await mergeDrafts(drafts);
    const primaries = groups.map((g) => g.primary.seriesKey);
    expect(primaries).toContain('severity_mix:team=search-team');
    expect(primaries).toContain('mtta_distribution:team=search-team');
    for (const g of groups) {
      const behavioral = g.members.filter((m) => m.anomalyType === 'BEHAVIORAL').length;
      // A group is either all behavioural findings or none: the storm, the forest window and the
      // team's departures are four findings.
      expect([0, g.members.length], g.primary.seriesKey).toContain(behavioral);
    }
    expect(groups).toHaveLength(4);
  });

  it("folds the daily MTTA total into the team's slower acknowledgements: the same change", async () => {
    const total = draft(
      {
        seriesKey: 'mtta_minutes:day:all',
        anomalyType: 'STATISTICAL',
        rank: 11,
        relatedIncidents: [...ids('team', 20), ...ids('other', 10)],
        affectedMetrics: ['MTTA'],
      },
      48,
      72,
    );
    const groups = await mergeDrafts([...drafts, total]);
    const team = groups.find((g) => g.primary.seriesKey === 'mtta_distribution:team=search-team');
    expect(team?.members.map((m) => m.seriesKey)).toEqual([
      'mtta_distribution:team=search-team',
      'mtta_minutes:day:all',
    ]);
  });

  it('still folds the views of one storm into one anomaly', async () => {
    const daily = draft(
      {
        seriesKey: 'incident_count:day:service=search',
        anomalyType: 'STATISTICAL',
        rank: 1,
        relatedIncidents: storm,
      },
      48,
      72,
    );
    const groups = await mergeDrafts([drafts[0]!, daily]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.primary.seriesKey).toBe('incident_count:hour:service=search');
  });
});

describe('storing merged anomalies', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({
      path: ':memory:',
      now: () => new Date(t0 + 200 * hour),
      workers: { threads: 1 },
    });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('counts as already known only anomalies stored before the run', async () => {
    // Group A: an hourly storm (hours 0-10) whose daily view (hours 0-3 of series d) joined it.
    // Group B: another event on series z (hours 8-20) with a view on d at hours 5-20: not touching
    // A's d window, so merging keeps B apart, but B's whole span overlaps A's stored window.
    const idA = crypto.randomUUID();
    const idB = crypto.randomUUID();
    const a = draft({ seriesKey: 'x', anomalyType: 'STATISTICAL', relatedIncidents: [idA] }, 0, 10);
    const aDaily = draft(
      { seriesKey: 'd', anomalyType: 'STATISTICAL', rank: 1, relatedIncidents: [idA] },
      0,
      3,
    );
    const b = draft({ seriesKey: 'z', anomalyType: 'STATISTICAL', relatedIncidents: [idB] }, 8, 20);
    const bDaily = draft(
      { seriesKey: 'd', anomalyType: 'STATISTICAL', rank: 1, relatedIncidents: [idB] },
      5,
      20,
    );
    const groups = await mergeDrafts([a, aDaily, b, bDaily]);
    expect(groups).toHaveLength(2);
    const at = new Date(t0 + 200 * hour);
    const first = await persistGroups(
      internalContext(engine).db,
      engine.events,
      groups,
      crypto.randomUUID(),
      at,
    );
    expect(first).toMatchObject({ duplicates: 0 });
    expect(first.created).toHaveLength(2);
    // Running again over the same window finds both known.
    const again = await persistGroups(
      internalContext(engine).db,
      engine.events,
      groups,
      crypto.randomUUID(),
      at,
    );
    expect(again).toEqual({ created: [], duplicates: 2 });
  });
});
