import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http, killAll, runProgram, startService, tempDataDir, waitFor } from './processes.js';

// Drill: two processes on one embedded data folder. The second (a service or any CLI that opens the
// database) must refuse at once naming the folder and the holder; a lock left by a killed process
// must be taken over. The embedded database only: the PostgreSQL run skips it.
const embedded = !process.env.DATABASE_URL;
const dataDir = tempDataDir();

afterAll(async () => {
  await killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!embedded)('one process per embedded data folder (drill; embedded database only, skipped in the PostgreSQL run)', () => {
  it('refuses a second service and the CLIs while the folder is held, and takes over the lock of a killed process', { timeout: 240_000 }, async () => {
    const first = await startService({ DATA_DIR: dataDir });
    const folder = join(dataDir, 'pglite');
    const lock = JSON.parse(readFileSync(`${folder}.lock`, 'utf8'));
    expect(lock.pid).toBe(first.pid);

    // A second service and a CLI, at the same time: both end non-zero with one line naming the folder and the holder.
    const second = runProgram('src/main.ts', { DATA_DIR: dataDir });
    const migrate = runProgram('src/cli/migrate.ts', { DATA_DIR: dataDir });
    for (const refused of [second, migrate]) {
      expect(await refused.exited).toBe(1);
      const lines = refused.stderr().trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`The data folder ${folder} is in use by process ${first.pid}`);
    }
    expect((await http(first.url, '/health')).status).toBe(200);

    // Killed without a chance to clean up: the lock file stays, naming a process that is gone.
    expect(await first.kill('SIGKILL')).toBe('SIGKILL');
    expect(existsSync(`${folder}.lock`)).toBe(true);
    const third = await startService({ DATA_DIR: dataDir });
    expect(JSON.parse(readFileSync(`${folder}.lock`, 'utf8')).pid).toBe(third.pid);
    const health = await waitFor(async () => {
      const response = await http(third.url, '/health');
      return response.status === 200 ? response.json : null;
    }, { what: 'the service that took over to be healthy' });
    expect(health.database.status).toBe('up');

    // A clean stop frees the folder for the next process.
    expect(await third.kill('SIGTERM')).toBe(0);
    expect(existsSync(`${folder}.lock`)).toBe(false);
  });
});
