import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../../src/index.ts';

// The UCI ServiceNow incident event log, read in place (24,918 incidents, 2016-02-29 to 2017-02-16).
const log = '/work/shared/data/incident_event_log.zip';
const end = new Date('2016-05-01T00:00:00Z');

describe.skipIf(!existsSync(log))('root causes on the ServiceNow log', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
    await engine.incidents.ingest({ path: log, format: 'servicenow' });
  }, 120_000);
  afterAll(async () => {
    await engine.close();
  });

  it('explains every anomaly of a week, within its own category when the rest did not rise with it', async () => {
    const run = await engine.anomalies.run({ end, windowHours: 168 });
    expect(run.anomaliesCreated).toBeGreaterThan(0);
    const stored = (await engine.anomalies.list({ pageSize: 100 })).results;
    for (const a of stored) {
      const cause = (a.metadata as Record<string, unknown>)['root_cause'] as Record<string, unknown>;
      expect(cause['method']).toBe('adtributor');
      expect(a.root_cause_analysis).toBeTruthy();
      const scope = cause['scope'] as { dimension: string; value: string } | undefined;
      // A scoped explanation is always the anomaly's own slice, and says so first.
      if (scope) {
        expect(scope.value).toBe((a.metadata as Record<string, unknown>)['slice_value']);
        expect(a.root_cause_analysis).toContain(
          `Only ${scope.dimension === 'service' ? '' : `${scope.dimension} `}${scope.value} moved`,
        );
      }
      // Nothing explained and nothing scoped: it says no single slice explains it.
      if (!scope && cause['explained'] === false && a.anomaly_type !== 'BEHAVIORAL') {
        expect(a.root_cause_analysis).toMatch(/^No single slice explains it: spread across \d+ services\./);
      }
    }
    // Measured on 2026-12-05: 13 anomalies; the 8-incident rise of Category 19 on 2016-04-27
    // 15:00–22:00, while the log as a whole was below its usual level, is Group 72's.
    const category19 = stored.find(
      (a) =>
        a.series_key === 'incident_count:hour:category=Category 19' &&
        a.time_window_start.toISOString() === '2016-04-27T15:00:00.000Z',
    );
    expect(category19).toBeDefined();
    expect(category19?.root_cause_analysis).toMatch(
      /^Only category Category 19 moved \(8 incidents against 0\.8 expected\), not the incidents as a whole\. Within it, 94% of the excess is team Group 72/,
    );
  }, 120_000);
});
