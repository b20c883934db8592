/**
 * Waiting, before each measurement on either side, until neither side is still working on the last
 * load, so that no side is measured under the other's leftovers (issue 14):
 *
 * 1. Both servers answer a small request: requests still queued from the last load (a slow
 *    endpoint leaves many behind in the peer's gunicorn sync workers) are served first. On SQLite
 *    the peer's work ends with its workers', so this is all the peer needs.
 * 2. On PostgreSQL, the peer's database has no active backend but the one asking
 *    (`pg_stat_activity`, see {@link activePeerBackends}): a query whose client is gone (wrk gave up
 *    on it, or gunicorn killed its worker at its 120 s timeout) goes on running in its backend until
 *    it ends.
 * 3. The machine is quiet: the CPU is more than {@link quietIdleShare} idle over one second
 *    (`/proc/stat`, all cores; time waiting for I/O counts as busy, since a disk busy with leftovers
 *    is leftover load too).
 *
 * Steps 1 and 2 share one bound, {@link databaseBoundSeconds}; step 3 has its own (`--quiet-seconds`).
 * Past a bound the measurement goes ahead, and what was still busy comes back as a note for its row.
 */
import { readFileSync } from 'node:fs';
import { activePeerBackends } from './peer.ts';
import { drained, type Side } from './requests.ts';

/** The share of CPU time that must be idle over one second for the machine to count as quiet. */
const quietIdleShare = 0.8;

/** How long to wait for both servers' answers and the peer's database to be idle, seconds. */
const databaseBoundSeconds = 300;

/** Cumulative CPU time of all cores since boot (`/proc/stat`, in ticks): idle and in all. */
export interface CpuTimes {
  readonly idle: number;
  readonly total: number;
}

/**
 * The idle and total ticks of the `cpu` line of `/proc/stat` (`user nice system idle iowait irq
 * softirq steal`, then guest times, which user and nice already hold and are left out).
 */
export function cpuTimes(procStat: string): CpuTimes {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  const ticks = line?.trim().split(/\s+/).slice(1, 9).map(Number) ?? [];
  if (ticks.length < 4 || ticks.some((t) => !Number.isFinite(t))) {
    throw new Error(`no cpu line in /proc/stat: ${procStat.slice(0, 80)}`);
  }
  return { idle: ticks[3] as number, total: ticks.reduce((sum, t) => sum + t, 0) };
}

/** The idle share of the CPU time between two readings (0 to 1; 1 when no tick passed). */
export function idleShare(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  return total > 0 ? (after.idle - before.idle) / total : 1;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const readCpu = () => cpuTimes(readFileSync('/proc/stat', 'utf8'));

/**
 * Samples the CPU's idle share over one second at a time until it is above {@link quietIdleShare}
 * or `boundSeconds` have passed: whether it got quiet, and the last second's idle share.
 */
async function waitForQuietMachine(boundSeconds: number): Promise<{ quiet: boolean; idle: number }> {
  const deadline = performance.now() + boundSeconds * 1000;
  for (;;) {
    const before = readCpu();
    await sleep(1000);
    const idle = idleShare(before, readCpu());
    if (idle > quietIdleShare) return { quiet: true, idle };
    if (performance.now() >= deadline) return { quiet: false, idle };
  }
}

/** What {@link settle} needs: the two sides, and the peer's environment when it is on PostgreSQL. */
export interface Settling {
  readonly sides: readonly Side[];
  /** The peer's environment (`peerEnvironment`) when its database is PostgreSQL; else undefined. */
  readonly postgres: NodeJS.ProcessEnv | undefined;
  /** The bound of the wait for a quiet machine, seconds (0: one sample, no wait). */
  readonly quietSeconds: number;
  readonly log: (line: string) => void;
}

/**
 * Waits until both servers answer, the peer's PostgreSQL database (if any) has no other active
 * backend and the machine is quiet, each within its bound (see the module's comment). Resolves to
 * what was still busy when a bound passed, as a note, or to undefined when everything settled.
 */
export async function settle(settling: Settling): Promise<string | undefined> {
  const started = performance.now();
  const deadline = started + databaseBoundSeconds * 1000;
  const remaining = () => Math.max(1, deadline - performance.now());
  const busy: string[] = [];
  for (const side of settling.sides) {
    if (!(await drained(side, remaining()))) busy.push(`${side.name} had not answered a small request`);
  }
  if (settling.postgres) {
    let active = await activePeerBackends(settling.postgres);
    while (active > 0 && performance.now() < deadline) {
      await sleep(1000);
      active = await activePeerBackends(settling.postgres);
    }
    if (active > 0) busy.push(`${active} active backend(s) of the peer's PostgreSQL database`);
  }
  const machine = await waitForQuietMachine(settling.quietSeconds);
  if (!machine.quiet) {
    busy.push(`CPU ${(machine.idle * 100).toFixed(0)}% idle, not above ${quietIdleShare * 100}%`);
  }
  const seconds = (performance.now() - started) / 1000;
  if (seconds > 3 || busy.length > 0) {
    settling.log(
      `settled in ${seconds.toFixed(0)} s${busy.length > 0 ? ` (bound passed: ${busy.join('; ')})` : ''}`,
    );
  }
  return busy.length > 0
    ? `measured under leftover load after ${seconds.toFixed(0)} s of waiting: ${busy.join('; ')}`
    : undefined;
}
