import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Meilisearch } from 'meilisearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeilisearchEngine, MeilisearchTaskFailed, toMeiliQuery } from '../src/modules/search/meilisearch.engine.js';
import { buildMeiliFilter, InvalidFilterValue, quoteFilterValue } from '../src/modules/search/meilisearch.filters.js';
import { meiliSettings, settingsChanges } from '../src/modules/search/meilisearch.settings.js';
import { conceptSynonyms } from '../src/modules/search/query-expansion.js';
import { parseQueryText } from '../src/modules/language/query-text.js';
import type { SearchFilters } from '../src/modules/search/search.port.js';
import { FakeMeilisearch } from './search/fake-meilisearch.js';
import { searchDocument } from './search/documents.js';
import { describeSearchEngineContract } from './search/contract.js';

// The contract suite runs against a real Meilisearch when MEILI_HOST is set (docker compose up
// meilisearch; MEILI_HOST=http://127.0.0.1:7700 MEILI_API_KEY=… npx vitest run tests/search-meilisearch.test.ts).
// The filter builder, the settings diff and the task checks are tested here without a server.

const MEILI_HOST = process.env.MEILI_HOST;
const VALID_AT = new Date('2026-03-01T00:00:00Z');

if (MEILI_HOST) {
  describeSearchEngineContract('meilisearch', async () => {
    const index = `test_listings_${randomUUID().slice(0, 8)}`;
    const engine = new MeilisearchEngine({ host: MEILI_HOST, apiKey: process.env.MEILI_API_KEY, index, synonyms: conceptSynonyms() });
    const client = new Meilisearch({ host: MEILI_HOST, apiKey: process.env.MEILI_API_KEY });
    return { engine, close: async () => void (await client.deleteIndex(index).waitTask()) };
  });
} else {
  describe('search engine contract: meilisearch', () => {
    it.skip('not run: MEILI_HOST unset', () => {});
  });
}

/** Reads a filter string literal back, so tests can check what the escaping preserves. */
function unquote(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const body = literal.slice(1, -1);
  // Every quote inside is escaped: an odd run of backslashes precedes it.
  for (const match of body.matchAll(/(\\*)"/g)) expect(match[1]!.length % 2).toBe(1);
  return body.replace(/\\(.)/g, '$1');
}

describe('Meilisearch filter', () => {
  it('quotes any string so that it reads back unchanged and cannot close its literal', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (value) => {
        expect(unquote(quoteFilterValue(value))).toBe(value);
      }),
      { numRuns: 500 },
    );
    expect(quoteFilterValue('a" OR kind = "offer')).toBe('"a\\" OR kind = \\"offer"');
    expect(quoteFilterValue('back\\slash')).toBe('"back\\\\slash"');
  });

  it('writes every filter with listed values only, strings quoted', () => {
    const filters: SearchFilters = {
      validAt: VALID_AT,
      kind: 'offer',
      sectors: ['water', 'health'],
      countries: ['TH'],
      targetCountries: ['VN', 'LK'],
      stages: ['lab_tested'],
      trlMin: 3,
      trlMax: 7,
      iprStatuses: ['ipr_granted'],
      partnershipTypes: ['licence'],
      sdgs: [6, 14],
      publishedAfter: new Date('2026-01-01T00:00:00Z'),
      excludeIds: ['00000000-0000-4000-8000-000000000001'],
      excludeOrganizationIds: ['00000000-0000-4000-8000-000000000002'],
    };
    expect(buildMeiliFilter(filters)).toBe(
      [
        `expiresAt > ${VALID_AT.getTime()}`,
        'kind IN ["offer"]',
        'sectors IN ["water", "health"]',
        'country IN ["TH"]',
        'targetCountries IN ["VN", "LK"]',
        'stage IN ["lab_tested"]',
        'trl >= 3',
        'trl <= 7',
        'iprStatus IN ["ipr_granted"]',
        'partnershipTypes IN ["licence"]',
        'sdgs IN [6, 14]',
        `publishedAt >= ${new Date('2026-01-01T00:00:00Z').getTime()}`,
        'id NOT IN ["00000000-0000-4000-8000-000000000001"]',
        'organizationId NOT IN ["00000000-0000-4000-8000-000000000002"]',
      ].join(' AND '),
    );
    expect(buildMeiliFilter({ validAt: VALID_AT })).toBe(`expiresAt > ${VALID_AT.getTime()}`);
  });

  it('refuses any value outside its controlled list, whatever it holds', () => {
    const fields: ((value: string) => Partial<SearchFilters>)[] = [
      (v) => ({ kind: v as never }),
      (v) => ({ sectors: ['water', v as never] }),
      (v) => ({ countries: [v] }),
      (v) => ({ targetCountries: [v] }),
      (v) => ({ stages: [v as never] }),
      (v) => ({ iprStatuses: [v as never] }),
      (v) => ({ partnershipTypes: [v as never] }),
      (v) => ({ excludeIds: [v] }),
      (v) => ({ excludeOrganizationIds: [v] }),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...fields), fc.string({ maxLength: 40 }).filter((v) => !['offer', 'request', 'water'].includes(v) && !/^[A-Z]{2}$/.test(v)), (field, value) => {
        expect(() => buildMeiliFilter({ validAt: VALID_AT, ...field(value) })).toThrow(InvalidFilterValue);
      }),
      { numRuns: 300 },
    );
    for (const bad of [{ trlMin: 0 }, { trlMax: 10 }, { trlMin: 2.5 }, { sdgs: [18] }, { sdgs: [Number.NaN] }, { publishedAfter: new Date('nope') }, { validAt: new Date('nope') }]) {
      expect(() => buildMeiliFilter({ validAt: VALID_AT, ...bad }), JSON.stringify(bad)).toThrow(InvalidFilterValue);
    }
  });

  it('sends the query as words and phrases rebuilt from letters and digits only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (text) => {
        const { text: sent } = toMeiliQuery(parseQueryText(text));
        expect(sent).toMatch(/^[\p{L}\p{M}\p{N} "-]*$/u);
        expect((sent.match(/"/g) ?? []).length % 2).toBe(0);
      }),
      { numRuns: 500 },
    );
    expect(toMeiliQuery(parseQueryText('solar "fish drying" -diesel'))).toEqual({ text: 'solar "fish drying" -diesel', hasAlternatives: false });
    expect(toMeiliQuery(parseQueryText('arsenic or fluoride')).hasAlternatives).toBe(true);
  });
});

