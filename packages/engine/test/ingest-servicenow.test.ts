import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../src/index.ts';
import { parseServiceNowDate } from '../src/ingest/readers/servicenow.ts';
import { internalContext } from '../src/internal.ts';

const ucizip = path.resolve(import.meta.dirname, '../../..', '../shared/data/incident_event_log.zip');

/** Column values of the whole table, for comparing two ingests. */
async function snapshot(engine: Engine) {
  return internalContext(engine).db.all(
    'SELECT * EXCLUDE (ingested_at, updated_at), CAST(id AS VARCHAR) AS id FROM incidents ORDER BY external_id',
  );
}

describe('the UCI ServiceNow event log', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => new Date('2026-01-01T00:00:00Z') });
  });
  afterAll(() => engine.close());

  it('ingests to 24,918 incidents, and a second ingest keeps 24,918 with the same ids and values', async () => {
    // 141,712 events of 24,918 incidents (data/README.md; pandas: df.number.nunique()).
    const first = await engine.incidents.ingest({ path: ucizip });
    expect(first).toEqual({ received: 24_918, inserted: 24_918, updated: 0, skipped: 0, errors: [] });
    expect(await engine.incidents.count()).toBe(24_918);
    const before = await snapshot(engine);

    const second = await engine.incidents.ingest({ path: ucizip, format: 'servicenow' });
    expect(second).toEqual({ received: 24_918, inserted: 0, updated: 24_918, skipped: 0, errors: [] });
    expect(await engine.incidents.count()).toBe(24_918);
    expect(await snapshot(engine)).toEqual(before);
  });

  it('derives the fields pandas derives from the raw CSV', async () => {
    // Reference values from /usr/bin/python3 with pandas 2 on the raw CSV (na_values='?'): events sorted
    // by (number, sys_updated_at, sys_mod_count, file order); acknowledged_at = min sys_updated_at of
    // state Active, null when before opened_at; other fields from the last event; escalation_level =
    // count of events whose priority digit is below the previous event's.
    const expected = [
      {
        external_id: 'INC0000045',
        created_at: '2016-02-29T01:16:00.000Z',
        acknowledged_at: null,
        resolved_at: '2016-02-29T11:29:00.000Z',
        closed_at: '2016-03-05T12:00:00.000Z',
        category: 'Category 55',
        subcategory: 'Subcategory 170',
        team: 'Group 56',
        severity: 'MEDIUM',
        priority: 'P3',
        reassignment_count: 0,
        reopen_count: 0,
        escalation_level: 0,
      },
      {
        external_id: 'INC0000047',
        created_at: '2016-02-29T04:40:00.000Z',
        acknowledged_at: '2016-02-29T05:30:00.000Z',
        resolved_at: '2016-03-01T09:52:00.000Z',
        closed_at: '2016-03-06T10:00:00.000Z',
        category: 'Category 40',
        subcategory: 'Subcategory 215',
        team: 'Group 24',
        severity: 'MEDIUM',
        priority: 'P3',
        reassignment_count: 1,
        reopen_count: 0,
        escalation_level: 0,
      },
      {
        external_id: 'INC0000062',
        created_at: '2016-02-29T06:58:00.000Z',
        acknowledged_at: null,
        resolved_at: '2016-02-29T15:51:00.000Z',
        closed_at: '2016-03-05T16:00:00.000Z',
        category: 'Category 53',
        subcategory: 'Subcategory 168',
        team: 'Group 23',
        severity: 'HIGH',
        priority: 'P2',
        reassignment_count: 1,
        reopen_count: 0,
        escalation_level: 1,
      },
      {
        external_id: 'INC0000102',
        created_at: '2016-02-29T09:06:00.000Z',
        acknowledged_at: '2016-03-03T17:29:00.000Z',
        resolved_at: '2016-03-17T16:28:00.000Z',
        closed_at: '2016-03-24T18:59:00.000Z',
        category: 'Category 37',
        subcategory: 'Subcategory 135',
        team: 'Group 23',
        severity: 'MEDIUM',
        priority: 'P3',
        reassignment_count: 4,
        reopen_count: 1,
        escalation_level: 0,
      },
      {
        // Its first Active event precedes opened_at: acknowledgement unknown.
        external_id: 'INC0000131',
        created_at: '2016-02-29T09:41:00.000Z',
        acknowledged_at: null,
        resolved_at: '2016-03-03T09:27:00.000Z',
        closed_at: '2016-03-08T10:00:00.000Z',
        category: 'Category 45',
        subcategory: 'Subcategory 220',
        team: 'Group 66',
        severity: 'MEDIUM',
        priority: 'P3',
        reassignment_count: 0,
        reopen_count: 0,
        escalation_level: 0,
      },
    ];
    for (const want of expected) {
      const page = await engine.incidents.list({
        search: undefined,
        filters: {},
        pageSize: 1,
        ordering: 'created_at',
      });
      expect(page.count).toBe(24_918);
      const row = await internalContext(engine).db.one(
        `SELECT external_id, strftime(created_at, '%Y-%m-%dT%H:%M:%S.000Z') AS created_at,
           strftime(acknowledged_at, '%Y-%m-%dT%H:%M:%S.000Z') AS acknowledged_at,
           strftime(resolved_at, '%Y-%m-%dT%H:%M:%S.000Z') AS resolved_at,
           strftime(closed_at, '%Y-%m-%dT%H:%M:%S.000Z') AS closed_at,
           category, subcategory, team, severity, priority, reassignment_count, reopen_count, escalation_level
         FROM incidents WHERE external_id = $id`,
        { id: want.external_id },
      );
      expect(row).toEqual(want);
    }
  });

  it('matches pandas on whole-log aggregates', async () => {
    // pandas, same derivation as above: 15,011 incidents acknowledged; escalations sum 313;
    // reassignments sum 23,414; reopens sum 331; severities from impact/urgency of the last event;
    // 1,556 never resolved; 373 without assignment group; mean acknowledgement 125,455.403 s.
    const row = await internalContext(engine).db.one(`SELECT
        count(acknowledged_at) AS acknowledged, sum(escalation_level) AS escalations,
        sum(reassignment_count) AS reassignments, sum(reopen_count) AS reopens,
        count(*) FILTER (WHERE severity = 'MEDIUM') AS medium, count(*) FILTER (WHERE severity = 'LOW') AS low,
        count(*) FILTER (WHERE severity = 'HIGH') AS high, count(*) FILTER (WHERE severity = 'CRITICAL') AS critical,
        count(*) FILTER (WHERE priority = 'P1') AS p1, count(*) FILTER (WHERE priority = 'P4') AS p4,
        count(*) - count(resolved_at) AS unresolved, count(*) - count(team) AS no_team,
        avg(epoch(acknowledged_at) - epoch(created_at)) AS mtta,
        count(*) FILTER (WHERE status = 'CLOSED') AS closed
      FROM incidents`);
    expect(row).toMatchObject({
      acknowledged: 15_011n,
      escalations: 313n,
      reassignments: 23_414n,
      reopens: 331n,
      medium: 23_746n,
      low: 751n,
      high: 151n,
      critical: 270n,
      p1: 270n,
      p4: 774n,
      unresolved: 1_556n,
      no_team: 373n,
      closed: 24_918n,
    });
    expect(row?.['mtta']).toBeCloseTo(125_455.403, 2);
  });
});

