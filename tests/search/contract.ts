import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchDocument, SearchEngine, SearchFilters, SearchQuery } from '../../src/modules/search/search.port.js';
import { FACET_FIELDS } from '../../src/modules/search/search.port.js';
import { searchDocument } from './documents.js';

// One behaviour, every engine: the built-in PostgreSQL engine and Meilisearch both run this suite
// (tests/search-postgres.test.ts, tests/search-meilisearch.test.ts).

export interface EngineUnderTest {
  engine: SearchEngine;
  close(): Promise<void>;
}

const VALID_AT = new Date('2026-03-01T00:00:00Z');
const ORG_A = randomUUID();
const ORG_B = randomUUID();
const ORG_ANON = randomUUID();

function doc(overrides: Partial<SearchDocument> & Pick<SearchDocument, 'title'>): SearchDocument {
  return searchDocument({ organizationId: ORG_A, ...overrides });
}

const day = (n: number) => new Date(Date.UTC(2026, 0, n));

const CORPUS = {
  solarDryer: doc({
    title: 'Solar dryer tunnel for fish and fruit',
    summary: 'Dries fish, fruit and spices with solar heat, without diesel.',
    description: 'A polyethylene tunnel with photovoltaic fans; moisture falls below 15% in two days.',
    keywords: ['food processing', 'drying'],
    sectors: ['renewable_energy', 'agriculture_food'],
    country: 'TH',
    targetCountries: ['VN', 'KH'],
    stage: 'on_the_market',
    trl: 9,
    iprStatus: 'ipr_granted',
    partnershipTypes: ['licence', 'joint_venture'],
    sdgs: [2, 7],
    publishedAt: day(20),
  }),
  fishRequest: doc({
    kind: 'request',
    title: 'Low-cost fish drying without diesel',
    summary: 'A fishing cooperative needs to dry two tonnes of fish a day.',
    description: 'Rain spoils a third of the catch dried in the open sun.',
    details: 'Capacity 2 t/day, running cost under USD 20 a day.',
    keywords: ['fish'],
    sectors: ['ocean_economy', 'agriculture_food'],
    country: 'LK',
    targetCountries: ['LK'],
    stage: 'concept',
    trl: 2,
    iprStatus: 'none',
    partnershipTypes: ['technical_cooperation'],
    sdgs: [14],
    organizationId: ORG_B,
    organizationName: 'Negombo Fishers Cooperative',
    publishedAt: day(18),
  }),
  biocharTitle: doc({
    title: 'Biochar kiln for rice husk',
    summary: 'A smokeless kiln for farm residues.',
    description: 'Turns husk into a soil improver.',
    sectors: ['circular_economy'],
    country: 'IN',
    stage: 'lab_tested',
    trl: 5,
    iprStatus: 'ipr_applied',
    partnershipTypes: ['research_cooperation'],
    sdgs: [13, 15],
    publishedAt: day(5),
  }),
  biocharDescription: doc({
    title: 'Rice husk gasifier for village power',
    summary: 'Electricity from farm residues for mini-grids.',
    description: 'The gasifier also leaves biochar that farmers spread on their fields.',
    sectors: ['bio_energy'],
    country: 'IN',
    stage: 'available_for_demonstration',
    trl: 7,
    partnershipTypes: ['commercial_agreement_with_technical_assistance'],
    sdgs: [7],
    publishedAt: day(6),
  }),
  coldPhrase: doc({
    title: 'Evaporative room for vegetables',
    summary: 'Cold storage for village markets, built from local brick and sand.',
    sectors: ['agriculture_food'],
    country: 'NP',
    stage: 'under_development',
    trl: 4,
    publishedAt: day(7),
  }),
  coldScattered: doc({
    title: 'Clay pot cooler for vegetables',
    summary: 'Storage of produce in village markets; the wet sand keeps it cold.',
    sectors: ['agriculture_food'],
    country: 'NP',
    stage: 'under_development',
    trl: 4,
    publishedAt: day(8),
  }),
  accented: doc({
    title: 'Café waste composting unit',
    summary: 'Composts coffee grounds and pulp from roasteries.',
    sectors: ['circular_economy'],
    country: 'VN',
    publishedAt: day(9),
  }),
  escaped: doc({
    title: 'Heat pump for < 5 kW & "cold" climates',
    summary: 'A compact heat pump for homes.',
    sectors: ['energy_efficiency'],
    country: 'KR',
    publishedAt: day(10),
  }),
  anonymous: doc({
    title: 'Membrane water filter for arsenic',
    summary: 'Removes arsenic from well water.',
    sectors: ['water'],
    country: 'BD',
    organizationName: null,
    organizationId: ORG_ANON,
    iprStatus: 'secret_know_how',
    publishedAt: day(11),
  }),
  greenhouse: doc({
    title: 'Greenhouse dryer for chillies',
    summary: 'A walk-in dryer under a plastic roof, with a biomass back-up burner.',
    sectors: ['agriculture_food'],
    country: 'ID',
    publishedAt: day(3),
  }),
  expired: doc({
    title: 'Solar water pump for irrigation',
    summary: 'Pumps water with solar panels.',
    sectors: ['renewable_energy'],
    country: 'PK',
    publishedAt: day(1),
    expiresAt: new Date('2026-02-01T00:00:00Z'),
  }),
};
const ALL = Object.values(CORPUS);
const LIVE = ALL.filter((d) => d.expiresAt > VALID_AT);