describe('Meilisearch query for words joined by punctuation', () => {
  // Meilisearch (charabia) splits "COVID-19", "PM2.5" and "forward/reverse" at the '-', '.' and '/'
  // into words at consecutive positions: a listing saying them is found by those words as a phrase.
  const meiliWords = (text: string) => text.toLowerCase().split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean);

  it('sends each joined word as the phrase of its parts, so the listing\'s own words are asked for in their order', () => {
    const word = fc.stringMatching(/^[a-z]{3,9}$/);
    const joined = fc.oneof(
      fc.constantFrom('COVID-19', 'PM2.5', 'forward/reverse', 'CO2-neutral', 'N/P/K', '3.5'),
      fc.tuple(word, fc.nat(999)).map(([w, n]) => `${w.toUpperCase()}-${n}`),
      fc.tuple(word, word).map(([a, b]) => `${a}/${b}`),
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(word, joined), { minLength: 1, maxLength: 6 }), (tokens) => {
        const title = tokens.join(' ');
        const { text: sent } = toMeiliQuery(parseQueryText(title));
        expect(meiliWords(sent)).toEqual(meiliWords(title));
        for (const token of tokens) {
          const parts = meiliWords(token);
          if (parts.length > 1) expect(sent).toContain(`"${parts.join(' ')}"`);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('Meilisearch settings diff', () => {
  const desired = meiliSettings({ pv: ['photovoltaic', 'solar panel'] });

  it('finds nothing to apply when the index holds the settings, in any order and with defaults around them', () => {
    const current = {
      ...desired,
      filterableAttributes: [...(desired.filterableAttributes as string[])].reverse(),
      displayedAttributes: [...(desired.displayedAttributes as string[])].sort(),
      synonyms: { pv: ['solar panel', 'photovoltaic'] },
      typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 }, disableOnWords: [], disableOnAttributes: [], disableOnNumbers: false },
      pagination: { maxTotalHits: 10_000 },
      faceting: { maxValuesPerFacet: 300, sortFacetValuesBy: { '*': 'alpha' as const } },
      stopWords: [],
      proximityPrecision: 'byWord' as const,
    };
    expect(settingsChanges(desired, current)).toEqual({});
  });

  it('sends only the settings that changed', () => {
    const current = {
      ...desired,
      searchableAttributes: ['summary', 'title', 'keywords', 'description', 'details', 'organizationName'],
      synonyms: { pv: ['photovoltaic'] },
      typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 9 } },
    };
    expect(settingsChanges(desired, current)).toEqual({
      searchableAttributes: desired.searchableAttributes,
      synonyms: desired.synonyms,
      typoTolerance: desired.typoTolerance,
    });
    expect(settingsChanges(desired, {})).toEqual(desired);
  });
});

describe('Meilisearch engine against a stand-in server', () => {
  const fake = new FakeMeilisearch();
  const document = searchDocument({
    title: 'Solar dryer',
    summary: 'Dries fish.',
    description: 'Tunnel dryer.',
    keywords: ['drying'],
    sectors: ['renewable_energy'],
    sdgs: [7],
    organizationName: null,
  });
  const engine = (index = 'listings') => new MeilisearchEngine({ host: fake.host, index, synonyms: { pv: ['photovoltaic'] } });
  const settingsUpdates = () => fake.requests.filter((request) => request.method === 'PATCH' && request.path.endsWith('/settings'));

  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it('creates the index and applies its settings once; a restart finds nothing to change', async () => {
    const first = engine();
    await first.ensureReady();
    await first.ensureReady();
    expect(fake.indexes.has('listings')).toBe(true);
    expect(settingsUpdates()).toHaveLength(1);
    await engine().ensureReady();
    expect(settingsUpdates()).toHaveLength(1);
  });

  it('stores dates as numbers so they filter and sort', async () => {
    await engine().upsert([document]);
    expect(fake.indexes.get('listings')!.documents.get(document.id)).toMatchObject({
      publishedAt: document.publishedAt.getTime(),
      expiresAt: document.expiresAt.getTime(),
    });
    expect(await engine().count()).toBe(1);
  });

  it('throws when a task fails after its 202, so the job is retried', async () => {
    fake.failNextTask = 'Document has an invalid field';
    await expect(engine().upsert([{ ...document, title: 'Changed' }])).rejects.toThrow(MeilisearchTaskFailed);
    fake.failNextTask = 'Index is being deleted';
    await expect(engine().remove([document.id])).rejects.toThrow(/Index is being deleted/);
    expect(fake.indexes.get('listings')!.documents.get(document.id)).toMatchObject({ title: 'Solar dryer' });
  });

  it('throws when the settings task fails, and tries again on the next call', async () => {
    fake.failNextTask = 'Invalid ranking rule';
    const fresh = engine('other');
    await expect(fresh.ensureReady()).rejects.toThrow(/Invalid ranking rule/);
    await fresh.ensureReady();
    expect(fake.indexes.get('other')!.settings).toMatchObject({ rankingRules: meiliSettings({}).rankingRules });
  });

  it('asks for "COVID-19", "covid 19", "PM2.5" and "forward/reverse" as phrases of their words', async () => {
    const sent: unknown[] = [];
    for (const text of ['COVID-19 test', '"covid 19"', 'PM2.5', 'forward/reverse osmosis']) {
      await engine().search({ text, mode: 'all', sort: 'relevance', limit: 20, offset: 0, filters: { validAt: VALID_AT } });
      sent.push((fake.requests.filter((r) => r.path.endsWith('/search')).at(-1)!.body as { q: string }).q);
    }
    expect(sent).toEqual(['"covid 19" test', '"covid 19"', '"pm2 5"', '"forward reverse" osmosis']);
  });

  it('sends the escaped filter, the facets and the query rebuilt from words', async () => {
    fake.searchResponse = {
      hits: [{ id: document.id, _rankingScore: 0.8 }],
      estimatedTotalHits: 1,
      facetDistribution: { kind: { offer: 1 }, sdgs: { '7': 1 } },
      processingTimeMs: 1,
      query: '',
      offset: 0,
      limit: 20,
    };
    const result = await engine().search({
      text: 'soalr "fish drying" ") OR 1=1',
      mode: 'all',
      sort: 'relevance',
      limit: 20,
      offset: 0,
      facets: ['kind', 'sdgs'],
      filters: { validAt: VALID_AT, sectors: ['water'] },
    });
    const request = fake.requests.filter((r) => r.path.endsWith('/search')).at(-1)!;
    expect(request.body).toMatchObject({
      q: 'soalr "fish drying" "or 1 1"',
      filter: `expiresAt > ${VALID_AT.getTime()} AND sectors IN ["water"]`,
      facets: ['kind', 'sdgs'],
      matchingStrategy: 'all',
      showRankingScore: true,
    });
    expect(result).toEqual({ hits: [{ id: document.id, score: 1, highlights: {} }], total: 1, facets: { kind: { offer: 1 }, sdgs: { '7': 1 } } });
  });
});
