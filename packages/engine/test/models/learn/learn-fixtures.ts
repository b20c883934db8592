import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { TabularRow } from '../../../src/models/learn/index.ts';
import { mulberry32Open } from '../../../src/random/mulberry32.ts';

/** The feature columns of {@link syntheticIncidents}. */
export const syntheticFeatures = ['hours', 'users', 'noise', 'load', 'team', 'weekend'] as const;

/**
 * Seeded synthetic incident-like rows with a known signal: numeric `hours` (uniform 0–24),
 * `users` (exponential), `noise` (Gaussian, no effect), `load` (Gaussian; 5% missing),
 * categorical `team` (6 teams, each with its own effect) and boolean `weekend`. `score` is
 * 1.5·sin(2π·hours/24) + 0.8·log1p(users) + load + team effect + 0.7·weekend + Gaussian noise (sd
 * 0.5); `severity` is 'low' / 'medium' / 'high' by the score's fixed cut-offs, `resolution_hours`
 * is 10 + 4·score.
 */
export function syntheticIncidents(count: number, seed: number): TabularRow[] {
  const u = mulberry32Open(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const teamEffect = [-1.5, -0.5, 0, 0.4, 1.0, 1.8];
  return Array.from({ length: count }, () => {
    const hours = 24 * u();
    const users = -10 * Math.log(u());
    const noise = gauss();
    const load = gauss();
    const team = Math.floor(u() * 6);
    const weekend = u() < 2 / 7;
    const score =
      1.5 * Math.sin((2 * Math.PI * hours) / 24) +
      0.8 * Math.log1p(users) +
      load +
      (teamEffect[team] as number) +
      (weekend ? 0.7 : 0) +
      0.5 * gauss() -
      1.8;
    return {
      hours,
      users,
      noise,
      load: u() < 0.05 ? null : load,
      team: `team-${team}`,
      weekend,
      severity: score < -0.7 ? 'low' : score < 0.7 ? 'medium' : 'high',
      resolution_hours: 10 + 4 * score,
    };
  });
}

/** The scikit-learn / XGBoost reference script beside the models benchmark. */
export const referenceScript = fileURLToPath(
  new URL('../../../../../bench/models-reference.py', import.meta.url),
);

/** Whether /usr/bin/python3 with scikit-learn is here (the reason when not). */
export function pythonMissing(): string | null {
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 is missing';
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import sklearn, pandas'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'scikit-learn or pandas is missing for /usr/bin/python3';
  }
}

/** Writes rows as CSV (empty cell = missing) with an `is_train` column. */
export function writeRowsCsv(
  file: string,
  columns: readonly string[],
  train: readonly TabularRow[],
  test: readonly TabularRow[],
): void {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const lines = [[...columns, 'is_train'].join(',')];
  for (const [rows, flag] of [
    [train, 1],
    [test, 0],
  ] as const) {
    for (const row of rows) lines.push([...columns.map((c) => cell(row[c])), flag].join(','));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}
