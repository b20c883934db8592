import type { Readable } from 'node:stream';
import { EngineError } from '../../errors.ts';
import { batchSize, type RawBatch } from '../types.ts';
import { csvRecords, type TextInput, textStream } from './text-input.ts';
import { firstZipEntry, isZip } from './zip-entry.ts';

/**
 * Columns of the ServiceNow event log the reader uses; all must be in the header. Unlike the
 * generic tabular readers, it leaves the log's other columns unread instead of refusing them
 * (`active`, `opened_by`, `sys_created_by`, `sys_created_at`, `sys_updated_by`, `assigned_to`,
 * `knowledge`, `u_priority_confirmation`, `notify`, `problem_id`, `rfc`, `vendor`, `caused_by`,
 * `resolved_by` in the UCI log): the layout is fixed and documented, and those have no incident field.
 */
const needed = [
  'number',
  'incident_state',
  'reassignment_count',
  'reopen_count',
  'sys_mod_count',
  'made_sla',
  'caller_id',
  'opened_at',
  'sys_updated_at',
  'contact_type',
  'location',
  'category',
  'subcategory',
  'u_symptom',
  'cmdb_ci',
  'impact',
  'urgency',
  'priority',
  'assignment_group',
  'closed_code',
  'resolved_at',
  'closed_at',
] as const;
type Needed = (typeof needed)[number];

/** What is kept of one incident while its events stream by. */
interface Accumulator {
  /** 1-based order of first appearance: the incident's row. */
  readonly row: number;
  /** Line of its first event. */
  readonly line: number;
  /**
   * Per needed column: its latest known value (not `?`) and the order key (sys_updated_at,
   * sys_mod_count, file order) of the event it came from.
   */
  readonly latest: (string | undefined)[];
  readonly latestKey: (readonly number[] | undefined)[];
  /** Earliest sys_updated_at of an event in state Active (epoch ms), or NaN. */
  firstActive: number;
  /** Per event: sys_updated_at, sys_mod_count, file order, priority digit (flat, 4 numbers each). */
  events: number[];
}

/** The order key of an unreadable update time: it sorts first rather than poisoning the order. */
const unreadableTime = -8.64e15;

const dayMonthYear = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Parses the log's `29/2/2016 01:16` (day/month/year, 24-hour, no zone) as UTC; `?` or empty is
 * null. Text in another shape is returned as it is, for the schema to reject with the field name.
 */
export function parseServiceNowDate(text: string | undefined): Date | string | null {
  if (text === undefined || text === '?' || text === '') return null;
  const m = dayMonthYear.exec(text);
  if (!m) return text;
  const [day, month, year, hour, minute, second] = m.slice(1).map((v) => (v === undefined ? 0 : Number(v)));
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  // 31/2/2016 would roll over to March: refuse it rather than move the date.
  return date.getUTCDate() === day && date.getUTCMonth() === month! - 1 ? date : text;
}

/**
 * Reads the ServiceNow incident event log (the UCI "Incident management process enriched event
 * log" layout: one CSV row per update of an incident; zipped or plain), streaming, and folds each
 * incident's events into one incident record:
 *
 * - `external_id` = `number`; `created_at` = `opened_at`; `resolved_at`, `closed_at` from their
 *   columns; `acknowledged_at` = `sys_updated_at` of the first event in state `Active` (events
 *   ordered by `sys_updated_at`), left null when that precedes `opened_at` (the log then holds an
 *   `opened_at` edited after the fact, and the acknowledgement time is unknown).
 * - From the latest event that has a value (a later `?` does not erase an earlier value, as pandas'
 *   `groupby().last()` reads it): `category`, `subcategory`, `team` = `assignment_group`, `service` =
 *   `cmdb_ci` (the configuration item; mostly empty in the UCI log), `reassignment_count`,
 *   `reopen_count`, and the status: New → OPEN, Active → IN_PROGRESS, Awaiting … → ON_HOLD,
 *   Resolved → RESOLVED, Closed → CLOSED, anything else → derived from the timestamps.
 * - Severity from `impact` (how much is hit), raised to CRITICAL when urgency is also high:
 *   impact 1 and urgency 1 → CRITICAL; impact 1 → HIGH; 2 → MEDIUM; 3 → LOW.
 *   Priority from `priority` (`1 - Critical` … `5 - Planning`) → P1 … P5.
 * - `escalation_level` = how many times the priority was raised (made more urgent) from one event
 *   to the next; 0 when never.
 * - `title` = category / subcategory / symptom; `description` = contact type, location, caller and
 *   closing code; `tags` = `contact:<type>` and `sla:missed` when the latest event missed the SLA.
 * - `?` is null everywhere.
 *
 * Row `n` is the n-th incident by first appearance; its line is the line of its first event.
 * Incidents are emitted after the whole log is read (an incident's events may be anywhere), so
 * memory grows with the number of incidents, not of events.
 *
 * @throws EngineError VALIDATION_ERROR when a needed column is missing or the CSV is malformed.
 */
