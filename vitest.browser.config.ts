import { defineConfig } from 'vitest/config';

// Tests that drive a real Chromium (playwright-core, Debian's /usr/bin/chromium): npm run test:browser.
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 1,
    minWorkers: 1,
  },
});
