import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeLogLine, isUnsafeLogCharacter } from '../src/observability/logger.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const script = 'test/support/log-server.ts';

/** A metric name with a NUL, an ANSI colour (ESC), DEL, a C1 CSI, a line separator and a right-to-left override. */
const name = 'disk\u0000full\u001b[31m red\u007f\u009b2J\u2028\u202egnp.exe';

let child: ChildProcess;
let url = '';
let token = '';
const stdout: Buffer[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@incident-insights/source', script], {
    cwd: root,
  });
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const line = err.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        ({ url, token } = JSON.parse(line) as { url: string; token: string });
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`log server exited with ${code}: ${err}`)));
  });
}, 60_000);

afterAll(async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
});

/** Waits until the log holds a line whose JSON satisfies `match`. */
async function logLine(match: (entry: Record<string, unknown>) => boolean): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const lines = Buffer.concat(stdout).toString('utf8').split('\n');
    const found = lines.find((l) => l.startsWith('{') && match(JSON.parse(l) as Record<string, unknown>));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no such log line');
}

describe('the server log', () => {
  it('escapes control characters from the data, so that each line is printable JSON', async () => {
    const res = await fetch(`${url}/api/analytics/kpi-metrics/${encodeURIComponent(name)}/`, {
      headers: { Authorization: `Token ${token}` },
    });
    expect(res.status).toBe(400); // not a UUID
    const line = await logLine((e) => typeof e['path'] === 'string' && e['path'].includes('disk'));
    // The values are kept: JSON decodes the escapes back to the name.
    expect(JSON.parse(line)['path']).toBe(`/api/analytics/kpi-metrics/${name}/`);
    // The bytes are not: no C0 control, DEL, C1 control, separator or bidi override is written.
    const bytes = Buffer.concat(stdout);
    const text = bytes.toString('utf8');
    expect(bytes.includes(0)).toBe(false);
    expect(bytes.includes(0x1b)).toBe(false);
    expect(bytes.includes(0x7f)).toBe(false);
    const unsafe = [...text].filter((ch) => isUnsafeLogCharacter(ch.codePointAt(0)!));
    expect(unsafe).toEqual([]);
    expect(line).toContain('disk\\u0000full\\u001b[31m red\\u007f\\u009b2J\\u2028\\u202egnp.exe');
  });
});

describe('escapeLogLine', () => {
  it('knows the characters to escape', () => {
    const codes = [0x00, 0x09, 0x1b, 0x7f, 0x85, 0x9b, 0x2028, 0x2029, 0x202e, 0x2066];
    for (const code of codes) expect(isUnsafeLogCharacter(code)).toBe(true);
    for (const code of [0x0a, 0x20, 0x41, 0xa0, 0xe9, 0x4e2d]) expect(isUnsafeLogCharacter(code)).toBe(false);
  });

  it('escapes what JSON.stringify leaves raw and keeps the line equal as JSON', () => {
    const raw = `${JSON.stringify({ name })}\n`;
    const escaped = escapeLogLine(raw);
    expect(escaped.endsWith('}\n')).toBe(true);
    expect(JSON.parse(escaped)).toEqual({ name });
    expect(escaped).toBe('{"name":"disk\\u0000full\\u001b[31m red\\u007f\\u009b2J\\u2028\\u202egnp.exe"}\n');
  });
});
