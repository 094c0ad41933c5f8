import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

let ctx: TestContext;
let editor: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
});

afterAll(async () => {
  await ctx?.close();
});

const requestForm = {
  kind: 'request',
  title: 'Solar fish dryer for a coastal cooperative',
  summary: 'We need to dry 2 tonnes of fish a day without diesel.',
  description: 'Our cooperative dries fish in the open sun; rain spoils a third of the catch.',
  specificationSought: 'Capacity 2 t/day, moisture below 15%.',
  sectors: ['ocean_economy', 'agriculture_food'],
  keywords: 'fish drying, solar dryer',
  stage: 'concept',
  trl: '2',
  iprStatus: 'none',
  partnershipTypes: ['technical_cooperation'],
  targetCountries: ['LK', 'TH'],
  sdgs: ['14'],
  intent: 'submit',
};

describe('posting a listing with the form (no JavaScript)', () => {
  it('shows each mistake beside its field with what was typed kept, then saves and submits', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    await web.get('/my/listings/new');
    const wrong = await web.post('/my/listings', { ...requestForm, title: '', sectors: ['ocean_economy', 'agriculture_food', 'water', 'health'] });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('There is a problem');
    expect(wrong.body).toContain('<a href="#title">Title is required</a>');
    expect(wrong.body).toContain('Sectors needs 1 to 3 sectors');
    expect(wrong.body).toContain('Our cooperative dries fish in the open sun');
    expect(wrong.body).toMatch(/value="ocean_economy" checked/);

    const created = await web.post('/my/listings', requestForm);
    expect(created.statusCode).toBe(303);
    const page = await web.get(created.headers.location as string);
    expect(page.body).toContain('Your listing is sent to the editors.');
    expect(page.body).toContain('Under review');
    const mine = await web.get('/my');
    expect(mine.body).toContain('Solar fish dryer for a coastal cooperative');
  });

  it('an intermediary posts for a client it picks', async () => {
    const broker = await createUser(ctx, { role: 'intermediary' });
    const client = await createUser(ctx);
    await ctx.app.services.organizations.addClient(ctx.database.db, broker.id, client.organizationId!);
    const web = await WebClient.signedIn(ctx, broker);
    const form = await web.get('/my/listings/new');
    expect(form.body).toContain(`value="${client.organizationId}"`);
    const created = await web.post('/my/listings', { ...requestForm, intent: 'save', organizationId: client.organizationId! });
    expect(created.statusCode).toBe(303);
    const id = (created.headers.location as string).split('/').pop()!;
    const listing = await ctx.app.services.listings.find(id);
    expect(listing?.organizationId).toBe(client.organizationId);
    expect(listing?.status).toBe('draft');
  });

  it('shows counts per listing: views, search appearances, matches and EOIs, flushed in batches', async () => {
    const owner = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Counted solar cold room' }));
    await ctx.app.services.jobs.drain();
    const visitor = new WebClient(ctx);
    await visitor.get(`/listings/${listing.reference}`);
    await visitor.get(`/listings/${listing.reference}`);
    await visitor.get('/search?q=counted');
    const web = await WebClient.signedIn(ctx, owner);
    const before = await web.get('/my');
    const row = before.body.slice(before.body.indexOf('Counted solar cold room'));
    expect(row).toMatch(/data-label="Views">2<\/td><td class="num" data-label="In search results">1<\/td><td class="num" data-label="Shown as a match">0<\/td><td class="num" data-label="Expressions of interest">0<\/td>/);
    await ctx.app.services.listingCounters.flush();
    const stored = await ctx.app.services.listingCounters.countsOf([listing.id]);
    expect(stored.get(listing.id)).toEqual({ views: 2, searchAppearances: 1, matchAppearances: 0 });
  });
});