export async function* readServiceNow(input: TextInput): AsyncGenerator<RawBatch> {
  const incidents = new Map<string, Accumulator>();
  let index: Record<Needed, number> | undefined;
  let columns: number[] = [];
  let seq = 0;
  // Events share update times (50,664 distinct among the UCI log's 141,712): each is parsed once.
  const updateTimes = new Map<string | undefined, number>();
  const updateTime = (text: string | undefined): number => {
    let ms = updateTimes.get(text);
    if (ms === undefined) {
      const updated = parseServiceNowDate(text);
      ms = updated instanceof Date ? updated.getTime() : unreadableTime;
      updateTimes.set(text, ms);
    }
    return ms;
  };
  try {
    for await (const chunk of csvRecords(openText(input))) {
      for (const [cells, line] of chunk) {
        if (!index) {
          index = headerIndex(cells);
          const found = index;
          columns = needed.map((name) => found[name]);
          continue;
        }
        const number = cells[index.number];
        if (!number || number === '?') continue;
        seq++;
        const updatedMs = updateTime(cells[index.sys_updated_at]);
        const key: [number, number, number] = [updatedMs, Number(cells[index.sys_mod_count]) || 0, seq];
        let acc = incidents.get(number);
        if (!acc) {
          acc = {
            row: incidents.size + 1,
            line,
            latest: [],
            latestKey: [],
            firstActive: Number.NaN,
            events: [],
          };
          incidents.set(number, acc);
        }
        for (let f = 0; f < columns.length; f++) {
          const value = cells[columns[f]!];
          if (value === undefined || value === '?' || value === '') continue;
          const previous = acc.latestKey[f];
          if (previous === undefined || compareKeys(key, previous) > 0) {
            acc.latest[f] = value;
            acc.latestKey[f] = key;
          }
        }
        if (
          cells[index.incident_state] === 'Active' &&
          updatedMs !== unreadableTime &&
          !(updatedMs >= acc.firstActive)
        ) {
          acc.firstActive = updatedMs;
        }
        acc.events.push(key[0], key[1], key[2], leadingDigit(cells[index.priority]));
      }
    }
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('VALIDATION_ERROR', `cannot read the ServiceNow log: ${(error as Error).message}`);
  }
  if (!index) throw new EngineError('VALIDATION_ERROR', 'the ServiceNow log is empty');
  let records: unknown[] = [];
  let lineNumbers: number[] = [];
  let firstRow = 1;
  for (const [number, acc] of incidents) {
    records.push(toIncident(number, acc));
    lineNumbers.push(acc.line);
    if (records.length === batchSize) {
      yield { records, firstRow, lines: lineNumbers };
      firstRow += records.length;
      records = [];
      lineNumbers = [];
    }
  }
  if (records.length > 0) yield { records, firstRow, lines: lineNumbers };
}

function openText(input: TextInput): Readable {
  if ('path' in input) {
    return input.path.toLowerCase().endsWith('.zip') ? firstZipEntry(input) : textStream(input);
  }
  if (typeof input.data !== 'string' && isZip(input.data)) return firstZipEntry({ data: input.data });
  return textStream(input);
}

