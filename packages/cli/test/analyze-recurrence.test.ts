import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '@incident-insights/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertIncidents, plantedMonth } from '../../../test/support/recurrence-fixtures.ts';
import { type CliRun, runInsights } from '../../../test/support/run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'insights-recurrence-'));
const db = join(dir, 'recurrence.duckdb');
const month = plantedMonth(1);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  const engine = await openEngine({ path: db });
  await insertIncidents(engine, month.incidents);
  await engine.close();
});

function insights(args: string[]): Promise<CliRun> {
  return runInsights(args, { INSIGHTS_DB: db });
}

describe('insights analyze-recurrence', () => {
  const end = month.end.toISOString();

  it('stores the recurring patterns and prints them as a table, then finds nothing new on a re-run', async () => {
    const first = await insights(['analyze-recurrence', '--time-window', '720', '--end', end]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    // 400 one-off incidents + 9 + 6 + 4 + 8 planted + 29 nightly = 456 (see plantedMonth).
    expect(lines[0]).toBe(
      `Analysed 456 incidents created 2024-01-01T00:00:00.000Z to ${end}: 5 recurring patterns (5 new, 0 updated, 0 reopened, 0 unchanged).`,
    );
    expect(lines[2]).toMatch(
      /^id\s+type\s+count\s+confidence\s+every \(h\)\s+last seen\s+services\s+resolved\s+description$/,
    );
    expect(lines.slice(4)).toHaveLength(5);
    expect(first.stdout).toMatch(
      /PERIODIC\s+29\s+0\.\d\d\s+24\.\d\d .* reporting\s+no\s+'Nightly export job failed/,
    );

    const again = await insights(['analyze-recurrence', '--time-window', '720', '--end', end, '--json']);
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as {
      created: number;
      unchanged: number;
      analyses: {
        recurrence_type: string;
        occurrence_count: number;
        metadata: { confidence: { formula: string } };
      }[];
    };
    expect(result.created).toBe(0);
    expect(result.unchanged).toBe(5);
    expect(result.analyses.map((a) => a.recurrence_type).sort()).toEqual([
      'EXACT_FINGERPRINT',
      'EXACT_FINGERPRINT',
      'EXACT_FINGERPRINT',
      'PERIODIC',
      'SIMILAR_TEXT',
    ]);
    expect(result.analyses[0]?.metadata.confidence.formula).toBe('support × similarity × regularity');
  });

  it('refuses a bad time window with one line on stderr and exit code 2', async () => {
    const run = await insights(['analyze-recurrence', '--time-window', 'soon']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('insights: --time-window must be a positive number of hours, not soon\n');
  });
});
