import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTING_FILTERS, matchesListingFilters, type FilterableListing, type ListingFilters } from '../src/modules/listings/listings.filters.js';
import { buildMeiliFilter } from '../src/modules/search/meilisearch.filters.js';
import { IPR_STATUSES, PARTNERSHIP_TYPES, SECTORS, STAGES } from '../src/modules/vocabularies/enums.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';

// The filter vocabulary is described once (src/modules/listings/listings.filters.ts) and compiled
// four ways. Here the four answer the same random filters over the same listings: the listings
// query (GET /listings), the PostgreSQL search engine (GET /search), the alert check on a new
// listing (matchesListingFilters) and the Meilisearch filter string, read by a small evaluator of
// the expressions buildMeiliFilter writes (no Meilisearch server runs here).

const codes = (list: readonly { code: string }[]) => list.map((entry) => entry.code);
const OWNER_COUNTRIES = ['TH', 'VN', 'IN'];
const TARGET_COUNTRIES = ['VN', 'KH', 'LK', 'BD'];
const SECTOR_CODES = codes(SECTORS).slice(0, 5);
const PARTNERSHIP_CODES = codes(PARTNERSHIP_TYPES).slice(0, 4);

type Document = FilterableListing & { id: string; expiresAt: Date };

/** Evaluates the subset of Meilisearch's filter syntax that buildMeiliFilter writes, on one document. */
function meiliFilterHolds(filter: string, document: Record<string, unknown>): boolean {
  return filter.split(' AND ').every((clause) => {
    const list = /^(\w+) (IN|NOT IN) \[(.*)\]$/.exec(clause);
    if (list) {
      const [, attribute, operator, literals] = list;
      const values = literals!.split(', ').map((literal) => (literal.startsWith('"') ? (JSON.parse(literal) as string) : Number(literal)));
      const field = document[attribute!];
      // On a list attribute, IN holds when any element is one of the values.
      const held = (Array.isArray(field) ? field : [field]).some((element) => values.includes(element as string | number));
      return operator === 'IN' ? held : !held;
    }
    const bound = /^(\w+) (>=|<=|>) (\d+)$/.exec(clause);
    if (!bound) throw new Error(`the evaluator does not know this clause: ${clause}`);
    const [, attribute, operator, literal] = bound;
    const field = document[attribute!] as number;
    const limit = Number(literal);
    return operator === '>=' ? field >= limit : operator === '<=' ? field <= limit : field > limit;
  });
}

/** The filters as the API's query string, under each filter's parameter name. */
function queryString(filters: ListingFilters): string {
  const params = new URLSearchParams({ limit: '100' });
  for (const [name, value] of Object.entries(filters) as [keyof ListingFilters, unknown][]) {
    if (value === undefined) continue;
    const text = value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(',') : String(value);
    params.set(LISTING_FILTERS[name].param, text);
  }
  return params.toString();
}

const ids = (documents: { id: string }[]) => documents.map((document) => document.id).sort();

