import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** ESC (clear screen), BEL, NUL, DEL, the C1 CSI, and an OSC that would retitle the terminal. */
const raw = ['\u001b', '\u0007', '\u0000', '\u007f', '\u009b'];
const title = 'Disk \u001b[2J\u0007full\u0000 on db\u007f\u009b';
const service = 'db\u001b]0;pwned\u0007';

function expectNoRawControls(text: string): void {
  for (const c of raw) expect(text.includes(c), `raw U+${c.charCodeAt(0).toString(16)}`).toBe(false);
}

describe('what the CLI prints from data', () => {
  const db = join(dir, 'controls.duckdb');
  const file = join(dir, 'controls.ndjson');
  // Eight daily incidents with the same hostile title: one recurring pattern whose description
  // quotes the title, and a ninth row whose bad severity is echoed in the error table.
  const rows = Array.from({ length: 8 }, (_, i) => ({
    external_id: `C-${i + 1}`,
    title,
    service,
    severity: 'HIGH',
    created_at: `2016-03-0${i + 1}T10:00:00Z`,
  }));
  rows.push({
    external_id: 'C-9',
    title: 'x',
    service,
    severity: '\u001b[31mHUGE',
    created_at: '2016-03-20T10:00:00Z',
  });
  writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);

  it('escapes control characters in tables, as visible escapes', async () => {
    const ingest = await runInsights(['--db', db, 'ingest', file, '--skip-invalid']);
    expect(ingest.code).toBe(0);
    expectNoRawControls(ingest.stdout + ingest.stderr);

    const run = await runInsights([
      '--db',
      db,
      'analyze-recurrence',
      '--end',
      '2016-04-01T00:00:00Z',
      '--time-window',
      '2000',
    ]);
    expect(run.code).toBe(0);
    expectNoRawControls(run.stdout + run.stderr);
    // The pattern's service and description, with the title quoted, escaped.
    expect(run.stdout).toContain('db\\x1b]0;pwned\\x07');
    expect(run.stdout).toContain("'Disk \\x1b[2J\\x07full\\x00 on db\\x7f\\x9b'");
    // Still one table row per pattern: nothing in the data broke a line.
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(5);
  });

  it('prints JSON that carries the same text without a raw control character', async () => {
    const run = await runInsights([
      '--db',
      db,
      'analyze-recurrence',
      '--end',
      '2016-04-01T00:00:00Z',
      '--time-window',
      '2000',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expectNoRawControls(run.stdout);
    const result = JSON.parse(run.stdout) as { analyses: { affected_services: string[] }[] };
    expect(result.analyses[0]?.affected_services).toEqual([service]);
  });

  it('escapes input echoed in an error message', async () => {
    const run = await runInsights(['--db', db, 'tokens', 'revoke', 'x\u0007y\u001b[2J']);
    expect(run.code).toBe(3);
    expectNoRawControls(run.stderr);
    expect(run.stderr).toBe('insights: token x\\x07y\\x1b[2J was not found\n');
  });
});

describe('a usage error', () => {
  it('is one line naming the unknown command, not the whole help, and exit code 2', async () => {
    const run = await runInsights(['nope']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe("insights: unknown command 'nope' (see insights --help)\n");
  });

  it('names the subcommand whose help to read, and escapes what it echoes', async () => {
    const sub = await runInsights(['users', 'frob']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toBe("insights: unknown command 'frob' (see insights users --help)\n");
    const option = await runInsights(['ingest', '--bogus\u001b[2J', 'file.csv']);
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("insights: unknown option '--bogus\\x1b[2J' (see insights ingest --help)\n");
  });

  it('leaves --help as it was: the help on stdout, exit code 0', async () => {
    const run = await runInsights(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: insights \[options\] \[command\]/);
    expect(run.stdout).toContain('calculate-kpis');
  });
});

describe('output into a pipe closed early (insights ... | head)', () => {
  it('ends quietly with exit code 0, not with an EPIPE stack trace', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@incident-insights/source', 'packages/cli/src/main.ts', '--help'],
      { cwd: repoRoot },
    );
    // The reader is gone before the process (still starting) writes anything.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(stderr).not.toContain('EPIPE');
    expect(code).toBe(0);
  });
});
