import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offerBody } from '../helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';
import { openTestDatabase } from '../helpers/test-app.js';
import { http, killAll, loginAs, runProgram, startService, tempDataDir, waitFor, type Service } from './processes.js';

// Drill: the service as a child process (in-process worker) against a real SMTP server that refuses
// for good (5xx), refuses for now (4xx) and hangs. On both databases: a fresh data folder, or a
// fresh database cloned on the PostgreSQL server.
const ADMIN = { email: 'admin@drill.test', password: 'drill-admin-password-2026' };
const PASSWORD = 'drill-member-password-2026';
const dataDir = tempDataDir();
let database: Awaited<ReturnType<typeof openTestDatabase>> | null = null;
let smtp: TestSmtpServer;
let service: Service;
let adminToken: string;
let sequence = 0;

async function register(label: string) {
  const email = `${label}-${++sequence}@drill.test`;
  const response = await http(service.url, '/api/v1/auth/register', {
    method: 'POST',
    body: { email, password: PASSWORD, name: `Drill ${label}`, organization: { name: `Drill ${label} Org ${sequence}`, type: 'sme', country: 'TH' } },
  });
  expect(response.status, response.text).toBe(202);
  return email;
}

async function mailTo(email: string) {
  const response = await http(service.url, `/api/v1/admin/mail?to=${encodeURIComponent(email)}`, { token: adminToken });
  expect(response.status).toBe(200);
  return response.json.items[0] as { id: string; status: string; attempts: number; lastError: string | null } | undefined;
}

async function jobsOf(queue: string, status: string) {
  const response = await http(service.url, `/api/v1/admin/jobs?queue=${queue}&status=${status}&limit=100`, { token: adminToken });
  expect(response.status).toBe(200);
  return response.json as { total: number; items: { id: number; lastError: string | null; lockedBy: string | null; lockedAt: string | null; heartbeatAt: string | null }[] };
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  const env: Record<string, string> = { DATA_DIR: dataDir, SMTP_URL: smtp.url, WORKER_POLL_MS: '200' };
  if (process.env.DATABASE_URL) {
    database = await openTestDatabase();
    env.DATABASE_URL = database.url!;
  }
  const createAdmin = runProgram('src/cli/create-admin.ts', env, ['--email', ADMIN.email, '--name', 'Drill Admin', '--password', ADMIN.password]);
  // The embedded database admits one process at a time: the CLI finishes before the service starts.
  expect(await createAdmin.exited, createAdmin.output()).toBe(0);
  service = await startService(env);
  adminToken = await loginAs(service.url, ADMIN.email, ADMIN.password);
}, 240_000);

afterAll(async () => {
  await killAll();
  await smtp?.stop();
  await database?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('mail knows permanent from temporary (drill)', () => {
  it('ends a 5xx refusal as failed at once with the server reply, keeps a 4xx queued for a retry, and an admin retry moves job and mail together', { timeout: 120_000 }, async () => {
    smtp.refuse(550);
    const refused = await register('refused');
    const failed = await waitFor(async () => {
      const mail = await mailTo(refused);
      return mail?.status === 'failed' ? mail : null;
    }, { what: 'the 5xx-refused mail to fail' });
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/550 Mailbox unavailable/);
    const failedJobs = await jobsOf('mail', 'failed');
    expect(failedJobs.total).toBe(1);
    expect(failedJobs.items[0]!.lastError).toMatch(/550/);

    smtp.refuse(451);
    const deferred = await register('deferred');
    const waiting = await waitFor(async () => {
      const mail = await mailTo(deferred);
      return mail && mail.attempts >= 1 && mail.lastError ? mail : null;
    }, { what: 'the 4xx-refused mail to be tried' });
    expect(waiting.status).toBe('queued');
    expect(waiting.lastError).toMatch(/451/);

    smtp.refuse(null);
    const retried = await http(service.url, `/api/v1/admin/mail/${failed.id}/retry`, { method: 'POST', token: adminToken });
    expect(retried.status).toBe(202);
    expect((await jobsOf('mail', 'failed')).total).toBe(0);
    await waitFor(async () => (await mailTo(refused))?.status === 'sent', { what: 'the retried mail to be sent' });
    expect(smtp.to(refused)).toHaveLength(1);
    expect((await jobsOf('mail', 'failed')).total).toBe(0);
  });
});

describe('one slow queue never delays another (drill)', () => {
  it('makes a listing searchable while the mail queue hangs on the SMTP server, and shows who holds the hanging job', { timeout: 180_000 }, async () => {
    const owner = await register('owner');
    const verification = await waitFor(() => smtp.to(owner)[0] ?? null, { what: 'the verification mail' });
    const verified = await http(service.url, '/api/v1/auth/verify-email', {
      method: 'POST',
      body: { token: linkIn(verification, 'http://drill.test/verify-email').searchParams.get('token') },
    });
    expect(verified.status).toBe(200);
    const ownerToken = await loginAs(service.url, owner, PASSWORD);

    smtp.hold();
    const waitingFor = await register('held');
    await waitFor(() => smtp.holding > 0, { what: 'the SMTP server to hold a message' });

    const word = `hangproof${Date.now().toString(36)}`;
    const created = await http(service.url, '/api/v1/listings', { method: 'POST', token: ownerToken, body: offerBody({ title: `Solar dryer ${word}`, keywords: [word] }) });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    expect((await http(service.url, `/api/v1/listings/${id}/submit`, { method: 'POST', token: ownerToken, body: {} })).status).toBe(200);
    expect((await http(service.url, `/api/v1/listings/${id}/publish`, { method: 'POST', token: adminToken, body: {} })).status).toBe(200);

    const found = await waitFor(async () => {
      const response = await http(service.url, `/api/v1/search?q=${word}`);
      return response.status === 200 && response.json.total === 1 ? response.json : null;
    }, { what: 'the published listing to be searchable while mail hangs', deadlineMs: 60_000 });
    expect(found.items[0].id).toBe(id);
    // The mail queue is still stuck: the held message has not been answered.
    expect(smtp.holding).toBeGreaterThan(0);
    expect(smtp.to(waitingFor)).toHaveLength(0);

    const running = await jobsOf('mail', 'running');
    expect(running.total).toBeGreaterThan(0);
    expect(running.items[0]!.lockedBy).toMatch(new RegExp(`:${service.pid}:`));
    expect(running.items[0]!.lockedAt).toEqual(expect.any(String));
    const health = await http(service.url, '/health');
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ status: 'ok', ready: true, database: { status: 'up' }, search: { status: 'up' }, jobs: { status: 'up' } });
    expect(health.json.jobs.queues.find((queue: { queue: string }) => queue.queue === 'mail').running).toBeGreaterThan(0);

    smtp.release();
    await waitFor(() => smtp.to(waitingFor).length === 1, { what: 'the held mail to go out once released' });
  });
});