function query(overrides: Partial<Omit<SearchQuery, 'filters'>> & { filters?: Partial<SearchFilters> } = {}): SearchQuery {
  const { filters, ...rest } = overrides;
  return { text: '', mode: 'all', sort: 'relevance', limit: 50, offset: 0, ...rest, filters: { validAt: VALID_AT, ...filters } };
}

export function describeSearchEngineContract(name: string, create: () => Promise<EngineUnderTest>) {
  describe(`search engine contract: ${name}`, () => {
    let subject: EngineUnderTest;
    let engine: SearchEngine;
    const ids = async (q: SearchQuery) => (await engine.search(q)).hits.map((hit) => hit.id);

    beforeAll(async () => {
      subject = await create();
      engine = subject.engine;
      await engine.ensureReady();
      await engine.upsert(ALL);
    });
    afterAll(async () => {
      await subject?.close();
    });

    it('counts its documents and is ready again without harm', async () => {
      await engine.ensureReady();
      expect(await engine.count()).toBe(ALL.length);
    });

    it('lists the empty query newest first, without expired listings, with a zero score', async () => {
      const result = await engine.search(query());
      expect(result.total).toBe(LIVE.length);
      const expected = [...LIVE].sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime()).map((d) => d.id);
      expect(result.hits.map((hit) => hit.id)).toEqual(expected);
      expect(result.hits.every((hit) => hit.score === 0)).toBe(true);
    });

    it('finds "soalr dryer": typo tolerance', async () => {
      const found = await ids(query({ text: 'soalr dryer' }));
      expect(found[0]).toBe(CORPUS.solarDryer.id);
    });

    it('finds a word with two typos in a long word and a plural by its singular', async () => {
      expect(await ids(query({ text: 'evapratvie' }))).toContain(CORPUS.coldPhrase.id);
      expect(await ids(query({ text: 'dryers' }))).toContain(CORPUS.solarDryer.id);
    });

    it('finds what the domain vocabulary relates to the words, below the words themselves', async () => {
      const found = await ids(query({ text: 'solar dryer' }));
      expect(found[0]).toBe(CORPUS.solarDryer.id);
      expect(found).toContain(CORPUS.greenhouse.id);
    });

    it('ranks a title hit above a description hit', async () => {
      const found = await ids(query({ text: 'biochar' }));
      expect(found).toEqual([CORPUS.biocharTitle.id, CORPUS.biocharDescription.id]);
    });

    it('ranks the exact phrase above the same words scattered', async () => {
      const found = await ids(query({ text: 'cold storage' }));
      expect(found.slice(0, 2)).toEqual([CORPUS.coldPhrase.id, CORPUS.coldScattered.id]);
    });

    it('requires every word in "all" mode and any word in "any" mode', async () => {
      expect(await ids(query({ text: 'biochar arsenic' }))).toEqual([]);
      const any = await ids(query({ text: 'biochar arsenic', mode: 'any' }));
      expect(new Set(any)).toEqual(new Set([CORPUS.biocharTitle.id, CORPUS.biocharDescription.id, CORPUS.anonymous.id]));
    });

    it('folds accents both ways', async () => {
      expect(await ids(query({ text: 'cafe' }))).toEqual([CORPUS.accented.id]);
      expect(await ids(query({ text: 'CAFÉ composting' }))).toEqual([CORPUS.accented.id]);
    });

    it('scores hits from 1 (best) down, within 0..1', async () => {
      const { hits } = await engine.search(query({ text: 'fish' }));
      expect(hits.length).toBeGreaterThan(1);
      expect(hits[0]!.score).toBe(1);
      for (const hit of hits) expect(hit.score).toBeGreaterThanOrEqual(0);
      for (let i = 1; i < hits.length; i++) expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
    });

    it('sorts hits by newest when asked', async () => {
      const found = await ids(query({ text: 'fish', sort: 'newest' }));
      expect(found).toEqual([CORPUS.solarDryer.id, CORPUS.fishRequest.id]);
    });

    it('highlights the matched words in HTML-escaped text', async () => {
      const [hit] = (await engine.search(query({ text: 'heat pump', highlight: true }))).hits;
      expect(hit!.id).toBe(CORPUS.escaped.id);
      expect(hit!.highlights.title).toContain('<mark>');
      expect(hit!.highlights.title).toContain('&amp;');
      expect(hit!.highlights.title).toContain('&quot;cold&quot;');
      expect(hit!.highlights.title).not.toMatch(/<(?!\/?mark>)/);
      const [fish] = (await engine.search(query({ text: 'diesel', highlight: true }))).hits;
      expect(Object.values(fish!.highlights).join(' ')).toMatch(/<mark>diesel<\/mark>/i);
    });

    it('filters on every field', async () => {
      const cases: [Partial<SearchFilters>, (d: SearchDocument) => boolean][] = [
        [{ kind: 'request' }, (d) => d.kind === 'request'],
        [{ sectors: ['agriculture_food', 'water'] }, (d) => d.sectors.some((s) => s === 'agriculture_food' || s === 'water')],
        [{ countries: ['IN', 'NP'] }, (d) => ['IN', 'NP'].includes(d.country)],
        [{ targetCountries: ['KH'] }, (d) => d.targetCountries.includes('KH')],
        [{ stages: ['lab_tested', 'concept'] }, (d) => ['lab_tested', 'concept'].includes(d.stage)],
        [{ trlMin: 4, trlMax: 7 }, (d) => d.trl >= 4 && d.trl <= 7],
        [{ iprStatuses: ['ipr_granted', 'ipr_applied'] }, (d) => ['ipr_granted', 'ipr_applied'].includes(d.iprStatus)],
        [{ partnershipTypes: ['joint_venture', 'research_cooperation'] }, (d) => d.partnershipTypes.some((p) => p === 'joint_venture' || p === 'research_cooperation')],
        [{ sdgs: [7, 14] }, (d) => d.sdgs.some((n) => n === 7 || n === 14)],
        [{ publishedAfter: day(10) }, (d) => d.publishedAt >= day(10)],
        [{ excludeIds: [CORPUS.solarDryer.id, CORPUS.accented.id] }, (d) => d !== CORPUS.solarDryer && d !== CORPUS.accented],
        [{ excludeOrganizationIds: [ORG_A] }, (d) => d.organizationId !== ORG_A],
        [{ sectors: ['agriculture_food'], trlMax: 4, countries: ['NP'] }, (d) => d.sectors.includes('agriculture_food') && d.trl <= 4 && d.country === 'NP'],
      ];
      for (const [filters, keep] of cases) {
        const expected = LIVE.filter(keep).map((d) => d.id);
        expect(new Set(await ids(query({ filters }))), JSON.stringify(filters)).toEqual(new Set(expected));
      }
    });

    it('counts facets over the hits, filters included', async () => {
      const result = await engine.search(query({ facets: FACET_FIELDS, filters: { sectors: ['agriculture_food'] } }));
      const hits = LIVE.filter((d) => d.sectors.includes('agriculture_food'));
      const count = (values: (string | number)[]) => {
        const counts: Record<string, number> = {};
        for (const value of values) counts[String(value)] = (counts[String(value)] ?? 0) + 1;
        return counts;
      };
      expect(result.facets.kind).toEqual(count(hits.map((d) => d.kind)));
      expect(result.facets.sectors).toEqual(count(hits.flatMap((d) => d.sectors)));
      expect(result.facets.country).toEqual(count(hits.map((d) => d.country)));
      expect(result.facets.targetCountries).toEqual(count(hits.flatMap((d) => d.targetCountries)));
      expect(result.facets.stage).toEqual(count(hits.map((d) => d.stage)));
      expect(result.facets.iprStatus).toEqual(count(hits.map((d) => d.iprStatus)));
      expect(result.facets.partnershipTypes).toEqual(count(hits.flatMap((d) => d.partnershipTypes)));
      expect(result.facets.sdgs).toEqual(count(hits.flatMap((d) => d.sdgs)));
      expect(result.facets.trl).toEqual(count(hits.map((d) => d.trl)));
    });

    it('pages with a stable total', async () => {
      const all = await ids(query({ limit: 100 }));
      const first = await engine.search(query({ limit: 3, offset: 0 }));
      const second = await engine.search(query({ limit: 3, offset: 3 }));
      expect(first.total).toBe(LIVE.length);
      expect(second.total).toBe(LIVE.length);
      expect([...first.hits, ...second.hits].map((hit) => hit.id)).toEqual(all.slice(0, 6));
    });

    it('understands quotes, exclusions and "or"', async () => {
      expect(await ids(query({ text: '"fish drying"' }))).toEqual([CORPUS.fishRequest.id]);
      expect(await ids(query({ text: 'fish -solar' }))).toEqual([CORPUS.fishRequest.id]);
      expect(new Set(await ids(query({ text: 'arsenic or composting' })))).toEqual(new Set([CORPUS.anonymous.id, CORPUS.accented.id]));
    });

    it('finds a listing by its organisation, never an anonymous one', async () => {
      expect(await ids(query({ text: 'Negombo' }))).toEqual([CORPUS.fishRequest.id]);
      const { hits } = await engine.search(query({ text: 'arsenic', highlight: true }));
      expect(JSON.stringify(hits)).not.toContain(ORG_ANON);
    });

    it('replaces a document on upsert and forgets it on remove', async () => {
      const original = doc({ title: 'Tidal turbine for estuaries', sectors: ['ocean_economy'], publishedAt: day(12) });
      await engine.upsert([original]);
      expect(await ids(query({ text: 'tidal' }))).toEqual([original.id]);
      await engine.upsert([{ ...original, title: 'Wave energy buoy for harbours' }]);
      expect(await ids(query({ text: 'tidal' }))).toEqual([]);
      expect(await ids(query({ text: 'buoy' }))).toEqual([original.id]);
      await engine.remove([original.id, randomUUID()]);
      expect(await ids(query({ text: 'buoy' }))).toEqual([]);
      expect(await engine.count()).toBe(ALL.length);
    });

    it('never fails on arbitrary text', async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 120 }), fc.constantFrom<'all' | 'any'>('all', 'any'), async (text, mode) => {
          const result = await engine.search(query({ text, mode, highlight: true, facets: ['kind', 'sectors'], limit: 5 }));
          expect(result.total).toBeGreaterThanOrEqual(result.hits.length);
          for (const hit of result.hits) expect(LIVE.map((d) => d.id)).toContain(hit.id);
        }),
        { numRuns: 60 },
      );
      for (const text of ['"', '-', '--x', '"unclosed phrase', 'or', 'a or', '!!', "'; drop table search_documents; --", '\\', '*:', '&|!', '\u0000x']) {
        await engine.search(query({ text, highlight: true }));
      }
      expect(await engine.count()).toBe(ALL.length);
    });

    it('finds "COVID-19", "covid 19", "PM2.5" and "forward/reverse" as listings write them', async () => {
      const covid = doc({ title: 'COVID-19 rapid antigen test strip', keywords: ['PM2.5 sensor'], publishedAt: day(13) });
      const valve = doc({ title: 'Forward/reverse osmosis valve', keywords: ['CO2-neutral', 'e.g. v2.0'], publishedAt: day(14) });
      await engine.upsert([covid, valve]);
      try {
        for (const text of ['COVID-19', '"covid 19"', 'covid-19 test', 'PM2.5', 'pm2.5 sensor']) {
          expect(await ids(query({ text })), text).toEqual([covid.id]);
        }
        for (const text of ['forward/reverse', '"forward reverse" osmosis', 'co2-neutral', 'v2.0']) {
          expect(await ids(query({ text })), text).toEqual([valve.id]);
        }
      } finally {
        await engine.remove([covid.id, valve.id]);
      }
    });

    it('finds every listing by its own exact title and by each of its keywords', async () => {
      const word = fc.stringMatching(/^[a-z]{3,9}$/);
      const digits = fc.integer({ min: 0, max: 999 }).map(String);
      const token = fc.oneof(
        word,
        word,
        fc.constantFrom('COVID-19', 'PM2.5', 'forward/reverse', 'CO2-neutral', 'post-harvest', 'e.g.', 'N/P/K', 'Wi-Fi', '3.5', 'IEC 61215', 'Ø'),
        fc.tuple(word, digits).map(([w, n]) => `${w.toUpperCase()}-${n}`),
        fc.tuple(word, digits, digits).map(([w, a, b]) => `${w}${a}.${b}`),
        fc.tuple(word, word).map(([a, b]) => `${a}/${b}`),
        fc.tuple(word, word).map(([a, b]) => `${a}.${b}`),
      );
      const phrase = (min: number, max: number) => fc.array(token, { minLength: min, maxLength: max }).map((tokens) => tokens.join(' '));
      await fc.assert(
        fc.asyncProperty(phrase(1, 6), fc.array(phrase(1, 3), { maxLength: 3 }), async (title, keywords) => {
          const listing = doc({ title, keywords, publishedAt: day(15) });
          await engine.upsert([listing]);
          try {
            expect(await ids(query({ text: title })), `title ${title}`).toContain(listing.id);
            for (const keyword of keywords) expect(await ids(query({ text: keyword })), `keyword ${keyword}`).toContain(listing.id);
          } finally {
            await engine.remove([listing.id]);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('rebuilds from batches, dropping what they no longer hold', async () => {
      const kept = ALL.filter((d) => d !== CORPUS.accented);
      async function* batches() {
        yield kept.slice(0, 4);
        yield kept.slice(4);
      }
      const progress: number[] = [];
      await engine.rebuild(batches(), (n) => progress.push(n));
      expect(progress.at(-1)).toBe(kept.length);
      expect(await engine.count()).toBe(kept.length);
      expect(await ids(query({ text: 'cafe' }))).toEqual([]);
      expect((await ids(query({ text: 'soalr dryer' })))[0]).toBe(CORPUS.solarDryer.id);
      await engine.upsert([CORPUS.accented]);
    });
  });
}
