import { afterEach, describe, expect, it } from 'vitest';
import {
  externalIds,
  groupPrecisionRecall,
  insertIncidents,
  plantedMonth,
} from '../../../../test/support/recurrence-fixtures.ts';
import { type Engine, EngineError, openEngine } from '../../src/index.ts';

const hour = 3_600_000;
let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

async function plantedEngine(seed: number) {
  const month = plantedMonth(seed);
  let clock = month.end;
  engine = await openEngine({ path: ':memory:', now: () => clock, workers: { threads: 1 } });
  await insertIncidents(engine, month.incidents);
  return { engine, month, setClock: (d: Date) => (clock = d) };
}

describe('recurrence analysis on planted recurrences', () => {
  it('finds the planted groups with precision and recall of at least 0.9', async () => {
    // Matching: a found analysis matches a planted group when their incident sets have Jaccard >= 0.5
    // (so no analysis can match two planted groups). Precision = matching analyses / analyses,
    // recall = planted groups matched / planted groups. Three seeds, pooled.
    let found = 0;
    let correct = 0;
    let planted = 0;
    let recalled = 0;
    for (const seed of [1, 2, 3]) {
      const { engine: e, month } = await plantedEngine(seed);
      const result = await e.recurrence.analyze({ windowHours: 30 * 24 });
      expect(result.incidentsScanned).toBe(month.incidents.length);
      const ids = await externalIds(e);
      const foundSets = result.analyses.map((a) => a.related_incidents.map((id) => ids.get(id)!));
      const plantedSets = month.planted.map((p) => p.ids);
      const { precision, recall } = groupPrecisionRecall(foundSets, plantedSets);
      found += foundSets.length;
      correct += Math.round(precision * foundSets.length);
      planted += plantedSets.length;
      recalled += Math.round(recall * plantedSets.length);
      await e.close();
      engine = undefined;
    }
    expect(correct / found).toBeGreaterThanOrEqual(0.9);
    expect(recalled / planted).toBeGreaterThanOrEqual(0.9);
  });

  it('types each group and explains its confidence in the record', async () => {
    const { engine: e, month } = await plantedEngine(1);
    const { analyses } = await e.recurrence.analyze({ windowHours: 30 * 24 });
    const ids = await externalIds(e);
    const byPlanted = (name: string) => {
      const group = month.planted.find((p) => p.name === name)!;
      return analyses.find((a) => a.related_incidents.some((id) => group.ids.includes(ids.get(id)!)))!;
    };
    const nightly = byPlanted('nightly-export');
    expect(nightly.recurrence_type).toBe('PERIODIC');
    expect(nightly.occurrence_count).toBe(29); // 30 nights, night 12 skipped
    expect(nightly.description).toMatch(
      /^'Nightly export job failed with exit code \d+' recurs on a schedule on reporting: 29 times between 2024-01-01 02:\d\d and 2024-01-30 02:\d\d UTC, every 24 h \(1 expected occurrence did not happen\)\.$/,
    );
    const evidence = nightly.metadata['evidence'] as Record<string, number>;
    expect(evidence['skipped_occurrences']).toBe(1);
    expect(evidence['period_hours']).toBeGreaterThan(23.7);
    expect(evidence['period_hours']).toBeLessThan(24.3);
    const confidence = nightly.metadata['confidence'] as {
      support: { value: number };
      regularity: { value: number };
      similarity: { value: number };
    };
    // support = 1 - 1/29 (by hand); similarity 1 (one fingerprint); regularity = 1 - CV.
    expect(confidence.support.value).toBeCloseTo(1 - 1 / 29, 4);
    expect(confidence.similarity.value).toBe(1);
    expect(nightly.confidence_score).toBeCloseTo(confidence.support.value * confidence.regularity.value, 3);

    const disk = byPlanted('disk-full');
    expect(disk.recurrence_type).toBe('EXACT_FINGERPRINT');
    expect(disk.occurrence_count).toBe(9);
    expect(disk.affected_services).toEqual(['billing']);
    expect(disk.confidence_score).toBeCloseTo(1 - 1 / 9, 4); // support only: same fingerprint, not periodic
    expect(disk.description).toMatch(
      /^'Disk full on \/var on billing-db-\d+' recurred 9 times on billing between .* UTC, about every \d/,
    );
    expect(disk.mean_interval_hours).toBeCloseTo(
      (disk.last_seen.getTime() - disk.first_seen.getTime()) / hour / 8,
      6,
    );

    const gateway = byPlanted('gateway-timeout');
    expect(gateway.recurrence_type).toBe('SIMILAR_TEXT');
    expect(gateway.occurrence_count).toBe(8);
    expect((gateway.metadata['fingerprints'] as string[]).length).toBe(3);
    const similarity = (gateway.metadata['confidence'] as { similarity: { value: number } }).similarity.value;
    expect(similarity).toBeGreaterThan(0.5);
    expect(similarity).toBeLessThan(1);
    expect(gateway.confidence_score).toBeCloseTo((1 - 1 / 8) * similarity, 3);
  });

  it('does not duplicate analyses when re-run, and leaves them unchanged', async () => {
    const { engine: e } = await plantedEngine(2);
    const first = await e.recurrence.analyze({ windowHours: 30 * 24 });
    const second = await e.recurrence.analyze({ windowHours: 30 * 24 });
    expect(second.created).toBe(0);
    expect(second.updated).toBe(0);
    expect(second.unchanged).toBe(first.analyses.length);
    expect(second.analyses.map((a) => a.id).sort()).toEqual(first.analyses.map((a) => a.id).sort());
    const page = await e.recurrence.list({ pageSize: 100 });
    expect(page.count).toBe(first.analyses.length);
  });

  it('reopens a resolved pattern that occurs again, noting it in metadata', async () => {
    const { engine: e, month, setClock } = await plantedEngine(3);
    const { analyses } = await e.recurrence.analyze({ windowHours: 30 * 24 });
    const disk = analyses.find((a) => a.description.includes('Disk full'))!;
    const user = '7f1d1c1e-0000-4000-8000-000000000001';
    setClock(new Date(month.end.getTime() + hour));
    const resolved = await e.recurrence.resolve(disk.id, { resolvedBy: user, notes: 'log rotation fixed' });
    expect(resolved.is_resolved).toBe(true);
    expect(resolved.resolved_by).toBe(user);
    expect(resolved.resolution_notes).toBe('log rotation fixed');
    await expect(e.recurrence.resolve(disk.id, { resolvedBy: user })).rejects.toMatchObject({
      code: 'CONFLICT',
    });

    // Re-running without a new occurrence keeps it resolved.
    await e.recurrence.analyze({ windowHours: 30 * 24, end: month.end });
    expect((await e.recurrence.get(disk.id)).is_resolved).toBe(true);

    const again = new Date(month.end.getTime() + 5 * hour);
    await insertIncidents(e, [
      {
        external_id: 'NEW-1',
        title: 'Disk full on /var on billing-db-9',
        description: 'Volume /var at 99% on 10.0.9.4',
        service: 'billing',
        category: 'Infrastructure',
        created_at: again,
      },
    ]);
    setClock(new Date(again.getTime() + hour));
    const rerun = await e.recurrence.analyze({ windowHours: 31 * 24 });
    expect(rerun.reopened).toBe(1);
    const reopened = await e.recurrence.get(disk.id);
    expect(reopened.is_resolved).toBe(false);
    expect(reopened.resolved_at).toBeNull();
    expect(reopened.occurrence_count).toBe(disk.occurrence_count + 1);
    expect(reopened.last_seen).toEqual(again);
    const reopenings = reopened.metadata['reopenings'] as {
      new_occurrences: number;
      previous_resolved_by: string;
    }[];
    expect(reopenings).toHaveLength(1);
    expect(reopenings[0]).toMatchObject({ new_occurrences: 1, previous_resolved_by: user });
    expect((reopened.metadata['resolutions'] as unknown[]).length).toBe(1);
  });

  it('lists with filters, search, ordering and the unresolved view', async () => {
    const { engine: e } = await plantedEngine(1);
    const { analyses } = await e.recurrence.analyze({ windowHours: 30 * 24 });
    const periodic = await e.recurrence.list({ filters: { recurrence_type: 'PERIODIC' } });
    expect(periodic.results.every((a) => a.recurrence_type === 'PERIODIC')).toBe(true);
    expect(periodic.count).toBe(analyses.filter((a) => a.recurrence_type === 'PERIODIC').length);
    const confident = await e.recurrence.list({
      filters: { min_confidence: '0.85' },
      ordering: 'confidence_score',
    });
    expect(confident.count).toBe(analyses.filter((a) => a.confidence_score >= 0.85).length);
    const scores = confident.results.map((a) => a.confidence_score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    await e.recurrence.resolve(analyses[0]!.id, { resolvedBy: '7f1d1c1e-0000-4000-8000-000000000001' });
    expect((await e.recurrence.list({ filters: { is_resolved: 'true' } })).count).toBe(1);
    expect((await e.recurrence.unresolved()).count).toBe(analyses.length - 1);
    expect((await e.recurrence.list({ search: 'nightly EXPORT' })).count).toBe(1); // case-insensitive
    expect((await e.recurrence.list({ search: 'printer toner' })).count).toBe(0);
    await expect(e.recurrence.list({ filters: { recurrence_type: 'WEEKLY' } })).rejects.toBeInstanceOf(
      EngineError,
    );
    await expect(e.recurrence.list({ filters: { min_confidence: '2' } })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(e.recurrence.list({ ordering: 'title' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(e.recurrence.get('4e0d1c1e-0000-4000-8000-000000000009')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('reads the window [end − window, end): the start counts, the end does not', async () => {
    // Worked by hand: a 24 h window ending at 2024-03-02T00:00Z starts at 2024-03-01T00:00Z. Of the
    // incidents at the start, at noon and at the end, the first two are read; the next window
    // (ending 24 h later) reads the one at the end, so back-to-back windows count it once.
    const end = new Date('2024-03-02T00:00:00Z');
    engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
    const at = (iso: string, n: number) => ({
      external_id: `EDGE-${n}`,
      title: 'disk full on host',
      description: null,
      service: 'storage',
      category: null,
      created_at: new Date(iso),
    });
    await insertIncidents(engine, [
      at('2024-03-01T00:00:00Z', 1),
      at('2024-03-01T12:00:00Z', 2),
      at('2024-03-02T00:00:00Z', 3),
    ]);
    const first = await engine.recurrence.analyze({ windowHours: 24, end });
    expect(first.windowStart).toEqual(new Date('2024-03-01T00:00:00Z'));
    expect(first.windowEnd).toEqual(end);
    expect(first.incidentsScanned).toBe(2);
    const next = await engine.recurrence.analyze({
      windowHours: 24,
      end: new Date(end.getTime() + 24 * hour),
    });
    expect(next.incidentsScanned).toBe(1);
  });

  it('refuses a bad window and changes nothing', async () => {
    const { engine: e } = await plantedEngine(1);
    for (const windowHours of [0, -5, Number.NaN, 1e9]) {
      await expect(e.recurrence.analyze({ windowHours })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    }
    expect((await e.recurrence.list()).count).toBe(0);
  });
});
