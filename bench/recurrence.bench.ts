/**
 * Recurrence analysis speed and quality.
 *
 * 1. Similar-text clustering: `findRecurrences` with MinHash + LSH candidates (`exhaustiveUpTo: 0`)
 *    against the same kernel with `exhaustive: true` (every pair of fingerprints' IDF-weighted
 *    Jaccard, O(n²)), measured in the same run on the same texts. The corpus has one-off texts drawn from a Zipf vocabulary of 5,000 words plus
 *    families of reworded near-duplicates, all on one service at random times, so every text is
 *    distinct and must be compared. Reported: time of each, the ratio, and the share of the
 *    exhaustive run's same-group incident pairs that the LSH run also groups together.
 * 2. End to end: `engine.recurrence.analyze` over N synthetic incidents (the generator's 90 days) in
 *    an in-memory database, one worker thread, first run and idempotent re-run, against the plain
 *    SQL read of the same window and columns (the floor any analysis pays) in the same run.
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/recurrence.bench.ts [--texts 2000,5000]
 *   [--incidents 20000,100000] [--results]   (`--results` appends to bench/RESULTS.md under "## Recurrence")
 */
import { appendFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { mulberry32 } from '../packages/engine/src/random/mulberry32.ts';
import {
  defaultFindRecurrence,
  findRecurrences,
} from '../packages/engine/src/recurrence/kernels/find-recurrences.ts';
import { findRecurrencesPayload } from '../packages/engine/src/recurrence/recurrence-task.ts';
import { queryArrow } from '../packages/engine/src/store/arrow-bridge.ts';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    texts: { type: 'string', default: '2000,5000' },
    incidents: { type: 'string', default: '20000,100000' },
    results: { type: 'boolean', default: false },
  },
});
const textSizes = args.texts.split(',').map(Number);
const incidentSizes = args.incidents.split(',').map(Number);
const threshold = defaultFindRecurrence.similarityThreshold;

