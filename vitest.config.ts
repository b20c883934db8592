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
      { ...source, test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'], testTimeout: 120_000 } },
      { ...source, test: { name: 'e2e', include: ['test/**/*.test.ts'], testTimeout: 180_000 } },
    ],
  },
});
