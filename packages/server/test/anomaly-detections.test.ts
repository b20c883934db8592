import { internalContext } from '@incident-insights/engine/internal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAnomaly } from '../../../test/support/anomaly-fixtures.ts';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

let server: TestServer;
const ids: string[] = [];

beforeAll(async () => {
  server = await startServer({
    populate: async (engine) => {
      const db = internalContext(engine).db;
      ids.push(
        await insertAnomaly(db, {
          severity: 'CRITICAL',
          detected_at: new Date('2026-03-01T10:00:00Z'),
          anomaly_type: 'STATISTICAL',
          description:
            '47 incidents for checkout on 2026-03-01 between 10:00 and 11:00 UTC; expected 8 to 15',
        }),
        await insertAnomaly(db, {
          severity: 'LOW',
          detected_at: new Date('2026-03-02T10:00:00Z'),
          anomaly_type: 'TEMPORAL',
        }),
        await insertAnomaly(db, { severity: 'MEDIUM', detected_at: new Date('2026-03-03T10:00:00Z') }),
      );
    },
  });
});
afterAll(async () => {
  await server.close();
  await server.engine.close();
});

describe('/api/analytics/anomaly-detections/', () => {
  it('lists with the spec filters and a viewer may read', async () => {
    const res = await server.fetch('/api/analytics/anomaly-detections/?anomaly_type=TEMPORAL', {
      as: 'viewer',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { count: number; results: { id: string }[] };
    expect(body.count).toBe(1);
    expect(body.results[0]?.id).toBe(ids[1]);
    const dated = await server.fetch(
      '/api/analytics/anomaly-detections/?start_date=2026-03-02&end_date=2026-03-02',
      {
        as: 'viewer',
      },
    );
    expect(((await dated.json()) as { count: number }).count).toBe(1);
    const bad = await server.fetch('/api/analytics/anomaly-detections/?severity=URGENT', { as: 'viewer' });
    expect(bad.status).toBe(400);
  });

  it('serves the detail with the spec record fields', async () => {
    const res = await server.fetch(`/api/analytics/anomaly-detections/${ids[0]}/`, { as: 'viewer' });
    expect(res.status).toBe(200);
    const a = (await res.json()) as Record<string, unknown>;
    for (const field of [
      'id',
      'model',
      'anomaly_type',
      'severity',
      'status',
      'confidence_score',
      'anomaly_score',
      'threshold_used',
      'detected_at',
      'time_window_start',
      'time_window_end',
      'related_incidents',
      'affected_services',
      'affected_metrics',
      'description',
      'root_cause_analysis',
      'impact_assessment',
      'actions_taken',
      'resolved_at',
      'resolved_by',
      'metadata',
    ]) {
      expect(a).toHaveProperty(field);
    }
    expect(a['detected_at']).toBe('2026-03-01T10:00:00.000Z');
    expect(
      (await server.fetch(`/api/analytics/anomaly-detections/${crypto.randomUUID()}/`, { as: 'viewer' }))
        .status,
    ).toBe(404);
  });

  it('acknowledges and resolves, answers 409 on an illegal transition and 403 to a viewer', async () => {
    const id = ids[0];
    const viewer = await server.fetch(`/api/analytics/anomaly-detections/${id}/acknowledge/`, {
      method: 'POST',
      as: 'viewer',
    });
    expect(viewer.status).toBe(403);
    const ack = await server.fetch(`/api/analytics/anomaly-detections/${id}/acknowledge/`, {
      method: 'POST',
      as: 'analyst',
    });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { status: string }).status).toBe('INVESTIGATING');
    const again = await server.fetch(`/api/analytics/anomaly-detections/${id}/acknowledge/`, {
      method: 'POST',
      as: 'analyst',
    });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'CONFLICT', details: { status: 'INVESTIGATING' } });
    const confirm = await server.fetch(`/api/analytics/anomaly-detections/${id}/confirm/`, {
      method: 'POST',
      as: 'analyst',
    });
    expect(((await confirm.json()) as { status: string }).status).toBe('CONFIRMED');
    const resolved = await server.fetch(`/api/analytics/anomaly-detections/${id}/resolve/`, {
      method: 'POST',
      as: 'admin',
      json: {
        root_cause_analysis: 'bad deploy',
        impact_assessment: 'checkout down 20 min',
        actions_taken: ['rollback'],
      },
    });
    expect(resolved.status).toBe(200);
    const body = (await resolved.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'RESOLVED',
      root_cause_analysis: 'bad deploy',
      impact_assessment: 'checkout down 20 min',
      // Appended with when and who (the admin user resolved it).
      actions_taken: [expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z admin: rollback$/)],
    });
    expect(body['resolved_by']).toEqual(expect.any(String));
    const twice = await server.fetch(`/api/analytics/anomaly-detections/${id}/resolve/`, {
      method: 'POST',
      as: 'admin',
      json: {},
    });
    expect(twice.status).toBe(409);
    const fp = await server.fetch(`/api/analytics/anomaly-detections/${ids[1]}/false-positive/`, {
      method: 'POST',
      as: 'analyst',
    });
    expect(((await fp.json()) as { status: string }).status).toBe('FALSE_POSITIVE');
  });

  it('gives the same summary as the library', async () => {
    const res = await server.fetch('/api/analytics/anomaly-detections/summary/', { as: 'viewer' });
    expect(res.status).toBe(200);
    const summary = await res.json();
    expect(summary).toEqual(await server.engine.anomalies.summary());
    // By hand from the test above: 3 anomalies (1 CRITICAL, 1 MEDIUM, 1 LOW); one confirmed and resolved,
    // one false positive, one detected → unresolved 1; reviewed 2, false positives 1 → "50.0".
    expect(summary).toMatchObject({
      total_anomalies: 3,
      critical_anomalies: 1,
      high_anomalies: 0,
      medium_anomalies: 1,
      low_anomalies: 1,
      unresolved_anomalies: 1,
      false_positive_rate: '50.0',
    });
  });
});

