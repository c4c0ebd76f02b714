import { defineConfig } from 'vitest/config';

/**
 * One test run for the whole repository. Tests sit beside the code (`*.test.ts`); browser tests
 * live in packages/web/e2e. The database tests run on the embedded database, or on a PostgreSQL
 * server when TEST_DATABASE_URL is set (see packages/server/src/test/globalSetup.ts).
 */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/web/e2e/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['packages/server/src/test/globalSetup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './scripts/summaryReporter.ts'],
  },
});
