import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// The editors' workspace through its pages: the moderation queue, the review page (completeness
// check, possible duplicates, the diff of a pending revision) and the decisions.

let ctx: TestContext;
let editor: TestUser;
let owner: TestUser;
let editorWeb: WebClient;

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx);
  editorWeb = await WebClient.signedIn(ctx, editor);
});

afterAll(async () => {
  await ctx?.close();
});

async function api(method: 'GET' | 'POST' | 'PATCH', url: string, user: TestUser, payload?: Record<string, unknown>) {
  return ctx.app.inject({ method, url: `/api/v1${url}`, headers: user.auth, ...(payload === undefined ? {} : { payload }) });
}

/** Creates and submits a listing through the API; answers its id. */
async function submitted(body: Record<string, unknown>) {
  const created = await api('POST', '/listings', owner, body);
  expect(created.statusCode).toBe(201);
  const id = created.json().id as string;
  expect((await api('POST', `/listings/${id}/submit`, owner, {})).statusCode).toBe(200);
  return id;
}

const statusOf = async (id: string) => (await ctx.app.services.listings.find(id))?.status;

describe('the moderation queue and the review page', () => {
  it('lists submitted listings and pending revisions oldest first, with how long each waits', async () => {
    const first = await submitted(offerBody({ title: 'Queue first: biogas digester for dairy farms' }));
    const published = await publishListing(ctx, owner, editor, offerBody({ title: 'Queue revised: solar water pump' }));
    expect((await api('PATCH', `/listings/${published.id}`, owner, { title: 'Queue revised: solar water pump with tracking' })).statusCode).toBe(202);
    const page = await editorWeb.get('/editor');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Moderation queue');
    const firstAt = page.body.indexOf('Queue first: biogas digester for dairy farms');
    const revisedAt = page.body.indexOf('Queue revised: solar water pump');
    expect(firstAt).toBeGreaterThan(-1);
    expect(revisedAt).toBeGreaterThan(firstAt);
    expect(page.body).toContain('Changes to 1 field');
    expect(page.body).toContain('New listing');
    expect(page.body).toContain('less than an hour');
    expect(page.body).toContain(`href="/editor/listings/${first}"`);
  });

  it('shows the completeness findings of a weak anonymous listing', async () => {
    const id = await submitted(
      offerBody({
        title: 'Rice husk gasifier',
        summary: 'Rice husk gasifier',
        description: 'Gasifier made by Acme Husk Power, see www.acmehusk.example for the drawings. Covered by patent no. TH 1203 4567.',
        advantages: 'Cheap.',
        trl: 7,
        anonymous: true,
      }),
    );
    const page = await editorWeb.get(`/editor/listings/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The advantages are too short to judge the offer.');
    expect(page.body).toContain('The summary repeats the title.');
    expect(page.body).toContain('The text gives no evidence for the TRL claimed');
    expect(page.body).toContain('The listing is anonymous but its text gives a web address.');
    expect(page.body).toContain('The listing is anonymous but its text gives a patent number.');
    expect(page.body).not.toContain('The listing is anonymous but its text names the organisation.');
  });

  it('flags an anonymous listing that names its own organisation, and a request without a specification', async () => {
    const organization = await ctx.app.services.organizations.findMany([owner.organizationId!]);
    const name = organization[0]!.name;
    const id = await submitted(
      requestBody({ title: 'Cassava peeling machine', description: `${name} needs a cassava peeler for its mill; tested by hand so far.`, specificationSought: null, anonymous: true }),
    );
    const page = await editorWeb.get(`/editor/listings/${id}`);
    expect(page.body).toContain('The listing is anonymous but its text names the organisation.');
    expect(page.body).toContain('The specification sought is missing.');
    const complete = await submitted(offerBody({ title: 'Complete listing: solar milk chiller', description: 'Field-tested in 40 dairy cooperatives since 2021.' }));
    expect((await editorWeb.get(`/editor/listings/${complete}`)).body).toContain('No problems found.');
  });

  it('shows the nearest published listings as possible duplicates', async () => {
    await publishListing(ctx, owner, editor, offerBody({ title: 'Duplicate check: mango solar tunnel dryer', keywords: ['mango', 'tunnel dryer'] }));
    await ctx.app.services.jobs.drain();
    const id = await submitted(offerBody({ title: 'Duplicate check: solar tunnel dryer for mango', keywords: ['mango', 'dryer'] }));
    const page = await editorWeb.get(`/editor/listings/${id}`);
    expect(page.body).toContain('Possible duplicates');
    expect(page.body).toContain('Duplicate check: mango solar tunnel dryer');
    expect(page.body).toMatch(/similarity \d+%/);
  });

  it('publishes one listing and returns another with a note; a missing note is named beside its field', async () => {
    const toPublish = await submitted(offerBody({ title: 'Decision: publish me' }));
    const toReturn = await submitted(offerBody({ title: 'Decision: return me' }));
    await editorWeb.get(`/editor/listings/${toPublish}`);
    const published = await editorWeb.post(`/editor/listings/${toPublish}/publish`);
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe('/editor');
    expect((await editorWeb.get('/editor')).body).toContain('The listing is published.');
    expect(await statusOf(toPublish)).toBe('published');

    await editorWeb.get(`/editor/listings/${toReturn}`);
    const missing = await editorWeb.post(`/editor/listings/${toReturn}/return`, { returnNote: '  ' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('<a href="#returnNote">Note to the owner (what to change) is required</a>');
    expect(await statusOf(toReturn)).toBe('submitted');
    const returned = await editorWeb.post(`/editor/listings/${toReturn}/return`, { returnNote: 'Please describe the tests you ran.' });
    expect(returned.statusCode).toBe(303);
    const listing = await ctx.app.services.listings.find(toReturn);
    expect(listing).toMatchObject({ status: 'returned', editorNote: 'Please describe the tests you ran.' });
    // Opened again, the returned listing offers no decision and says why.
    const again = await editorWeb.get(`/editor/listings/${toReturn}`);
    expect(again.body).toContain('Nothing to decide: the listing is returned for revision');
    expect(again.body).not.toContain(`action="/editor/listings/${toReturn}/publish"`);
    expect(again.body).toContain('<a href="/editor">Back to the queue</a>');
  });

  it('rejects with a reason, and holds a published listing', async () => {
    const toReject = await submitted(offerBody({ title: 'Decision: reject me' }));
    await editorWeb.get(`/editor/listings/${toReject}`);
    expect((await editorWeb.post(`/editor/listings/${toReject}/reject`, { rejectNote: 'Not a technology.' })).statusCode).toBe(303);
    expect(await statusOf(toReject)).toBe('rejected');

    const live = await publishListing(ctx, owner, editor, offerBody({ title: 'Decision: hold me' }));
    const page = await editorWeb.get(`/editor/listings/${live.id}`);
    expect(page.body).toContain('Put on hold');
    expect(page.body).not.toContain(`/editor/listings/${live.id}/publish`);
    expect((await editorWeb.post(`/editor/listings/${live.id}/hold`, { holdNote: 'Complaint about the claims.' })).statusCode).toBe(303);
    expect(await statusOf(live.id)).toBe('on_hold');
    // An illegal decision changes nothing and says why.
    const again = await editorWeb.post(`/editor/listings/${live.id}/hold`, { holdNote: 'Twice.' });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('Cannot hold a listing that is on_hold');
  });

  it('shows a pending revision field by field, returns it with a note, then accepts the next one', async () => {
    const live = await publishListing(ctx, owner, editor, offerBody({ title: 'Revision: cold room' }));
    expect((await api('PATCH', `/listings/${live.id}`, owner, { summary: 'A new summary with a link to https://phish.example' })).statusCode).toBe(202);
    const page = await editorWeb.get(`/editor/listings/${live.id}`);
    expect(page.body).toContain('Proposed changes');
    // The listing shown under the diff is the published one, and the page says so.
    expect(page.body).toContain('As it is published now, before the proposed changes');
    expect(page.body).not.toContain('As it will be published');
    expect(page.body).toMatch(/<th scope="row">Summary<\/th><td><del>A 5-tonne cold room[^<]*<\/del><\/td><td><ins>A new summary with a link to https:\/\/phish.example<\/ins>/);
    expect((await editorWeb.post(`/editor/listings/${live.id}/revision/return`, { revisionNote: 'No links, please.' })).statusCode).toBe(303);
    expect((await api('GET', `/listings/${live.id}/revision`, owner)).json()).toMatchObject({ status: 'returned', note: 'No links, please.' });

    expect((await api('PATCH', `/listings/${live.id}`, owner, { title: 'Revision: cold room, 10 tonnes' })).statusCode).toBe(202);
    await editorWeb.get(`/editor/listings/${live.id}`);
    expect((await editorWeb.post(`/editor/listings/${live.id}/revision/accept`)).statusCode).toBe(303);
    expect((await ctx.app.services.listings.find(live.id))?.title).toBe('Revision: cold room, 10 tonnes');
    expect((await editorWeb.get(`/editor/listings/${live.id}`)).body).not.toContain('Proposed changes');
  });
});

describe('who may use the editors’ pages', () => {
  it('sends visitors to the log-in page and refuses members and intermediaries on every page and form', async () => {
    const listingId = await submitted(offerBody({ title: 'Permission: not for members' }));
    const pages = ['/editor', `/editor/listings/${listingId}`];
    const forms = ['publish', 'return', 'reject', 'hold', 'revision/accept', 'revision/return'].map((action) => `/editor/listings/${listingId}/${action}`);

    const visitor = new WebClient(ctx);
    for (const url of pages) {
      const response = await visitor.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location, url).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    for (const url of forms) {
      await visitor.get('/login');
      const response = await visitor.post(url, { returnNote: 'x' });
      expect([303, 403], url).toContain(response.statusCode);
      if (response.statusCode === 303) expect(response.headers.location).toMatch(/^\/login/);
    }

    for (const role of ['member', 'intermediary'] as const) {
      const user = await createUser(ctx, { role });
      const web = await WebClient.signedIn(ctx, user);
      for (const url of pages) {
        const response = await web.get(url);
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.body).toContain('This page is for the centre’s editors.');
      }
      await web.get('/my');
      for (const url of forms) {
        const response = await web.post(url, { returnNote: 'x', rejectNote: 'x', holdNote: 'x', revisionNote: 'x' });
        expect(response.statusCode, `${role} ${url}`).toBe(403);
      }
    }
    expect(await statusOf(listingId)).toBe('submitted');
  });
});
