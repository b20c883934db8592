import { configDefaults, defineConfig } from 'vitest/config';

const source = {
  resolve: { conditions: ['@incident-insights/source'] },
  ssr: { resolve: { conditions: ['@incident-insights/source'] } },
};

/*
 * Speed. The files of a project run in one worker that keeps its module graph from file to file
 * (`isolate: false`): the engine's and the server's sources are transformed and imported once, not
 * again for every file (0.8 s a file of import on the CI machine; 40 small engine files took 32 s of
 * CPU isolated, 10 s shared). Tests therefore leave no process-wide state behind: spies are restored,
 * engines and servers closed, environment variables put back. A file that needs fresh modules goes in
 * `isolated` below, which runs each of its files in a fresh worker as before.
 *
 * Workers. Vitest runs `availableParallelism() - 1` workers, one on a 2-core machine, and many
 * files leave the second core to their child processes, Python references and worker threads.
 * `npx vitest run --maxWorkers=2` runs two files at a time; it is an option to measure on a quiet
 * machine, not the default.
 */
/** Test files that must start from fresh modules, each in a worker of its own (none at present). */
const isolated: string[] = [];
/** Setup hooks open engines and start servers: give them the tests' own limit, not Vitest's 10 s. */
const shared = { isolate: false, exclude: [...configDefaults.exclude, ...isolated], hookTimeout: 60_000 };

export default defineConfig({
  test: {
    projects: [
      {
        ...source,
        test: {
          ...shared,
          name: 'engine',
          include: ['packages/engine/test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        ...source,
        test: {
          ...shared,
          name: 'server',
          include: ['packages/server/test/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        ...source,
        // Hooks start CLI processes and servers as tests do: the same limit.
        test: {
          ...shared,
          name: 'cli',
          include: ['packages/cli/test/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...source,
        // The web page's components are Preact TSX.
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
        test: {
          ...shared,
          name: 'web',
          include: ['packages/web/test/**/*.test.{ts,tsx}'],
          testTimeout: 60_000,
        },
      },
      {
        ...source,
        test: {
          ...shared,
          name: 'e2e',
          include: ['test/**/*.test.ts'],
          testTimeout: 180_000,
        },
      },
      // The files that need fresh modules, isolated as Vitest does by default.
      ...(isolated.length === 0
        ? []
        : [
            {
              ...source,
              oxc: { jsx: { runtime: 'automatic' as const, importSource: 'preact' } },
              test: { name: 'isolated', include: isolated, testTimeout: 180_000, hookTimeout: 120_000 },
            },
          ]),
    ],
  },
});
