import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';
import { ZMatchQuery } from '../src/modules/matching/matching.schemas.js';

// Workspace flows of issue 16 through the pages, without JavaScript: a listing's life (history,
// renew, withdraw, archive), its matches as the matching service labels them, an intermediary's
// clients and EOI for one of them, introductions to a signed agreement and closed, and addresses
// that name nothing.

let ctx: TestContext;
let editor: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
});

afterAll(async () => {
  await ctx?.close();
});

const idFrom = (location: unknown) => String(location).split('/').pop()!;

describe('a listing’s life from the workspace', () => {
  it('renews once, withdraws, archives, each step in the history; the buttons follow the status', async () => {
    const owner = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Renewable rice husk stove' }));
    const web = await WebClient.signedIn(ctx, owner);
    const page = await web.get(`/my/listings/${listing.id}`);
    expect(page.body).toContain('Renew for 12 months');
    expect(page.body).toContain(`action="/my/listings/${listing.id}/withdraw"`);
    expect(page.body).not.toContain(`action="/my/listings/${listing.id}/archive"`);

    const renewed = await web.post(`/my/listings/${listing.id}/renew`);
    expect(renewed.statusCode).toBe(303);
    const afterRenew = await web.get(renewed.headers.location as string);
    expect(afterRenew.body).toContain('renewed');
    // One renewal only: the button is gone.
    expect(afterRenew.body).not.toContain(`action="/my/listings/${listing.id}/renew"`);

    await web.post(`/my/listings/${listing.id}/withdraw`);
    const withdrawn = await web.get(`/my/listings/${listing.id}`);
    expect(withdrawn.body).toContain('Withdrawn');
    expect(withdrawn.body).toContain(`action="/my/listings/${listing.id}/archive"`);
    await web.post(`/my/listings/${listing.id}/archive`);
    const archived = await web.get(`/my/listings/${listing.id}`);
    const history = archived.body.slice(archived.body.indexOf('id="history"'));
    for (const status of ['Under review', 'Published', 'Withdrawn', 'Archived']) expect(history).toContain(status);
    expect(archived.body).not.toContain('<form method="post" action="/my/listings/');
    // The public page is gone with it.
    expect((await new WebClient(ctx).get(`/listings/${listing.reference}`)).statusCode).toBe(404);
  });

  it('an unknown action on a listing is the 404 page, and someone else’s listing is not theirs to change', async () => {
    const owner = await createUser(ctx);
    const stranger = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, offerBody());
    const web = await WebClient.signedIn(ctx, stranger);
    expect((await web.get(`/my/listings/${listing.id}`)).statusCode).toBe(404);
    await web.get('/my');
    expect((await web.post(`/my/listings/${listing.id}/withdraw`)).statusCode).toBeGreaterThanOrEqual(403);
    expect((await web.post(`/my/listings/${listing.id}/explode`)).statusCode).toBe(404);
    expect((await ctx.app.services.listings.find(listing.id))?.status).toBe('published');
  });

  it('shows matches with the matching service’s own label and summary, and their explanations', async () => {
    const owner = await createUser(ctx);
    const request = await publishListing(
      ctx,
      owner,
      editor,
      requestBody({ title: 'Solar dryer for mango farmers', keywords: ['solar dryer', 'mango'], sectors: ['agriculture_food', 'renewable_energy'] }),
    );
    await publishListing(ctx, await createUser(ctx), editor, offerBody({ title: 'Solar tunnel dryer for mango and fish', keywords: ['solar dryer', 'mango'], sectors: ['agriculture_food', 'renewable_energy'] }));
    await ctx.app.services.jobs.drain();
    const web = await WebClient.signedIn(ctx, owner);
    const page = await web.get(`/my/listings/${request.id}`);
    const matches = await ctx.app.services.matching.matchesFor(
      { id: owner.id, email: owner.email, name: 'x', role: 'member', organizationId: owner.organizationId, emailVerified: true },
      request.id,
      ZMatchQuery.parse({ limit: '10' }),
    );
    expect(matches.items.length).toBeGreaterThan(0);
    const labels = { strong: 'Strong match', possible: 'Possible match', weak: 'Weak match' } as const;
    const first = matches.items[0]!;
    expect(page.body).toContain(`${labels[first.label]}</span>`);
    expect(page.body).toContain(first.explanation.summary.replaceAll('\'', '&#39;').slice(0, 40));
    expect(page.body).toContain(matches.summary.message.replaceAll('\'', '&#39;').slice(0, 40));
  });
});

