import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSearchEngine } from '../src/modules/search/postgres-search.engine.js';
import type { SearchDocument } from '../src/modules/search/search.port.js';
import { conceptVocabulary } from '../src/modules/search/query-expansion.js';
import { openTestDatabase } from './helpers/test-app.js';
import { queryRows } from '../src/db/client.js';
import { describeSearchEngineContract } from './search/contract.js';
import { searchDocument } from './search/documents.js';

describeSearchEngineContract('postgres', async () => {
  const database = await openTestDatabase();
  return { engine: new PostgresSearchEngine(database.db, { vocabulary: conceptVocabulary() }), close: () => database.close() };
});

/** A published offer as the index holds it; each test names what matters to it. */
function indexDocument(fields: Pick<SearchDocument, 'id' | 'reference' | 'title'> & Partial<SearchDocument>): SearchDocument {
  return searchDocument({ summary: 'For village use.', description: 'Sturdy and cheap.', sectors: ['renewable_energy'], sdgs: [7], ...fields });
}

describe('PostgreSQL engine: very broad queries', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let engine: PostgresSearchEngine;
  const validAt = new Date('2026-03-01T00:00:00Z');
  const documents = Array.from({ length: 200 }, (_, i) =>
    indexDocument({
      // The last byte of the id is the sample key: spread evenly, so a half share samples about half.
      id: `00000000-0000-4000-8000-${String(i).padStart(10, '0')}${((i * 37) % 256).toString(16).padStart(2, '0')}`,
      reference: `TO-TH-2026-${String(i).padStart(5, '0')}`,
      kind: i % 4 === 0 ? 'request' : 'offer',
      // The first hundred name it in the title, the others only in the description.
      title: i < 100 ? `Solar appliance model ${i}` : `Appliance model ${i}`,
      description: i < 100 ? 'Sturdy and cheap.' : 'Runs on solar panels.',
      sectors: [i % 2 === 0 ? 'renewable_energy' : 'energy_efficiency'],
      publishedAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
    }),
  );
  const search = (text: string, options: { offset?: number; limit?: number; sort?: 'relevance' | 'newest'; sectors?: ['renewable_energy'] } = {}) =>
    engine.search({
      text,
      mode: 'all',
      sort: options.sort ?? 'relevance',
      limit: options.limit ?? 20,
      offset: options.offset ?? 0,
      facets: ['kind', 'sectors'],
      filters: { validAt, ...(options.sectors ? { sectors: options.sectors } : {}) },
    });
  const minuteOf = (hitId: string) => {
    const publishedAt = documents.find((d) => d.id === hitId)!.publishedAt;
    return publishedAt.getUTCHours() * 60 + publishedAt.getUTCMinutes();
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    engine = new PostgresSearchEngine(database.db, { exactLimit: 40, sampleShare: 1 / 2 });
    await engine.upsert(documents);
  });
  afterAll(() => database.close());

  it('estimates total and facets from the sample and says so', async () => {
    const result = await search('solar');
    expect(result.approximate).toBe(true);
    expect(result.total).toBeGreaterThan(140);
    expect(result.total).toBeLessThan(260);
    const offers = result.facets.kind!.offer!;
    expect(offers / result.total).toBeGreaterThan(0.6);
    expect(offers / result.total).toBeLessThan(0.9);
  });

  it('ranks title hits first, newest first, then the rest, across pages', async () => {
    const first = await search('solar');
    expect(first.hits.map((hit) => minuteOf(hit.id))).toEqual(Array.from({ length: 20 }, (_, i) => 99 - i));
    expect(first.hits.every((hit) => hit.score === 1)).toBe(true);
    const boundary = await search('solar', { offset: 95, limit: 10 });
    expect(boundary.hits.map((hit) => minuteOf(hit.id))).toEqual([4, 3, 2, 1, 0, 199, 198, 197, 196, 195]);
    expect(boundary.hits.map((hit) => hit.score)).toEqual([1, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5]);
    const newest = await search('solar', { sort: 'newest', limit: 3 });
    expect(newest.hits.map((hit) => minuteOf(hit.id))).toEqual([199, 198, 197]);
  });

  it('counts facets on a share of the hits when there are many, with an exact total, and says so', async () => {
    const sharing = new PostgresSearchEngine(database.db, { exactLimit: 400, facetRows: 40 });
    const query = { text: 'solar', mode: 'all' as const, sort: 'relevance' as const, limit: 5, offset: 0, facets: ['kind'] as const, filters: { validAt } };
    const shared = await sharing.search(query);
    expect(shared.total).toBe(200);
    expect(shared.approximate).toBe(true);
    const counted = (shared.facets.kind!.offer ?? 0) + (shared.facets.kind!.request ?? 0);
    expect(counted).toBeGreaterThan(120);
    expect(counted).toBeLessThan(280);
    const exact = await new PostgresSearchEngine(database.db, { exactLimit: 400, facetRows: 400 }).search(query);
    expect(exact.approximate).toBeUndefined();
    expect(exact.total).toBe(200);
    expect((exact.facets.kind!.offer ?? 0) + (exact.facets.kind!.request ?? 0)).toBe(200);
  });

  it('estimates filter-only queries too, and stays exact for narrow ones', async () => {
    const broad = await search('', { sectors: ['renewable_energy'] });
    expect(broad.approximate).toBe(true);
    expect(broad.hits.map((hit) => minuteOf(hit.id)).slice(0, 3)).toEqual([198, 196, 194]);
    const narrow = await search('model 7');
    expect(narrow.approximate).toBeUndefined();
    expect(narrow.total).toBe(1);
  });
});

