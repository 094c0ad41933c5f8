import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { http, killAll, startService } from './processes.js';

// Drill: the disk under the embedded database fills up while the service runs. Writes must answer
// 507 storage_full with the error shape, reads and /health must go on, and writes must work again
// once space is freed. The data folder lives on a small tmpfs of its own (mounting needs root).
const embedded = !process.env.DATABASE_URL;
const mountPoint = mkdtempSync(join(tmpdir(), 'ttm-drill-disk-'));
let mounted = false;
try {
  if (embedded) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=96m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  }
} catch {
  mounted = false;
}

afterAll(async () => {
  await killAll();
  if (mounted) execFileSync('umount', [mountPoint], { stdio: 'pipe' });
  rmSync(mountPoint, { recursive: true, force: true });
});

function register(base: string, n: number) {
  return http(base, '/api/v1/auth/register', {
    method: 'POST',
    body: { email: `disk-${n}@drill.test`, password: 'drill-member-password-2026', name: `Disk drill ${n}`, organization: { name: `Disk drill org ${n}`, type: 'sme', country: 'TH' } },
  });
}

describe.skipIf(!embedded || !mounted)('disk full on the embedded database (drill; embedded database only, and needs root to mount a tmpfs)', () => {
  it('answers writes with 507 storage_full, keeps serving reads, and takes writes again once space is freed', { timeout: 300_000 }, async () => {
    const service = await startService({ DATA_DIR: mountPoint });
    expect((await register(service.url, 1)).status).toBe(202);

    const { bavail, bsize } = statfsSync(mountPoint);
    const filler = join(mountPoint, 'filler');
    writeFileSync(filler, Buffer.alloc(Math.max(0, bavail * bsize - 4096)));

    // Rows still fit in pages that have room; the first write needing a new page meets the full disk.
    let refused = await register(service.url, 2);
    for (let n = 3; refused.status === 202 && n < 40; n++) refused = await register(service.url, n);
    expect(refused.status, refused.text).toBe(507);
    expect(refused.json).toEqual({ statusCode: 507, code: 'storage_full', message: expect.any(String), requestId: expect.any(String) });
    expect((await http(service.url, '/api/v1/listings')).status).toBe(200);
    expect((await http(service.url, '/api/v1/vocabularies')).status).toBe(200);
    const health = await http(service.url, '/health');
    expect(health.status).toBe(200);
    expect(health.json.database.status).toBe('up');

    rmSync(filler);
    expect((await register(service.url, 100)).status).toBe(202);
    expect(service.child.exitCode).toBeNull();
  });
});
