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
    // Search offers live listings: published and not past expiry (a published listing past its
    // expiry waits for the hourly sweep, and the listings API still shows it until then).
    const now = Date.now();
    let live = 0;
    for (let offset = 0, total = Infinity; offset < total; offset += 100) {
      const page = await http(service.url, `/api/v1/listings?limit=100&offset=${offset}`);
      total = page.json.total;
      live += (page.json.items as { expiresAt: string | null }[]).filter((item) => item.expiresAt !== null && Date.parse(item.expiresAt) > now).length;
    }
    expect(live).toBeGreaterThan(50);
    expect(firstSearch.json.total).toBe(live);
  });
});