describe('PostgreSQL engine: facet counts', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let engine: PostgresSearchEngine;
  const documents = [
    indexDocument({ id: '00000000-0000-4000-8000-000000000a01', reference: 'TO-KE-2026-00001', title: 'Grain dryer', kind: 'offer', sectors: ['agriculture_food', 'renewable_energy'], country: 'KE', targetCountries: ['TZ', 'UG'], stage: 'lab_tested', trl: 6, iprStatus: 'ipr_granted', partnershipTypes: ['licence', 'joint_venture'], sdgs: [2, 7] }),
    indexDocument({ id: '00000000-0000-4000-8000-000000000a02', reference: 'TR-KE-2026-00002', title: 'Grain storage', kind: 'request', sectors: ['agriculture_food'], country: 'KE', targetCountries: [], stage: 'on_the_market', trl: 9, iprStatus: 'none', partnershipTypes: ['licence'], sdgs: [] }),
    indexDocument({ id: '00000000-0000-4000-8000-000000000a03', reference: 'TO-TH-2026-00003', title: 'Grain mill', kind: 'offer', sectors: ['renewable_energy'], country: 'TH', targetCountries: ['TZ'], stage: 'lab_tested', trl: 6, iprStatus: 'none', partnershipTypes: [], sdgs: [7] }),
  ];

  beforeAll(async () => {
    database = await openTestDatabase();
    engine = new PostgresSearchEngine(database.db);
    await engine.upsert(documents);
  });
  afterAll(() => database.close());

  it('counts every value of every facet, list values one by one and empty lists as nothing', async () => {
    const result = await engine.search({
      text: 'grain',
      mode: 'all',
      sort: 'relevance',
      limit: 20,
      offset: 0,
      facets: ['kind', 'sectors', 'country', 'targetCountries', 'stage', 'iprStatus', 'partnershipTypes', 'sdgs', 'trl'],
      filters: { validAt: new Date('2026-03-01T00:00:00Z') },
    });
    expect(result.total).toBe(3);
    expect(result.facets).toEqual({
      kind: { offer: 2, request: 1 },
      sectors: { agriculture_food: 2, renewable_energy: 2 },
      country: { KE: 2, TH: 1 },
      targetCountries: { TZ: 2, UG: 1 },
      stage: { lab_tested: 2, on_the_market: 1 },
      iprStatus: { ipr_granted: 1, none: 2 },
      partnershipTypes: { licence: 2, joint_venture: 1 },
      sdgs: { '2': 1, '7': 2 },
      trl: { '6': 2, '9': 1 },
    });
  });

  it('writes the facet codes in the form migration 0005 computed for documents indexed before it', async () => {
    const rows = await queryRows<{ differing: number }>(database.db, sql`
      select count(*)::int as differing from search_documents
      where facet_codes is distinct from concat_ws('|', kind, array_to_string(sectors, ','), country,
        array_to_string(target_countries, ','), stage, ipr_status, array_to_string(partnership_types, ','),
        array_to_string(sdgs, ','), trl::text)`);
    expect(rows[0]?.differing).toBe(0);
  });
});

describe('PostgreSQL engine: query words analysed before a write', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  const validAt = new Date('2026-03-01T00:00:00Z');
  const document = (id: string, title: string) => indexDocument({ id, reference: `TO-TH-2026-${id.slice(-5)}`, title });
  const titles = (engine: PostgresSearchEngine, text: string) =>
    engine
      .search({ text, mode: 'all', sort: 'relevance', limit: 10, offset: 0, filters: { validAt } })
      .then((result) => result.hits.map((hit) => hit.id));

  beforeAll(async () => {
    database = await openTestDatabase();
  });
  afterAll(() => database.close());

  it('matches a word literally once a listing brings it, though it was corrected to another before', async () => {
    const engine = new PostgresSearchEngine(database.db);
    const dryers = document('00000000-0000-4000-8000-000000000001', 'Solar dryers');
    await engine.upsert([dryers]);
    // Unknown to the vocabulary: corrected to its closest word.
    expect(await titles(engine, 'driers')).toEqual([dryers.id]);
    const driers = document('00000000-0000-4000-8000-000000000002', 'Grain driers');
    await engine.upsert([driers]);
    expect(await titles(engine, 'driers')).toEqual([driers.id]);
    await engine.remove([driers.id]);
    expect(await titles(engine, 'driers')).toEqual([dryers.id]);
  });

  it('takes the words of an exactWords query as they are: found as written, never corrected', async () => {
    const engine = new PostgresSearchEngine(database.db);
    const pumps = document('00000000-0000-4000-8000-000000000003', 'Solar water pumps');
    await engine.upsert([pumps]);
    const anyWord = (text: string, exactWords: boolean) =>
      engine
        .search({ text, mode: 'any', exactWords, sort: 'relevance', limit: 10, offset: 0, filters: { validAt } })
        .then((result) => result.hits.map((hit) => hit.id).sort());
    expect(await anyWord('pumps the', true)).toEqual([pumps.id]);
    expect(await anyWord('"water pumps" irrigation', true)).toEqual([pumps.id]);
    expect(await anyWord('pumsp', false)).toEqual([pumps.id]);
    expect(await anyWord('pumsp', true)).toEqual([]);
    expect(await anyWord('the of', true)).toEqual([]);
  });
});

