/**
 * The engine's DDSketch (`packages/engine/src/kpi/dd-sketch.ts`) against @datadog/sketches-js 2.1.1
 * on what the KPI rollups do with it: one sketch per hour of incident creation, merged over a window,
 * asked for p50, p95 and p99.
 *
 * - accuracy: relative error of each quantile against the exact continuous quantile (the one the
 *   exact KPI batch reports, numpy's "linear") on the ServiceNow event log's resolution times
 *   (resolved_at − created_at of its incidents, read in place) and on a seeded synthetic set
 *   (lognormal around an hour, minute-rounded, 5% zeros);
 * - speed (tinybench): adding values, merging the hourly sketches of a window, one quantile;
 * - size: the serialised form (ours as the DuckDB rows `kpi_rollup_bins` stores, 28 bytes a bin:
 *   INTEGER bin, BIGINT n, DOUBLE min and max; the library's protobuf `toProto()`);
 * - interoperability: whether our bins are the library's keys (the standard logarithmic mapping of
 *   the shared DDSketch.proto) for the same γ, i.e. whether our rollups can be written as that
 *   protobuf for other DDSketch implementations.
 *
 * Run: `npx tsx --conditions=@incident-insights/source bench/sketches.bench.ts [--zip PATH] [--time MS]`
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DDSketch } from '@datadog/sketches-js';
import { openEngine } from '@incident-insights/engine';
import { internalContext } from '@incident-insights/engine/internal';
import protobuf from 'protobufjs';
import { Bench } from 'tinybench';
import {
  mergeInto,
  type Sketch,
  sketchBin,
  sketchGamma,
  sketchOf,
  sketchQuantile,
  zeroBin,
} from '../packages/engine/src/kpi/dd-sketch.ts';
import { mulberry32Open } from '../packages/engine/src/random/mulberry32.ts';

const { values: args } = parseArgs({
  options: {
    zip: {
      type: 'string',
      default: resolve(import.meta.dirname, '../../shared/data/incident_event_log.zip'),
    },
    time: { type: 'string', default: '300' },
  },
});

/** The library's relative accuracy α for our bin growth γ: γ = (1 + α) / (1 − α). */
const alphaForOurGamma = (sketchGamma - 1) / (sketchGamma + 1);
const bytesPerStoredBin = 4 + 8 + 8 + 8;

interface DataSet {
  readonly name: string;
  /** Samples (seconds) grouped by the hour they belong to, as the rollups keep them. */
  readonly hours: Float64Array[];
}

async function servicenowResolutionTimes(zip: string): Promise<DataSet> {
  const engine = await openEngine({ path: ':memory:', workers: { threads: 1 } });
  try {
    await engine.incidents.ingest({ path: zip, format: 'servicenow' });
    const rows = await internalContext(engine).db.all(
      `SELECT epoch(date_trunc('hour', created_at)) AS h, epoch(resolved_at) - epoch(created_at) AS x
       FROM incidents WHERE resolved_at IS NOT NULL ORDER BY h`,
    );
    return { name: 'ServiceNow log, resolution times', hours: groupByHour(rows) };
  } finally {
    await engine.close();
  }
}

function groupByHour(rows: readonly Record<string, unknown>[]): Float64Array[] {
  const byHour = new Map<number, number[]>();
  for (const row of rows) {
    const h = Number(row['h']);
    const list = byHour.get(h) ?? [];
    if (list.length === 0) byHour.set(h, list);
    list.push(Number(row['x']));
  }
  return [...byHour.values()].map((v) => Float64Array.from(v));
}

function synthetic(): DataSet {
  const u = mulberry32Open(2024);
  const hours: Float64Array[] = [];
  for (let h = 0; h < 24 * 90; h++) {
    hours.push(
      Float64Array.from({ length: 1 + Math.floor(u() * 20) }, () => {
        if (u() < 0.05) return 0;
        const z = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
        return Math.round(Math.exp(8.2 + 1.3 * z) / 60) * 60;
      }),
    );
  }
  return { name: 'synthetic, minute-rounded lognormal with 5% zeros', hours };
}

