import { afterEach, describe, expect, it } from 'vitest';
import { type Engine, EngineError } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { insertAnomaly, insertIncidents } from './insight-fixtures.ts';
import { allInsights, fridayScenario } from './insight-scenario.ts';

const at = (iso: string) => new Date(iso);
const analyst = '11111111-1111-4111-8111-111111111111';
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/**
 * The Friday scenario's 10 insights, generated at 2024-03-08 10:00; then what happened: 5 incidents
 * on checkout on Saturday 9 March (none on search), A escalated and resolved at 15:00 on 8 March
 * (27 h after it opened), B and C left as they were, one anomaly on Saturday morning.
 */
async function generatedAndLived() {
  const scenario = await fridayScenario();
  engine = scenario.engine;
  await scenario.insights.generate();
  const byTitle = async (title: string) =>
    (await allInsights(scenario.insights)).find((i) => i.title === title)!;
  await insertIncidents(
    scenario.engine,
    [1, 2, 3, 4, 5].map((h) => ({
      external_id: `S-${h}`,
      created_at: `2024-03-09T0${h}:00:00`,
      service: 'checkout',
    })),
  );
  await internalContext(scenario.engine).db.run(
    `UPDATE incidents SET escalation_level = 1, status = 'RESOLVED', resolved_at = TIMESTAMP '2024-03-08 15:00:00'
     WHERE id = $id::UUID`,
    { id: scenario.ids.A },
  );
  await insertAnomaly(scenario.engine, scenario.models.anomaly, '2024-03-09T08:00:00', 'search');
  return { ...scenario, byTitle };
}