describe('an intermediary and its clients', () => {
  it('lists its clients, and sends an EOI for the one it picks', async () => {
    const broker = await createUser(ctx, { role: 'intermediary' });
    const client = await createUser(ctx);
    await ctx.app.services.organizations.addClient(ctx.database.db, broker.id, client.organizationId!);
    const clientName = (await ctx.app.services.organizations.find(client.organizationId!))!.name;
    const owner = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Biochar kiln for coconut shells' }));

    const web = await WebClient.signedIn(ctx, broker);
    const clients = await web.get('/my/clients');
    expect(clients.body).toContain(clientName);
    expect(clients.body).toContain(`href="/my/listings/new?organizationId=${client.organizationId}"`);
    expect(clients.body).toContain('href="/my/clients"');

    const page = await web.get(`/listings/${listing.reference}`);
    // Without an organisation of its own, the broker writes for its only client without choosing.
    expect(page.body).toContain(`name="organizationId" value="${client.organizationId}"`);
    const sent = await web.post(`/listings/${listing.reference}/interest`, { organizationId: client.organizationId!, message: 'Our client mills coconuts.' });
    expect(sent.statusCode).toBe(303);
    const interest = await ctx.app.services.interests.get(
      { id: broker.id, email: broker.email, name: 'x', role: 'intermediary', organizationId: broker.organizationId, emailVerified: true },
      idFrom(sent.headers.location),
    );
    expect(interest.senderOrganization.id).toBe(client.organizationId);
    expect(interest.sentByIntermediary).toBe(true);
  });

  it('a member’s workspace has no clients page', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    const page = await web.get('/my');
    expect(page.body).not.toContain('href="/my/clients"');
  });
});

describe('introductions through the pages', () => {
  async function introduction() {
    const owner = await createUser(ctx);
    const seeker = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, requestBody());
    const seekerWeb = await WebClient.signedIn(ctx, seeker);
    await seekerWeb.get(`/listings/${listing.reference}`);
    const sent = await seekerWeb.post(`/listings/${listing.reference}/interest`, { message: 'We can build it.' });
    const ownerWeb = await WebClient.signedIn(ctx, owner);
    await ownerWeb.get(sent.headers.location as string);
    await ownerWeb.post(`${sent.headers.location}/accept`);
    const list = await ownerWeb.get('/my/introductions');
    const id = /href="\/my\/introductions\/([0-9a-f-]{36})"/.exec(list.body)![1]!;
    return { ownerWeb, seekerWeb, id };
  }

  it('records a signed agreement (a missing type said beside its field), then closes', async () => {
    const { ownerWeb, seekerWeb, id } = await introduction();
    const today = ctx.clock.now().toISOString().slice(0, 10);
    await seekerWeb.get(`/my/introductions/${id}`);
    const missing = await seekerWeb.post(`/my/introductions/${id}/agreement`, { type: '', date: today, note: 'Signed in Bangkok.' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Type of agreement is required');
    expect(missing.body).toContain('Signed in Bangkok.');
    const recorded = await seekerWeb.post(`/my/introductions/${id}/agreement`, { type: 'licence', date: today, note: 'Signed in Bangkok.' });
    expect(recorded.statusCode).toBe(303);
    const page = await ownerWeb.get(`/my/introductions/${id}`);
    expect(page.body).toContain('Licence agreement');
    expect(page.body).toContain(`datetime="${today}T00:00:00.000Z"`);
    expect(page.body).toContain(`action="/my/introductions/${id}/close"`);
    const closed = await ownerWeb.post(`/my/introductions/${id}/close`, { closeNote: 'Done.' });
    expect(closed.statusCode).toBe(303);
    const after = await ownerWeb.get(`/my/introductions/${id}`);
    expect(after.body).not.toContain(`action="/my/introductions/${id}/close"`);
    expect(after.body).not.toContain(`action="/my/introductions/${id}/agreement"`);
  });

  it('ends an introduction without agreement', async () => {
    const { ownerWeb, id } = await introduction();
    await ownerWeb.get(`/my/introductions/${id}`);
    const ended = await ownerWeb.post(`/my/introductions/${id}/end`, { endNote: 'No budget this year.' });
    expect(ended.statusCode).toBe(303);
    const page = await ownerWeb.get(`/my/introductions/${id}`);
    expect(page.body).not.toContain(`action="/my/introductions/${id}/end"`);
  });
});

describe('addresses that name nothing', () => {
  it('an id that is not a UUID is the 404 page, on every workspace and public page with an id', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    for (const url of ['/my/listings/nope', '/my/listings/nope/edit', '/my/interests/nope', '/my/introductions/nope', '/tech-monitor/nope', '/interests/nope']) {
      const response = await web.get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.body).toContain('Page not found');
    }
    await web.get('/my');
    expect((await web.post('/my/interests/nope/accept')).statusCode).toBe(404);
  });
});