describe('the filter vocabulary, compiled four ways', () => {
  let ctx: TestContext;
  let documents: Document[];

  beforeAll(async () => {
    ctx = await createTestApp();
    const editor = await createUser(ctx, { role: 'editor' });
    const owners: TestUser[] = [];
    for (const country of OWNER_COUNTRIES) owners.push(await createUser(ctx, { country }));
    // Listings spread over every field the filters test, published on different days.
    const listing = fc.record({
      kind: fc.constantFrom('offer', 'request'),
      owner: fc.nat({ max: owners.length - 1 }),
      sectors: fc.uniqueArray(fc.constantFrom(...SECTOR_CODES), { minLength: 1, maxLength: 3 }),
      targetCountries: fc.uniqueArray(fc.constantFrom(...TARGET_COUNTRIES), { maxLength: 2 }),
      stage: fc.constantFrom(...codes(STAGES)),
      trl: fc.integer({ min: 1, max: 9 }),
      iprStatus: fc.constantFrom(...codes(IPR_STATUSES)),
      partnershipTypes: fc.uniqueArray(fc.constantFrom(...PARTNERSHIP_CODES), { minLength: 1, maxLength: 3 }),
      sdgs: fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { maxLength: 3 }),
    });
    for (const values of fc.sample(listing, { numRuns: 30, seed: 15 })) {
      const { kind, owner, ...fields } = values;
      ctx.clock.advanceDays(1);
      await publishListing(ctx, owners[owner]!, editor, kind === 'offer' ? offerBody(fields) : requestBody(fields));
    }
    await ctx.app.services.jobs.drain();
    const all = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?limit=100' });
    documents = all.json().items.map((item: Record<string, unknown>) => ({
      ...(item as unknown as FilterableListing),
      id: item.id as string,
      publishedAt: new Date(item.publishedAt as string),
      expiresAt: new Date(item.expiresAt as string),
    }));
    expect(documents).toHaveLength(30);
  }, 120_000);

  afterAll(async () => {
    await ctx?.close();
  });

  it('finds the same listings through the listings query, PostgreSQL search, Meilisearch and the alert check', async () => {
    // Each filter is set one time in four, so a case combines two or three and still keeps listings.
    const sometimes = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 });
    const someOf = <T>(values: readonly T[]) => sometimes(fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 2 }));
    const filters = fc
      .record(
        {
          kind: sometimes(fc.constantFrom('offer' as const, 'request' as const)),
          sectors: someOf(SECTOR_CODES),
          countries: someOf([...OWNER_COUNTRIES, 'JP']),
          targetCountries: someOf(TARGET_COUNTRIES),
          stages: someOf(codes(STAGES)),
          trl: sometimes(fc.tuple(fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }), fc.option(fc.integer({ min: 1, max: 9 }), { nil: undefined }))),
          iprStatuses: someOf(codes(IPR_STATUSES)),
          partnershipTypes: someOf(PARTNERSHIP_CODES),
          sdgs: someOf([1, 2, 3, 4, 5, 6]),
          publishedAfterIndex: sometimes(fc.nat({ max: 29 })),
        },
        { requiredKeys: [] },
      )
      .map(({ trl, publishedAfterIndex, ...rest }) => {
        const [low, high] = trl ?? [];
        const bounds = low !== undefined && high !== undefined && low > high ? [high, low] : [low, high];
        const published = publishedAfterIndex === undefined ? undefined : [...documents].sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime())[publishedAfterIndex]!.publishedAt;
        return { ...rest, trlMin: bounds[0], trlMax: bounds[1], publishedAfter: published } as ListingFilters;
      });

    let nonEmpty = 0;
    await fc.assert(
      fc.asyncProperty(filters, async (filter) => {
        const alertCheck = documents.filter((document) => matchesListingFilters(filter, document));
        if (alertCheck.length > 0) nonEmpty++;

        const meiliFilter = buildMeiliFilter({ ...filter, validAt: ctx.clock.now() });
        const meili = documents.filter((document) =>
          meiliFilterHolds(meiliFilter, { ...document, publishedAt: document.publishedAt.getTime(), expiresAt: document.expiresAt.getTime() }),
        );
        expect(ids(meili)).toEqual(ids(alertCheck));

        const search = await ctx.app.inject({ method: 'GET', url: `/api/v1/search?${queryString(filter)}` });
        expect(search.statusCode).toBe(200);
        expect(ids(search.json().items)).toEqual(ids(alertCheck));

        // The listings API takes every filter but publishedAfter (its list sorts by date instead).
        const { publishedAfter: _publishedAfter, ...listable } = filter;
        const listed = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings?${queryString(listable)}` });
        expect(listed.statusCode).toBe(200);
        expect(ids(listed.json().items)).toEqual(ids(documents.filter((document) => matchesListingFilters(listable, document))));
      }),
      { numRuns: 60, seed: 1515 },
    );
    // Enough of the random filters keep some listings for the agreement to mean something.
    expect(nonEmpty).toBeGreaterThan(30);
  }, 120_000);
});