/** numpy's default ("linear") quantile of sorted data: what the exact KPI batch reports. */
function exactQuantile(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

function librarySketch(values: Float64Array, relativeAccuracy: number): DDSketch {
  const s = new DDSketch({ relativeAccuracy });
  for (const v of values) s.accept(v);
  return s;
}

const quantiles = [0.5, 0.95, 0.99];
const data = [await servicenowResolutionTimes(args.zip), synthetic()];
const fmtPct = (e: number) => `${(100 * e).toFixed(3)}%`;

console.log(`Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
console.log(
  `\n## Accuracy: hourly sketches merged over the whole set, relative error against the exact quantile\n`,
);
console.log('| data | values | hours | sketch | bins | p50 | p95 | p99 | serialised bytes |');
console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const set of data) {
  const all = Float64Array.from(set.hours.flatMap((h) => [...h])).sort();
  const exact = quantiles.map((q) => exactQuantile(all, q));
  const ours = set.hours.map((h) => sketchOf(h)).reduce((a, b) => mergeInto(a, b), new Map() as Sketch);
  const row = (label: string, bins: number, estimates: number[], bytes: number) =>
    console.log(
      `| ${set.name} | ${all.length.toLocaleString('en')} | ${set.hours.length.toLocaleString('en')} | ${label} | ${bins} | ${estimates
        .map((e, i) => fmtPct(Math.abs(e / exact[i]! - 1)))
        .join(' | ')} | ${bytes.toLocaleString('en')} |`,
    );
  row(
    `engine (γ = ${sketchGamma}, bin min/max)`,
    ours.size,
    quantiles.map((q) => sketchQuantile(ours, q) as number),
    ours.size * bytesPerStoredBin,
  );
  for (const alpha of [alphaForOurGamma, 0.01]) {
    const merged = new DDSketch({ relativeAccuracy: alpha });
    for (const h of set.hours) merged.merge(librarySketch(h, alpha));
    const proto = merged.toProto();
    const bins = merged.store.bins.filter((n) => n > 0).length + (merged.zeroCount > 0 ? 1 : 0);
    row(
      `sketches-js (α = ${alpha.toFixed(4)})`,
      bins,
      quantiles.map((q) => merged.getValueAtQuantile(q)),
      proto.length,
    );
  }
  console.log(`|  |  |  | exact p50 / p95 / p99 (s) |  | ${exact.map((e) => e.toFixed(0)).join(' | ')} |  |`);
}

// Interoperability: our bin of a value against the library's key for the same γ.
const probe = new DDSketch({ relativeAccuracy: alphaForOurGamma });
const u = mulberry32Open(7);
let same = 0;
const probes = 100_000;
for (let i = 0; i < probes; i++) {
  const x = Math.exp(40 * u() - 10);
  if (probe.mapping.key(x) === sketchBin(x)) same++;
}
console.log(
  `\n## Mapping: our bin equals sketches-js's key (LogarithmicMapping, γ = ${sketchGamma}, offset 0) for ${same.toLocaleString('en')} of ${probes.toLocaleString('en')} values from e^-10 to e^30`,
);

