import { defineConfig } from 'vitest/config';

const source = {
  resolve: { conditions: ['@incident-insights/source'] },
  ssr: { resolve: { conditions: ['@incident-insights/source'] } },
};

export default defineConfig({
  test: {
    projects: [
      {
        ...source,
        test: { name: 'engine', include: ['packages/engine/test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        ...source,
        test: { name: 'server', include: ['packages/server/test/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        ...source,
        // Hooks start CLI processes and servers as tests do: the same limit.
        test: {
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
        test: { name: 'web', include: ['packages/web/test/**/*.test.{ts,tsx}'], testTimeout: 60_000 },
      },
      { ...source, test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 180_000 } },
    ],
  },
});
