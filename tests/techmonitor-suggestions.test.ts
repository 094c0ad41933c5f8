import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let editor: TestUser;
let member: TestUser;
const owners: Record<string, TestUser> = {};

type Listing = { id: string; reference: string };
const listings: Record<string, Listing> = {};

const THEME = 'Fish processing, aquaculture and seaweed for a sustainable ocean economy';

const api = (method: 'GET' | 'POST', url: string, user?: TestUser, payload?: object) =>
  ctx.app.inject({ method, url: `/api/v1/techmonitor${url}`, headers: user?.auth ?? {}, ...(payload ? { payload } : {}) });

let issueNumber = 0;
async function createIssue(overrides: Record<string, unknown> = {}) {
  const response = await api('POST', '/issues', editor, {
    volume: 42,
    number: ++issueNumber,
    title: `Ocean economy ${issueNumber}`,
    theme: { text: THEME, sectors: ['ocean_economy'] },
    periodStart: '2027-01-01',
    periodEnd: '2027-03-31',
    targetOffers: 2,
    targetRequests: 1,
    ...overrides,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function publishIssueWith(listingIds: string[]) {
  let issue = await createIssue({ theme: { text: 'Filler issue', sectors: [] } });
  for (const listingId of listingIds) issue = (await api('POST', `/issues/${issue.id}/entries`, editor, { listingId, version: issue.version })).json();
  issue = (await api('POST', `/issues/${issue.id}/lock`, editor, { version: issue.version })).json();
  issue = (await api('POST', `/issues/${issue.id}/publish`, editor, { version: issue.version })).json();
  expect(issue.status).toBe('published');
  ctx.clock.advanceMs(60_000);
  return issue;
}

async function suggestions(issueId: string, query = '') {
  const response = await api('GET', `/issues/${issueId}/suggestions${query}`, editor);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    items: { rank: number; listing: { id: string; kind: string; country: string }; reason: string; score: number; signals: Record<string, unknown> }[];
    total: number;
    openSlots: { offers: number; requests: number };
  };
}

const idsOf = (result: Awaited<ReturnType<typeof suggestions>>) => result.items.map((item) => item.listing.id);

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  member = await createUser(ctx);
  for (const country of ['TH', 'PH', 'VN', 'IN', 'LK', 'ID', 'BD']) owners[country] = await createUser(ctx, { country });

  // Published first: valid only until early March 2027, before the issue's period ends.
  listings.expiresEarly = await publishListing(ctx, owners.LK!, editor, offerBody({ title: 'Fish processing line for small canneries', sectors: ['ocean_economy'] }));
  ctx.clock.advanceDays(60);

  listings.dryer = await publishListing(
    ctx,
    owners.TH!,
    editor,
    offerBody({
      title: 'Solar tunnel dryer for fish processing',
      summary: 'Dries fish and seafood with solar heat for coastal processing cooperatives.',
      description: 'A solar tunnel dryer that dries fish hygienically, cutting losses in fish processing.',
      sectors: ['ocean_economy', 'renewable_energy'],
      keywords: ['fish drying', 'fish processing', 'solar dryer'],
    }),
  );
  listings.dryerTwin = await publishListing(
    ctx,
    owners.TH!,
    editor,
    offerBody({
      title: 'Solar cabinet dryer for fish processing',
      summary: 'Dries fish with solar heat for coastal fish processing groups.',
      description: 'A solar cabinet dryer for hygienic fish drying in fish processing.',
      sectors: ['ocean_economy', 'renewable_energy'],
      keywords: ['fish drying', 'fish processing', 'solar dryer'],
    }),
  );
  listings.seaweed = await publishListing(
    ctx,
    owners.PH!,
    editor,
    offerBody({
      title: 'Seaweed farming rafts for aquaculture',
      summary: 'Floating rafts that double seaweed yields for coastal aquaculture farmers.',
      description: 'Low-maintenance rafts for seaweed cultivation in shallow bays.',
      sectors: ['ocean_economy'],
      keywords: ['seaweed', 'aquaculture'],
    }),
  );
  listings.sparse = await publishListing(
    ctx,
    owners.ID!,
    editor,
    offerBody({
      title: 'Aquaculture pond aerator',
      summary: 'An aerator for fish ponds in aquaculture.',
      description: 'Keeps oxygen up in aquaculture ponds.',
      advantages: null,
      keywords: [],
      sdgs: [],
      targetCountries: [],
      sectors: ['ocean_economy'],
    }),
  );
  listings.request = await publishListing(
    ctx,
    owners.VN!,
    editor,
    requestBody({
      title: 'Fish freshness sensor for seafood processing',
      summary: 'A seafood processor seeks a sensor that tells fish freshness on the processing line.',
      sectors: ['ocean_economy', 'ict_digital'],
      keywords: ['fish freshness', 'seafood processing'],
    }),
  );
  listings.otherRequest = await publishListing(
    ctx,
    owners.BD!,
    editor,
    requestBody({ title: 'Shrimp aquaculture disease monitoring', summary: 'Shrimp farmers seek early warning of disease in aquaculture ponds.', sectors: ['ocean_economy'] }),
  );
  listings.unrelated = await publishListing(
    ctx,
    owners.IN!,
    editor,
    offerBody({
      title: 'Hospital waste incinerator',
      summary: 'Burns medical waste cleanly at district hospitals.',
      description: 'A compact incinerator with flue gas cleaning for clinics.',
      advantages: 'Meets emission limits.',
      sectors: ['health'],
      keywords: ['medical waste'],
    }),
  );
  listings.featuredRecently = await publishListing(ctx, owners.LK!, editor, offerBody({ title: 'Aquaculture feed from fish processing waste', sectors: ['ocean_economy'] }));
  listings.featuredLongAgo = await publishListing(ctx, owners.BD!, editor, offerBody({ title: 'Seaweed drying racks for aquaculture', sectors: ['ocean_economy'] }));
  const filler = await publishListing(ctx, owners.IN!, editor, offerBody({ title: 'Filler entry', sectors: ['health'], keywords: [] }));

  // Five published issues: the oldest carried featuredLongAgo, the latest featuredRecently.
  await publishIssueWith([listings.featuredLongAgo!.id]);
  for (let i = 0; i < 3; i++) await publishIssueWith([filler.id]);
  await publishIssueWith([listings.featuredRecently!.id]);
  await ctx.app.services.jobs.drain();
});
afterAll(() => ctx.close());