describe('expressions of interest through the pages', () => {
  it('a seeker sends an EOI from the listing page; the owner accepts; both see contacts', async () => {
    const owner = await createUser(ctx, { name: 'Offer Owner' });
    const seeker = await createUser(ctx, { name: 'Seeker Person' });
    const listing = await publishListing(ctx, owner, editor, offerBody({ anonymous: true, title: 'Anonymous solar cold room' }));
    const seekerWeb = await WebClient.signedIn(ctx, seeker);
    const page = await seekerWeb.get(`/listings/${listing.reference}`);
    expect(page.body).toContain('Send expression of interest');
    const empty = await seekerWeb.post(`/listings/${listing.reference}/interest`, { message: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Your message is required');
    const sent = await seekerWeb.post(`/listings/${listing.reference}/interest`, { message: 'We would like to license this for Viet Nam.' });
    expect(sent.statusCode).toBe(303);
    const interestUrl = sent.headers.location as string;
    const sentPage = await seekerWeb.get(interestUrl);
    expect(sentPage.body).toContain('Waiting for an answer');
    expect(sentPage.body).not.toContain('Offer Owner');

    const ownerWeb = await WebClient.signedIn(ctx, owner);
    const received = await ownerWeb.get('/my/interests/received');
    expect(received.body).toContain('Anonymous solar cold room');
    await ownerWeb.get(interestUrl);
    const accepted = await ownerWeb.post(`${interestUrl}/accept`);
    expect(accepted.statusCode).toBe(303);
    const ownerView = await ownerWeb.get(interestUrl);
    expect(ownerView.body).toContain(seeker.email);
    const seekerView = await seekerWeb.get(interestUrl);
    expect(seekerView.body).toContain(owner.email);
  });

  it('the owner declines with a coded reason and a note; the sender withdraws another', async () => {
    const owner = await createUser(ctx);
    const seeker = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, requestBody());
    const seekerWeb = await WebClient.signedIn(ctx, seeker);
    await seekerWeb.get(`/listings/${listing.reference}`);
    const sent = await seekerWeb.post(`/listings/${listing.reference}/interest`, { message: 'Our dryer fits.' });
    const url = sent.headers.location as string;
    const ownerWeb = await WebClient.signedIn(ctx, owner);
    await ownerWeb.get(url);
    const noReason = await ownerWeb.post(`${url}/decline`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Reason is required');
    const declined = await ownerWeb.post(`${url}/decline`, { reason: 'too_early', note: 'Come back next year.' });
    expect(declined.statusCode).toBe(303);
    const seen = await seekerWeb.get(url);
    expect(seen.body).toContain('Too early for us');
    expect(seen.body).toContain('Come back next year.');

    const again = await seekerWeb.get(`/listings/${listing.reference}`);
    expect(again.statusCode).toBe(200);
    const second = await seekerWeb.post(`/listings/${listing.reference}/interest`, { message: 'Second try.' });
    await seekerWeb.get(second.headers.location as string);
    const withdrawn = await seekerWeb.post(`${second.headers.location}/withdraw`);
    expect(withdrawn.statusCode).toBe(303);
    expect((await seekerWeb.get(second.headers.location as string)).body).toContain('Withdrawn');
  });

  it("someone else's EOI page is a 404 page", async () => {
    const owner = await createUser(ctx);
    const seeker = await createUser(ctx);
    const stranger = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, offerBody());
    const seekerWeb = await WebClient.signedIn(ctx, seeker);
    await seekerWeb.get(`/listings/${listing.reference}`);
    const sent = await seekerWeb.post(`/listings/${listing.reference}/interest`, { message: 'Hello.' });
    const strangerWeb = await WebClient.signedIn(ctx, stranger);
    const response = await strangerWeb.get(sent.headers.location as string);
    expect([403, 404]).toContain(response.statusCode);
    expect(response.body).not.toContain('Hello.');
  });
});

describe('saved searches', () => {
  it('"alert me" on the search page saves the words and filters; the frequency changes; it is deleted', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    await web.get('/search?q=solar&sector=agriculture_food');
    const saved = await web.post('/my/saved-searches', { search: 'q=solar&sector=agriculture_food', name: 'Solar in farming' });
    expect(saved.statusCode).toBe(303);
    const list = await web.get('/my/saved-searches');
    expect(list.body).toContain('Solar in farming');
    expect(list.body).toContain('href="/search?q=solar&amp;sector=agriculture_food"');
    const [item] = (await ctx.app.services.alerts.list({ id: member.id } as never, 10, 0)).items;
    expect(item!.filters).toEqual({ sector: ['agriculture_food'] });
    await web.post(`/my/saved-searches/${item!.id}`, { frequency: 'instant', active: 'on' });
    expect((await ctx.app.services.alerts.list({ id: member.id } as never, 10, 0)).items[0]!.frequency).toBe('instant');
    await web.get('/my/saved-searches');
    await web.post(`/my/saved-searches/${item!.id}/delete`);
    expect((await ctx.app.services.alerts.list({ id: member.id } as never, 10, 0)).total).toBe(0);
  });

  it('logged out, "alert me" leads to the log-in page and back to the search', async () => {
    const page = await new WebClient(ctx).get('/search?q=solar');
    expect(page.body).toContain('href="/login?next=%2Fsearch%3Fq%3Dsolar"');
  });
});
