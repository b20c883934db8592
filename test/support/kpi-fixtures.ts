import type { Engine, IncidentInput } from '../../packages/engine/src/index.ts';

/** The end of the period every hand-worked test measures: the 24 hours of 2024-01-01 (UTC). */
export const end = new Date('2024-01-02T00:00:00Z');

const at = (iso: string) => new Date(iso);
const plusMinutes = (iso: string, minutes: number) => new Date(at(iso).getTime() + minutes * 60_000);

function incident(
  key: string,
  fields: Partial<IncidentInput> & { created_at: Date | string; service: string },
): IncidentInput {
  return {
    external_id: key,
    title: `incident ${key}`,
    severity: 'LOW',
    category: 'Infrastructure',
    priority: 'P3',
    team: 'ops',
    ...fields,
  };
}

/**
 * Seven incidents worked by hand in the tests (times UTC, 2024-01-01 unless said):
 *
 * | key | service | created   | ack after | resolved    | esc | category       | severity | prio | team |
 * | F   | api     | 12-31 20:00 | 5 min   | 12-31 22:00 | 0   | Infrastructure | LOW      | P4   | ops  |
 * | A   | api     | 01:00     | 10 min    | 03:00       | 0   | Infrastructure | HIGH     | P1   | ops  |
 * | B   | api     | 02:00     | 20 min    | 04:00       | 1   | Application    | CRITICAL | P1   | dev  |
 * | C   | api     | 10:00     | 30 min    | 11:00       | 0   | Infrastructure | LOW      | P3   | ops  |
 * | D   | db      | 05:00     | 40 min    | open        | 2   | Application    | MEDIUM   | P2   | dev  |
 * | E   | db      | 20:00     | never     | open        | 0   | Infrastructure | HIGH     | P2   | ops  |
 * | G   | api     | 01-02 01:00 | 5 min   | 01-02 02:00 | 0   | Infrastructure | LOW      | P3   | ops  |
 *
 * F is before the window and G after it.
 */
export const handIncidents: IncidentInput[] = [
  incident('F', {
    service: 'api',
    created_at: at('2023-12-31T20:00:00Z'),
    acknowledged_at: plusMinutes('2023-12-31T20:00:00Z', 5),
    resolved_at: at('2023-12-31T22:00:00Z'),
    priority: 'P4',
  }),
  incident('A', {
    service: 'api',
    created_at: at('2024-01-01T01:00:00Z'),
    acknowledged_at: plusMinutes('2024-01-01T01:00:00Z', 10),
    resolved_at: at('2024-01-01T03:00:00Z'),
    severity: 'HIGH',
    priority: 'P1',
  }),
  incident('B', {
    service: 'api',
    created_at: at('2024-01-01T02:00:00Z'),
    acknowledged_at: plusMinutes('2024-01-01T02:00:00Z', 20),
    resolved_at: at('2024-01-01T04:00:00Z'),
    escalation_level: 1,
    category: 'Application',
    severity: 'CRITICAL',
    priority: 'P1',
    team: 'dev',
  }),
  incident('C', {
    service: 'api',
    created_at: at('2024-01-01T10:00:00Z'),
    acknowledged_at: plusMinutes('2024-01-01T10:00:00Z', 30),
    resolved_at: at('2024-01-01T11:00:00Z'),
  }),
  incident('D', {
    service: 'db',
    created_at: at('2024-01-01T05:00:00Z'),
    acknowledged_at: plusMinutes('2024-01-01T05:00:00Z', 40),
    escalation_level: 2,
    category: 'Application',
    severity: 'MEDIUM',
    priority: 'P2',
    team: 'dev',
  }),
  incident('E', {
    service: 'db',
    created_at: at('2024-01-01T20:00:00Z'),
    severity: 'HIGH',
    priority: 'P2',
  }),
  incident('G', {
    service: 'api',
    created_at: at('2024-01-02T01:00:00Z'),
    acknowledged_at: plusMinutes('2024-01-02T01:00:00Z', 5),
    resolved_at: at('2024-01-02T02:00:00Z'),
  }),
];

/** Ingests {@link handIncidents} into an engine. */
export async function loadHandIncidents(engine: Engine): Promise<void> {
  await engine.incidents.ingest({ records: handIncidents });
}
