import { defineConfig } from 'vitest/config';

// `npm test` runs every test on embedded PGlite; with TEST_DATABASE_URL set (CI does) it runs them all again
// on the PostgreSQL server.
const server = process.env.TEST_DATABASE_URL;

export default defineConfig({
  test: {
    // Last resorts only, sized for a loaded 2-core machine: waits inside tests fail as soon as the awaited work stops
    // making progress (test/support/harness.ts waitFor), and set-up hooks (1000 files, two apps) must not be cut
    // short by a busy CPU.
    testTimeout: 5 * 60_000,
    hookTimeout: 10 * 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true as const, test: { name: 'pglite', include: ['test/**/*.test.ts', 'src/**/*.test.ts'], env: { DOCSTORE_TEST_DB: 'pglite' } } },
      ...(server
        ? [
            {
              extends: true as const,
              // Unit tests (src/, test/unit/) touch no database: they run once, in the pglite project.
              test: { name: 'server', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'], env: { DOCSTORE_TEST_DB: 'server' } },
            },
          ]
        : []),
    ],
  },
});
