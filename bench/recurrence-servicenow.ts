/**
 * Recurrence groups on the real UCI ServiceNow event log: what `insights analyze-recurrence --end
 * 2016-06-01T00:00:00Z --time-window 2160` finds on the ingested log, summarised as Markdown (groups
 * per type with their sizes and confidences, and the largest groups).
 *
 * Run: npx tsx --conditions=@incident-insights/source bench/recurrence-servicenow.ts
 *   [--zip ../shared/data/incident_event_log.zip] [--end 2016-06-01T00:00:00Z] [--hours 2160] [--top 12]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openEngine, type RecurrenceAnalysis } from '@incident-insights/engine';
import { timed } from './timer.ts';

const { values: args } = parseArgs({
  options: {
    zip: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/incident_event_log.zip'),
    },
    end: { type: 'string', default: '2016-06-01T00:00:00Z' },
    hours: { type: 'string', default: '2160' },
    top: { type: 'string', default: '12' },
  },
});
const end = new Date(args.end);
const engine = await openEngine({ path: ':memory:', now: () => end, workers: { threads: 1 } });
try {
  await engine.incidents.ingest({ path: args.zip, format: 'servicenow' });
  const { ms, value: result } = await timed(() =>
    engine.recurrence.analyze({ windowHours: Number(args.hours), end }),
  );
  const n = result.incidentsScanned;
  console.log(
    `${n} incidents in the window, ${result.analyses.length} groups, analysed in ${ms.toFixed(0)} ms (one worker thread).\n`,
  );
  console.log(
    '| type | groups | incidents | share of window | size min / median / max | confidence min / median / max |',
  );
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const type of ['EXACT_FINGERPRINT', 'SIMILAR_TEXT', 'PERIODIC'] as const) {
    const groups = result.analyses.filter((a) => a.recurrence_type === type);
    if (groups.length === 0) {
      console.log(`| ${type} | 0 | 0 | 0% | – | – |`);
      continue;
    }
    const sizes = groups.map((a) => a.occurrence_count);
    const confidences = groups.map((a) => a.confidence_score);
    const total = sizes.reduce((s, x) => s + x, 0);
    console.log(
      `| ${type} | ${groups.length} | ${total} | ${percent(total / n)} | ${spread(sizes, 0)} | ${spread(confidences, 3)} |`,
    );
  }
  console.log(`\nLargest ${args.top} groups:\n`);
  console.log('| type | incidents | share | wordings | confidence | distinguishing terms | example title |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
  const largest = [...result.analyses].sort((a, b) => b.occurrence_count - a.occurrence_count);
  for (const a of largest.slice(0, Number(args.top))) console.log(row(a, n));
  const similar = largest.filter((a) => a.recurrence_type === 'SIMILAR_TEXT');
  console.log(`\nLargest ${Math.min(5, similar.length)} SIMILAR_TEXT groups:\n`);
  console.log('| type | incidents | share | wordings | confidence | distinguishing terms | example title |');
  console.log('| --- | ---: | ---: | ---: | ---: | --- | --- |');
  for (const a of similar.slice(0, 5)) console.log(row(a, n));
} finally {
  await engine.close();
}

function row(a: RecurrenceAnalysis, n: number): string {
  const terms = (a.metadata['distinguishing_terms'] as string[] | undefined) ?? [];
  const wordings = (a.metadata['fingerprints'] as string[]).length;
  const title = a.description.split("'")[1] ?? '';
  return `| ${a.recurrence_type} | ${a.occurrence_count} | ${percent(a.occurrence_count / n)} | ${wordings} | ${a.confidence_score} | ${terms.join(' ')} | ${title} |`;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(x < 0.01 ? 2 : 1)}%`;
}

function spread(values: number[], digits: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)]!;
  return [sorted[0]!, median, sorted.at(-1)!].map((v) => v.toFixed(digits)).join(' / ');
}
