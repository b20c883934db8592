import { describe, expect, it } from 'vitest';
import { type IngestProgress, openEngine } from '../src/index.ts';

const records = (n: number, bad = -1) =>
  Array.from({ length: n }, (_, i) => ({
    external_id: `P${i}`,
    title: `Disk full on host ${i}`,
    severity: i === bad ? ('SEVERE' as 'LOW') : ('LOW' as const),
    created_at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
  }));

describe('ingest progress', () => {
  it('reports the records read after each batch, then the merge, and the counts add up to the report', async () => {
    const engine = await openEngine({ path: ':memory:', now: () => new Date('2026-02-01T00:00:00Z') });
    try {
      const seen: IngestProgress[] = [];
      const report = await engine.incidents.ingest(
        { records: records(25_000) },
        { onProgress: (p) => seen.push(p) },
      );
      const reading = seen.filter((p) => p.phase === 'reading').map((p) => p.received);
      expect(reading.length).toBeGreaterThan(0);
      expect(reading).toEqual([...reading].sort((a, b) => a - b)); // never goes back
      expect(reading.at(-1)).toBe(25_000);
      expect(seen.at(-1)).toEqual({ phase: 'merging', received: 25_000 });
      expect(seen.filter((p) => p.phase === 'merging')).toHaveLength(1);
      expect(report.received).toBe(25_000);
    } finally {
      await engine.close();
    }
  });

  it('never reports a merge for a batch refused as a whole', async () => {
    const engine = await openEngine({ path: ':memory:', now: () => new Date('2026-02-01T00:00:00Z') });
    try {
      const phases: string[] = [];
      await expect(
        engine.incidents.ingest({ records: records(100, 42) }, { onProgress: (p) => phases.push(p.phase) }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(phases).not.toContain('merging');
      expect(await engine.incidents.count()).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
