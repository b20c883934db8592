import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';

const id = '6f1c1f5e-3a51-4d7e-9a0e-6f1c1f5e3a51';
const record = (externalId: string) => ({
  id,
  external_id: externalId,
  title: `incident ${externalId}`,
  severity: 'LOW' as const,
  status: 'OPEN' as const,
  created_at: '2026-01-01T00:00:00Z',
});
const dir = mkdtempSync(join(tmpdir(), 'duplicate-ids-'));
let engine: Engine;

beforeEach(async () => {
  engine = await openEngine({ path: ':memory:', now: () => new Date('2026-02-01T00:00:00Z') });
});
afterEach(async () => {
  await engine.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('one id given to two incidents of the same source', () => {
  it('is a CONFLICT at the later row and writes nothing, into an empty table', async () => {
    const ingest = engine.incidents.ingest({ records: [record('A'), record('B')] });
    await expect(ingest).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { errors: [{ row: 2, field: 'id' }] },
    });
    expect((await engine.incidents.list({})).count).toBe(0);
  });

  it('is a CONFLICT into a table that holds other incidents, from a CSV file too', async () => {
    await engine.incidents.ingest({
      records: [{ ...record('OTHER'), id: '0b8a3c52-8f4e-4a59-9c1b-2f0f3d2a7e11' }],
    });
    const path = join(dir, 'twice.csv');
    writeFileSync(
      path,
      `id,external_id,title,severity,status,created_at\n${id},A,a,LOW,OPEN,2026-01-01T00:00:00Z\n${id},B,b,LOW,OPEN,2026-01-01T00:00:00Z\n`,
    );
    await expect(engine.incidents.ingest({ path })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await engine.incidents.list({})).count).toBe(1);
  });

  it('is not a conflict when the two rows share the external id too (the later row wins)', async () => {
    const report = await engine.incidents.ingest({
      records: [record('A'), { ...record('A'), title: 'later' }],
    });
    expect(report).toMatchObject({ received: 2, inserted: 1 });
    expect((await engine.incidents.get(id)).title).toBe('later');
  });
});
