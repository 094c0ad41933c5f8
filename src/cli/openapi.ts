import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';

// `npm run openapi -- <file>` (and `npm run lint:openapi`): writes the OpenAPI document the service
// serves at /docs/json, built from the routes without listening. The routes need no data to
// describe themselves: an empty in-memory database and a throw-away data folder stand in.

const [output] = process.argv.slice(2);
if (!output) {
  process.stderr.write('Usage: npm run openapi -- <file.json>\n');
  process.exit(1);
}
const dataDir = mkdtempSync(join(tmpdir(), 'ttm-openapi-'));
const database = await openDatabase({ pgliteDataDir: 'memory://' });
try {
  const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', WORKER_ENABLED: 'false', DATA_DIR: dataDir, PUBLIC_URL: process.env.PUBLIC_URL });
  const app = await buildApp(config, { database });
  await app.ready();
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(app.swagger(), null, 2)}\n`);
  await app.close();
} finally {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
}
