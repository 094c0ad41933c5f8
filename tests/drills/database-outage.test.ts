import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, http, killAll, startService, waitFor } from './processes.js';

// Drill: the PostgreSQL server stops under a running service and comes back. The service must
// answer 503 database_unavailable (the error shape) at once, /health must answer with the database
// down, and the service must recover by itself. The drill makes a cluster of its own (never the
// main one on 5432) with Debian's pg_createcluster, and drops it afterwards.
const CREATE_CLUSTER = '/usr/bin/pg_createcluster';
const available = existsSync(CREATE_CLUSTER) && existsSync('/etc/postgresql');
const version = available ? readdirSync('/etc/postgresql').sort().at(-1)! : '';
const cluster = `drill${process.pid}`;
let created = false;

function pgctl(action: 'start' | 'stop') {
  execFileSync('pg_ctlcluster', [version, cluster, action, ...(action === 'stop' ? ['-m', 'fast'] : [])], { stdio: 'pipe' });
}

afterAll(async () => {
  await killAll();
  if (created) execFileSync('pg_dropcluster', ['--stop', version, cluster], { stdio: 'pipe' });
});

describe.skipIf(!available)('database outages fail fast and honestly (drill; skipped only where pg_createcluster is not installed)', () => {
  it('answers 503 database_unavailable and a quick /health while the server is down, and recovers without a restart', { timeout: 240_000 }, async () => {
    const port = await freePort();
    execFileSync(CREATE_CLUSTER, [version, cluster, '-p', String(port), '--start', '--', '--auth=trust', '--no-sync'], { stdio: 'pipe' });
    created = true;
    const service = await startService({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`, WORKER_POLL_MS: '200' });
    expect((await http(service.url, '/api/v1/listings')).status).toBe(200);

    pgctl('stop');
    const read = await http(service.url, '/api/v1/listings');
    expect(read.status).toBe(503);
    expect(read.json).toEqual({ statusCode: 503, code: 'database_unavailable', message: expect.any(String), requestId: expect.any(String) });
    const write = await http(service.url, '/api/v1/auth/login', { method: 'POST', body: { email: 'nobody@drill.test', password: 'whatever-password' } });
    expect(write.status).toBe(503);
    expect(write.json.code).toBe('database_unavailable');
    // The probe's own deadline only guards against a hang (the checks inside have 800 ms each);
    // it is generous because CI machines can be very loaded.
    const health = await http(service.url, '/health', { timeoutMs: 10_000 });
    expect(health.status).toBe(503);
    expect(health.json).toMatchObject({ status: 'degraded', ready: false, database: { status: 'down' }, jobs: { status: 'unknown' } });
    expect((await http(service.url, '/health/ready', { timeoutMs: 10_000 })).json).toEqual({ ready: false, reason: 'database_unavailable' });

    pgctl('start');
    await waitFor(async () => (await http(service.url, '/api/v1/listings')).status === 200, { what: 'reads to work again', deadlineMs: 60_000 });
    const recovered = await http(service.url, '/health');
    expect(recovered.status).toBe(200);
    expect(recovered.json).toMatchObject({ status: 'ok', database: { status: 'up' } });
    expect(service.child.exitCode).toBeNull();
  });
});
