import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/test-server.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const config = join(repoRoot, 'redocly.yaml');
const require = createRequire(import.meta.url);
const cli = require.resolve('@redocly/cli/bin/cli.js');

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
}

describe("Redocly's recommended lint of the served OpenAPI document", () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await startServer();
    dir = await mkdtemp(join(tmpdir(), 'openapi-lint-'));
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('relaxes only the rule against the spec trailing slashes', async () => {
    const text = await readFile(config, 'utf8');
    const settings = text
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
    expect(settings).toEqual([
      'extends:',
      '  - recommended',
      'rules:',
      '  no-path-trailing-slash: off',
      'telemetry: off',
    ]);
  });

  it('reports no error and no warning', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, await (await s.fetch('/api/openapi.json')).text());
    // Exit code 1 on errors; the report on stdout says what they are either way.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, 'lint', file, '--config', config, '--format', 'json', '--max-problems', '1000'],
      { env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as LintReport;
    const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    expect(problems).toEqual([]);
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: 0 });
  });
});
