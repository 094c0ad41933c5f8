import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { insertPublishedListings, prepareForMatching, type BulkListing, type BulkOrganization } from './bulk-listings.js';

// The matching evaluation: the labelled set under tests/fixtures/matching-eval (requests with the
// offers a broker would propose) loaded into a database, matches computed for every request, and
// the ranking measured. Gains: relevant 1, partially relevant 0.5.

export const EVAL_FIXTURES_DIR = fileURLToPath(new URL('../../tests/fixtures/matching-eval/', import.meta.url));

interface FixtureListing extends Omit<BulkListing, 'organizationIndex' | 'publishedDaysAgo' | 'anonymous' | 'advantages' | 'specificationSought'> {
  id: string;
  advantages?: string;
  specificationSought?: string;
  organization: BulkOrganization;
}

interface FixtureRequest extends FixtureListing {
  relevant: string[];
  partiallyRelevant?: string[];
}

export interface Metrics {
  recallAt10: number;
  mrr: number;
  ndcgAt10: number;
}

export interface EvaluationResult {
  requests: number;
  offers: number;
  /** Our matches: engine candidates rescored. */
  matching: Metrics;
  /**
   * Our matches with the candidate query's hit budget cut to the share of this set it is of
   * 100,000 listings: how matching fares when only the rarer words of a listing fit the query
   * (null on an engine without a budget).
   */
  scaledBudget: Metrics | null;
  /** The same engine candidates in the engine's own order: what rescoring adds. */
  engineOnly: Metrics;
  /** Any word of the request title, engine order: a plain keyword search. */
  keywordBaseline: Metrics;
  /** Requests none of whose relevant offers shares a sector with them. */
  crossSector: { requests: number; matching: Metrics; keywordBaseline: Metrics };
  /** Matches per request, for the report. */
  perRequest: { id: string; firstRelevantRank: number | null; recallAt10: number }[];
}

const CUTOFF = 10;
const GAIN = { relevant: 1, partial: 0.5 } as const;

export function loadFixtures(dir = EVAL_FIXTURES_DIR) {
  const offers = JSON.parse(readFileSync(`${dir}/offers.json`, 'utf8')) as FixtureListing[];
  const requests = JSON.parse(readFileSync(`${dir}/requests.json`, 'utf8')) as FixtureRequest[];
  return { offers, requests };
}

/** Metrics of one ranked list (fixture offer ids, best first) against a request's labels. */
export function measure(ranked: string[], request: Pick<FixtureRequest, 'relevant' | 'partiallyRelevant'>): Metrics {
  const relevant = new Set(request.relevant);
  const partial = new Set(request.partiallyRelevant ?? []);
  const gain = (id: string) => (relevant.has(id) ? GAIN.relevant : partial.has(id) ? GAIN.partial : 0);
  const top = ranked.slice(0, CUTOFF);
  const recallAt10 = top.filter((id) => relevant.has(id)).length / relevant.size;
  const first = ranked.findIndex((id) => relevant.has(id));
  const dcg = top.reduce((sum, id, i) => sum + gain(id) / Math.log2(i + 2), 0);
  const ideal = [...request.relevant.map(() => GAIN.relevant), ...[...partial].map(() => GAIN.partial)].slice(0, CUTOFF);
  const idcg = ideal.reduce((sum, g, i) => sum + g / Math.log2(i + 2), 0);
  return { recallAt10, mrr: first >= 0 ? 1 / (first + 1) : 0, ndcgAt10: idcg > 0 ? dcg / idcg : 0 };
}

function mean(all: Metrics[]): Metrics {
  const n = Math.max(1, all.length);
  return {
    recallAt10: all.reduce((s, m) => s + m.recallAt10, 0) / n,
    mrr: all.reduce((s, m) => s + m.mrr, 0) / n,
    ndcgAt10: all.reduce((s, m) => s + m.ndcgAt10, 0) / n,
  };
}

