import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/test-server.ts';

const repoRoot = resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const require = createRequire(import.meta.url);
const openapiFetchDir = dirname(require.resolve('openapi-fetch/package.json'));

/**
 * A client as a user of the API writes one: openapi-fetch over the types openapi-typescript
 * generated from the served document. It reaches operations by their operationId and error responses
 * by status, as generated clients do; the `@ts-expect-error` lines prove the types are precise: an
 * unknown path, a wrong query parameter type and a misspelt field each fail to compile.
 */
const clientSource = `import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema.ts';

declare const process: { argv: string[] };
type KpiMetric = components['schemas']['KpiMetric'];
type ApiError = components['schemas']['Error'];

const [baseUrl, token] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { Authorization: \`Token \${token}\` } });

const list = await client.GET('/api/analytics/kpi-metrics/', {
  params: { query: { page_size: 3, ordering: 'name' } },
});
if (!list.data) throw new Error('the list failed');
const names: string[] = list.data.results.map((metric: KpiMetric) => metric.name);
// @ts-expect-error a metric has no such field
list.data.results[0]?.metric_name;

const summary = await client.GET('/api/analytics/kpi-metrics/summary/');
if (!summary.data) throw new Error('the summary failed');
const summaryLines: number = summary.data.length;

// Generators name methods after operationIds, and every operation lists its error responses.
const samePage: operations['kpi_metrics_list']['responses'][200]['content']['application/json'] = list.data;
type SummaryBadRequest =
  operations['kpi_metrics_summary_retrieve']['responses'][400]['content']['application/json'];
const documented: SummaryBadRequest = { error: 'Unknown query parameter x', details: null, code: 'VALIDATION_ERROR' };

const bad = await client.GET('/api/analytics/kpi-metrics/', { params: { query: { page: 0 } } });
const error: ApiError | undefined = bad.error;
const errorMessage: string | undefined = error?.error;

// @ts-expect-error page is a number
await client.GET('/api/analytics/kpi-metrics/', { params: { query: { page: 'first' } } });
// @ts-expect-error not a path of the API
await client.GET('/api/analytics/no-such-resource/');

console.log(JSON.stringify({ count: samePage.count, names, summaryLines, documented: documented.code, status: bad.response.status, error, errorMessage }));
`;

describe('a typed client generated from the served OpenAPI document (openapi-typescript + openapi-fetch)', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    s = await startServer();
    dir = await mkdtemp(join(tmpdir(), 'typed-client-'));
  });
  afterAll(async () => {
    await s.close();
    await s.engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('compiles with tsc and calls the running API: a list, the summary, and a 400 that comes back typed', async () => {
    const doc = await (await s.fetch('/api/openapi.json')).json();
    await writeFile(join(dir, 'schema.ts'), astToString(await openapiTS(doc)));
    await writeFile(join(dir, 'client.ts'), clientSource);
    await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noUncheckedIndexedAccess: true,
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'bundler',
          allowImportingTsExtensions: true,
          noEmit: true,
          // The DOM library has fetch's types; openapi-fetch's own declarations are not checked.
          lib: ['ES2022', 'DOM'],
          types: [],
          skipLibCheck: true,
        },
        files: ['client.ts'],
      }),
    );
    await mkdir(join(dir, 'node_modules'));
    await symlink(openapiFetchDir, join(dir, 'node_modules/openapi-fetch'));

    const tsc = join(repoRoot, 'node_modules/typescript/bin/tsc');
    const compiled = await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch(
      (e: { stdout: string }) => ({ stdout: e.stdout, failed: true }),
    );
    expect(compiled.stdout).toBe('');

    const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
    const { stdout } = await run(process.execPath, [tsx, join(dir, 'client.ts'), s.url, s.tokens.viewer], {
      cwd: dir,
    });
    const result = JSON.parse(stdout) as {
      count: number;
      names: string[];
      summaryLines: number;
      status: number;
      error: { error: string; details: { parameter: string }; code: string };
      errorMessage: string;
    };
    // The engine's system metrics, one per metric type but CUSTOM (README "Domain definitions").
    expect(result.count).toBe(8);
    expect(result.names).toHaveLength(3);
    expect(result.names).toEqual([...result.names].sort());
    expect(result.summaryLines).toBe(8);
    expect(result.status).toBe(400);
    expect(result.error).toMatchObject({ code: 'VALIDATION_ERROR', details: { parameter: 'page' } });
    expect(result.errorMessage).toBe(result.error.error);
  });
});
