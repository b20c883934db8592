import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runScript, sourceRunner } from './support/run-cli.ts';

// Each example runs as a real process the way examples/README.md says (tsx on the sources).
const scratch = mkdtempSync(join(tmpdir(), 'examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('examples/ingest-and-kpis.mjs', () => {
  it('ingests the sample CSV and prints the KPIs worked by hand', async () => {
    const run = await runScript('examples/ingest-and-kpis.mjs');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ingested 6 incidents from .*incidents\.csv \(0 skipped\)$/);
    // First incident 2024-05-01T08:00Z, last 2024-05-03T09:00Z: 08:00 to the hour after, 10:00 two days on.
    expect(lines[1]).toBe('period 2024-05-01T08:00:00.000Z to 2024-05-03T10:00:00.000Z (50 h)');
    // By hand from examples/incidents.csv:
    // acknowledged after 10, 5, 30, 20, 15, 10 minutes → mean 90 / 6 = 15 minutes;
    // resolved after 60, 90, 360, 120, 60, 40 minutes → mean 730 / 6 min = 2.0278 hours;
    // the two CRITICAL outages (payments) are 05-01 13:00–14:30 and 05-03 09:00: up 14:30 → 09:00 two
    // days later = 42.5 hours between failures; payments down 1.5 h + 40 min of 50 h = 95.6667 %,
    // the three services with no CRITICAL incident 100 %, mean of the four 98.9167 %.
    expect(lines).toContain('Incident Count: 6 count');
    expect(lines).toContain('Mean Time to Acknowledge: 15 minutes');
    expect(lines).toContain('Mean Time to Resolve: 2.0278 hours');
    expect(lines).toContain('Mean Time Between Failures: 42.5 hours');
    expect(lines).toContain('Service Availability: 98.9167 percent');
  });
});

describe('examples/detect-anomalies.mjs', () => {
  it('finds the spike of the demo series', async () => {
    const run = await runScript('examples/detect-anomalies.mjs');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    // Point 150 of hourly points from 2024-01-01T00:00Z is 2024-01-07T06:00Z (the README's example).
    expect(lines[0]).toBe('200 points, 1 anomalies');
    expect(lines[1]).toMatch(/^2024-01-07T06:00:00\.000Z seasonal_esd observed 60 expected 11\.00 /);
  });

  it('reads a series of your own from a timestamp,value CSV', async () => {
    // 96 quarter-hour points of 5 ± 0.5 (a sine, no randomness) with one 50 at 2024-03-01T12:00Z (point 48).
    const rows = Array.from({ length: 96 }, (_, i) => {
      const at = new Date(Date.UTC(2024, 2, 1) + i * 900_000).toISOString();
      return `${at},${i === 48 ? 50 : 5 + 0.5 * Math.sin(i * 1.7)}`;
    });
    const file = join(scratch, 'series.csv');
    writeFileSync(file, `timestamp,value\n${rows.join('\n')}\n`);
    const run = await runScript('examples/detect-anomalies.mjs', [file]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    // Too short for a daily cycle (three days are needed), so robust ESD about the median (≈ 5): the
    // one spike, and nothing in the ± 0.5 sine.
    expect(lines[0]).toBe('96 points, 1 anomalies');
    expect(lines[1]).toMatch(/^2024-03-01T12:00:00\.000Z seasonal_esd observed 50 expected 5\.\d\d /);
  });
});

describe('examples/embed-in-service.mjs', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('serves ingestion and listing over node:http and stops cleanly on SIGTERM', async () => {
    const service = spawn(process.execPath, [...sourceRunner, 'examples/embed-in-service.mjs'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: '0' },
    });
    child = service;
    let stdout = '';
    let stderr = '';
    service.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const url = await new Promise<string>((resolve, reject) => {
      service.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      service.once('exit', (code) => reject(new Error(`exited with ${code} before listening: ${stderr}`)));
    });

    const created = await fetch(`${url}/incidents`, {
      method: 'POST',
      body: JSON.stringify([
        {
          external_id: 'A',
          title: 'Checkout down',
          severity: 'HIGH',
          service: 'checkout',
          created_at: '2024-05-01T10:00:00Z',
        },
        {
          external_id: 'B',
          title: 'Slow search',
          severity: 'LOW',
          service: 'search',
          created_at: '2024-05-01T11:00:00Z',
        },
      ]),
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ received: 2, inserted: 2, updated: 0, skipped: 0, errors: [] });

    const high = await fetch(`${url}/incidents?severity=HIGH`);
    expect(high.status).toBe(200);
    const page = (await high.json()) as { count: number; results: { external_id: string }[] };
    expect(page.count).toBe(1);
    expect(page.results.map((r) => r.external_id)).toEqual(['A']);

    // A bad row: the engine's VALIDATION_ERROR becomes a 400 and nothing is written.
    const bad = await fetch(`${url}/incidents`, {
      method: 'POST',
      body: JSON.stringify({ title: 'no severity' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('VALIDATION_ERROR');
    const all = (await (await fetch(`${url}/incidents`)).json()) as { count: number };
    expect(all.count).toBe(2);

    expect((await fetch(`${url}/nowhere`)).status).toBe(404);

    const exitCode = new Promise<number | null>((resolve) => service.once('exit', resolve));
    service.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    expect(stdout).toContain('stopped');
    expect(stderr).toBe('');
  });
});
