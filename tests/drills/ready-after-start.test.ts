import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { http, killAll, startService, tempDataDir } from './processes.js';

// Drill: `npm start` on a fresh machine (empty data folder: migrations, demo seed, indexing). The
// first answer the service gives must already search every published listing, and /health/ready
// must say ready. The demo seed runs on the embedded database only, so the PostgreSQL run skips it.
const embedded = !process.env.DATABASE_URL;
const dataDir = tempDataDir();

afterAll(async () => {
  await killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!embedded)('ready means ready (drill; the demo seed runs on the embedded database only)', () => {
  it('serves full search results from its first answer after a fresh start', { timeout: 300_000 }, async () => {
    const service = await startService({ DATA_DIR: dataDir, SEED_DEMO: 'auto' }, 280_000);
    const firstSearch = await http(service.url, '/api/v1/search?limit=1');
    expect(firstSearch.status).toBe(200);
    const ready = await http(service.url, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ ready: true });
    const published = await http(service.url, '/api/v1/listings?limit=1');
    expect(published.json.total).toBeGreaterThan(50);
    expect(firstSearch.json.total).toBe(published.json.total);
  });
});
