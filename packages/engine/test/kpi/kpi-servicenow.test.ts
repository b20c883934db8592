import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonInBackground } from '../../../../test/support/python-reference.ts';
import { type Engine, openEngine } from '../../src/index.ts';

const zip = path.resolve(import.meta.dirname, '../../../..', '../shared/data/incident_event_log.zip');

/*
 * The pandas reference, computed live from the raw CSV with the ingestion's derivation rules:
 * one incident per `number`; its fields from its latest event (ordered by sys_updated_at parsed
 * day-first, then sys_mod_count, then file order); created_at = opened_at, resolved_at = resolved_at
 * ('?' = missing), priority = the leading digit of `priority` ("3 - Moderate" → P3). Incidents
 * opened in the measured window [2016-02-29, 2017-03-01) only (that is all of them). MTTR per
 * priority = mean of (resolved_at − opened_at) in hours over resolved incidents; resolved share =
 * resolved incidents / incidents × 100.
 */
const pandasReference = `
import json, sys, zipfile
import pandas as pd
with zipfile.ZipFile(sys.argv[1]) as z:
    df = pd.read_csv(z.open(z.namelist()[0]), na_values=['?'], keep_default_na=False, dtype=str)
df['order'] = range(len(df))
df['upd'] = pd.to_datetime(df['sys_updated_at'], format='%d/%m/%Y %H:%M')
df['mods'] = pd.to_numeric(df['sys_mod_count'])
last = df.sort_values(['number', 'upd', 'mods', 'order']).groupby('number').tail(1)
opened = pd.to_datetime(last['opened_at'], format='%d/%m/%Y %H:%M')
resolved = pd.to_datetime(last['resolved_at'], format='%d/%m/%Y %H:%M')
inside = (opened >= '2016-02-29') & (opened < '2017-03-01')
hours = (resolved - opened).dt.total_seconds() / 3600
prio = 'P' + last['priority'].str[0]
out = {'mttr': {p: float(hours[inside & (prio == p)].mean()) for p in sorted(prio[inside].unique())},
       'resolved_share': float(resolved[inside].notna().mean() * 100), 'incidents': int(inside.sum())}
print(json.dumps(out))
`;

let engine: Engine;
let pandas: { mttr: Record<string, number>; resolved_share: number; incidents: number };

beforeAll(async () => {
  // pandas reads the log while the engine ingests it: one core each.
  const reference = pythonInBackground<typeof pandas>(pandasReference, [zip]);
  engine = await openEngine({ path: ':memory:' });
  await engine.incidents.ingest({ path: zip });
  pandas = await reference;
}, 120_000);
afterAll(() => engine?.close());

const end = new Date('2017-03-01T00:00:00Z');
const windowHours = 366 * 24; // back to 2016-02-29T00:00Z, before the first incident (01:16)

describe('the UCI ServiceNow event log against pandas', () => {
  it('gives MTTR by priority as pandas does', async () => {
    expect(Object.keys(pandas.mttr)).toEqual(['P1', 'P2', 'P3', 'P4']);
    for (const [priority, hours] of Object.entries(pandas.mttr)) {
      const metric = await engine.kpis.create({
        name: `MTTR ${priority}`,
        metric_type: 'MTTR',
        incident_priorities: [priority as 'P1'],
      });
      const { measurement } = await engine.kpis.calculate(metric.id, { end, windowHours });
      expect(Number(measurement.value)).toBeCloseTo(hours, 3);
    }
  });

  it('gives the share of incidents resolved as pandas does', async () => {
    const metric = await engine.kpis.create({ name: 'resolved', metric_type: 'RESOLUTION_RATE' });
    const { measurement } = await engine.kpis.calculate(metric.id, { end, windowHours });
    expect(measurement.incident_count).toBe(pandas.incidents);
    expect(Number(measurement.value)).toBeCloseTo(pandas.resolved_share, 3);
  });
});