describe('insights after their window', () => {
  it('validates the ended ones with the accuracy worked by hand, once', async () => {
    const { insights, setClock, byTitle } = await generatedAndLived();
    setClock(at('2024-03-10T01:00:00Z'));
    // The three day forecasts, the three 24-hour risks and tomorrow's anomaly risk ended; the week ones did not.
    expect(await insights.validateDue()).toBe(7);
    expect(await insights.validateDue()).toBe(0);
    const accuracy = async (title: string) => {
      const i = await byTitle(title);
      return [i.is_validated, i.validated_at, i.actual_value, i.accuracy];
    };
    const validatedAt = at('2024-03-10T01:00:00Z');
    // 6 predicted, 5 happened: 1 - 1/6.
    const overall = await accuracy('Expect 6 incidents tomorrow');
    expect(overall.slice(0, 3)).toEqual([true, validatedAt, { value: 5, unit: 'incidents' }]);
    expect(overall[3]).toBeCloseTo(5 / 6, 10);
    // checkout: 4 predicted, 5 happened: 1 - 1/5; search: 1 predicted, 0 happened: 1 - 1/1.
    expect((await accuracy('Expect 4 incidents on checkout tomorrow'))[3]).toBeCloseTo(0.8, 10);
    expect((await accuracy('Expect 1 incident on search tomorrow'))[3]).toBe(0);
    // Severity: B is CRITICAL (came true), A stayed MEDIUM (did not): 1/2.
    const severity = await byTitle('2 open incidents on checkout likely HIGH or CRITICAL');
    expect(severity.accuracy).toBe(0.5);
    expect(severity.actual_value).toMatchObject({ value: 1, of: 2 });
    // Escalation: A was escalated: 1/1.
    expect((await byTitle('1 open incident on checkout likely to escalate')).accuracy).toBe(1);
    // Resolution over 8 h: A took 27 h, C is still open 46 h after it opened at the window's end: 2/2.
    const delay = await byTitle('2 open incidents of payments likely to take longer than 8 h');
    expect(delay.accuracy).toBe(1);
    // Anomalies: one happened on Saturday: the risk came true.
    expect((await byTitle('Anomalies likely tomorrow (63% chance)')).actual_value).toEqual({
      value: 1,
      unit: 'anomalies',
      came_true: true,
    });
    const week = await byTitle('Expect 42 incidents in the next 7 days');
    expect([week.is_validated, week.accuracy, week.actual_value]).toEqual([false, null, null]);
  });

  it('summarises exactly the spec fields, worked by hand', async () => {
    const { insights, setClock, byTitle } = await generatedAndLived();
    const first = await byTitle('Expect 6 incidents tomorrow');
    await insights.acknowledge(first.id, analyst);
    setClock(at('2024-03-10T01:00:00Z'));
    await insights.validateDue();
    // 10 insights: HIGH = checkout day and week, severity, resolution; MEDIUM = overall day and week,
    // escalation, anomaly; LOW = search day and week. Expired at 10 March 01:00: all but the 3 week ones.
    // Accuracy: (5/6 + 0.8 + 0 + 0.5 + 1 + 1 + 1) / 7 = 0.7333. Active models: 6 (one is INACTIVE).
    expect(await insights.summary()).toEqual({
      total_insights: 10,
      high_confidence_insights: 4,
      medium_confidence_insights: 4,
      low_confidence_insights: 2,
      acknowledged_insights: 1,
      validated_insights: 7,
      expired_insights: 7,
      average_accuracy: '0.73',
      active_models: 6,
    });
  });

  it('says null for the average accuracy before anything is validated', async () => {
    const { insights } = await generatedAndLived();
    expect(await insights.summary()).toMatchObject({
      total_insights: 10,
      validated_insights: 0,
      average_accuracy: null,
    });
  });

  it('acknowledges once, recording who and when', async () => {
    const { insights, setClock, byTitle } = await generatedAndLived();
    const insight = await byTitle('Expect 6 incidents tomorrow');
    setClock(at('2024-03-08T10:30:00Z'));
    const acknowledged = await insights.acknowledge(insight.id, analyst);
    expect([
      acknowledged.is_acknowledged,
      acknowledged.acknowledged_by,
      acknowledged.acknowledged_at,
    ]).toEqual([true, analyst, at('2024-03-08T10:30:00Z')]);
    expect((await rejection(insights.acknowledge(insight.id, analyst))).code).toBe('CONFLICT');
    expect((await rejection(insights.acknowledge('8f0e2a3c-0000-4000-8000-000000000000', null))).code).toBe(
      'NOT_FOUND',
    );
    const other = await byTitle('Expect 1 incident on search tomorrow');
    expect((await rejection(insights.acknowledge(other.id, 'not-a-user'))).code).toBe('VALIDATION_ERROR');
    expect((await insights.get(other.id)).is_acknowledged).toBe(false);
    // The system (no stored user) acknowledges with nobody recorded.
    expect((await insights.acknowledge(other.id, null)).acknowledged_by).toBeNull();
  });

  it('filters the list by each of the spec filters, leaving expired insights out unless asked', async () => {
    const { insights, setClock, byTitle } = await generatedAndLived();
    await insights.acknowledge((await byTitle('Expect 6 incidents tomorrow')).id, analyst);
    setClock(at('2024-03-10T01:00:00Z'));
    await insights.validateDue();
    const count = async (filters: Record<string, unknown>) => (await insights.list({ filters })).count;
    expect(await count({})).toBe(3); // only the week forecasts are not expired
    expect(
      (await insights.list()).results.every((i) => !i.is_expired && i.insight_type === 'INCIDENT_FORECAST'),
    ).toBe(true);
    expect(await count({ include_expired: true })).toBe(10);
    expect(await count({ include_expired: 'true' })).toBe(10);
    expect(await count({ include_expired: 'false' })).toBe(3);
    expect(await count({ include_expired: true, insight_type: 'SEVERITY_RISK' })).toBe(1);
    expect(await count({ include_expired: true, insight_type: 'INCIDENT_FORECAST' })).toBe(6);
    expect(await count({ include_expired: true, confidence_level: 'LOW' })).toBe(2);
    expect(await count({ confidence_level: 'LOW' })).toBe(1); // search's week forecast
    expect(await count({ include_expired: true, is_acknowledged: true })).toBe(1);
    expect(await count({ include_expired: true, is_acknowledged: 'false' })).toBe(9);
    expect(await count({ include_expired: true, is_validated: true })).toBe(7);
    expect(await count({ is_validated: false })).toBe(3);
    for (const bad of [
      { insight_type: 'NOPE' },
      { confidence_level: 'high' },
      { is_validated: 'maybe' },
      { colour: 'red' },
    ]) {
      expect((await rejection(insights.list({ filters: bad }))).code).toBe('VALIDATION_ERROR');
    }
    // An expired insight is still there by id, marked expired.
    const expired = await insights.get((await byTitle('Expect 6 incidents tomorrow')).id);
    expect([expired.is_expired, expired.expires_at]).toEqual([true, at('2024-03-10T00:00:00Z')]);
  });
});