describe('PostgreSQL engine: the domain vocabulary', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let engine: PostgresSearchEngine;
  const validAt = new Date('2026-03-01T00:00:00Z');
  const document = (n: number, fields: Pick<SearchDocument, 'title'> & Partial<SearchDocument>) =>
    indexDocument({ id: `00000000-0000-4000-8000-00000000010${n}`, reference: `TO-TH-2026-0010${n}`, ...fields });
  const found = (text: string) =>
    engine
      .search({ text, mode: 'all', sort: 'relevance', limit: 10, offset: 0, filters: { validAt } })
      .then((result) => result.hits.map((hit) => hit.id));
  const literal = document(1, { title: 'Solar dryer for mangoes' });
  const termInBody = document(2, { title: 'Drying cabinet for fish', description: 'A greenhouse dryer: plastic film over a timber frame.' });
  const narrower = document(3, { title: 'Village electricity', summary: 'A wind turbine run by the cooperative.' });
  const scattered = document(4, { title: 'Greenhouse climate sensors', description: 'Not a clothes dryer; it logs humidity.' });

  beforeAll(async () => {
    database = await openTestDatabase();
    engine = new PostgresSearchEngine(database.db, { vocabulary: conceptVocabulary() });
    await engine.upsert([literal, termInBody, narrower, scattered]);
  });
  afterAll(() => database.close());

  it('finds a listing through a term of the concept the query names, below the listing with the words', async () => {
    expect(await found('solar dryer')).toEqual([literal.id, termInBody.id]);
  });

  it('finds a listing naming a narrower concept', async () => {
    // Wind energy and solar energy are kinds of renewable energy in the vocabulary; solar dryers
    // are a kind of solar energy, one step further, which a query does not reach.
    expect(new Set(await found('renewable energy'))).toEqual(new Set([narrower.id, literal.id]));
  });

  it('does not take the words of a related term, scattered over a listing, for the term', async () => {
    expect(await found('solar dryer')).not.toContain(scattered.id);
  });

  it('tags a listing with what it says now: an edit that drops the term drops the concept', async () => {
    await engine.upsert([{ ...termInBody, description: 'Plastic film over a timber frame.' }]);
    expect(await found('solar dryer')).toEqual([literal.id]);
    await engine.upsert([termInBody]);
  });
});

describe('PostgreSQL engine: highlights', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let engine: PostgresSearchEngine;
  const validAt = new Date('2026-03-01T00:00:00Z');
  const filler = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');
  const long = indexDocument({
    id: '00000000-0000-4000-8000-000000000201',
    reference: 'TO-TH-2026-00201',
    title: 'Village workshop equipment',
    description: `${filler(30)} the mangoes are dried on racks. ${filler(40)} Drying takes two days in the café courtyard. ${filler(30)}`,
  });
  const compound = indexDocument({ id: '00000000-0000-4000-8000-000000000202', reference: 'TO-TH-2026-00202', title: 'Bio-gas burner for <small> kitchens' });
  const highlights = async (text: string) => {
    const result = await engine.search({ text, mode: 'all', sort: 'relevance', limit: 10, offset: 0, filters: { validAt }, highlight: true });
    return result.hits[0]!.highlights;
  };

  beforeAll(async () => {
    database = await openTestDatabase();
    engine = new PostgresSearchEngine(database.db);
    await engine.upsert([long, compound]);
  });
  afterAll(() => database.close());

  it('marks every form of a word in short passages of a long text, the passages in text order', async () => {
    const { description, title } = await highlights('drying');
    expect(title).toBeUndefined();
    const passages = description!.split(' … ');
    expect(passages).toHaveLength(2);
    expect(passages[0]).toContain('are <mark>dried</mark> on racks');
    expect(passages[1]).toContain('<mark>Drying</mark> takes two days');
    for (const passage of passages) expect(passage.split(' ').length).toBeLessThanOrEqual(25);
  });

  it('folds accents, marks hyphenated words by their parts and escapes the text', async () => {
    expect((await highlights('cafe mangoes')).description).toMatch(/<mark>café<\/mark>/);
    expect((await highlights('gas burner')).title).toBe('<mark>Bio-gas</mark> <mark>burner</mark> for &lt;small&gt; kitchens');
  });
});
