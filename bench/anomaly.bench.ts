/**
 * Speed of STL + ESD: 1,000 hourly series of 4,000 points (seeded: daily cycle, noise, a few spikes),
 * our engine (detectManySeries with `seasonal_esd`, period 24) on a worker pool of one and of two
 * threads, against statsmodels STL + a generalised-ESD loop in NumPy (Debian's python3-statsmodels)
 * on the same series in the same run. Both sides use the same STL settings, the ones our detector
 * uses: periodic seasonal (window 10·n + 1, degree 0), trend 37 and low-pass 25 with R's jumps
 * (ceil(window/10)), robust, 2 inner and 3 outer passes; then robust ESD (median/MAD, Hochenbaum et
 * al.) on the residual about the median, up to 2 % of the points, α = 0.01. Our side also computes
 * the per-phase residual scale and the tail threshold, which the Python side skips.
 *
 *   npx tsx --conditions=@incident-insights/source bench/anomaly.bench.ts [series] [points]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { detectManySeries } from '../packages/engine/src/anomaly/detect/detect-many.ts';
import { defaultStlSettings } from '../packages/engine/src/anomaly/kernels/seasonal-esd.ts';
import { mulberry32Open } from '../packages/engine/src/random/mulberry32.ts';
import { WorkerPool } from '../packages/engine/src/workers/pool.ts';
import { timed } from './timer.ts';

const seriesCount = Number(process.argv[2] ?? 1000);
const points = Number(process.argv[3] ?? 4000);
const period = 24;

function makeSeries(k: number): Float64Array {
  // The seed is taken modulo 2^32, as the generator always did.
  const u = mulberry32Open((k + 1) * 2654435761);
  const y = new Float64Array(points);
  for (let i = 0; i < points; i++) {
    const noise = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    y[i] = 20 + 0.002 * i + 6 * Math.sin((2 * Math.PI * (i % period)) / period) + noise;
  }
  for (let s = 0; s < 5; s++) y[Math.floor(u() * points)]! += 12;
  return y;
}

const all = Array.from({ length: seriesCount }, (_, k) => makeSeries(k));
const dir = mkdtempSync(path.join(tmpdir(), 'anomaly-bench-'));
const file = path.join(dir, 'series.f64');
const flat = new Float64Array(seriesCount * points);
for (const [k, y] of all.entries()) flat.set(y, k * points);
writeFileSync(file, flat);

const s = defaultStlSettings(period, points);
const python = `
import sys, time, json, numpy as np
from scipy.stats import t as student_t
from statsmodels.tsa.seasonal import STL
y_all = np.fromfile(sys.argv[1], dtype=np.float64).reshape(${seriesCount}, ${points})
def esd(x, k, alpha):
    x = x.copy(); n = len(x); found = 0
    for i in range(1, k + 1):
        med = np.median(x); dev = np.abs(x - med); mad = 1.4826 * np.median(dev)
        j = int(np.argmax(dev)); r = dev[j] / mad
        m = n - i + 1; p = 1 - alpha / (2 * m); tq = student_t.ppf(p, m - 2)
        lam = (m - 1) * tq / np.sqrt((m - 2 + tq * tq) * m)
        if r > lam: found = i
        x = np.delete(x, j)
    return found
t0 = time.perf_counter(); c0 = time.process_time(); total = 0
for y in y_all:
    r = STL(y, period=${period}, seasonal=${s.seasonal}, seasonal_deg=${s.seasonalDeg}, trend=${s.trend},
            low_pass=${s.lowPass}, seasonal_jump=${s.seasonalJump}, trend_jump=${s.trendJump},
            low_pass_jump=${s.lowPassJump}, robust=True).fit(inner_iter=${s.innerIterations}, outer_iter=${s.outerIterations})
    resid = y - r.seasonal - np.median(y - r.seasonal)
    total += esd(resid, int(0.02 * len(y)), 0.01)
print(json.dumps({"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "anomalies": total}))
`;

const timestamps = Float64Array.from({ length: points }, (_, i) => Date.UTC(2026, 0, 1) + i * 3_600_000);
const input = all.map((values, k) => ({ key: `s${k}`, timestamps, values }));
const options = {
  methods: ['seasonal_esd' as const],
  seasonalPeriods: [period],
  alpha: 0.01,
  maxAnomalyFraction: 0.02,
};

async function ours(
  threads: number,
): Promise<{ seconds: number; cpu: number; detections: number; threads: number }> {
  const pool = new WorkerPool({ threads });
  try {
    // Start the threads (and load the modules) outside the timed part: enough batches at once that
    // the pool grows to its maximum.
    for (let i = 0; i < 3 && pool.stats().threads < threads; i++) {
      await detectManySeries(pool, input.slice(0, Math.min(input.length, 40 * threads)), options);
    }
    // The CPU time counts every thread of the process, the workers included.
    const { ms, cpuMs, value: d } = await timed(() => detectManySeries(pool, input, options));
    return {
      seconds: ms / 1000,
      cpu: cpuMs / 1000,
      detections: d.length,
      threads: pool.stats().threads,
    };
  } finally {
    await pool.close();
  }
}

try {
  console.log(
    `${seriesCount} series × ${points} points, period ${period}; ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(1)}`,
  );
  const one = await ours(1);
  console.log(
    `ours, 1 worker:  ${one.seconds.toFixed(2)} s wall, ${one.cpu.toFixed(2)} s CPU (${one.detections} detections, ${one.threads} thread)`,
  );
  const two = await ours(2);
  console.log(
    `ours, 2 workers: ${two.seconds.toFixed(2)} s wall, ${two.cpu.toFixed(2)} s CPU (${two.detections} detections, ${two.threads} threads)`,
  );
  const py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', python, file], { encoding: 'utf8' })) as {
    seconds: number;
    cpu: number;
    anomalies: number;
  };
  console.log(
    `statsmodels STL + NumPy ESD loop: ${py.seconds.toFixed(2)} s wall, ${py.cpu.toFixed(2)} s CPU (${py.anomalies} ESD outliers)`,
  );
  console.log(
    `ratio statsmodels / ours (1 worker): ${(py.seconds / one.seconds).toFixed(2)}x wall, ${(py.cpu / one.cpu).toFixed(2)}x CPU`,
  );
  console.log(`ratio ours 1 worker / 2 workers: ${(one.seconds / two.seconds).toFixed(2)}x`);
  console.log(`load average at the end ${loadavg()[0]!.toFixed(1)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
