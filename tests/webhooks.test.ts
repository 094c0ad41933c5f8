import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, type TestUser } from './helpers/factories.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { startWebhookReceiver, verifyDelivery, type WebhookReceiver } from './helpers/webhook-receiver.js';

let ctx: TestContext;
let smtp: TestSmtpServer;
let receiver: WebhookReceiver;
let admin: TestUser;
let editor: TestUser;
let partner: TestUser;
let otherPartner: TestUser;
let member: TestUser;

// The receiver runs on 127.0.0.1 over plain HTTP: this app allows both, as a developer's would.
beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startWebhookReceiver();
  ctx = await createTestApp({
    SMTP_URL: smtp.url,
    WEBHOOKS_ALLOW_HTTP: 'true',
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOKS_DISABLE_AFTER_FAILURES: '3',
    WEBHOOKS_MAX_ATTEMPTS: '5',
  });
  admin = await createUser(ctx, { role: 'admin' });
  editor = await createUser(ctx, { role: 'editor' });
  partner = await createUser(ctx, { role: 'intermediary', withOrganization: true, name: 'Tara Partner' });
  otherPartner = await createUser(ctx, { role: 'intermediary', withOrganization: true });
  member = await createUser(ctx);
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.close();
  await smtp?.stop();
});
// Every test starts without webhooks, so events of one test reach only its own receivers.
afterEach(async () => {
  const all = await api('GET', '/webhooks?limit=100', admin);
  for (const webhook of all.json().items) await api('DELETE', `/webhooks/${webhook.id}`, admin);
  await drain();
  receiver.clear();
  smtp.clear();
});

function api(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, user: TestUser | { authorization: string } | null, payload?: unknown) {
  const headers = user ? ('auth' in user ? user.auth : user) : {};
  return ctx.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });
}

const drain = () => ctx.app.services.jobs.drain();
const nowSeconds = () => Math.floor(ctx.clock.now().getTime() / 1000);

async function register(user: TestUser, path: string, events: string[], extra: Record<string, unknown> = {}) {
  const response = await api('POST', '/webhooks', user, { url: `${receiver.url}${path}`, events, ...extra });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; secret: string; organizationId: string };
}

const deliveriesOf = async (webhookId: string, user: TestUser = admin) => (await api('GET', `/webhooks/${webhookId}/deliveries`, user)).json().items;

