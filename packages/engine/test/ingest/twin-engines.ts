import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type Engine, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';

/** Two in-memory engines on one clock: `sql` takes a source through a SQL path, `js` the reference. */
export interface TwinEngines {
  readonly sql: Engine;
  readonly js: Engine;
}

/** Opens {@link TwinEngines} before the file's tests and closes them after. */
export function twinEngines(now: () => Date): TwinEngines {
  const twins = {} as { sql: Engine; js: Engine };
  beforeAll(async () => {
    twins.sql = await openEngine({ path: ':memory:', now });
    twins.js = await openEngine({ path: ':memory:', now });
  });
  afterAll(async () => {
    await twins.sql.close();
    await twins.js.close();
  });
  return twins;
}

/** A scratch folder removed after the file's tests; each call of the result writes a new file. */
export function scratchFiles(name: string, extension: string): (text: string) => string {
  const dir = mkdtempSync(path.join(tmpdir(), `${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  return (text) => {
    const file = path.join(dir, `f${files++}.${extension}`);
    writeFileSync(file, text);
    return file;
  };
}

/** The stored incidents whose external id starts with `prefix`, without what the store assigns. */
export function storedRows(engine: Engine, prefix: string) {
  return internalContext(engine).db.all(
    `SELECT * EXCLUDE (id, ingested_at, updated_at) FROM incidents WHERE external_id LIKE $p ORDER BY external_id`,
    { p: `${prefix}%` },
  );
}

/** The outcome of `work`: the report, or the error's code, message and details. */
export async function outcome(work: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: await work() };
  } catch (error) {
    const e = error as { code?: string; message: string; details?: unknown };
    return { code: e.code, message: e.message, details: e.details };
  }
}
