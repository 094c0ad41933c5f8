import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ALERTS_QUEUE } from '../src/modules/alerts/new-listing-alerts.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { WebClient } from './helpers/web-client.js';

// The admins' view of the background work: queue counts, failed mail and jobs with their errors,
// and retrying them (one, or all) — the retried mail really goes out to the SMTP server.

let smtp: TestSmtpServer;
let ctx: TestContext;
let admin: TestUser;
let adminWeb: WebClient;

const drain = () => ctx.app.services.jobs.drain();
const api = (method: 'GET' | 'POST', url: string, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers: admin.auth, ...(payload ? { payload } : {}) });

/** A user who asks for a password reset: one mail to their address. */
async function resetMailFor() {
  const user = await createUser(ctx);
  const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: user.email } });
  expect(response.statusCode).toBe(202);
  return user.email;
}

const failedMailIds = (html: string) => [...html.matchAll(/action="\/admin\/mail\/([0-9a-f-]{36})\/retry"/g)].map((match) => match[1]!);

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  admin = await createUser(ctx, { role: 'admin' });
  adminWeb = await WebClient.signedIn(ctx, admin);
});

afterAll(async () => {
  await ctx?.close();
  await smtp?.stop();
});

beforeEach(async () => {
  smtp.refuse(null);
  await drain();
  smtp.clear();
});

describe('/admin/jobs', () => {
  it('shows a refused mail with the server’s error; retrying it sends it to the SMTP server', async () => {
    smtp.refuse(550);
    const address = await resetMailFor();
    await drain();
    expect(smtp.to(address)).toHaveLength(0);

    const page = await adminWeb.get('/admin/jobs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Failed mail');
    expect(page.body).toContain(address);
    expect(page.body).toContain('Refused permanently by the mail server');
    expect(page.body).toContain('Mailbox unavailable');
    // Its job is failed too, in the queue table and the failed jobs.
    expect(page.body).toMatch(/<th scope="row">mail<\/th>/);
    expect(page.body).toMatch(/mail #\d+/);
    const [mailId] = failedMailIds(page.body);
    expect(mailId).toBeDefined();

    smtp.refuse(null);
    const retried = await adminWeb.post(`/admin/mail/${mailId}/retry`);
    expect(retried.statusCode).toBe(303);
    expect(retried.headers.location).toBe('/admin/jobs');
    expect((await adminWeb.get('/admin/jobs')).body).toContain('The message is queued to be sent again.');
    await drain();
    expect(smtp.to(address)).toHaveLength(1);
    expect(smtp.to(address)[0]!.subject).toMatch(/password/i);
    const after = await adminWeb.get('/admin/jobs');
    expect(failedMailIds(after.body)).not.toContain(mailId);
    expect(after.body).toContain('No failed mail.');
    // A message that is no longer failed is not retried twice.
    expect((await adminWeb.post(`/admin/mail/${mailId}/retry`)).statusCode).toBe(409);
  });

  it('retries every failed message at once', async () => {
    smtp.refuse(554);
    const addresses = [await resetMailFor(), await resetMailFor()];
    await drain();
    const page = await adminWeb.get('/admin/jobs');
    expect(failedMailIds(page.body)).toHaveLength(2);
    expect(page.body).toContain('Retry all failed mail');
    smtp.refuse(null);
    const retried = await adminWeb.post('/admin/mail/retry-failed');
    expect(retried.statusCode).toBe(303);
    expect((await adminWeb.get('/admin/jobs')).body).toContain('Every failed message is queued to be sent again.');
    await drain();
    for (const address of addresses) expect(smtp.to(address)).toHaveLength(1);
    const counts = (await api('GET', '/admin/mail/counts')).json();
    expect(counts).toMatchObject({ failed: 0, queued: 0, sending: 0 });
    expect(counts.sent).toBeGreaterThanOrEqual(3);
    expect((await adminWeb.get('/admin/jobs')).body).toContain('No failed mail.');
  });

  it('lists failed jobs of every queue or of one, with their error, and retries one or all', async () => {
    const { jobs } = ctx.app.services;
    for (const listing of ['not-a-uuid', 'still-not-a-uuid']) await jobs.enqueue(ctx.database.db, ALERTS_QUEUE, { listing }, { maxAttempts: 1 });
    await drain();
    const all = await adminWeb.get('/admin/jobs');
    expect(all.body).toContain(`${ALERTS_QUEUE} #`);
    expect(all.body).toContain('payload is not { listingId: uuid }');
    const one = await adminWeb.get(`/admin/jobs?queue=${ALERTS_QUEUE}`);
    expect(one.body).toMatch(new RegExp(`<option value="${ALERTS_QUEUE}" selected`));
    expect(one.body).toContain(`Retry all failed jobs of ${ALERTS_QUEUE}`);
    const ids = [...one.body.matchAll(/action="\/admin\/jobs\/(\d+)\/retry"/g)].map((match) => Number(match[1]));
    expect(ids).toHaveLength(2);

    const retried = await adminWeb.post(`/admin/jobs/${ids[0]}/retry`);
    expect(retried.statusCode).toBe(303);
    const pending = (await api('GET', `/admin/jobs?queue=${ALERTS_QUEUE}&status=pending`)).json();
    expect(pending.items.map((job: { id: number }) => job.id)).toEqual([ids[0]]);
    expect((await adminWeb.get('/admin/jobs')).body).toContain('The job is back on its queue.');
    expect((await adminWeb.post(`/admin/jobs/${ids[0]}/retry`)).statusCode).toBe(409);

    await adminWeb.get(`/admin/jobs?queue=${ALERTS_QUEUE}`);
    // Back to the filtered list it was posted from (a same-origin Referer).
    const from = { host: 'tech.test', referer: `http://tech.test/admin/jobs?queue=${ALERTS_QUEUE}` };
    const retriedAll = await adminWeb.post('/admin/jobs/retry-failed', { queue: ALERTS_QUEUE }, { headers: from });
    expect(retriedAll.statusCode).toBe(303);
    expect(retriedAll.headers.location).toBe(`/admin/jobs?queue=${ALERTS_QUEUE}`);
    expect((await api('GET', `/admin/jobs?queue=${ALERTS_QUEUE}&status=pending`)).json().total).toBe(2);
    expect((await api('GET', `/admin/jobs?queue=${ALERTS_QUEUE}&status=failed`)).json().total).toBe(0);
    // They run, fail again, and are there to retry through the API.
    await drain();
    expect((await api('POST', `/admin/jobs/retry-failed?queue=${ALERTS_QUEUE}`)).json()).toEqual({ retried: 2 });
    await drain();
    const everyQueue = (await api('GET', '/admin/jobs?status=failed')).json();
    expect(everyQueue.items.map((job: { queue: string }) => job.queue)).toEqual([ALERTS_QUEUE, ALERTS_QUEUE]);
  });

  it('retries failed mail through the API too', async () => {
    smtp.refuse(550);
    const address = await resetMailFor();
    await drain();
    smtp.refuse(null);
    expect((await api('POST', '/admin/mail/retry-failed')).json()).toEqual({ retried: 1 });
    await drain();
    expect(smtp.to(address)).toHaveLength(1);
    expect((await api('POST', '/admin/mail/retry-failed')).json()).toEqual({ retried: 0 });
    // Every queue at once, with no body at all.
    const all = await api('POST', '/admin/jobs/retry-failed');
    expect(all.statusCode).toBe(202);
    expect(all.json()).toEqual({ retried: expect.any(Number) });
    expect((await api('GET', '/admin/jobs?status=failed')).json().total).toBe(0);
  });
});