describe('the ServiceNow reader on a small log', () => {
  const header =
    'number,incident_state,active,reassignment_count,reopen_count,sys_mod_count,made_sla,caller_id,opened_by,opened_at,sys_created_by,sys_created_at,sys_updated_by,sys_updated_at,contact_type,location,category,subcategory,u_symptom,cmdb_ci,impact,urgency,priority,assignment_group,assigned_to,knowledge,u_priority_confirmation,notify,problem_id,rfc,vendor,caused_by,closed_code,resolved_by,resolved_at,closed_at';
  const event = (
    n: string,
    state: string,
    mod: number,
    updated: string,
    priority: string,
    extra: Partial<Record<string, string>> = {},
  ) =>
    [
      n,
      state,
      'true',
      extra['reassign'] ?? '0',
      '0',
      String(mod),
      extra['sla'] ?? 'true',
      'Caller 1',
      'Opened by 1',
      extra['opened'] ?? '1/3/2016 10:00',
      '?',
      '?',
      'Updated by 1',
      updated,
      'Email',
      'Location 1',
      'Category 1',
      '?',
      '?',
      'CI 7',
      extra['impact'] ?? '2 - Medium',
      extra['urgency'] ?? '2 - Medium',
      priority,
      'Group 1',
      '?',
      'true',
      'false',
      'Do Not Notify',
      '?',
      '?',
      '?',
      '?',
      'code 1',
      '?',
      extra['resolved'] ?? '?',
      extra['closed'] ?? '?',
    ].join(',');

  it('orders events by sys_updated_at, counts priority raises, maps impact and urgency to severity', async () => {
    // Events deliberately out of file order: the latest (mod 3) comes first.
    const csv = [
      header,
      event('INC1', 'Resolved', 3, '2/3/2016 09:00', '1 - Critical', {
        impact: '1 - High',
        urgency: '1 - High',
        reassign: '2',
        resolved: '2/3/2016 09:00',
        sla: 'false',
      }),
      event('INC1', 'New', 0, '1/3/2016 10:00', '3 - Moderate'),
      event('INC1', 'Active', 1, '1/3/2016 10:30', '2 - High'),
      event('INC1', 'Active', 2, '1/3/2016 11:00', '1 - Critical'),
      event('INC2', 'Awaiting User Info', 0, '1/3/2016 10:05', '4 - Low', { impact: '3 - Low' }),
    ].join('\n');
    const engine = await openEngine({ path: ':memory:' });
    const report = await engine.incidents.ingest({
      data: new TextEncoder().encode(csv),
      format: 'servicenow',
    });
    expect(report).toMatchObject({ received: 2, inserted: 2, skipped: 0 });
    const page = await engine.incidents.list({ ordering: 'title,created_at', pageSize: 10 });
    const [one, two] = [...page.results].sort((a, b) => a.external_id.localeCompare(b.external_id));
    // Worked by hand: priority 3 → 2 → 1 is two raises; first Active at 10:30; last event wins.
    expect(one).toMatchObject({
      external_id: 'INC1',
      severity: 'CRITICAL',
      priority: 'P1',
      status: 'RESOLVED',
      escalation_level: 2,
      reassignment_count: 2,
      service: 'CI 7',
      team: 'Group 1',
      created_at: new Date('2016-03-01T10:00:00Z'),
      acknowledged_at: new Date('2016-03-01T10:30:00Z'),
      resolved_at: new Date('2016-03-02T09:00:00Z'),
      subcategory: null,
      tags: ['contact:email', 'sla:missed'],
    });
    expect(two).toMatchObject({
      external_id: 'INC2',
      severity: 'LOW',
      priority: 'P4',
      status: 'ON_HOLD',
      acknowledged_at: null,
    });
    await engine.close();
  });

  it('parses day/month/year dates as UTC and leaves impossible ones for the schema to reject', () => {
    expect(parseServiceNowDate('29/2/2016 01:16')).toEqual(new Date('2016-02-29T01:16:00Z'));
    expect(parseServiceNowDate('?')).toBeNull();
    expect(parseServiceNowDate('31/2/2016 01:16')).toBe('31/2/2016 01:16');
  });

  it('names the row and line of an incident whose opening date is unreadable, and writes nothing', async () => {
    const csv = [
      header,
      event('INC1', 'New', 0, '1/3/2016 10:00', '3 - Moderate'),
      event('INC2', 'New', 0, '1/3/2016 10:00', '3 - Moderate', { opened: 'yesterday' }),
    ].join('\n');
    const engine = await openEngine({ path: ':memory:' });
    const error = await engine.incidents.ingest({ data: csv, format: 'servicenow' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { errors: [{ row: 2, line: 3, field: 'created_at' }] },
    });
    expect(await engine.incidents.count()).toBe(0);
    await engine.close();
  });
});
