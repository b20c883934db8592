import { afterEach, describe, expect, it } from 'vitest';
import type { Actor, Engine } from '../../src/index.ts';
import { addAnomalies, addCosts, fixedNow, heatmapEngine } from '../heatmaps/heatmap-fixtures.ts';
import { specDashboard } from './dashboard-fixtures.ts';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const uid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const actors = {
  admin: { userId: uid(1), username: 'root', roles: ['admin'] },
  owner: { userId: uid(2), username: 'owner', roles: ['analyst'] },
  otherAnalyst: { userId: uid(3), username: 'other', roles: ['analyst'] },
  executive: { userId: uid(4), username: 'exec', roles: ['viewer', 'executive'] },
  viewer: { userId: uid(5), username: 'plain', roles: ['viewer'] },
} satisfies Record<string, Actor>;

/** Every widget type once, on a 2 × 5 grid. */
const everyWidget = {
  name: 'Everything',
  dashboard_type: 'TECHNICAL',
  layout_config: { rows: 2, columns: 5 },
  refresh_interval_seconds: 60,
  is_public: true,
  widget_configs: [
    ['kpi_summary', { metrics: ['MTTR', 'INCIDENT_COUNT'] }],
    ['kpi_trend', { metrics: ['MTTR'] }],
    ['anomaly_summary'],
    ['recent_anomalies', { limit: 1 }],
    ['cost_summary'],
    ['cost_breakdown'],
    ['insight_summary'],
    ['recent_insights', { limit: 5 }],
    ['heatmap', { heatmap_type: 'INCIDENT_FREQUENCY', time_granularity: 'HOURLY' }],
    ['forecast'],
  ].map(([type, options], i) => ({
    type,
    position: { row: Math.floor(i / 5), column: i % 5 },
    size: { width: 1, height: 1 },
    ...(options ? { options } : {}),
  })),
};

async function failure(promise: Promise<unknown>): Promise<{ code: string; details: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; details: unknown };
  }
  throw new Error('resolved');
}