describe('registering webhooks', () => {
  it('shows the secret once; intermediaries manage their own organisation’s, admins any; members and editors none', async () => {
    const created = await api('POST', '/webhooks', partner, { url: 'https://partner.example/hooks', events: ['listing.published'] });
    expect(created.statusCode).toBe(201);
    const webhook = created.json();
    expect(webhook).toMatchObject({ organizationId: partner.organizationId, createdById: partner.id, enabled: true, consecutiveFailures: 0 });
    expect(webhook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook.secret.startsWith(webhook.secretPrefix)).toBe(true);
    const listed = await api('GET', '/webhooks', partner);
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: webhook.id, url: 'https://partner.example/hooks' }] });
    expect(listed.body).not.toContain(webhook.secret);
    expect((await api('GET', `/webhooks/${webhook.id}`, partner)).body).not.toContain(webhook.secret);

    // Another intermediary sees nothing of it, and cannot touch it.
    expect((await api('GET', '/webhooks', otherPartner)).json().total).toBe(0);
    for (const [method, url, body] of [
      ['GET', `/webhooks/${webhook.id}`, undefined],
      ['PATCH', `/webhooks/${webhook.id}`, { enabled: false }],
      // Refused as unseen before the address is looked at (the check would tell what a host resolves to).
      ['PATCH', `/webhooks/${webhook.id}`, { url: 'ftp://x.example/' }],
      ['DELETE', `/webhooks/${webhook.id}`, undefined],
      ['GET', `/webhooks/${webhook.id}/deliveries`, undefined],
      ['POST', `/webhooks/${webhook.id}/test`, undefined],
      ['POST', `/webhooks/${webhook.id}/rotate-secret`, undefined],
    ] as const) {
      expect((await api(method, url, otherPartner, body)).statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await api('POST', '/webhooks', otherPartner, { url: 'https://x.example/', events: ['listing.published'], organizationId: partner.organizationId })).statusCode).toBe(403);
    expect((await api('GET', `/webhooks?organizationId=${partner.organizationId}`, otherPartner)).statusCode).toBe(403);

    // Members and editors register none.
    for (const user of [member, editor]) {
      const refused = await api('POST', '/webhooks', user, { url: 'https://x.example/', events: ['listing.published'] });
      expect(refused.statusCode).toBe(403);
    }
    expect((await api('GET', '/webhooks', member)).statusCode).toBe(403);
    expect((await api('GET', '/webhooks', null)).statusCode).toBe(401);

    // Admins register for any organisation (naming it) and see every webhook.
    expect((await api('POST', '/webhooks', admin, { url: 'https://x.example/', events: ['listing.published'] })).json().issues).toEqual([
      { path: 'organizationId', message: 'is required' },
    ]);
    const forMember = await api('POST', '/webhooks', admin, { url: 'https://member.example/h', events: ['interest.received'], organizationId: member.organizationId });
    expect(forMember.json().organizationId).toBe(member.organizationId);
    expect((await api('GET', '/webhooks', admin)).json().total).toBe(2);
    expect((await api('GET', `/webhooks?organizationId=${member.organizationId}`, admin)).json().items.map((item: any) => item.id)).toEqual([forMember.json().id]);

    // A new secret replaces the old one, shown once too.
    const rotated = await api('POST', `/webhooks/${webhook.id}/rotate-secret`, partner);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(webhook.secret);
  });

  it('checks the events and the address, naming the field', async () => {
    const bad = async (body: Record<string, unknown>) => (await api('POST', '/webhooks', partner, body)).json();
    expect((await bad({ url: 'https://x.example/', events: [] })).issues).toEqual([{ path: 'body.events', message: 'needs at least one event' }]);
    expect((await bad({ url: 'https://x.example/', events: ['listing.deleted'] })).issues[0].path).toBe('body.events.0');
    expect((await bad({ url: 'https://x.example/', events: ['listing.expired', 'listing.expired'] })).issues).toEqual([
      { path: 'body.events', message: 'must not repeat an event' },
    ]);
    expect((await bad({ url: 'not a url', events: ['listing.expired'] })).issues).toEqual([
      { path: 'url', message: 'must be a full address such as https://example.org/webhooks' },
    ]);
    expect((await bad({ url: 'ftp://x.example/', events: ['listing.expired'] })).issues[0].path).toBe('url');
    expect((await bad({ url: 'https://user:pw@x.example/', events: ['listing.expired'] })).issues).toEqual([
      { path: 'url', message: 'must not contain a user name or password' },
    ]);
    expect((await bad({ url: 'https://x.example/\u0007', events: ['listing.expired'] })).issues[0].path).toBe('body.url');
  });

  it('refuses http:// and non-public addresses where the configuration does not allow them', async () => {
    // The same database, served with the production defaults.
    const strict = await createTestApp({}, { database: ctx.database });
    try {
      const attempt = (url: string) => strict.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: partner.auth, payload: { url, events: ['listing.published'] } });
      const http = await attempt('http://partner.example/hooks');
      expect(http.statusCode).toBe(400);
      expect(http.json().issues).toEqual([{ path: 'url', message: 'must start with https:// (plain http:// would send events and signatures unencrypted)' }]);
      for (const url of ['https://127.0.0.1/h', 'https://localhost:8443/h', 'https://10.1.2.3/h', 'https://169.254.169.254/latest', 'https://[::1]/h', 'https://[::ffff:7f00:1]/h', 'https://192.168.1.20/h']) {
        const refused = await attempt(url);
        expect(refused.json().issues, url).toEqual([{ path: 'url', message: 'must reach a public internet address (loopback, private and link-local networks are refused)' }]);
      }
      expect((await attempt('https://203.0.113.9/h')).json().issues[0].path).toBe('url');
      // A public address is accepted (registration sends nothing).
      expect((await attempt('https://93.184.215.14/hooks')).statusCode).toBe(201);
      // Changing the address goes through the same rule.
      const own = (await strict.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: partner.auth })).json().items[0];
      const patched = await strict.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${own.id}`, headers: partner.auth, payload: { url: 'http://127.0.0.1:9/h' } });
      expect(patched.json().issues[0].path).toBe('url');

      // An address that passed when registered but now resolves inward (DNS rebinding, or a
      // changed setting) is checked again on every connection: nothing reaches the receiver.
      const port = new URL(receiver.url).port;
      for (const host of ['localhost', '127.0.0.1']) {
        const hook = await register(partner, `/rebound-${host}`, ['listing.published']);
        await ctx.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, headers: partner.auth, payload: { url: `http://${host}:${port}/rebound` } });
        await strict.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, headers: partner.auth });
        await strict.app.services.jobs.drain();
        const [delivery] = await deliveriesOf(hook.id);
        expect(delivery).toMatchObject({ status: 'failed', lastStatusCode: null });
        expect(delivery.lastError).toBe(host === 'localhost' ? 'localhost resolves to a non-public address' : '127.0.0.1 is not a public address');
      }
      expect(receiver.on('/rebound')).toHaveLength(0);
    } finally {
      await strict.close();
    }
  });

  it('can be managed with an API key that has the webhooks:manage scope, for its own organisation', async () => {
    const keyOf = async (scopes: string[]) =>
      (await api('POST', '/api-keys', partner, { name: `k-${scopes.join()}`, scopes })).json().key as string;
    const manage = { authorization: `ApiKey ${await keyOf(['webhooks:manage'])}` };
    const readOnly = { authorization: `ApiKey ${await keyOf(['listings:read'])}` };
    const created = await api('POST', '/webhooks', manage, { url: `${receiver.url}/by-key`, events: ['listing.published'] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ organizationId: partner.organizationId, createdById: partner.id });
    expect((await api('GET', '/webhooks', manage)).json().total).toBe(1);
    expect((await api('POST', `/webhooks/${created.json().id}/test`, manage)).statusCode).toBe(202);
    expect((await api('GET', '/webhooks', readOnly)).json().code).toBe('api_key_scope');
    const foreign = await api('POST', '/webhooks', admin, { url: 'https://x.example/', events: ['listing.published'], organizationId: member.organizationId });
    expect((await api('GET', `/webhooks/${foreign.json().id}`, manage)).statusCode).toBe(404);
  });
});