/** Loads the labelled set into the app's (empty) database and evaluates every request. */
export async function evaluateMatching(app: FastifyInstance, fixtures = loadFixtures()): Promise<EvaluationResult> {
  const all = [...fixtures.offers, ...fixtures.requests];
  const organizations: BulkOrganization[] = [];
  const organizationIndex = new Map<string, number>();
  for (const { organization } of all) {
    const key = `${organization.name}|${organization.country}`;
    if (!organizationIndex.has(key)) {
      organizationIndex.set(key, organizations.length);
      organizations.push(organization);
    }
  }
  const ids = await insertPublishedListings(
    app,
    organizations,
    all.map((item) => ({
      ...item,
      advantages: item.advantages ?? null,
      specificationSought: item.specificationSought ?? null,
      anonymous: false,
      organizationIndex: organizationIndex.get(`${item.organization.name}|${item.organization.country}`)!,
      // The same age for all, so freshness plays no part in the evaluation.
      publishedDaysAgo: 10,
    })),
  );
  await prepareForMatching(app);
  const fixtureIdOf = new Map(ids.map((id, i) => [id, all[i]!.id]));
  const rows = new Map(
    (await app.services.listings.findManyWithOrganization(ids.slice(fixtures.offers.length))).map((row) => [row.listing.id, row]),
  );
  const toFixtureIds = (listingIds: string[]) => listingIds.map((id) => fixtureIdOf.get(id) ?? id);

  const matching: Metrics[] = [];
  const scaledBudget: Metrics[] = [];
  const budget = app.services.matching.hitBudget;
  const budgetAsAt100k = budget === null ? null : Math.round((budget * all.length) / 100_000);
  const engineOnly: Metrics[] = [];
  const keywordBaseline: Metrics[] = [];
  const crossMatching: Metrics[] = [];
  const crossBaseline: Metrics[] = [];
  const perRequest: EvaluationResult['perRequest'] = [];
  const offerSectors = new Map(fixtures.offers.map((offer) => [offer.id, offer.sectors]));
  for (const [i, request] of fixtures.requests.entries()) {
    const { listing, organization } = rows.get(ids[fixtures.offers.length + i]!)!;
    const ranked = toFixtureIds((await app.services.matching.rank(listing, organization)).map((match) => match.id));
    const { hits: engineHits } = await app.services.matching.candidates(listing, await app.services.matching.candidateQuery(listing, organization));
    const { hits: keywordHits } = await app.services.matching.candidates(listing, request.title, {}, false);
    if (budgetAsAt100k !== null) {
      const budgetRanked = toFixtureIds((await app.services.matching.rank(listing, organization, {}, budgetAsAt100k)).map((match) => match.id));
      scaledBudget.push(measure(budgetRanked, request));
    }
    const scored = measure(ranked, request);
    const baseline = measure(toFixtureIds(keywordHits.map((hit) => hit.id)), request);
    matching.push(scored);
    engineOnly.push(measure(toFixtureIds(engineHits.map((hit) => hit.id)), request));
    keywordBaseline.push(baseline);
    const crossSector = request.relevant.every((id) => !offerSectors.get(id)?.some((sector) => request.sectors.includes(sector)));
    if (crossSector) {
      crossMatching.push(scored);
      crossBaseline.push(baseline);
    }
    const first = ranked.findIndex((id) => request.relevant.includes(id));
    perRequest.push({ id: request.id, firstRelevantRank: first >= 0 ? first + 1 : null, recallAt10: scored.recallAt10 });
  }
  return {
    requests: fixtures.requests.length,
    offers: fixtures.offers.length,
    matching: mean(matching),
    scaledBudget: budgetAsAt100k === null ? null : mean(scaledBudget),
    engineOnly: mean(engineOnly),
    keywordBaseline: mean(keywordBaseline),
    crossSector: { requests: crossMatching.length, matching: mean(crossMatching), keywordBaseline: mean(crossBaseline) },
    perRequest,
  };
}