// The shared DDSketch.proto (the schema sketches-go, sketches-java and sketches-py generate their
// readers from), parsed by protobufjs on its own: a reader that is not the library's compiled code.
const schema = protobuf
  .parse(`syntax = "proto3";
message DDSketch { IndexMapping mapping = 1; Store positiveValues = 2; Store negativeValues = 3; double zeroCount = 4; }
message IndexMapping {
  double gamma = 1; double indexOffset = 2;
  enum Interpolation { NONE = 0; LINEAR = 1; QUADRATIC = 2; CUBIC = 3; }
  Interpolation interpolation = 3;
}
message Store { map<sint32, double> binCounts = 1; repeated double contiguousBinCounts = 2 [packed = true]; sint32 contiguousBinIndexOffset = 3; }
`)
  .root.lookupType('DDSketch');
{
  const values = Float64Array.from(data[0]!.hours.flatMap((h) => [...h]));
  const lib = librarySketch(values, alphaForOurGamma);
  const decoded = schema.toObject(schema.decode(lib.toProto()), { defaults: true }) as {
    mapping: { gamma: number; indexOffset: number; interpolation: number };
    positiveValues: { contiguousBinCounts: number[] };
    zeroCount: number;
  };
  const total = decoded.positiveValues.contiguousBinCounts.reduce((a, b) => a + b, 0) + decoded.zeroCount;
  console.log(
    `\n## Interoperability: sketches-js's toProto() read with the shared schema: gamma ${decoded.mapping.gamma.toFixed(6)}, indexOffset ${decoded.mapping.indexOffset}, interpolation ${decoded.mapping.interpolation} (NONE), ${total} values of ${values.length}`,
  );
  // Our bins written in that schema and read back by sketches-js. Its fromProto reads only the
  // contiguous form of a store (not the sparse binCounts map some other implementations write), and
  // needs the negative store present, so the bins go in as one contiguous run from the lowest.
  const ours = sketchOf(values);
  const bins = [...ours.keys()].filter((b) => b !== zeroBin).sort((a, b) => a - b);
  const lowest = bins[0]!;
  const contiguousBinCounts = new Array<number>(bins.at(-1)! - lowest + 1).fill(0);
  for (const b of bins) contiguousBinCounts[b - lowest] = ours.get(b)!.n;
  const bytes = schema
    .encode(
      schema.fromObject({
        mapping: { gamma: sketchGamma, indexOffset: 0, interpolation: 0 },
        positiveValues: { contiguousBinCounts, contiguousBinIndexOffset: lowest },
        negativeValues: { contiguousBinCounts: [], contiguousBinIndexOffset: 0 },
        zeroCount: ours.get(zeroBin)?.n ?? 0,
      }),
    )
    .finish();
  const back = DDSketch.fromProto(bytes);
  const all = Float64Array.from(values).sort();
  console.log(
    `Our sketch of the same values written as DDSketch.proto (${bytes.length.toLocaleString('en')} bytes) and read by sketches-js's fromProto: count ${back.count}, p50 / p95 / p99 error ${quantiles
      .map((q) => fmtPct(Math.abs(back.getValueAtQuantile(q) / exactQuantile(all, q) - 1)))
      .join(' / ')}`,
  );
}

// Speed on the larger set: adding one hour's values, merging a 30-day window of hourly sketches
// (720 sketches), one quantile of the merged sketch.
const set = data[0]!;
const window = set.hours.slice(0, 720);
const oursHourly = window.map((h) => sketchOf(h));
const libHourly = window.map((h) => librarySketch(h, alphaForOurGamma));
const allValues = Float64Array.from(set.hours.flatMap((h) => [...h]));
const oursAll = sketchOf(allValues);
const libAll = librarySketch(allValues, alphaForOurGamma);
let sink = 0;
const bench = new Bench({ time: Number(args.time), warmup: true });
bench
  .add(`add ${allValues.length} values | engine`, () => {
    sink += sketchOf(allValues).size;
  })
  .add(`add ${allValues.length} values | sketches-js`, () => {
    sink += librarySketch(allValues, alphaForOurGamma).count;
  })
  .add('merge 720 hourly sketches | engine', () => {
    const m: Sketch = new Map();
    for (const s of oursHourly) mergeInto(m, s);
    sink += m.size;
  })
  .add('merge 720 hourly sketches | sketches-js', () => {
    const m = new DDSketch({ relativeAccuracy: alphaForOurGamma });
    for (const s of libHourly) m.merge(s);
    sink += m.count;
  })
  .add('p99 of the whole set | engine', () => {
    sink += sketchQuantile(oursAll, 0.99) as number;
  })
  .add('p99 of the whole set | sketches-js', () => {
    sink += libAll.getValueAtQuantile(0.99);
  });
await bench.run();
console.log('\n## Speed (tinybench): operations per second\n');
console.log('| operation | engine | sketches-js | engine / sketches-js |');
console.log('| --- | ---: | ---: | ---: |');
const hz = new Map<string, number>();
for (const task of bench.tasks) {
  const result = task.result;
  hz.set(task.name, result && 'throughput' in result ? result.throughput.mean : Number.NaN);
}
for (const op of new Set(bench.tasks.map((t) => t.name.split(' | ')[0]!))) {
  const a = hz.get(`${op} | engine`)!;
  const b = hz.get(`${op} | sketches-js`)!;
  console.log(`| ${op} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}x |`);
}
if (sink === 42) console.log('');
