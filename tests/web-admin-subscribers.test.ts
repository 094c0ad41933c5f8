import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { WebClient } from './helpers/web-client.js';

// The admins' list of Tech Monitor subscribers: counts by state, filter by state, search by address,
// and marking an address as bounced. Subscribers get there the way readers do: the sign-up form,
// the confirmation link, the unsubscribe link.

let smtp: TestSmtpServer;
let ctx: TestContext;
let admin: TestUser;
let adminWeb: WebClient;

const CONFIRM_PREFIX = 'http://tech.test/api/v1/techmonitor/subscribers/confirm?token=';
const api = (method: 'GET' | 'POST', url: string, payload?: object, headers: Record<string, string> = admin.auth) =>
  ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

async function subscribe(email: string) {
  expect((await api('POST', '/techmonitor/subscribers', { email }, {})).statusCode).toBe(202);
  await ctx.app.services.jobs.drain();
}

async function confirm(email: string) {
  const link = linkIn(smtp.to(email).at(-1)!, CONFIRM_PREFIX);
  expect((await ctx.app.inject({ method: 'GET', url: link.pathname + link.search })).statusCode).toBe(200);
}

async function subscriberId(email: string): Promise<string> {
  return (await api('GET', `/admin/techmonitor/subscribers?q=${encodeURIComponent(email)}`)).json().items[0].id;
}

/** Follows the unsubscribe link every issue mail carries. */
async function unsubscribe(email: string) {
  const url = new URL(ctx.app.services.newsletter.unsubscribeUrl(await subscriberId(email)));
  expect((await ctx.app.inject({ method: 'GET', url: url.pathname + url.search })).statusCode).toBe(200);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  admin = await createUser(ctx, { role: 'admin' });
  adminWeb = await WebClient.signedIn(ctx, admin);
  for (const email of ['confirmed.one@example.org', 'confirmed.two@example.org', 'waiting@example.org', 'leaving@example.org', 'bouncing@example.org']) {
    await subscribe(email);
  }
  for (const email of ['confirmed.one@example.org', 'confirmed.two@example.org', 'leaving@example.org', 'bouncing@example.org']) await confirm(email);
  await unsubscribe('leaving@example.org');
  expect((await api('POST', '/admin/techmonitor/bounces', { email: 'bouncing@example.org', reason: '550 no such user' })).statusCode).toBe(200);
});

afterAll(async () => {
  await ctx?.close();
  await smtp?.stop();
});

describe('/admin/subscribers', () => {
  it('counts subscribers by state and lists them all', async () => {
    const page = await adminWeb.get('/admin/subscribers');
    expect(page.statusCode).toBe(200);
    const count = (state: string) => new RegExp(`>${state}</a></dt><dd>(\\d+)</dd>`).exec(page.body)?.[1];
    expect(count('Confirmed')).toBe('2');
    expect(count('Waiting for confirmation')).toBe('1');
    expect(count('Unsubscribed')).toBe('1');
    expect(count('Bounced')).toBe('1');
    expect(page.body).toContain('5 subscribers');
    for (const email of ['confirmed.one@example.org', 'waiting@example.org', 'leaving@example.org', 'bouncing@example.org']) expect(page.body).toContain(email);
  });

  it('filters by state and searches by part of the address', async () => {
    const bounced = await adminWeb.get('/admin/subscribers?status=bounced');
    expect(bounced.body).toContain('1 subscriber');
    expect(bounced.body).toContain('bouncing@example.org');
    expect(bounced.body).not.toContain('confirmed.one@example.org');
    expect(bounced.body).toMatch(/<option value="bounced" selected/);
    const unsubscribed = await adminWeb.get('/admin/subscribers?status=unsubscribed');
    expect(unsubscribed.body).toContain('leaving@example.org');
    expect(unsubscribed.body).not.toContain('waiting@example.org');
    const pending = await adminWeb.get('/admin/subscribers?status=pending');
    expect(pending.body).toContain('waiting@example.org');
    expect(pending.body).toContain('Waiting for confirmation');
    const confirmed = await adminWeb.get('/admin/subscribers?status=active&q=CONFIRMED.T');
    expect(confirmed.body).toContain('confirmed.two@example.org');
    expect(confirmed.body).not.toContain('confirmed.one@example.org');
    // A LIKE wildcard in the search is taken literally.
    expect((await adminWeb.get('/admin/subscribers?q=%25')).body).toContain('No subscriber matches.');
    // A state the form never offers is dropped rather than refused.
    expect((await adminWeb.get('/admin/subscribers?status=vip')).body).toContain('5 subscribers');
  });

  it('marks an address as bounced; it gets no issue after that', async () => {
    await adminWeb.get('/admin/subscribers?q=confirmed.one');
    const marked = await adminWeb.post('/admin/subscribers/bounce', { email: 'confirmed.one@example.org' });
    expect(marked.statusCode).toBe(303);
    const after = await adminWeb.get(marked.headers.location as string);
    expect(after.body).toContain('The address is marked as bounced');
    const listed = (await api('GET', '/admin/techmonitor/subscribers?status=bounced')).json();
    expect(listed.items.map((row: { email: string }) => row.email).sort()).toEqual(['bouncing@example.org', 'confirmed.one@example.org']);
    expect(listed.counts).toEqual({ pending: 1, active: 1, unsubscribed: 1, bounced: 2 });
    // Bounced and unsubscribed rows offer no button.
    expect((await adminWeb.get('/admin/subscribers?status=bounced')).body).not.toContain('action="/admin/subscribers/bounce"');
  });

  it('is for admins only over the API too', async () => {
    const editor = await createUser(ctx, { role: 'editor' });
    expect((await api('GET', '/admin/techmonitor/subscribers', undefined, editor.auth)).statusCode).toBe(403);
    expect((await api('GET', '/admin/techmonitor/subscribers', undefined, {})).statusCode).toBe(401);
  });
});
