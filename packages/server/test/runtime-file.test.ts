import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { type RuntimeFile, readRuntimeFile, runtimeFilePath, serve } from '@incident-insights/server';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'insights-runtime-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A process id that belonged to a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  expect(child.status).toBe(0);
  return child.pid as number;
}

/** An engine on a new database file with one admin and one analyst token. */
async function fileEngine(name: string) {
  const db = join(dir, `${name}.duckdb`);
  const engine = await openEngine({ path: db });
  await engine.auth.createUser({ username: 'analyst', role: 'analyst' });
  const { key } = await engine.auth.createToken({ user: 'analyst' });
  return { db, engine, key };
}

describe('the runtime file of a running server', () => {
  it('is written 0600 beside the database once listening, authenticates the CLI as the system actor, and is removed at shutdown', async () => {
    const { db, engine, key } = await fileEngine('served');
    const server = await serve(engine, {
      port: 0,
      handleSignals: false,
      jobs: false,
      app: { logger: false, rateLimit: { perMinute: 2, perHour: 100 } },
    });
    let file: RuntimeFile | undefined;
    try {
      expect(runtimeFilePath(db)).toBe(`${db}.server.json`);
      expect(statSync(runtimeFilePath(db)).mode & 0o777).toBe(0o600);
      file = readRuntimeFile(db);
      expect(file).toEqual({
        url: server.url,
        pid: process.pid,
        credential: expect.stringMatching(/^iil_[A-Za-z0-9_-]{43}$/),
        database: resolve(db),
        started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      const local = { Authorization: `Token ${file!.credential}` };
      const me = await fetch(`${server.url}/api/auth/me/`, { headers: local });
      expect(await me.json()).toMatchObject({ username: 'system', role: 'admin', method: 'local' });
      // The system actor asks for jobs as the CLI does on its own: no user recorded.
      const job = await fetch(`${server.url}/api/jobs/`, {
        method: 'POST',
        headers: { ...local, 'Content-Type': 'application/json' },
        body: JSON.stringify({ kind: 'calculate_kpis' }),
      });
      expect(job.status).toBe(202);
      expect(await job.json()).toMatchObject({ requested_by: null, requested_by_username: 'system' });
      // Following a job polls: the local credential is not rate limited (2 a minute here), a user is.
      for (let i = 0; i < 5; i++) {
        expect((await fetch(`${server.url}/api/jobs/`, { headers: local })).status).toBe(200);
      }
      const user = { Authorization: `Token ${key}` };
      const statuses = [];
      for (let i = 0; i < 3; i++)
        statuses.push((await fetch(`${server.url}/api/jobs/`, { headers: user })).status);
      expect(statuses).toEqual([200, 200, 429]);
      // Anything but the exact credential is refused.
      for (const wrong of [`${file!.credential}x`, file!.credential.slice(0, -1), 'iil_']) {
        const refused = await fetch(`${server.url}/api/jobs/`, {
          headers: { Authorization: `Token ${wrong}` },
        });
        expect(refused.status).toBe(401);
      }
    } finally {
      await server.close();
    }
    expect(existsSync(runtimeFilePath(db))).toBe(false);
    expect(readRuntimeFile(db)).toBeUndefined();
    // The credential lived only in that server's memory: it is not in the database file.
    const reopened = await openEngine({ path: db });
    try {
      await expect(reopened.auth.authenticateToken(file!.credential)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      await reopened.close();
    }
  });

  it('is not written when asked not to, nor for an in-memory database', async () => {
    const { db, engine } = await fileEngine('no-file');
    const server = await serve(engine, {
      port: 0,
      handleSignals: false,
      jobs: false,
      runtimeFile: false,
      app: { logger: false },
    });
    try {
      expect(existsSync(runtimeFilePath(db))).toBe(false);
    } finally {
      await server.close();
    }
    const memory = await openEngine({ path: ':memory:' });
    const inMemory = await serve(memory, {
      port: 0,
      handleSignals: false,
      jobs: false,
      app: { logger: false },
    });
    try {
      expect(existsSync(runtimeFilePath(':memory:'))).toBe(false);
    } finally {
      await inMemory.close();
    }
  });

  it('is ignored when stale (its process is gone) or not a runtime file, and replaced by the next server', async () => {
    const db = join(dir, 'stale.duckdb');
    const stale: RuntimeFile = {
      url: 'http://127.0.0.1:9',
      pid: deadPid(),
      credential: 'iil_old',
      database: db,
      started_at: '2024-01-01T00:00:00.000Z',
    };
    writeFileSync(runtimeFilePath(db), JSON.stringify(stale), { mode: 0o644 });
    expect(readRuntimeFile(db)).toBeUndefined();
    writeFileSync(runtimeFilePath(db), JSON.stringify({ ...stale, pid: process.pid }));
    // A live pid in a file others may read or write: not trusted (anyone could have planted it).
    expect(readRuntimeFile(db)).toBeUndefined();
    chmodSync(runtimeFilePath(db), 0o600);
    expect(readRuntimeFile(db)).toMatchObject({ url: 'http://127.0.0.1:9' }); // owner-only, live pid: taken as is
    writeFileSync(runtimeFilePath(db), '{"url": ');
    expect(readRuntimeFile(db)).toBeUndefined();
    writeFileSync(runtimeFilePath(db), JSON.stringify({ ...stale, pid: 'one' }));
    expect(readRuntimeFile(db)).toBeUndefined();

    writeFileSync(runtimeFilePath(db), JSON.stringify(stale), { mode: 0o644 });
    const engine = await openEngine({ path: db });
    const server = await serve(engine, {
      port: 0,
      handleSignals: false,
      jobs: false,
      app: { logger: false },
    });
    try {
      expect(readRuntimeFile(db)).toMatchObject({ url: server.url, pid: process.pid });
      expect(statSync(runtimeFilePath(db)).mode & 0o777).toBe(0o600);
    } finally {
      await server.close();
    }
    expect(existsSync(runtimeFilePath(db))).toBe(false);
  });
});
