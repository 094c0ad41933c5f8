import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, publishListing, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';
import { startWebhookReceiver, verifyDelivery, type WebhookReceiver } from './helpers/webhook-receiver.js';

let ctx: TestContext;
let receiver: WebhookReceiver;
let editor: TestUser;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ctx = await createTestApp({ WEBHOOKS_ALLOW_HTTP: 'true', WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOKS_DISABLE_AFTER_FAILURES: '2', WEBHOOKS_MAX_ATTEMPTS: '3' });
  editor = await createUser(ctx, { role: 'editor' });
});
afterAll(async () => {
  await ctx?.close();
  await receiver?.close();
});

const drain = () => ctx.app.services.jobs.drain();
const secretIn = (page: string) => /<code class="secret">(whsec_[A-Za-z0-9_-]+)<\/code>/.exec(page)?.[1];
const idIn = (page: string) => /href="\/my\/webhooks\/([0-9a-f-]{36})"/.exec(page)?.[1];

describe('the webhooks page of the workspace (no JavaScript)', () => {
  it('registers a webhook, shows the secret once, logs deliveries, sends a test event and takes a stopped webhook back', async () => {
    const partner = await createUser(ctx, { role: 'intermediary', withOrganization: true });
    const web = await WebClient.signedIn(ctx, partner);
    const list = await web.get('/my/webhooks');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('<a href="/my/webhooks" aria-current="page">Webhooks</a>');
    expect(list.body).toContain('No webhook yet.');

    // Mistakes are named beside their fields, with what was typed kept.
    const wrong = await web.post('/my/webhooks', { url: 'ftp://partner.example/h', events: [] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<a href="#events">Events needs at least one event</a>');
    expect(wrong.body).toContain('value="ftp://partner.example/h"');
    const notHttps = await web.post('/my/webhooks', { url: 'ftp://partner.example/h', events: ['listing.published'] });
    expect(notHttps.body).toContain('<a href="#url">Address (URL) must start with https:// or http://</a>');

    const created = await web.post('/my/webhooks', { url: `${receiver.url}/web`, events: ['listing.published', 'listing.withdrawn'] });
    expect(created.statusCode).toBe(201);
    expect(created.body).toContain('Copy the signing secret now');
    const secret = secretIn(created.body)!;
    expect(secret).toMatch(/^whsec_/);
    const id = idIn(created.body)!;
    const detail = await web.get(`/my/webhooks/${id}`);
    expect(detail.body).not.toContain(secret);
    expect(detail.body).toContain(`<code>${secret.slice(0, 10)}…</code>`);
    expect(detail.body).toContain('Nothing sent yet.');
    expect((await web.get('/my/webhooks')).body).not.toContain(secret);

    // A listing is published: the log shows the delivery.
    const member = await createUser(ctx);
    await publishListing(ctx, member, editor);
    await drain();
    expect(verifyDelivery(secret, receiver.on('/web')[0]!.headers, receiver.on('/web')[0]!.body, Math.floor(ctx.clock.now().getTime() / 1000))).toBe(true);
    const logged = await web.get(`/my/webhooks/${id}`);
    expect(logged.body).toMatch(/<td>listing\.published<\/td><td><span class="tag tag--ok">Delivered<\/span><\/td><td class="num">1<\/td><td class="num">200<\/td>/);

    // The receiver breaks: two failures in a row stop the webhook.
    receiver.alwaysAnswer(502);
    await publishListing(ctx, member, editor);
    await drain();
    ctx.clock.advanceMs(30_000);
    await drain();
    const stopped = await web.get(`/my/webhooks/${id}`);
    expect(stopped.body).toContain('This webhook was stopped after 2 failed deliveries in a row.');
    expect(stopped.body).toContain('Stopped after repeated failures');
    expect(stopped.body).toContain('HTTP 502');

    // Repaired: the test event goes through, then the webhook is turned back on.
    receiver.alwaysAnswer(null);
    const test = await web.post(`/my/webhooks/${id}/test`);
    expect(test.statusCode).toBe(303);
    expect(test.headers.location).toBe(`/my/webhooks/${id}`);
    await drain();
    const tested = await web.get(`/my/webhooks/${id}`);
    expect(tested.body).toContain('A test event is on its way.');
    expect(tested.body).toMatch(/<td>webhook\.test<\/td><td><span class="tag tag--ok">Delivered<\/span>/);
    expect(receiver.on('/web').at(-1)!.event.type).toBe('webhook.test');
    const on = await web.post(`/my/webhooks/${id}/enable`);
    expect(on.statusCode).toBe(303);
    const back = await web.get(`/my/webhooks/${id}`);
    expect(back.body).toContain('The webhook is on again.');
    expect(back.body).not.toContain('This webhook was stopped');
    expect(back.body).toContain('Turn off');

    // Events and address change; a new secret is shown once and signs from then on.
    const changed = await web.post(`/my/webhooks/${id}`, { url: `${receiver.url}/web2`, events: ['listing.expired'] });
    expect(changed.statusCode).toBe(303);
    expect((await web.get(`/my/webhooks/${id}`)).body).toContain('A listing expires (any public listing)');
    const rotated = await web.post(`/my/webhooks/${id}/rotate-secret`);
    const newSecret = secretIn(rotated.body)!;
    expect(newSecret).not.toBe(secret);
    await web.get(`/my/webhooks/${id}`);
    await web.post(`/my/webhooks/${id}/test`);
    await drain();
    const ping = receiver.on('/web2').at(-1)!;
    const now = Math.floor(ctx.clock.now().getTime() / 1000);
    expect(verifyDelivery(newSecret, ping.headers, ping.body, now)).toBe(true);
    expect(verifyDelivery(secret, ping.headers, ping.body, now)).toBe(false);

    await web.get(`/my/webhooks/${id}`);
    const deleted = await web.post(`/my/webhooks/${id}/delete`);
    expect(deleted.headers.location).toBe('/my/webhooks');
    expect((await web.get('/my/webhooks')).body).toContain('The webhook and its delivery log are deleted.');
    expect((await web.get(`/my/webhooks/${id}`)).statusCode).toBe(404);
  });

  it('is not for members, and shows no intermediary another organisation’s webhooks', async () => {
    const member = await createUser(ctx);
    const memberWeb = await WebClient.signedIn(ctx, member);
    expect((await memberWeb.get('/my')).body).not.toContain('href="/my/webhooks"');
    expect((await memberWeb.get('/my/webhooks')).statusCode).toBe(403);
    const refused = await memberWeb.post('/my/webhooks', { url: 'https://member.example/h', events: ['listing.published'] }, { csrf: null });
    expect(refused.statusCode).toBe(403);
    await memberWeb.get('/my');
    expect((await memberWeb.post('/my/webhooks', { url: 'https://member.example/h', events: ['listing.published'] })).statusCode).toBe(403);

    const owner = await createUser(ctx, { role: 'intermediary', withOrganization: true });
    const ownerWeb = await WebClient.signedIn(ctx, owner);
    await ownerWeb.get('/my/webhooks');
    const created = await ownerWeb.post('/my/webhooks', { url: 'https://owner.example/hooks', events: ['interest.received'] });
    const id = idIn(created.body)!;
    const other = await createUser(ctx, { role: 'intermediary', withOrganization: true });
    const otherWeb = await WebClient.signedIn(ctx, other);
    const list = await otherWeb.get('/my/webhooks');
    expect(list.body).not.toContain('owner.example');
    expect((await otherWeb.get(`/my/webhooks/${id}`)).statusCode).toBe(404);
    expect((await otherWeb.post(`/my/webhooks/${id}/delete`)).statusCode).toBe(404);
    expect((await otherWeb.get('/my/webhooks/not-a-uuid')).statusCode).toBe(404);

    // Admins see every organisation's webhooks, with the organisation's name.
    const admin = await createUser(ctx, { role: 'admin' });
    const adminWeb = await WebClient.signedIn(ctx, admin);
    const all = await adminWeb.get('/my/webhooks');
    expect(all.body).toContain('https://owner.example/hooks');
    const organization = (await ctx.app.services.organizations.find(owner.organizationId!))!;
    expect(all.body).toContain(organization.name);
    const forMember = await adminWeb.post('/my/webhooks', { url: 'https://member.example/h', events: ['interest.received'], organizationId: member.organizationId! });
    expect(forMember.statusCode).toBe(201);
    await adminWeb.get('/my/webhooks');
    const noOrganization = await adminWeb.post('/my/webhooks', { url: 'https://member.example/h', events: ['interest.received'], organizationId: 'x' });
    expect(noOrganization.body).toContain('Organisation ID must be an organisation ID (a UUID)');
  });

  it('shows an admin every webhook a page at a time, the organisation names to admins only', async () => {
    const admin = await createUser(ctx, { role: 'admin' });
    const partners = await Promise.all([0, 1, 2, 3, 4, 5].map(() => createUser(ctx, { role: 'intermediary', withOrganization: true })));
    for (const [p, partner] of partners.entries()) {
      for (let n = 0; n < 9; n += 1) {
        const created = await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers: admin.auth,
          payload: { url: `https://paged-${p}-${n}.example/h`, events: ['listing.published'], organizationId: partner.organizationId },
        });
        expect(created.statusCode).toBe(201);
      }
    }
    const adminWeb = await WebClient.signedIn(ctx, admin);
    const first = await adminWeb.get('/my/webhooks');
    const rows = (page: string) => [...page.matchAll(/<a href="\/my\/webhooks\/[0-9a-f-]{36}">/g)].length;
    const total = (await ctx.app.inject({ method: 'GET', url: '/api/v1/webhooks?limit=1', headers: admin.auth })).json().total as number;
    expect(total).toBeGreaterThan(54);
    expect(rows(first.body)).toBe(50);
    expect(first.body).toContain(`Showing 1–50 of ${total}`);
    expect(first.body).toContain('href="/my/webhooks?offset=50"');
    const second = await adminWeb.get('/my/webhooks?offset=50');
    expect(rows(second.body)).toBe(total - 50);
    const seen = new Set([...`${first.body}${second.body}`.matchAll(/href="(\/my\/webhooks\/[0-9a-f-]{36})"/g)].map((match) => match[1]));
    expect(seen.size).toBe(total);
    expect((await adminWeb.get('/my/webhooks?offset=-1')).statusCode).toBe(400);

    // An intermediary's own list: its nine, no pager, and no column of organisation names.
    const partnerWeb = await WebClient.signedIn(ctx, partners[0]!);
    const own = await partnerWeb.get('/my/webhooks');
    expect(rows(own.body)).toBe(9);
    expect(own.body).not.toContain('id="webhook-pager"');
    const organization = (await ctx.app.services.organizations.find(partners[0]!.organizationId!))!;
    expect(first.body + second.body).toContain(organization.name);
    expect(own.body).not.toContain(`<td>${organization.name}</td>`);
  });
});