describe('the OpenAPI document', () => {
  it('describes the anomaly routes', async () => {
    const res = await server.fetch('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    for (const path of [
      '/api/analytics/anomaly-detections/',
      '/api/analytics/anomaly-detections/summary/',
      '/api/analytics/anomaly-detections/{id}/',
      '/api/analytics/anomaly-detections/{id}/acknowledge/',
      '/api/analytics/anomaly-detections/{id}/resolve/',
      '/api/analytics/anomaly-thresholds/',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});

describe('/api/analytics/anomaly-thresholds/', () => {
  it('creates, reads, updates and deletes thresholds; validates the body', async () => {
    const created = await server.fetch('/api/analytics/anomaly-thresholds/', {
      method: 'POST',
      as: 'analyst',
      json: {
        name: 'checkout hourly',
        series: 'incident_count:hour:service=checkout',
        kind: 'STATIC',
        upper: 20,
      },
    });
    expect(created.status).toBe(201);
    const t = (await created.json()) as { id: string; upper: number };
    expect(t.upper).toBe(20);
    const bad = await server.fetch('/api/analytics/anomaly-thresholds/', {
      method: 'POST',
      as: 'analyst',
      json: { name: 'no bound', series: 'MTTA', kind: 'STATIC' },
    });
    expect(bad.status).toBe(400);
    const put = await server.fetch(`/api/analytics/anomaly-thresholds/${t.id}/`, {
      method: 'PUT',
      as: 'analyst',
      json: { name: 'mtta band', series: 'MTTA', kind: 'DYNAMIC', sensitivity: 'high' },
    });
    expect(((await put.json()) as { kind: string }).kind).toBe('DYNAMIC');
    const list = await server.fetch('/api/analytics/anomaly-thresholds/?kind=DYNAMIC', { as: 'viewer' });
    expect(((await list.json()) as { count: number }).count).toBe(1);
    expect(
      (await server.fetch(`/api/analytics/anomaly-thresholds/${t.id}/`, { method: 'DELETE', as: 'viewer' }))
        .status,
    ).toBe(403);
    expect(
      (await server.fetch(`/api/analytics/anomaly-thresholds/${t.id}/`, { method: 'DELETE', as: 'analyst' }))
        .status,
    ).toBe(204);
    expect((await server.fetch(`/api/analytics/anomaly-thresholds/${t.id}/`, { as: 'viewer' })).status).toBe(
      404,
    );
  });
});
