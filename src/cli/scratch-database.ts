import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createServerDatabase, dropServerDatabases, withDatabase } from '../db/server-databases.js';

// A throw-away database and app for the evaluation and benchmark CLIs: a fresh in-memory PGlite,
// or a fresh database on the DATABASE_URL server (dropped afterwards), migrated, with no worker.

export type ScratchTarget = 'pglite' | 'server';

export interface ScratchOptions {
  /** Server only: use this database name and keep it afterwards (for profiling a loaded database). */
  keepAs?: string;
  /** Server only: open the database kept under `keepAs` as it is, without creating it. */
  reuse?: boolean;
}

export async function withScratchApp<T>(
  target: ScratchTarget,
  env: Record<string, string | undefined>,
  run: (app: FastifyInstance) => Promise<T>,
  options: ScratchOptions = {},
): Promise<T> {
  const baseUrl = process.env.DATABASE_URL;
  if (target === 'server' && !baseUrl) throw new Error('the server target needs DATABASE_URL');
  if (target !== 'server' && options.keepAs) throw new Error('only a server database can be kept');
  const name = options.keepAs ?? `ttm_scratch_${process.pid}_${Date.now().toString(36)}`;
  let serverUrl: string | null = null;
  if (target === 'server' && options.reuse) serverUrl = withDatabase(baseUrl!, name);
  else if (target === 'server') serverUrl = await createServerDatabase(baseUrl!, name, { replace: Boolean(options.keepAs) });
  const handle = await openDatabase(serverUrl ? { url: serverUrl } : {});
  const dataDir = mkdtempSync(join(tmpdir(), 'ttm-scratch-'));
  try {
    await handle.migrate();
    const { DATABASE_URL: _url, MEILI_HOST: _meili, ...rest } = process.env;
    // Benchmarks time the work, not the anonymous rate limits (one client sends thousands of
    // requests); a benchmark of the limits themselves sets them in `env`.
    const unlimited = { SEARCH_RATE_LIMIT_PER_MINUTE: '100000000', MATCHES_RATE_LIMIT_PER_MINUTE: '100000000' };
    const config = loadConfig({ ...rest, ...unlimited, LOG_LEVEL: 'warn', WORKER_ENABLED: 'false', DATA_DIR: dataDir, ...env });
    const app = await buildApp(config, { database: handle });
    await app.ready();
    try {
      return await run(app);
    } finally {
      await app.close();
    }
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (target === 'server' && !options.keepAs) await dropServerDatabases(baseUrl!, [name]);
  }
}
