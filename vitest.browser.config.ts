import { defineConfig } from 'vitest/config';

// Browser journeys (npm run test:browser): real Chromium driven by playwright-core. Kept out of
// `npm test`, which must pass on a machine without a browser.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
    fileParallelism: false,
    poolOptions: { forks: { isolate: false } },
  },
});