describe('deliveries', () => {
  it('sends listing.published of every public listing, signed over timestamp.body, to each subscriber', async () => {
    const hook = await register(partner, '/published', ['listing.published']);
    const otherHook = await register(otherPartner, '/other', ['listing.published', 'listing.withdrawn']);
    const uninterested = await register(admin, '/expired-only', ['listing.expired'], { organizationId: member.organizationId });
    const listing = await publishListing(ctx, member, editor);
    expect(receiver.received).toHaveLength(0); // nothing leaves before the worker runs
    await drain();

    const [delivery] = receiver.on('/published');
    expect(receiver.on('/published')).toHaveLength(1);
    expect(receiver.on('/other')).toHaveLength(1);
    expect(receiver.on('/expired-only')).toHaveLength(0);
    expect(delivery!.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-event': 'listing.published',
      'webhook-id': delivery!.event.id,
      'webhook-timestamp': String(nowSeconds()),
    });
    expect(delivery!.event).toMatchObject({ type: 'listing.published', createdAt: ctx.clock.now().toISOString() });
    expect(delivery!.event.data.listing).toMatchObject({ id: listing.id, reference: listing.reference, title: listing.title, status: 'published' });
    expect(delivery!.event.data.listing.organization).toMatchObject({ id: member.organizationId });
    // Each event has one id, the same for every subscriber; each webhook its own secret.
    expect(receiver.on('/other')[0]!.event.id).toBe(delivery!.event.id);
    expect(verifyDelivery(hook.secret, delivery!.headers, delivery!.body, nowSeconds())).toBe(true);
    expect(verifyDelivery(otherHook.secret, delivery!.headers, delivery!.body, nowSeconds())).toBe(false);
    expect(verifyDelivery(otherHook.secret, receiver.on('/other')[0]!.headers, receiver.on('/other')[0]!.body, nowSeconds())).toBe(true);
    // A tampered body or a stale timestamp fails the receiver's check.
    expect(verifyDelivery(hook.secret, delivery!.headers, delivery!.body.replace(listing.title, 'Something else'), nowSeconds())).toBe(false);
    expect(verifyDelivery(hook.secret, delivery!.headers, delivery!.body, nowSeconds() + 301)).toBe(false);
    expect(verifyDelivery(hook.secret, delivery!.headers, delivery!.body, nowSeconds() + 299)).toBe(true);

    expect(await deliveriesOf(hook.id, partner)).toMatchObject([
      { eventId: delivery!.event.id, eventType: 'listing.published', status: 'delivered', attempts: 1, lastStatusCode: 200, lastError: null },
    ]);
    expect(await deliveriesOf(uninterested.id)).toEqual([]);
  });

  it('never reveals the owner of an anonymous listing', async () => {
    await register(partner, '/anon', ['listing.published', 'listing.withdrawn']);
    const owner = await createUser(ctx, { name: 'Secretive Owner' });
    const organization = (await ctx.app.services.organizations.find(owner.organizationId!))!;
    const listing = await publishListing(ctx, owner, editor, offerBody({ anonymous: true, iprNotes: 'TH patent 98765' }));
    await api('POST', `/listings/${listing.id}/withdraw`, owner, {});
    await drain();
    const bodies = receiver.on('/anon');
    expect(bodies.map((entry) => entry.event.type)).toEqual(['listing.published', 'listing.withdrawn']);
    expect(bodies[0]!.event.data.listing).toMatchObject({ id: listing.id, anonymous: true, organization: null, iprNotes: null });
    for (const { body } of bodies) {
      for (const secret of [owner.organizationId!, organization.name, owner.email, owner.id, 'Secretive Owner', '98765', organization.contactEmail!]) {
        expect(body).not.toContain(secret);
      }
    }
  });

  it('sends listing.withdrawn (withdrawn or put on hold) and listing.expired as tombstones', async () => {
    await register(partner, '/gone', ['listing.withdrawn', 'listing.expired']);
    const withdrawn = await publishListing(ctx, member, editor);
    const held = await publishListing(ctx, member, editor);
    const expiring = await publishListing(ctx, member, editor);
    expect((await api('POST', `/listings/${withdrawn.id}/withdraw`, member, {})).statusCode).toBe(200);
    expect((await api('POST', `/listings/${held.id}/hold`, editor, { note: 'Checking a claim' })).statusCode).toBe(200);
    await drain();
    ctx.clock.advanceDays(366);
    await ctx.app.services.listings.runExpirySweep();
    await drain();
    const events = receiver.on('/gone').map((entry) => [entry.event.type, entry.event.data.listing.id, entry.event.data.listing.status]);
    expect(events).toEqual(
      expect.arrayContaining([
        ['listing.withdrawn', withdrawn.id, 'withdrawn'],
        ['listing.withdrawn', held.id, 'on_hold'],
        ['listing.expired', expiring.id, 'expired'],
      ]),
    );
    // Not published events: the webhook did not ask for them.
    expect(receiver.on('/gone').every((entry) => entry.event.type !== 'listing.published')).toBe(true);
    expect(Object.keys(receiver.on('/gone')[0]!.event.data.listing).sort()).toEqual(['id', 'kind', 'reference', 'status', 'updatedAt']);
  });

  it('sends interest.received only to webhooks of the listing’s own organisation', async () => {
    const own = await register(partner, '/eoi', ['interest.received']);
    await register(otherPartner, '/eoi-other', ['interest.received']);
    const listing = await publishListing(ctx, partner, editor);
    const sent = await api('POST', '/interests', member, { listingId: listing.id, message: 'We would like to license this for 30 villages.' });
    expect(sent.statusCode).toBe(201);
    await drain();
    expect(receiver.on('/eoi-other')).toHaveLength(0);
    const [delivery] = receiver.on('/eoi');
    expect(delivery!.event).toMatchObject({
      type: 'interest.received',
      data: {
        interest: {
          id: sent.json().id,
          status: 'pending',
          message: 'We would like to license this for 30 villages.',
          listing: { id: listing.id, reference: listing.reference },
          senderOrganization: { country: 'TH' },
        },
      },
    });
    expect(verifyDelivery(own.secret, delivery!.headers, delivery!.body, nowSeconds())).toBe(true);
  });

  it('retries a receiver that fails, with growing delays, until it recovers', async () => {
    const hook = await register(partner, '/flaky', ['listing.published']);
    receiver.answerWith([500, 503]);
    await publishListing(ctx, member, editor);
    await drain();
    expect(receiver.on('/flaky')).toHaveLength(1);
    expect(await deliveriesOf(hook.id)).toMatchObject([{ status: 'pending', attempts: 1, lastStatusCode: 500, lastError: 'HTTP 500' }]);
    await drain(); // the retry waits for its backoff
    expect(receiver.on('/flaky')).toHaveLength(1);
    ctx.clock.advanceMs(30_000);
    await drain();
    expect(receiver.on('/flaky')).toHaveLength(2);
    ctx.clock.advanceMs(30_000); // the second retry waits twice as long
    await drain();
    expect(receiver.on('/flaky')).toHaveLength(2);
    ctx.clock.advanceMs(30_000);
    await drain();
    const attempts = receiver.on('/flaky');
    expect(attempts).toHaveLength(3);
    // One event, three attempts: the same id and body, each signed with its own timestamp.
    expect(new Set(attempts.map((entry) => entry.headers['webhook-id'])).size).toBe(1);
    expect(new Set(attempts.map((entry) => entry.body)).size).toBe(1);
    expect(attempts.map((entry) => Number(entry.headers['webhook-timestamp']))).toEqual([nowSeconds() - 90, nowSeconds() - 60, nowSeconds()]);
    expect(verifyDelivery(hook.secret, attempts[2]!.headers, attempts[2]!.body, nowSeconds())).toBe(true);
    expect(await deliveriesOf(hook.id)).toMatchObject([{ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null }]);
    expect((await api('GET', `/webhooks/${hook.id}`, partner)).json()).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it('turns a webhook off after consecutive failures, tells its owner by mail, and takes it back once repaired', async () => {
    const hook = await register(partner, '/down', ['listing.published']);
    receiver.alwaysAnswer(500);
    await publishListing(ctx, member, editor);
    await drain();
    ctx.clock.advanceMs(30_000);
    await drain();
    expect((await api('GET', `/webhooks/${hook.id}`, partner)).json()).toMatchObject({ enabled: true, consecutiveFailures: 2 });
    ctx.clock.advanceMs(60_000);
    await drain(); // the third failure in a row (WEBHOOKS_DISABLE_AFTER_FAILURES=3)
    const stopped = (await api('GET', `/webhooks/${hook.id}`, partner)).json();
    expect(stopped).toMatchObject({ enabled: false, disabledReason: 'failures', consecutiveFailures: 3 });
    expect(stopped.disabledAt).toBe(ctx.clock.now().toISOString());
    expect(await deliveriesOf(hook.id)).toMatchObject([{ status: 'failed', attempts: 3, lastStatusCode: 500 }]);

    const [mail] = smtp.to(partner.email);
    expect(mail!.subject).toBe(`Webhook stopped after 3 failed deliveries: ${receiver.url}/down`);
    expect(mail!.text).toContain('HTTP 500');
    expect(mail!.text).toContain(`http://tech.test/my/webhooks/${hook.id}`);
    expect(smtp.messages.filter((message) => message.subject.startsWith('Webhook stopped'))).toHaveLength(1);

    // While off, events are not sent, and no retry reaches the receiver.
    const sentBefore = receiver.on('/down').length;
    await publishListing(ctx, member, editor);
    ctx.clock.advanceMs(3_600_000);
    await drain();
    expect(receiver.on('/down')).toHaveLength(sentBefore);
    expect(await deliveriesOf(hook.id)).toHaveLength(1);

    // Repaired: a test event checks it while it is still off, then it goes back on.
    receiver.alwaysAnswer(null);
    const test = await api('POST', `/webhooks/${hook.id}/test`, partner);
    expect(test.statusCode).toBe(202);
    expect(test.json()).toMatchObject({ eventType: 'webhook.test', status: 'pending', attempts: 0 });
    await drain();
    const ping = receiver.on('/down').at(-1)!;
    expect(ping.event).toMatchObject({ type: 'webhook.test', data: { webhook: { id: hook.id } } });
    expect(verifyDelivery(hook.secret, ping.headers, ping.body, nowSeconds())).toBe(true);
    expect((await deliveriesOf(hook.id))[0]).toMatchObject({ eventType: 'webhook.test', status: 'delivered', attempts: 1, lastStatusCode: 200 });
    const back = await api('PATCH', `/webhooks/${hook.id}`, partner, { enabled: true });
    expect(back.json()).toMatchObject({ enabled: true, disabledReason: null, disabledAt: null, consecutiveFailures: 0 });
    await publishListing(ctx, member, editor);
    await drain();
    expect(receiver.on('/down').at(-1)!.event.type).toBe('listing.published');
  });

  it('sends a test event once, without retries, and logs a receiver that cannot be reached', async () => {
    const hook = await register(partner, '/ping', ['listing.expired']);
    receiver.alwaysAnswer(404);
    await api('POST', `/webhooks/${hook.id}/test`, partner);
    await drain();
    ctx.clock.advanceMs(3_600_000);
    await drain();
    expect(receiver.on('/ping')).toHaveLength(1);
    expect(await deliveriesOf(hook.id)).toMatchObject([{ eventType: 'webhook.test', status: 'failed', attempts: 1, lastStatusCode: 404, lastError: 'HTTP 404' }]);

    // Nothing listening: no status code, the connection error.
    const closed = await api('PATCH', `/webhooks/${hook.id}`, partner, { url: 'http://127.0.0.1:9/nothing-here' });
    expect(closed.statusCode).toBe(200);
    await api('POST', `/webhooks/${hook.id}/test`, partner);
    await drain();
    const [latest] = await deliveriesOf(hook.id);
    expect(latest).toMatchObject({ status: 'failed', lastStatusCode: null });
    expect(latest.lastError).toMatch(/ECONNREFUSED/);
  });

  it('stops sending when the owner turns the webhook off, and deletes its log with it', async () => {
    const hook = await register(partner, '/off', ['listing.published']);
    receiver.alwaysAnswer(500);
    await publishListing(ctx, member, editor);
    await drain();
    const off = await api('PATCH', `/webhooks/${hook.id}`, partner, { enabled: false });
    expect(off.json()).toMatchObject({ enabled: false, disabledReason: 'owner' });
    ctx.clock.advanceMs(3_600_000);
    await drain();
    expect(receiver.on('/off')).toHaveLength(1);
    expect(await deliveriesOf(hook.id)).toMatchObject([{ status: 'cancelled', attempts: 1, lastError: 'the webhook was turned off' }]);
    // The log keeps finished deliveries WEBHOOKS_LOG_DAYS (30) days.
    await api('POST', `/webhooks/${hook.id}/test`, partner);
    await drain();
    ctx.clock.advanceDays(29);
    expect(await ctx.app.services.webhooks.purgeOldDeliveries()).toBe(0);
    ctx.clock.advanceDays(2);
    expect(await ctx.app.services.webhooks.purgeOldDeliveries()).toBe(2);
    expect(await deliveriesOf(hook.id)).toEqual([]);
    expect((await api('DELETE', `/webhooks/${hook.id}`, partner)).statusCode).toBe(204);
    expect((await api('GET', `/webhooks/${hook.id}/deliveries`, partner)).statusCode).toBe(404);
  });
});
