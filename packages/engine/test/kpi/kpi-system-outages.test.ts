import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

const dir = mkdtempSync(join(tmpdir(), 'kpi-system-outages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clock = new Date('2024-01-02T00:00:00Z');

/**
 * One service, worked by hand over 2024-01-01 (UTC): a HIGH incident 01:00–07:00 (degraded, the
 * service still serves) and a CRITICAL one 12:00–13:00 (the service is down).
 */
const incidents: IncidentInput[] = [
  ['high', 'HIGH', '2024-01-01T01:00:00Z', '2024-01-01T07:00:00Z'],
  ['down', 'CRITICAL', '2024-01-01T12:00:00Z', '2024-01-01T13:00:00Z'],
].map(([key, severity, created, resolved]) => ({
  external_id: key as string,
  title: `incident ${key}`,
  severity: severity as IncidentInput['severity'],
  service: 'api',
  created_at: created as string,
  resolved_at: resolved as string,
}));

async function systemAvailability(engine: Engine) {
  const metric = (await engine.kpis.list({ filters: { metric_type: 'AVAILABILITY' } })).results.find(
    (m) => m.is_system_metric,
  )!;
  const { measurement } = await engine.kpis.calculate(metric.id, { force: true });
  return { metric, value: measurement.value };
}

describe('the system uptime metrics', () => {
  it('count CRITICAL incidents as outages, not HIGH ones', async () => {
    const engine = await openEngine({ path: ':memory:', now: () => clock });
    try {
      await engine.incidents.ingest({ records: incidents });
      const system = (await engine.kpis.list({ filters: { is_system_metric: true }, pageSize: 100 })).results;
      for (const type of ['MTBF', 'MTBSI', 'AVAILABILITY']) {
        const metric = system.find((m) => m.metric_type === type)!;
        expect(metric.incident_severities).toEqual(['CRITICAL']);
        expect(metric.description).toContain('CRITICAL');
        expect(metric.description).not.toContain('HIGH');
      }
      // Down 12:00–13:00 only: 23/24 = 95.8333%. Counting the HIGH incident too, it would be down
      // 7 h: 17/24 = 70.8333%.
      expect((await systemAvailability(engine)).value).toBe('95.8333');
    } finally {
      await engine.close();
    }
  });

  it('count a service whose incidents were all minor as fully available, not as unknown', async () => {
    const engine = await openEngine({ path: ':memory:', now: () => clock });
    try {
      await engine.incidents.ingest({
        records: [
          ...incidents,
          {
            external_id: 'web-low',
            title: 'typo on a page',
            severity: 'LOW',
            service: 'web',
            created_at: '2024-01-01T03:00:00Z',
            resolved_at: '2024-01-01T09:00:00Z',
          },
        ],
      });
      // api 23/24 = 95.8333% (above); web had no outage: 100%. Mean over both: 97.9167%.
      expect((await systemAvailability(engine)).value).toBe('97.9167');
    } finally {
      await engine.close();
    }
  });

  it('in a database made when they counted HIGH as well, follow the current definition on open', async () => {
    const path = join(dir, 'old.duckdb');
    const first = await openEngine({ path, now: () => clock });
    await first.incidents.ingest({ records: incidents });
    // What the system metrics of an older database hold.
    await internalContext(first).db.run(
      `UPDATE kpi_metrics SET incident_severities = ['HIGH', 'CRITICAL'], description = 'old wording'
       WHERE is_system_metric AND metric_type IN ('MTBF', 'MTBSI', 'AVAILABILITY')`,
    );
    const before = await systemAvailability(first);
    expect(before.metric.incident_severities).toEqual(['HIGH', 'CRITICAL']);
    expect(before.value).toBe('70.8333');
    await first.close();

    const reopened = await openEngine({ path, now: () => clock });
    try {
      const after = await systemAvailability(reopened);
      expect(after.metric.id).toBe(before.metric.id);
      expect(after.metric.incident_severities).toEqual(['CRITICAL']);
      expect(after.metric.description).not.toBe('old wording');
      expect(after.value).toBe('95.8333');
      // Nothing else changed: still one system metric per type but CUSTOM.
      const system = (await reopened.kpis.list({ filters: { is_system_metric: true }, pageSize: 100 }))
        .results;
      expect(system).toHaveLength(8);
    } finally {
      await reopened.close();
    }
  });
});
