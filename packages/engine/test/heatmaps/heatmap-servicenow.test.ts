import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonInBackground } from '../../../../test/support/python-reference.ts';
import { type Engine, openEngine } from '../../src/index.ts';

const zip = path.resolve(import.meta.dirname, '../../../..', '../shared/data/incident_event_log.zip');

/*
 * The pandas reference, computed live from the raw CSV with the ingestion's derivation rules (as in
 * kpi-servicenow.test.ts): one incident per `number`, its fields from its latest event (ordered by
 * sys_updated_at parsed day-first, then sys_mod_count, then file order), its category the latest
 * one given (`groupby().last()` skips '?'); created_at = opened_at, resolved_at = resolved_at. Over
 * the period [2016-02-29, 2017-03-01) (every incident), `pivot_table` gives:
 * - `hourly`: incidents by ISO weekday × hour of day (count, zeros filled);
 * - `monthly`: incidents by ISO weekday × month;
 * - `weekly_mttr`: mean resolution hours by category ('' for none) × ISO week (its Monday).
 */
const pandasReference = `
import json, sys, zipfile
import pandas as pd
with zipfile.ZipFile(sys.argv[1]) as z:
    df = pd.read_csv(z.open(z.namelist()[0]), na_values=['?'], keep_default_na=False, dtype=str)
df['order'] = range(len(df))
df['upd'] = pd.to_datetime(df['sys_updated_at'], format='%d/%m/%Y %H:%M')
df['mods'] = pd.to_numeric(df['sys_mod_count'])
ordered = df.sort_values(['number', 'upd', 'mods', 'order'])
last = ordered.groupby('number').tail(1).set_index('number')
inc = pd.DataFrame({
    'opened': pd.to_datetime(last['opened_at'], format='%d/%m/%Y %H:%M'),
    'resolved': pd.to_datetime(last['resolved_at'], format='%d/%m/%Y %H:%M'),
    'category': ordered.groupby('number')['category'].last().reindex(last.index).fillna(''),
})
inc = inc[(inc.opened >= '2016-02-29') & (inc.opened < '2017-03-01')]
inc['weekday'] = inc.opened.dt.dayofweek + 1
inc['hour'] = inc.opened.dt.hour
inc['month'] = inc.opened.dt.strftime('%Y-%m')
inc['week'] = (inc.opened.dt.normalize() - pd.to_timedelta(inc.opened.dt.dayofweek, unit='D')).dt.strftime('%Y-%m-%d')
inc['hours'] = (inc.resolved - inc.opened).dt.total_seconds() / 3600
hourly = inc.pivot_table(index='weekday', columns='hour', values='opened', aggfunc='count', fill_value=0)
monthly = inc.pivot_table(index='weekday', columns='month', values='opened', aggfunc='count', fill_value=0)
mttr = inc.pivot_table(index='category', columns='week', values='hours', aggfunc='mean')
out = {
    'incidents': int(len(inc)),
    'hourly': {str(r): {str(c): int(v) for c, v in row.items()} for r, row in hourly.iterrows()},
    'monthly': {str(r): {c: int(v) for c, v in row.items()} for r, row in monthly.iterrows()},
    'weekly_mttr': {r: {c: float(v) for c, v in row.items() if pd.notna(v)} for r, row in mttr.iterrows()},
}
print(json.dumps(out))
`;

interface Pandas {
  incidents: number;
  hourly: Record<string, Record<string, number>>;
  monthly: Record<string, Record<string, number>>;
  weekly_mttr: Record<string, Record<string, number>>;
}

let engine: Engine;
let pandas: Pandas;
const period = { start: new Date('2016-02-29T00:00:00Z'), end: new Date('2017-03-01T00:00:00Z') };

beforeAll(async () => {
  // pandas reads the log while the engine ingests it: one core each.
  const reference = pythonInBackground<Pandas>(pandasReference, [zip]);
  engine = await openEngine({ path: ':memory:', workers: { threads: 1 } });
  await engine.incidents.ingest({ path: zip, format: 'servicenow' });
  pandas = await reference;
}, 120_000);
afterAll(() => engine?.close());

/** A grid as `{ rowKey: { columnKey: value } }`, keeping only cells that pass `keep`. */
function cellsOf(
  grid: { rows: string[]; columns: string[]; values: (number | null)[][] },
  keep: (value: number | null) => boolean,
): Record<string, Record<string, number | null>> {
  const out: Record<string, Record<string, number | null>> = {};
  grid.rows.forEach((row, i) => {
    grid.columns.forEach((column, j) => {
      const value = grid.values[i]?.[j] ?? null;
      if (!keep(value)) return;
      out[row] ??= {};
      (out[row] as Record<string, number | null>)[column] = value;
    });
  });
  return out;
}

describe('heatmaps of the UCI ServiceNow event log against pandas pivot_table', () => {
  it('counts incidents by weekday and hour of day as pandas does', async () => {
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'HOURLY', { period });
    const total = grid.values.flat().reduce<number>((sum, v) => sum + (v ?? 0), 0);
    expect(pandas.incidents).toBeGreaterThan(20_000);
    expect(total).toBe(pandas.incidents);
    expect(cellsOf(grid, () => true)).toEqual(pandas.hourly);
  });

  it('counts incidents by weekday and month as pandas does', async () => {
    const grid = await engine.heatmaps.compute('INCIDENT_FREQUENCY', 'MONTHLY', { period });
    // The period starts on 29 February, so February 2016 is a column; pandas lists only months with data.
    const ours = cellsOf(grid, () => true);
    for (const [weekday, months] of Object.entries(pandas.monthly)) {
      for (const [month, count] of Object.entries(months)) expect(ours[weekday]?.[month]).toBe(count);
    }
    expect(grid.values.flat().reduce<number>((sum, v) => sum + (v ?? 0), 0)).toBe(pandas.incidents);
  });

  it('averages resolution hours by category and week as pandas does', async () => {
    const grid = await engine.heatmaps.compute('RESOLUTION_TIME', 'WEEKLY', { period });
    const ours = cellsOf(grid, (v) => v !== null);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(pandas.weekly_mttr).sort());
    for (const [category, weeks] of Object.entries(pandas.weekly_mttr)) {
      expect(Object.keys(ours[category] ?? {}).sort()).toEqual(Object.keys(weeks).sort());
      for (const [week, hours] of Object.entries(weeks)) {
        // Ours is rounded to 4 decimals.
        expect(ours[category]?.[week]).toBeCloseTo(hours, 3);
      }
    }
  });
});
