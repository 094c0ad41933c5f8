import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';
import { createServerDatabase, dropServerDatabases } from '../../src/db/server-databases.js';
import { DAY_MS, type Clock } from '../../src/lib/clock.js';
import type { SearchEngine } from '../../src/modules/search/search.port.js';

/** A clock tests move by hand. */
export class TestClock implements Clock {
  private current: number;
  constructor(start = new Date('2026-03-02T09:00:00Z')) {
    this.current = start.getTime();
  }
  now() {
    return new Date(this.current);
  }
  advanceDays(days: number) {
    this.current += days * DAY_MS;
  }
  advanceMs(ms: number) {
    this.current += ms;
  }
}

/**
 * A fresh database for one test file: a clone of the migrated template on the PostgreSQL server
 * when DATABASE_URL is set, else an in-memory PGlite loaded from the migrated dump.
 */
export async function openTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const serverTemplate = inject('serverTemplate');
  const baseUrl = process.env.DATABASE_URL;
  if (serverTemplate && baseUrl) {
    const name = `ttm_t_${serverTemplate.split('_').pop()}_${randomBytes(6).toString('hex')}`;
    const url = await createServerDatabase(baseUrl, name, { template: serverTemplate });
    const handle = await openDatabase({ url, maxConnections: 5 });
    return {
      ...handle,
      url,
      close: async () => {
        await handle.close();
        await dropServerDatabases(baseUrl, [name]);
      },
    };
  }
  const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
  return openDatabase({ pgliteLoadDataDir: dump });
}

export interface TestContext {
  app: FastifyInstance;
  clock: TestClock;
  database: DatabaseHandle;
  dataDir: string;
  close(): Promise<void>;
}

export async function createTestApp(
  /** Overrides of the test configuration; undefined unsets a key (e.g. JWT_SECRET). */
  env: Record<string, string | undefined> = {},
  options: {
    clock?: TestClock;
    /** A database another test app opened: builds a second app on the same data (a restart); closing it leaves the database open. */
    database?: DatabaseHandle;
    /** Replaces the configured search engine, e.g. with a decorator that simulates an outage. */
    searchEngine?: (database: DatabaseHandle) => SearchEngine;
  } = {},
): Promise<TestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ttm-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    WORKER_ENABLED: 'false',
    DATA_DIR: dataDir,
    PUBLIC_URL: 'http://tech.test',
    JWT_SECRET: 'test-secret-for-the-test-suite-only-0123456789',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    // Suites ask many anonymous searches and matches in a minute; rate-limits.test.ts sets its own.
    SEARCH_RATE_LIMIT_PER_MINUTE: '100000',
    MATCHES_RATE_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const database = options.database ?? (await openTestDatabase());
  const clock = options.clock ?? new TestClock();
  const app = await buildApp(config, { database, clock, searchEngine: options.searchEngine?.(database) });
  await app.ready();
  return {
    app,
    clock,
    database,
    dataDir,
    close: async () => {
      await app.close();
      if (!options.database) await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
