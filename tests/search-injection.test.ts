import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPR_STATUSES, PARTNERSHIP_TYPES, SECTORS, STAGES } from '../src/modules/vocabularies/enums.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

// Whatever a client sends, search answers 200 or 400, never 500, and what it returns obeys the
// filters. Values reach SQL as parameters (PostgreSQL engine) or as validated, quoted literals
// (Meilisearch filter); these properties hold the API to it.

let ctx: TestContext;
const published: Listing[] = [];

interface Listing {
  id: string;
  kind: string;
  sectors: string[];
  country: string;
  targetCountries: string[];
  stage: string;
  trl: number;
  iprStatus: string;
  partnershipTypes: string[];
  sdgs: number[];
}

const codes = <T extends { code: string }>(list: readonly T[]) => list.map((entry) => entry.code);
const COUNTRIES = ['TH', 'VN', 'IN', 'LK'];

beforeAll(async () => {
  ctx = await createTestApp();
  const editor = await createUser(ctx, { role: 'editor' });
  const owners: TestUser[] = [];
  for (const country of COUNTRIES) owners.push(await createUser(ctx, { country }));
  const random = fc.sample(
    fc.record({
      sectors: fc.uniqueArray(fc.constantFrom(...codes(SECTORS)), { minLength: 1, maxLength: 3 }),
      targetCountries: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { maxLength: 2 }),
      stage: fc.constantFrom(...codes(STAGES)),
      trl: fc.integer({ min: 1, max: 9 }),
      iprStatus: fc.constantFrom(...codes(IPR_STATUSES)),
      partnershipTypes: fc.uniqueArray(fc.constantFrom(...codes(PARTNERSHIP_TYPES)), { minLength: 1, maxLength: 3 }),
      sdgs: fc.uniqueArray(fc.integer({ min: 1, max: 17 }), { maxLength: 3 }),
      anonymous: fc.boolean(),
    }),
    { numRuns: 12, seed: 42 },
  );
  for (const [i, attributes] of random.entries()) {
    const owner = owners[i % owners.length]!;
    const body = i % 3 === 0 ? requestBody(attributes) : offerBody(attributes);
    const listing = await publishListing(ctx, owner, editor, body);
    published.push({ ...listing, country: COUNTRIES[i % owners.length]! });
  }
  await ctx.app.services.jobs.drain();
});
afterAll(() => ctx.close());

const PARAMS = ['q', 'kind', 'sector', 'country', 'targetCountry', 'stage', 'trlMin', 'trlMax', 'iprStatus', 'partnershipType', 'sdg', 'publishedAfter', 'sort', 'limit', 'offset'] as const;

async function searchWith(query: Record<string, string | string[]>) {
  const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/search', query });
  expect([200, 400], `${JSON.stringify(query)} → ${response.body}`).toContain(response.statusCode);
  return response;
}

const nastyString = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    "'; drop table search_documents; --",
    '" OR 1=1 --',
    'sector = "water" OR kind = "offer"',
    '\\" OR id EXISTS',
    'water") OR ("a"="a',
    '%',
    '_',
    '\\',
    '&|!():*',
    "O'Reilly",
    'renewable_energy,water',
    '1e308',
    '-1',
    'NaN',
  ),
);

describe('search resists hostile input', () => {
  it('answers 200 or 400 for any string in any parameter, and only ever returns published listings', async () => {
    const ids = new Set(published.map((listing) => listing.id));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PARAMS), fc.oneof(nastyString, fc.array(nastyString, { maxLength: 4 })), async (param, value) => {
        const response = await searchWith({ [param]: value });
        if (response.statusCode === 200) {
          for (const item of response.json().items) expect(ids.has(item.id)).toBe(true);
        } else {
          expect(response.json().code).toBe('validation_failed');
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('answers 200 or 400 for hostile text combined with every filter at once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record(Object.fromEntries(PARAMS.map((param) => [param, nastyString])), { requiredKeys: [] }), async (query) => {
        await searchWith(query as Record<string, string>);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('returns exactly the listings that satisfy valid filters, whatever text comes with them', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            kind: fc.constantFrom('offer', 'request'),
            sector: fc.uniqueArray(fc.constantFrom(...codes(SECTORS)), { minLength: 1, maxLength: 3 }),
            country: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { minLength: 1, maxLength: 2 }),
            targetCountry: fc.uniqueArray(fc.constantFrom(...COUNTRIES), { minLength: 1, maxLength: 2 }),
            stage: fc.uniqueArray(fc.constantFrom(...codes(STAGES)), { minLength: 1, maxLength: 2 }),
            trlMin: fc.integer({ min: 1, max: 9 }),
            iprStatus: fc.uniqueArray(fc.constantFrom(...codes(IPR_STATUSES)), { minLength: 1, maxLength: 2 }),
            partnershipType: fc.uniqueArray(fc.constantFrom(...codes(PARTNERSHIP_TYPES)), { minLength: 1, maxLength: 2 }),
            sdg: fc.uniqueArray(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        fc.option(nastyString, { nil: undefined }),
        async (filters, text) => {
          const anyOf = <T>(wanted: T[] | undefined, values: T[]) => !wanted || wanted.some((value) => values.includes(value));
          const expected = published.filter(
            (listing) =>
              (!filters.kind || listing.kind === filters.kind) &&
              anyOf(filters.sector, listing.sectors) &&
              anyOf(filters.country, [listing.country]) &&
              anyOf(filters.targetCountry, listing.targetCountries) &&
              anyOf(filters.stage, [listing.stage]) &&
              (filters.trlMin === undefined || listing.trl >= filters.trlMin) &&
              anyOf(filters.iprStatus, [listing.iprStatus]) &&
              anyOf(filters.partnershipType, listing.partnershipTypes) &&
              anyOf(filters.sdg, listing.sdgs),
          );
          const query: Record<string, string> = Object.fromEntries(
            Object.entries(filters).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : String(value)]),
          );
          if (text !== undefined) query.q = text;
          const response = await searchWith({ ...query, limit: '100' });
          if (response.statusCode !== 200) return;
          const got = response.json().items.map((item: { id: string }) => item.id) as string[];
          const wanted = new Set(expected.map((listing) => listing.id));
          if (text === undefined) expect(new Set(got)).toEqual(wanted);
          else for (const id of got) expect(wanted.has(id)).toBe(true);
        },
      ),
      { numRuns: 100, seed: 3 },
    );
  });
});