function headerIndex(header: string[]): Record<Needed, number> {
  const index = {} as Record<Needed, number>;
  const missing: string[] = [];
  for (const name of needed) {
    const i = header.indexOf(name);
    if (i === -1) missing.push(name);
    index[name] = i;
  }
  if (missing.length > 0) {
    throw new EngineError(
      'VALIDATION_ERROR',
      `not a ServiceNow event log: missing columns ${missing.join(', ')}`,
      {
        missing,
      },
    );
  }
  return index;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function leadingDigit(text: string | undefined): number {
  const d = text ? text.charCodeAt(0) - 48 : Number.NaN;
  return d >= 0 && d <= 9 ? d : Number.NaN;
}

const statusByState: Record<string, string> = {
  New: 'OPEN',
  Active: 'IN_PROGRESS',
  Resolved: 'RESOLVED',
  Closed: 'CLOSED',
};

const position = Object.fromEntries(needed.map((name, i) => [name, i])) as Record<Needed, number>;

function toIncident(number: string, acc: Accumulator): Record<string, unknown> {
  const cell = (name: Needed): string | null => acc.latest[position[name]] ?? null;
  const state = cell('incident_state');
  const impact = leadingDigit(cell('impact') ?? undefined);
  const urgency = leadingDigit(cell('urgency') ?? undefined);
  const priority = leadingDigit(cell('priority') ?? undefined);
  const created = parseServiceNowDate(cell('opened_at') ?? undefined);
  const acknowledged =
    Number.isFinite(acc.firstActive) && !(created instanceof Date && acc.firstActive < created.getTime())
      ? new Date(acc.firstActive)
      : null;
  const contact = cell('contact_type');
  const description = [
    contact && `Contact type: ${contact}.`,
    cell('location') && `Location: ${cell('location')}.`,
    cell('caller_id') && `Caller: ${cell('caller_id')}.`,
    cell('closed_code') && `Closed code: ${cell('closed_code')}.`,
  ].filter(Boolean);
  const tags = [
    contact && `contact:${contact.toLowerCase()}`,
    cell('made_sla') === 'false' && 'sla:missed',
  ].filter((t): t is string => typeof t === 'string');
  return {
    external_id: number,
    title: [cell('category'), cell('subcategory'), cell('u_symptom')].filter(Boolean).join(' / ') || number,
    description: description.length > 0 ? description.join(' ') : null,
    category: cell('category'),
    subcategory: cell('subcategory'),
    severity:
      impact === 1
        ? urgency === 1
          ? 'CRITICAL'
          : 'HIGH'
        : impact === 2
          ? 'MEDIUM'
          : impact === 3
            ? 'LOW'
            : cell('impact'),
    priority: priority >= 1 && priority <= 5 ? `P${priority}` : cell('priority'),
    status:
      state === null ? null : (statusByState[state] ?? (state.startsWith('Awaiting') ? 'ON_HOLD' : null)),
    service: cell('cmdb_ci'),
    team: cell('assignment_group'),
    created_at: created,
    acknowledged_at: acknowledged,
    resolved_at: parseServiceNowDate(cell('resolved_at') ?? undefined),
    closed_at: parseServiceNowDate(cell('closed_at') ?? undefined),
    escalation_level: priorityRaises(acc.events),
    reopen_count: cell('reopen_count'),
    reassignment_count: cell('reassignment_count'),
    tags,
  };
}

/** Times the priority digit fell (became more urgent) between consecutive events in time order. */
function priorityRaises(flat: number[]): number {
  const n = flat.length / 4;
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => compareKeys(flat.slice(a * 4, a * 4 + 3), flat.slice(b * 4, b * 4 + 3)));
  let raises = 0;
  let previous = Number.NaN;
  for (const i of order) {
    const p = flat[i * 4 + 3]!;
    if (p < previous) raises++;
    if (!Number.isNaN(p)) previous = p;
  }
  return raises;
}
