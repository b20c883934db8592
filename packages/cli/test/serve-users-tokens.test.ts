import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');
// The binary: the bundle of the build when it is fresh, else the sources through tsx.
const cli = ['packages/cli/bin/insights.js'];
const dir = mkdtempSync(path.join(tmpdir(), 'insights-cli-'));
const run = promisify(execFile);

function insights(db: string, ...args: string[]) {
  return run(process.execPath, [...cli, '--db', db, ...args], { cwd: root, timeout: 60_000 });
}

/** Starts `insights serve --port 0` and resolves with the URL it announces and the first stdout. */
function startServe(db: string): Promise<{ child: ChildProcess; url: string; stdout: () => string }> {
  const child = spawn(
    process.execPath,
    [...cli, '--db', db, 'serve', '--port', '0', '--log-level', 'silent'],
    {
      cwd: root,
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (c: Buffer) => {
      err += c.toString();
      const match = /listening on (http:\/\/[^/\s]+)\/api\//.exec(err);
      if (match?.[1]) resolve({ child, url: match[1], stdout: () => out });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('insights users, tokens and serve', () => {
  it('creates a user and a token, serves the API with it, revokes it, and shuts down on SIGTERM', async () => {
    const db = path.join(dir, 'a.duckdb');
    const created = await insights(
      db,
      'users',
      'create',
      '--username',
      'ana',
      '--password',
      'secret-pass',
      '--role',
      'analyst',
    );
    expect(created.stdout).toMatch(/Created user ana \(analyst\)/);

    const token = await insights(
      db,
      'tokens',
      'create',
      '--user',
      'ana',
      '--name',
      'ci',
      '--expires-in-days',
      '30',
    );
    const key = token.stdout.trim().split('\n').at(-1) ?? '';
    expect(key).toMatch(/^ii_[\w-]{43}$/);

    const listed = await insights(db, 'tokens', 'list', '--json');
    const tokens = JSON.parse(listed.stdout) as { id: string; prefix: string; username: string }[];
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ username: 'ana', prefix: key.slice(0, 11) });
    expect(listed.stdout).not.toContain(key);

    const users = await insights(db, 'users', 'list');
    expect(users.stdout).toMatch(/ana\s+analyst\s+yes/);

    const server = await startServe(db);
    try {
      expect(server.stdout()).toBe(''); // users exist: no bootstrap token
      const ok = await fetch(`${server.url}/api/incidents/`, { headers: { Authorization: `Token ${key}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      const exited = exitOf(server.child);
      server.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }

    const revoked = await insights(db, 'tokens', 'revoke', key.slice(0, 11));
    expect(revoked.stdout).toMatch(/Revoked token/);
    const after = await insights(db, 'tokens', 'list', '--json');
    expect((JSON.parse(after.stdout) as { revoked_at: string | null }[])[0]?.revoked_at).not.toBeNull();
  });

  it('on an empty database, serve creates user admin and prints its token once', async () => {
    const db = path.join(dir, 'b.duckdb');
    const first = await startServe(db);
    let key = '';
    try {
      await new Promise((r) => setTimeout(r, 100));
      key = first.stdout().trim();
      expect(key).toMatch(/^ii_[\w-]{43}$/);
      const me = await fetch(`${first.url}/api/auth/me/`, { headers: { Authorization: `Token ${key}` } });
      expect(await me.json()).toMatchObject({ username: 'admin', role: 'admin' });
    } finally {
      const exited = exitOf(first.child);
      first.child.kill('SIGTERM');
      await exited;
    }
    const second = await startServe(db);
    try {
      expect(second.stdout()).toBe('');
      const me = await fetch(`${second.url}/api/auth/me/`, { headers: { Authorization: `Token ${key}` } });
      expect(me.status).toBe(200);
    } finally {
      const exited = exitOf(second.child);
      second.child.kill('SIGTERM');
      await exited;
    }
  });

  it('refuses a bad role with a one-line error and a non-zero exit', async () => {
    const db = path.join(dir, 'c.duckdb');
    const failed = await insights(db, 'users', 'create', '--username', 'x', '--role', 'superuser').catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect('code' in failed && failed.code).toBe(2);
    expect((failed as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  });
});
