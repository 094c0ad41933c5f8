import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let owner: TestUser;
let secretOwner: TestUser;
let editor: TestUser;
let admin: TestUser;
const listings: Record<string, { id: string }> = {};

const search = (query: string) => ctx.app.inject({ method: 'GET', url: `/api/v1/search${query ? `?${query}` : ''}` });
const ids = async (query: string) => {
  const response = await search(query);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { id: string }) => item.id) as string[];
};

beforeAll(async () => {
  ctx = await createTestApp();
  owner = await createUser(ctx, { country: 'TH' });
  secretOwner = await createUser(ctx, { country: 'BD' });
  editor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
  await ctx.app.inject({ method: 'PATCH', url: `/api/v1/organizations/${secretOwner.organizationId}`, headers: admin.auth, payload: { name: 'Hidden Membrane Works' } });

  listings.coldRoom = await publishListing(ctx, owner, editor, offerBody());
  ctx.clock.advanceDays(1);
  listings.fishDrying = await publishListing(ctx, owner, editor, requestBody());
  ctx.clock.advanceDays(1);
  listings.solarDryer = await publishListing(
    ctx,
    owner,
    editor,
    offerBody({
      title: 'Solar tunnel dryer for fish & fruit',
      summary: 'Dries fish and fruit with solar heat instead of diesel.',
      keywords: ['solar dryer', 'food processing'],
      sectors: ['renewable_energy', 'agriculture_food'],
      stage: 'available_for_demonstration',
      trl: 7,
      iprStatus: 'ipr_applied',
      partnershipTypes: ['joint_venture'],
      targetCountries: ['LK', 'MV'],
      sdgs: [7, 14],
    }),
  );
  ctx.clock.advanceDays(1);
  listings.anonymous = await publishListing(
    ctx,
    secretOwner,
    editor,
    offerBody({
      title: 'Arsenic removal membrane for village wells',
      summary: 'A ceramic membrane that removes arsenic from groundwater.',
      description: 'Developed for tube wells; the filter cartridge lasts a year.',
      advantages: 'Needs no electricity.',
      keywords: ['arsenic', 'membrane'],
      sectors: ['water', 'health'],
      stage: 'lab_tested',
      trl: 4,
      iprStatus: 'secret_know_how',
      iprNotes: 'Patent BD 777 filed by Hidden Membrane Works',
      partnershipTypes: ['research_cooperation'],
      targetCountries: ['IN'],
      sdgs: [6],
      anonymous: true,
    }),
  );
  const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: offerBody({ title: 'Draft solar kiln never published' }) });
  listings.draft = draft.json();
  await ctx.app.services.jobs.drain();
});
afterAll(() => ctx.close());