/** n texts: 80% one-offs of 12–20 Zipf-distributed words, 20% in families of 5 rewordings (3 words swapped). */
function corpus(n: number, seed: number): { titles: string[]; descriptions: string[] } {
  const random = mulberry32(seed);
  const vocabulary = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}x`);
  const weights = vocabulary.map((_, i) => 1 / (i + 1));
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    cumulative.push(sum);
  }
  const word = () => {
    const r = random() * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return vocabulary[lo]!;
  };
  const texts: string[][] = [];
  while (texts.length < n) {
    const base = Array.from({ length: 12 + Math.floor(random() * 9) }, word);
    if (random() < 0.2) {
      for (let k = 0; k < 5 && texts.length < n; k++) {
        const variant = [...base];
        for (let s = 0; s < 3; s++) variant[Math.floor(random() * variant.length)] = word();
        texts.push(variant);
      }
    } else texts.push(base);
  }
  return {
    titles: texts.map((t) => t.slice(0, 5).join(' ')),
    descriptions: texts.map((t) => t.slice(5).join(' ')),
  };
}

/** Share of the member pairs of `reference`'s groups that `found` also puts in one group. */
function pairsReproduced(reference: number[][], found: number[][]): { share: number; pairs: number } {
  const groupOf = new Map<number, number>();
  found.forEach((g, i) => {
    for (const m of g) groupOf.set(m, i);
  });
  let pairs = 0;
  let kept = 0;
  for (const g of reference) {
    for (let a = 0; a < g.length; a++) {
      for (let b = a + 1; b < g.length; b++) {
        pairs++;
        const ga = groupOf.get(g[a]!);
        if (ga !== undefined && ga === groupOf.get(g[b]!)) kept++;
      }
    }
  }
  return { share: pairs ? kept / pairs : 1, pairs };
}

const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};

say(`Machine: ${cpus()[0]?.model ?? 'unknown'}, ${availableParallelism()} cores, Node ${process.version}.`);
say('');
say(
  `Similar-text clustering, exhaustive IDF-weighted Jaccard (baseline) vs MinHash LSH candidates (128 hashes, 42 bands of 3), threshold ${threshold}:`,
);
say('');
say('| texts | exhaustive (ms) | MinHash LSH (ms) | speed-up | same-group pairs reproduced |');
say('| ---: | ---: | ---: | ---: | ---: |');
for (const n of textSizes) {
  const { titles, descriptions } = corpus(n, n);
  const random = mulberry32(n + 1);
  const input = {
    titles,
    descriptions,
    services: titles.map(() => 'svc'),
    categories: titles.map(() => 'cat'),
    createdAtMs: Float64Array.from(titles, () => random() * 90 * 86_400_000),
  };
  const exact = await timed(() =>
    findRecurrences(input, { similarityThreshold: threshold, exhaustive: true }),
  );
  const lsh = await timed(() =>
    findRecurrences(input, { similarityThreshold: threshold, exhaustiveUpTo: 0 }),
  );
  const { share, pairs } = pairsReproduced(
    exact.value.map((g) => g.members),
    lsh.value.map((g) => g.members),
  );
  say(
    `| ${n} | ${exact.ms.toFixed(0)} | ${lsh.ms.toFixed(0)} | ${(exact.ms / lsh.ms).toFixed(1)}x | ${(share * 100).toFixed(1)}% of ${pairs} |`,
  );
}

say('');
say('End to end, engine.recurrence.analyze over the synthetic generator (90 days), one worker thread:');
say('');
say(
  '| incidents | SQL read of the window (ms) | analyze, first run (ms) | ratio | re-run, unchanged (ms) | analyses |',
);
say('| ---: | ---: | ---: | ---: | ---: | ---: |');
for (const n of incidentSizes) {
  const end = new Date(Date.UTC(2025, 0, 1));
  const engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
  await loadSyntheticIncidents(engine, { seed: 5, count: n, days: 90, end });
  // Start the worker (and compile the kernel in it) first so that no timed run pays for it.
  const warmUp = await queryArrow(
    internalContext(engine).db,
    `SELECT 'a b' AS title, NULL::VARCHAR AS description, NULL::VARCHAR AS service,
       NULL::VARCHAR AS category, 0::DOUBLE AS t FROM range(2)`,
  );
  await internalContext(engine).pool.run('recurrence.find', findRecurrencesPayload(warmUp, {}));
  const start = new Date(end.getTime() - 90 * 24 * 3_600_000);
  const { ms: readMs } = await timed(() =>
    internalContext(engine).db.all(
      `SELECT id::VARCHAR AS id, title, description, service, category, epoch_ms(created_at)::DOUBLE AS t
     FROM incidents WHERE created_at >= $start AND created_at < $end ORDER BY created_at, id`,
      { start, end },
    ),
  );
  const { ms: firstMs, value: first } = await timed(() =>
    engine.recurrence.analyze({ windowHours: 90 * 24 }),
  );
  const { ms: againMs, value: again } = await timed(() =>
    engine.recurrence.analyze({ windowHours: 90 * 24 }),
  );
  if (again.unchanged !== first.analyses.length) throw new Error('re-run changed analyses');
  say(
    `| ${n} | ${readMs.toFixed(0)} | ${firstMs.toFixed(0)} | ${(firstMs / readMs).toFixed(1)}x | ${againMs.toFixed(0)} | ${first.analyses.length} |`,
  );
  await engine.close();
}

if (args.results) {
  const command =
    'npx tsx --conditions=@incident-insights/source bench/recurrence.bench.ts' +
    ` --texts ${args.texts} --incidents ${args.incidents}`;
  appendFileSync(
    resolve(import.meta.dirname, 'RESULTS.md'),
    `\n## Recurrence\n\n\`${command}\` (${new Date().toISOString().slice(0, 10)})\n\n${lines.join('\n')}\n`,
  );
}