describe('suggestions for an issue', () => {
  it('are for editors and admins only, and not for published issues', async () => {
    const issue = await createIssue();
    expect((await api('GET', `/issues/${issue.id}/suggestions`)).statusCode).toBe(401);
    expect((await api('GET', `/issues/${issue.id}/suggestions`, member)).statusCode).toBe(403);
    const published = await publishIssueWith([listings.unrelated!.id]);
    const refused = await api('GET', `/issues/${published.id}/suggestions`, editor);
    expect(refused.statusCode).toBe(409);
  });

  it('rank listings that fit the theme and leave out the rest', async () => {
    const issue = await createIssue();
    const result = await suggestions(issue.id, '?limit=100');
    const ids = idsOf(result);
    for (const name of ['dryer', 'dryerTwin', 'seaweed', 'sparse', 'request', 'otherRequest', 'featuredLongAgo']) expect(ids, name).toContain(listings[name]!.id);
    expect(ids).not.toContain(listings.unrelated!.id);
    expect(result.items.every((item) => item.reason.length > 20)).toBe(true);
    const dryer = result.items.find((item) => item.listing.id === listings.dryer!.id)!;
    expect(dryer.signals.matchedConcepts).toContain('Fish and seafood processing');
    expect(dryer.signals.sharedSectors).toEqual(['ocean_economy']);
    expect(dryer.reason).toContain('Ocean economy');
    expect(result.items.map((item) => item.rank)).toEqual(result.items.map((_, i) => i + 1));
  });

  it('leave out listings featured in the last four issues, expiring before the period ends, or already selected', async () => {
    let issue = await createIssue();
    issue = (await api('POST', `/issues/${issue.id}/entries`, editor, { listingId: listings.seaweed!.id, version: issue.version })).json();
    const ids = idsOf(await suggestions(issue.id, '?limit=100'));
    expect(ids).not.toContain(listings.featuredRecently!.id);
    expect(ids).toContain(listings.featuredLongAgo!.id);
    expect(ids).not.toContain(listings.expiresEarly!.id);
    expect(ids).not.toContain(listings.seaweed!.id);
    // The same listing is suggested for an issue whose period ends while it is still valid.
    const earlier = await createIssue({ periodStart: '2026-10-01', periodEnd: '2026-12-31' });
    expect(idsOf(await suggestions(earlier.id, '?limit=100'))).toContain(listings.expiresEarly!.id);
  });

  it('balance offers and requests to the open target slots', async () => {
    const issue = await createIssue({ targetOffers: 2, targetRequests: 1 });
    const result = await suggestions(issue.id, '?limit=3');
    expect(result.openSlots).toEqual({ offers: 2, requests: 1 });
    expect(result.items.map((item) => item.listing.kind).sort()).toEqual(['offer', 'offer', 'request']);
    const requestsOnly = await createIssue({ targetOffers: 0, targetRequests: 2 });
    const forRequests = await suggestions(requestsOnly.id, '?limit=2');
    expect(forRequests.items.map((item) => item.listing.kind)).toEqual(['request', 'request']);
    // By default twice the open slots are suggested, at least ten.
    const byDefault = await suggestions(issue.id);
    expect(byDefault.items).toHaveLength(Math.min(10, byDefault.total));
  });

  it('diversify: a near-duplicate from the same country and sectors falls behind distinct, less relevant listings', async () => {
    const issue = await createIssue({ targetOffers: 4, targetRequests: 0 });
    const offers = (await suggestions(issue.id, '?limit=100')).items.filter((item) => item.listing.kind === 'offer');
    const twins = offers.filter((item) => [listings.dryer!.id, listings.dryerTwin!.id].includes(item.listing.id));
    expect(twins).toHaveLength(2);
    const [earlier, later] = twins as [(typeof offers)[number], (typeof offers)[number]];
    expect(later.rank - earlier.rank).toBeGreaterThan(1);
    expect(later.signals.likeness).toBeGreaterThan(0.9);
    const overtaking = offers.filter((item) => item.rank < later.rank && (item.signals.relevance as number) < (later.signals.relevance as number));
    expect(overtaking.length).toBeGreaterThan(0);
    expect(offers[0]!.listing.country).not.toBe(offers[1]!.listing.country);
  });

  it('favour complete and fresh listings', async () => {
    const earlier = await createIssue({ periodStart: '2026-10-01', periodEnd: '2026-12-31' });
    const older = (await suggestions(earlier.id, '?limit=100')).items.find((item) => item.listing.id === listings.expiresEarly!.id)!;
    expect(older.signals.freshness).toBeLessThan(1);
    expect(older.reason).not.toContain('recently published');

    const issue = await createIssue();
    const items = (await suggestions(issue.id, '?limit=100')).items;
    const sparse = items.find((item) => item.listing.id === listings.sparse!.id)!;
    const seaweed = items.find((item) => item.listing.id === listings.seaweed!.id)!;
    expect(seaweed.signals.completeness).toBe(1);
    expect(sparse.signals.completeness).toBeLessThan(0.6);
    expect(seaweed.signals.freshness).toBe(1);
    expect(seaweed.reason).toContain('complete profile');
    expect(seaweed.reason).toContain('recently published');
    expect(sparse.reason).toContain('incomplete');
  });

  it('come out the same for the same data', async () => {
    const issue = await createIssue();
    const first = await suggestions(issue.id, '?limit=100');
    const second = await suggestions(issue.id, '?limit=100');
    expect(second).toEqual(first);
    const paged = await suggestions(issue.id, '?limit=2&offset=2');
    expect(idsOf(paged)).toEqual(idsOf(first).slice(2, 4));
  });
});