describe('engine.dashboards', () => {
  it("creates the spec's example unchanged, owned by its creator, and changes it by patch", async () => {
    engine = await heatmapEngine();
    const created = await engine.as(actors.owner).dashboards.create(specDashboard);
    expect(created).toMatchObject({ ...specDashboard, is_active: true, created_by: uid(2) });
    expect(created.created_at).toEqual(fixedNow);
    const changed = await engine
      .as(actors.owner)
      .dashboards.update(created.id, { refresh_interval_seconds: 600 });
    expect(changed).toMatchObject({ ...specDashboard, refresh_interval_seconds: 600 });
    // An invalid change names the field and changes nothing.
    // An invalid change names the field and changes nothing: on 2 columns, widget 1 at column 2 is outside.
    const refused = await failure(
      engine.dashboards.update(created.id, { layout_config: { rows: 2, columns: 2 } }),
    );
    expect(refused).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'widget_configs[1].position.column' },
    });
    expect((await engine.dashboards.get(created.id)).layout_config).toEqual({ rows: 2, columns: 3 });
  });

  it('shows a dashboard only to the public, its creator, admins and its allowed roles', async () => {
    engine = await heatmapEngine();
    const { id } = await engine.as(actors.owner).dashboards.create(specDashboard); // allowed: executive, manager
    const visible = async (actor: Actor) => {
      const listed = (await engine?.as(actor).dashboards.list())?.results.map((d) => d.id) ?? [];
      const got = await engine
        ?.as(actor)
        .dashboards.get(id)
        .then(() => true)
        .catch((error: { code: string }) => error.code);
      const data = await engine
        ?.as(actor)
        .dashboards.data(id)
        .then(() => true)
        .catch((error: { code: string }) => error.code);
      return { listed: listed.includes(id), got, data };
    };
    const seen = { listed: true, got: true, data: true };
    const hidden = { listed: false, got: 'NOT_FOUND', data: 'NOT_FOUND' };
    expect(await visible(actors.owner)).toEqual(seen);
    expect(await visible(actors.admin)).toEqual(seen);
    expect(await visible(actors.executive)).toEqual(seen);
    expect(await visible(actors.viewer)).toEqual(hidden);
    expect(await visible(actors.otherAnalyst)).toEqual(hidden);

    // Seeing is not changing: only the creator and admins may; a hidden one is not there at all.
    expect(await failure(engine.as(actors.executive).dashboards.update(id, { name: 'x' }))).toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(await failure(engine.as(actors.otherAnalyst).dashboards.delete(id))).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await failure(engine.as(actors.viewer).dashboards.create(specDashboard))).toMatchObject({
      code: 'FORBIDDEN',
    });
    await engine.as(actors.owner).dashboards.update(id, { is_public: true });
    expect(await visible(actors.viewer)).toEqual(seen);
    await engine.as(actors.admin).dashboards.delete(id);
    expect(await visible(actors.owner)).toEqual(hidden);
  });

  it("fills each configured widget's key with what its own service answers, insights empty", async () => {
    engine = await heatmapEngine();
    await addCosts(engine);
    await addAnomalies(engine);
    await engine.heatmaps.refresh({ heatmapType: 'INCIDENT_FREQUENCY', timeGranularity: 'HOURLY' });
    const { id } = await engine.dashboards.create(everyWidget);
    const { data } = await engine.dashboards.data(id);
    const kpis = await engine.kpis.summary();
    expect(data.kpi_summary).toEqual(
      kpis.filter((k) => k.metric_type === 'MTTR' || k.metric_type === 'INCIDENT_COUNT'),
    );
    expect(data.kpi_summary).toHaveLength(2);
    expect(data.anomaly_summary).toEqual(await engine.anomalies.summary());
    expect(data.recent_anomalies).toEqual((await engine.anomalies.list({ pageSize: 1 })).results);
    expect(data.recent_anomalies).toHaveLength(1);
    expect(data.cost_summary).toEqual(await engine.costs.summary());
    expect(data.cost_summary).toMatchObject({ total_cost: '350.15' }); // 100.10 + 50.05 + 200.00
    expect(data.heatmap_data).toEqual((await engine.heatmaps.list()).results);
    expect(data.heatmap_data).toHaveLength(1);
    // No insights exist: the keys are there and empty, the summary counts nothing.
    expect(data.recent_insights).toEqual([]);
    expect(data.insight_summary).toEqual(await engine.insights.summary());
    expect(data.insight_summary).toMatchObject({ total_insights: 0 });
    expect(data.last_updated).toEqual(fixedNow);

    // Only the keys of configured widgets are present.
    const spec = await engine.dashboards.create(specDashboard);
    expect(Object.keys((await engine.dashboards.data(spec.id)).data).sort()).toEqual([
      'anomaly_summary',
      'kpi_summary',
      'last_updated',
    ]);
  });

  it('caches the data for the refresh interval and drops it when the configuration changes', async () => {
    let now = fixedNow;
    engine = await heatmapEngine(() => now);
    await engine.heatmaps.refresh({ heatmapType: 'INCIDENT_FREQUENCY', timeGranularity: 'HOURLY' });
    const { id } = await engine.dashboards.create(everyWidget); // refresh_interval_seconds: 60
    const first = await engine.dashboards.data(id);
    // A new incident and a new heatmap: the cached data still holds until 60 s have passed.
    await engine.incidents.ingest({
      records: [{ external_id: 'G', title: 'g', severity: 'LOW', created_at: '2024-03-14T08:00:00Z' }],
    });
    await engine.heatmaps.refresh({ heatmapType: 'INCIDENT_FREQUENCY', timeGranularity: 'HOURLY' });
    now = new Date(fixedNow.getTime() + 59_999);
    const cached = await engine.dashboards.data(id);
    expect(cached).toBe(first);
    now = new Date(fixedNow.getTime() + 60_000);
    const fresh = await engine.dashboards.data(id);
    expect(fresh.data.last_updated).toEqual(now);
    expect(fresh.etag).not.toBe(first.etag);
    const cells = (d: typeof fresh) =>
      ((d.data.heatmap_data ?? [])[0] as { values: number[][] }).values.flat();
    expect(cells(fresh).reduce((a, b) => a + b, 0)).toBe(cells(first).reduce((a, b) => a + b, 0) + 1);

    // Recomputed unchanged later: a new last_updated, the same entity tag.
    now = new Date(fixedNow.getTime() + 120_000);
    const again = await engine.dashboards.data(id);
    expect(again.data.last_updated).toEqual(now);
    expect(again.etag).toBe(fresh.etag);

    // A configuration change drops the cache at once.
    await engine.dashboards.update(id, { widget_configs: everyWidget.widget_configs.slice(0, 1) });
    const changed = await engine.dashboards.data(id);
    expect(Object.keys(changed.data).sort()).toEqual(['kpi_summary', 'last_updated']);
  });
});
