import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { loadSyntheticIncidents } from '@incident-insights/engine/synth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-serve-analyze-'));
const db = join(dir, 'demo.duckdb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // A small demo database: enough for every analysis to have work to do.
  const engine = await openEngine({ path: db });
  try {
    await loadSyntheticIncidents(engine, { seed: 1, count: 1500, days: 30 });
  } finally {
    await engine.close();
  }
});

/** Resolves when `pattern` appears in what `child` has written on stderr so far or later. */
function stderrMatch(child: ChildProcess, read: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = pattern.exec(read());
      if (match) {
        child.stderr?.off('data', check);
        resolve(match);
      }
    };
    child.stderr?.on('data', check);
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${read()}`)));
    check();
  });
}

/** Starts `insights serve --analyze` on the demo database; `stderr()` is everything it logged so far. */
function startServe(): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@incident-insights/source',
      'packages/cli/src/main.ts',
      '--db',
      db,
      'serve',
      '--port',
      '0',
      '--log-level',
      'silent',
      '--analyze',
      '--anomaly-window',
      '240',
    ],
    { cwd: repoRoot },
  );
  let err = '';
  child.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

describe('insights serve --analyze', () => {
  it('answers first, then runs the three analyses in the same process, and stops on SIGTERM', async () => {
    const { child, stderr, exited } = startServe();
    try {
      const [, url] = await stderrMatch(child, stderr, /listening on (http:\/\/[^/\s]+)\/api\//);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      await stderrMatch(child, stderr, /analysis: finished in/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const err = stderr();
    const lines = err.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    // Listening comes before the analyses start; each step reports, in the order of `npm run analyze`.
    expect(at(/listening on/)).toBeGreaterThanOrEqual(0);
    expect(at(/listening on/)).toBeLessThan(at(/^analysis: the server answers meanwhile/));
    const kpis = at(/^analysis: calculate-kpis: 8 KPI measurements calculated, 0 already stored/);
    const recurrence = at(/^analysis: analyze-recurrence: \d+ recurring patterns/);
    const anomalies = at(/^analysis: run-anomaly-detection: \d+ new anomalies/);
    expect(kpis).toBeGreaterThan(at(/listening on/));
    expect(recurrence).toBeGreaterThan(kpis);
    expect(anomalies).toBeGreaterThan(recurrence);
    expect(err).not.toContain('failed');
  });

  it('on SIGTERM while analysing, ends the step in progress, runs no other, and exits 0', async () => {
    const { child, stderr, exited } = startServe();
    await stderrMatch(child, stderr, /^analysis: the server answers meanwhile/m);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr()).toMatch(/analysis: stopped before the end \(the server is shutting down\)/);
    expect(stderr()).not.toMatch(/analysis: finished in/);
  });
});
