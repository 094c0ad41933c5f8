import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The browser journeys need Chromium: npm run test:browser (vitest.browser.config.ts).
    exclude: ['tests/browser/**', 'node_modules/**'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // PGlite runs in each test file's process; two cores, two files at a time.
    maxWorkers: 2,
    minWorkers: 1,
    // A worker keeps its loaded modules from one test file to the next: importing the whole app
    // anew for every file took more time than the tests (collect 294 s of a 793 s run, against
    // 16 s of 303 s). Each file still builds its own app and database; no test changes globals.
    poolOptions: { forks: { isolate: false } },
  },
});
