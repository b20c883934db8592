import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, type IncidentInput, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

/** Three incidents written by hand; the list is newest first. */
const records: IncidentInput[] = [
  {
    external_id: 'A',
    title: 'Database down',
    severity: 'CRITICAL',
    service: 'db',
    created_at: '2024-01-01T00:00:00Z',
  },
  {
    external_id: 'B',
    title: 'Slow login',
    severity: 'MEDIUM',
    service: 'auth',
    created_at: '2024-01-02T00:00:00Z',
  },
  {
    external_id: 'C',
    title: 'Disk warning',
    severity: 'LOW',
    service: 'db',
    created_at: '2024-01-03T00:00:00Z',
  },
];

describe('incident lists stay fresh across every kind of write', () => {
  let engine: Engine;
  const titles = async (request: Parameters<Engine['incidents']['list']>[0] = {}): Promise<string[]> =>
    (await engine.incidents.list(request)).results.map((incident) => incident.title);

  beforeAll(async () => {
    engine = await openEngine({ path: ':memory:', now: () => new Date('2026-01-01T00:00:00Z') });
    await engine.incidents.ingest({ records });
  });
  afterAll(async () => {
    await engine.close();
  });

  it('answers a repeat with equal pages that do not share objects', async () => {
    const first = await engine.incidents.list({ pageSize: 2 });
    const second = await engine.incidents.list({ pageSize: 2 });
    expect(second).toEqual(first);
    (first.results[0] as { title: string }).title = 'changed';
    expect(await titles({ pageSize: 2 })).toEqual(['Disk warning', 'Slow login']);
  });

  it('sees a create, an update, a delete, an ingest and a raw write made between two identical reads', async () => {
    const request = { filters: { service: 'db' } };
    expect(await titles(request)).toEqual(['Disk warning', 'Database down']);

    const created = await engine.incidents.create({
      external_id: 'D',
      title: 'Replica lag',
      severity: 'HIGH',
      service: 'db',
      created_at: '2024-01-04T00:00:00Z',
    });
    expect(await titles(request)).toEqual(['Replica lag', 'Disk warning', 'Database down']);

    await engine.incidents.update(created.id, { title: 'Replica lag (fixed)' });
    expect(await titles(request)).toEqual(['Replica lag (fixed)', 'Disk warning', 'Database down']);

    await engine.incidents.delete(created.id);
    expect(await titles(request)).toEqual(['Disk warning', 'Database down']);

    await engine.incidents.ingest({
      records: [
        {
          external_id: 'E',
          title: 'Backup failed',
          severity: 'HIGH',
          service: 'db',
          created_at: '2024-01-05T00:00:00Z',
        },
      ],
    });
    expect((await engine.incidents.list(request)).count).toBe(3);
    expect(await titles(request)).toEqual(['Backup failed', 'Disk warning', 'Database down']);

    // What a job writing results does: a write through the database outside the incident service.
    await internalContext(engine).db.run(
      "UPDATE incidents SET title = 'Backup failed twice' WHERE external_id = 'E'",
    );
    expect(await titles(request)).toEqual(['Backup failed twice', 'Disk warning', 'Database down']);
  });

  it('reads an incident afresh after it changes, and never another incident for its id', async () => {
    const [first, second] = (await engine.incidents.list({ pageSize: 2 })).results;
    if (!first || !second) throw new Error('two incidents expected');
    expect((await engine.incidents.get(first.id)).title).toBe(first.title);
    expect((await engine.incidents.get(second.id)).title).toBe(second.title);
    await engine.incidents.update(first.id, { title: 'Renamed' });
    expect((await engine.incidents.get(first.id)).title).toBe('Renamed');
    await engine.incidents.update(first.id, { title: first.title });
    expect((await engine.incidents.get(first.id)).title).toBe(first.title);
  });

  it('answers different filters, pages, orderings and searches each with their own rows', async () => {
    const answers = [
      await titles({}),
      await titles({ filters: { service: 'auth' } }),
      await titles({ filters: { severity: ['LOW', 'MEDIUM'] } }),
      await titles({ filters: { created_after: '2024-01-03T00:00:00Z' } }),
      await titles({ filters: { created_after: new Date('2024-01-02T00:00:00Z') } }),
      await titles({ pageSize: 1, page: 2 }),
      await titles({ ordering: 'title' }),
      await titles({ search: 'disk' }),
    ];
    // Expected by hand from the incidents written above (A, B, C, then E).
    expect(answers).toEqual([
      ['Backup failed twice', 'Disk warning', 'Slow login', 'Database down'],
      ['Slow login'],
      ['Disk warning', 'Slow login'],
      ['Backup failed twice', 'Disk warning'],
      ['Backup failed twice', 'Disk warning', 'Slow login'],
      ['Disk warning'],
      ['Backup failed twice', 'Database down', 'Disk warning', 'Slow login'],
      ['Disk warning'],
    ]);
  });
});
