/**
 * The benchmarks' one timer: wall time (`performance.now`) and CPU time (`process.cpuUsage`, user +
 * system of every thread of the process) of single runs, and the median of a few runs.
 *
 * Not tinybench: see "Timing" in bench/README.md.
 */

/** One run's wall and CPU milliseconds, and what `work` returned. */
export interface Timed<T> {
  readonly ms: number;
  readonly cpuMs: number;
  readonly value: T;
}

/** Runs `work` once (awaiting it when it returns a promise) and times it. */
export async function timed<T>(work: () => T | Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000, value };
}

/** Median wall and median CPU milliseconds over `runs` runs of `work` (each median on its own). */
export async function medianOf(runs: number, work: () => unknown): Promise<{ ms: number; cpuMs: number }> {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { ms, cpuMs } = await timed(work);
    walls.push(ms);
    cpus.push(cpuMs);
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  return { ms: mid(walls), cpuMs: mid(cpus) };
}
