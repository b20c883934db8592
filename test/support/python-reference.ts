import { execFile, execFileSync } from 'node:child_process';
import { mulberry32Open } from '../../packages/engine/src/random/mulberry32.ts';

/**
 * Runs a Python snippet with Debian's /usr/bin/python3 (numpy, scipy, statsmodels, scikit-learn) and
 * parses the JSON it prints: the reference numbers of the anomaly-kernel tests are computed live.
 * `input` is passed on stdin as JSON (read it with `json.load(sys.stdin)`).
 */
export function python<T>(code: string, input: unknown = null): T {
  const out = execFileSync('/usr/bin/python3', ['-c', code], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as T;
}

/**
 * Starts the Python script `code` with `args` (Debian's /usr/bin/python3) and resolves with the
 * JSON it prints. Unlike {@link python} it does not block: a test starts the reference, does its
 * own work (an ingest of the same file, say) on the other core meanwhile, then awaits the numbers.
 * Rejects with Python's stderr when the script fails.
 */
export function pythonInBackground<T>(code: string, args: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(
      '/usr/bin/python3',
      ['-c', code, ...args],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`python3 failed: ${stderr || error.message}`));
        else resolve(JSON.parse(stdout) as T);
      },
    );
  });
}

/** A seeded Gaussian sample (mulberry32 + Box–Muller), so both sides of a comparison see the same data. */
export function gaussian(n: number, seed: number, mean = 0, sd = 1): number[] {
  const u = mulberry32Open(seed);
  return Array.from(
    { length: n },
    () => mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()),
  );
}