describe('GET /api/v1/search', () => {
  it('finds published listings by words, with their public view, a score and highlights', async () => {
    const response = await search('q=solar%20dryer');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.items[0]).toMatchObject({
      id: listings.solarDryer!.id,
      status: 'published',
      title: 'Solar tunnel dryer for fish & fruit',
      organization: { id: owner.organizationId },
      score: 1,
    });
    expect(body.items[0].highlights.title).toBe('<mark>Solar</mark> tunnel <mark>dryer</mark> for fish &amp; fruit');
    expect(body.items[0]).not.toHaveProperty('contact');
    expect(body.items[0]).not.toHaveProperty('editorNote');
    expect(body).toMatchObject({ limit: 20, offset: 0 });
    expect(body.total).toBe(body.items.length);
  });

  it('tolerates typos: "soalr dryer" finds the solar dryer', async () => {
    expect((await ids('q=soalr%20dryer'))[0]).toBe(listings.solarDryer!.id);
  });

  it('lists everything published, newest first, for the empty query', async () => {
    expect(await ids('')).toEqual([listings.anonymous!.id, listings.solarDryer!.id, listings.fishDrying!.id, listings.coldRoom!.id]);
    expect(await ids('q=fish&sort=newest')).toEqual([listings.solarDryer!.id, listings.fishDrying!.id]);
  });

  it('never returns drafts, nor listings past their expiry before the sweep ran', async () => {
    expect(await ids('q=kiln')).toEqual([]);
    ctx.clock.advanceDays(400);
    try {
      expect(await ids('')).toEqual([]);
    } finally {
      ctx.clock.advanceDays(-400);
    }
  });

  it('filters by each field, several values meaning any of them', async () => {
    expect(await ids('kind=request')).toEqual([listings.fishDrying!.id]);
    expect(new Set(await ids('sector=water,ocean_economy'))).toEqual(new Set([listings.anonymous!.id, listings.fishDrying!.id]));
    expect(await ids('country=BD')).toEqual([listings.anonymous!.id]);
    expect(await ids('targetCountry=mv')).toEqual([listings.solarDryer!.id]);
    expect(await ids('stage=lab_tested&stage=concept')).toEqual([listings.anonymous!.id, listings.fishDrying!.id]);
    expect(await ids('trlMin=4&trlMax=7')).toEqual([listings.anonymous!.id, listings.solarDryer!.id]);
    expect(await ids('iprStatus=ipr_granted')).toEqual([listings.coldRoom!.id]);
    expect(await ids('partnershipType=joint_venture')).toEqual([listings.solarDryer!.id]);
    expect(await ids('sdg=6,2')).toEqual([listings.anonymous!.id, listings.coldRoom!.id]);
    expect(await ids(`publishedAfter=${encodeURIComponent(new Date(ctx.clock.now().getTime() - 36 * 3_600_000).toISOString())}`)).toEqual([
      listings.anonymous!.id,
      listings.solarDryer!.id,
    ]);
    expect(await ids('q=fish&sector=renewable_energy')).toEqual([listings.solarDryer!.id]);
  });

  it('answers 400 naming the field for values outside the lists', async () => {
    for (const [query, path] of [
      ['sector=space_mining', 'querystring.sector'],
      ['country=XX', 'querystring.country'],
      ['stage=prototype', 'querystring.stage'],
      ['trlMin=0', 'querystring.trlMin'],
      ['sdg=18', 'querystring.sdg'],
      ['kind=both', 'querystring.kind'],
      ['sort=random', 'querystring.sort'],
      ['publishedAfter=yesterday', 'querystring.publishedAfter'],
      ['limit=101', 'querystring.limit'],
      ['trlMin=7&trlMax=3', 'querystring.trlMin'],
    ]) {
      const response = await search(query!);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().issues.map((issue: { path: string }) => issue.path).join(' '), query).toContain(path);
    }
  });

  it('counts facets over the hits for every filterable field', async () => {
    const { facets, total } = (await search('q=fish')).json();
    expect(total).toBe(2);
    expect(facets).toEqual({
      kind: { offer: 1, request: 1 },
      sectors: { renewable_energy: 1, agriculture_food: 2, ocean_economy: 1 },
      country: { TH: 2 },
      targetCountries: { LK: 2, MV: 1 },
      stage: { available_for_demonstration: 1, concept: 1 },
      iprStatus: { ipr_applied: 1, none: 1 },
      partnershipTypes: { joint_venture: 1, technical_cooperation: 1 },
      sdgs: { '7': 1, '14': 2 },
      trl: { '7': 1, '2': 1 },
    });
  });

  it('pages with limit and offset and a stable total', async () => {
    const first = (await search('limit=3')).json();
    const second = (await search('limit=3&offset=3')).json();
    expect(first.total).toBe(4);
    expect(second.total).toBe(4);
    expect([...first.items, ...second.items].map((item: { id: string }) => item.id)).toEqual(await ids(''));
  });

  it('never reveals the organisation of an anonymous listing: not in hits, facets, highlights or by its name', async () => {
    const response = await search('q=arsenic%20membrane');
    const body = response.json();
    expect(body.items.map((item: { id: string }) => item.id)).toEqual([listings.anonymous!.id]);
    expect(body.items[0].organization).toBeNull();
    expect(body.items[0].iprNotes).toBeNull();
    expect(body.items[0].country).toBe('BD');
    expect(response.body).not.toContain('Hidden Membrane');
    expect(response.body).not.toContain(secretOwner.organizationId);
    expect(await ids('q=Hidden%20Membrane%20Works')).toEqual([]);
    expect(await ids('q=Hidden')).toEqual([]);
    // No organisation filter exists: the parameter is not part of the search API.
    const byOrganization = await search(`organizationId=${secretOwner.organizationId}`);
    expect(byOrganization.statusCode).toBe(200);
    expect(byOrganization.body).not.toContain(secretOwner.organizationId);
    expect(Object.keys(byOrganization.json().facets)).not.toContain('organization');
  });

  it('finds a listing by the name of an organisation that is not anonymous', async () => {
    const organization = (await ctx.app.inject({ method: 'GET', url: `/api/v1/organizations/${owner.organizationId}` })).json();
    const word = organization.name.split(' ').at(-1);
    expect(new Set(await ids(`q=${encodeURIComponent(word)}`))).toEqual(new Set([listings.coldRoom!.id, listings.fishDrying!.id, listings.solarDryer!.id]));
  });

  it('finds listings through the domain vocabulary', async () => {
    // "dehydrator" is in none of them; the vocabulary knows it as a kind of crop drying.
    expect(new Set(await ids('q=dehydrator'))).toEqual(new Set([listings.solarDryer!.id, listings.fishDrying!.id]));
  });
});

describe('GET /api/v1/admin/search/status', () => {
  it('is for admins only', async () => {
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/search/status' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/search/status', headers: editor.auth })).statusCode).toBe(403);
  });

  it('reports the engine, its documents against the published listings and an empty queue once the worker caught up', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/admin/search/status', headers: admin.auth });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      engine: 'postgres',
      available: true,
      error: null,
      documents: 4,
      publishedListings: 4,
      pendingJobs: 0,
      failedJobs: 0,
      oldestPendingAt: null,
      lastSyncAt: ctx.clock.now().toISOString(),
      lagSeconds: 0,
      reindex: null,
    });
  });
});
