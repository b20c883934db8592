import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, EngineError } from '../../src/index.ts';
import type { InsightModelSource } from '../../src/insights/insight-generation.ts';
import { internalContext } from '../../src/internal.ts';
import { insertIncidents, insightServiceWith } from './insight-fixtures.ts';
import { allInsights, fridayScenario } from './insight-scenario.ts';

const at = (iso: string) => new Date(iso);
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function scenario() {
  const opened = await fridayScenario();
  engine = opened.engine;
  return opened;
}

describe('insight generation from the serving models', () => {
  it('makes forecasts for tomorrow and the week and risks for open incidents, worded for a manager', async () => {
    const { insights, models, ids } = await scenario();
    const result = await insights.generate();
    expect(result).toMatchObject({
      created: 10,
      validated: 0,
      updated: 0,
      models: 6, // the inactive model is left out
      byType: {
        INCIDENT_FORECAST: 6,
        SEVERITY_RISK: 1,
        ESCALATION_RISK: 1,
        RESOLUTION_DELAY: 1,
        ANOMALY_RISK: 1,
      },
    });
    const stored = await allInsights(insights);
    const find = (type: string, text: string) =>
      stored.find((i) => i.insight_type === type && i.title.includes(text))!;

    // Tomorrow overall: 6 (4..9) against 5 on each of the last 4 Saturdays; confidence 1 / (1 + 5/12) = 12/17.
    const tomorrow = find('INCIDENT_FORECAST', 'Expect 6 incidents tomorrow');
    expect(tomorrow.title).toBe('Expect 6 incidents tomorrow');
    expect(tomorrow.description).toBe(
      "Expect 6 incidents tomorrow (Saturday 9 March 2024), between 4 and 9, 20% above the last 4 weeks' average for Saturdays (5).",
    );
    expect(tomorrow.prediction_value).toMatchObject({
      value: 6,
      lower: 4,
      upper: 9,
      unit: 'incidents',
      horizon: 'day',
      group: null,
    });
    expect(tomorrow.confidence_score).toBeCloseTo(12 / 17, 10);
    expect(tomorrow.confidence_level).toBe('MEDIUM');
    expect([tomorrow.prediction_window_start, tomorrow.prediction_window_end, tomorrow.expires_at]).toEqual([
      at('2024-03-09T00:00:00Z'),
      at('2024-03-10T00:00:00Z'),
      at('2024-03-10T00:00:00Z'),
    ]);
    expect([tomorrow.model, tomorrow.model_version]).toEqual([models.overall, '3']);
    expect(tomorrow.recommendations[0]).toBe(
      'Plan extra on-call cover tomorrow: the forecast is 20% above usual.',
    );

    // The week: 7 x 6 = 42 (28..63) against the 4 weeks before today: 35, 35, 35 and 35 + A, B, C = 38,
    // mean 35.75 (shown rounded: 36); 42 / 35.75 - 1 = 17.48%, shown as 17%.
    const week = find('INCIDENT_FORECAST', 'Expect 42 incidents in the next 7 days');
    expect(week.description).toBe(
      "Expect 42 incidents in the next 7 days (from Saturday 9 March 2024), between 28 and 63, 17% above the last 4 weeks' average (36).",
    );
    expect(week.prediction_value).toMatchObject({ reference: { value: 35.75 } });
    expect(week.prediction_window_end).toEqual(at('2024-03-16T00:00:00Z'));

    // Per service: checkout 4 (3..5) is usual, confidence 1 / (1 + 2/8) = 0.8; search 1 (0..5) is LOW: 1 / (1 + 5/2).
    const checkout = find('INCIDENT_FORECAST', 'on checkout tomorrow');
    expect(checkout.description).toContain("in line with the last 4 weeks' average for Saturdays (4)");
    expect([checkout.confidence_score, checkout.confidence_level, checkout.affected_services]).toEqual([
      0.8,
      'HIGH',
      ['checkout'],
    ]);
    const search = find('INCIDENT_FORECAST', 'Expect 1 incident on search tomorrow');
    expect([search.confidence_score, search.confidence_level]).toEqual([1 / 3.5, 'LOW']);

    // Severity: B (0.85 + 0.05) and A (0.7 + 0.1) predicted HIGH/CRITICAL; mean 0.85.
    const severity = stored.find((i) => i.insight_type === 'SEVERITY_RISK')!;
    expect(severity.title).toBe('2 open incidents on checkout likely HIGH or CRITICAL');
    expect(severity.description).toBe(
      'The model "Severity model" rates 2 open incidents on checkout as likely HIGH or CRITICAL (average probability 85%); 1 of them is recorded as LOW or MEDIUM today.',
    );
    expect(severity.related_incidents).toEqual([ids.B, ids.A]);
    expect(severity.confidence_score).toBeCloseTo(0.85, 10);
    expect([severity.confidence_level, severity.prediction_window_start, severity.expires_at]).toEqual([
      'HIGH',
      at('2024-03-08T10:00:00Z'),
      at('2024-03-09T10:00:00Z'),
    ]);

    // Escalation: only A (0.6 > 0.5); C is already escalated, B below 0.5.
    const escalation = stored.find((i) => i.insight_type === 'ESCALATION_RISK')!;
    expect([escalation.related_incidents, escalation.confidence_score, escalation.confidence_level]).toEqual([
      [ids.A],
      0.6,
      'MEDIUM',
    ]);

    // Resolution over the 8 h SLA: C (P ~ 1) and A (12 with 5-95% band 8..16: P(> 8) = 0.95); B (6) is not late.
    const delay = stored.find((i) => i.insight_type === 'RESOLUTION_DELAY')!;
    expect(delay.related_incidents).toEqual([ids.C, ids.A]);
    expect(delay.confidence_score).toBeCloseTo((1 + 0.95) / 2, 4);
    expect(delay.prediction_value).toMatchObject({
      value: 16,
      threshold_hours: 8,
      threshold_basis: 'sla',
      unit: 'hours',
    });
    expect(delay.title).toBe('2 open incidents of payments likely to take longer than 8 h');

    // Anomalies: 28 in 28 days, lambda = 1 a day: P(at least one) = 1 - e^-1; Poisson 5-95% band 0..3 (scipy).
    const anomaly = stored.find((i) => i.insight_type === 'ANOMALY_RISK')!;
    expect(anomaly.confidence_score).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(anomaly.prediction_value).toMatchObject({ value: 1, lower: 0, upper: 3, unit: 'anomalies' });
    expect(anomaly.affected_services).toEqual(['checkout']);
    expect(anomaly.title).toBe('Anomalies likely tomorrow (63% chance)');
  });

  it('creates nothing new when run again for the same model versions and windows', async () => {
    const { insights, setClock, engine: e, models, calls } = await scenario();
    expect((await insights.generate()).created).toBe(10);
    expect(await insights.generate()).toMatchObject({ created: 0, updated: 0, byType: {} });
    setClock(at('2024-03-08T11:00:00Z')); // the next hourly run: same windows, risks still live
    expect(await insights.generate()).toMatchObject({ created: 0, updated: 0 });
    expect((await allInsights(insights)).length).toBe(10);
    // The daily forecast asked for today plus 8 days: (16 March - now) / 1 day rounded up, plus one.
    expect(calls.filter((c) => c.startsWith('forecast overall'))).toEqual(
      Array(3).fill('forecast overall 9'),
    );
    // A new version makes its own insights.
    await internalContext(e).db.run("UPDATE predictive_models SET version = '4' WHERE id = $id::UUID", {
      id: models.overall,
    });
    expect(await insights.generate()).toMatchObject({ created: 2, byType: { INCIDENT_FORECAST: 2 } });
  });

  it('adds incidents that turn risky to the live risk insight instead of making another', async () => {
    const { insights, engine: e, ids } = await scenario();
    await insights.generate();
    const more = await insertIncidents(e, [
      {
        external_id: 'D',
        created_at: '2024-03-08T09:00:00',
        service: 'checkout',
        team: 'payments',
        status: 'OPEN',
        resolved_at: null,
      },
    ]);
    const D = more.get('D') as string;
    const source: InsightModelSource = {
      forecastCounts: async () => [],
      predict: async () => ({
        predictions: [{ incident_id: D, label: 'CRITICAL', probabilities: { CRITICAL: 0.99 } }],
      }),
    };
    const models = await e.insights.list({ filters: { insight_type: 'SEVERITY_RISK' } });
    const severityModel = models.results[0]?.model as string;
    const later = insightServiceWith(e, source);
    const result = await later.generate({ modelId: severityModel });
    expect([result.created, result.updated]).toEqual([0, 1]);
    const risk = (await later.list({ filters: { insight_type: 'SEVERITY_RISK' } })).results;
    expect(risk).toHaveLength(1);
    expect(risk[0]?.related_incidents).toEqual([ids.B, ids.A, D]);
  });

  it('refuses an unknown or non-serving model by name and writes nothing', async () => {
    const { insights, models } = await scenario();
    const missing = await insights
      .generate({ modelId: '00000000-0000-4000-8000-000000000000' })
      .catch((e: unknown) => e);
    expect([(missing as EngineError).code, (await allInsights(insights)).length]).toEqual(['NOT_FOUND', 0]);
    const inactive = await insights.generate({ modelId: models.inactive }).catch((e: unknown) => e);
    expect(inactive).toBeInstanceOf(EngineError);
    expect((inactive as EngineError).code).toBe('CONFLICT');
    expect((await allInsights(insights)).length).toBe(0);
  });
});
