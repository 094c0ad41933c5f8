import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { MatchLabel } from '../modules/matching/calibration.js';
import type { ScoredMatch } from '../modules/matching/scoring.js';
import { Bm25Index } from './bm25.js';
import { insertPublishedListings, prepareForMatching, type BulkListing, type BulkOrganization } from './bulk-listings.js';

// The matching evaluation: the labelled set under tests/fixtures/matching-eval (requests with the
// offers a broker would propose, and requests no offer answers) loaded into a database, matches
// computed for every request, the ranking measured beside BM25 over the same fields and offers, and
// the labels users see checked: an unanswerable request's best match should rarely be called
// strong, an answered request's first relevant offer usually should. Gains: relevant 1, partially
// relevant 0.5.

export const EVAL_FIXTURES_DIR = fileURLToPath(new URL('../../tests/fixtures/matching-eval/', import.meta.url));

interface FixtureListing extends Omit<BulkListing, 'organizationIndex' | 'publishedDaysAgo' | 'anonymous' | 'advantages' | 'specificationSought'> {
  id: string;
  advantages?: string;
  specificationSought?: string;
  organization: BulkOrganization;
}

interface FixtureRequest extends FixtureListing {
  /** Empty: no offer of the set answers the request. */
  relevant: string[];
  partiallyRelevant?: string[];
  /** Written plainly, as a non-expert would (short, vague, everyday words). */
  plain?: boolean;
}

export interface Metrics {
  recallAt10: number;
  mrr: number;
  ndcgAt10: number;
}

/** Shares of requests by the label their match got. */
export interface Calibration {
  /** Requests no offer answers. */
  unanswerable: number;
  /** Of those, the share whose best match is labelled strong (goal: at most 0.1). */
  unanswerableTopStrong: number;
  /** Of those, the share whose best match is shown as a match at all (strong or possible). */
  unanswerableTopShown: number;
  /** Answered requests whose first relevant offer matching found at all. */
  answered: number;
  /** Of the answered requests, the share whose first relevant offer is labelled strong (goal: at least 0.8). */
  firstRelevantStrong: number;
  /** Of the answered requests, the share whose first relevant offer is shown (strong or possible). */
  firstRelevantShown: number;
}

export interface EvaluationResult {
  /** Requests with at least one relevant offer: those the ranking metrics are over. */
  requests: number;
  offers: number;
  /** Requests no offer answers (calibration only). */
  unanswerable: number;
  /** Our matches: engine candidates rescored. */
  matching: Metrics;
  /** Okapi BM25 over the same fields of the same offers, with the request's full text. */
  bm25: Metrics;
  /** Requests written plainly by non-experts, and the others. */
  plain: { requests: number; matching: Metrics; bm25: Metrics };
  expert: { requests: number; matching: Metrics; bm25: Metrics };
  calibration: Calibration;
  /**
   * The same by half of the set (requests with even and odd numbers): the weights and label
   * thresholds were chosen looking at the even half (and the thresholds at both), so the odd half
   * tells what to expect on text they were not chosen on.
   */
  halves: Record<'even' | 'odd', { requests: number; matching: Metrics; bm25: Metrics; calibration: Calibration }>;
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
  perRequest: {
    id: string;
    answered: boolean;
    plain: boolean;
    firstRelevantRank: number | null;
    recallAt10: number;
    ndcgAt10: number;
    /** The ten best matches' fixture ids. */
    ranked: string[];
    top: { id: string; score: number; label: MatchLabel; components: Record<string, number> } | null;
    firstRelevant: { score: number; label: MatchLabel; components: Record<string, number> } | null;
  }[];
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
      id: stableIdOf(item.id),
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
  const bm25: Metrics[] = [];
  const plain = { matching: [] as Metrics[], bm25: [] as Metrics[] };
  const expert = { matching: [] as Metrics[], bm25: [] as Metrics[] };
  const byHalf = { even: { matching: [] as Metrics[], bm25: [] as Metrics[] }, odd: { matching: [] as Metrics[], bm25: [] as Metrics[] } };
  const offerIndex = new Bm25Index(fixtures.offers.map((offer) => ({ id: offer.id, text: fixtureText(offer) })));
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
    const matches = await app.services.matching.rank(listing, organization);
    const ranked = toFixtureIds(matches.map((match) => match.id));
    const answered = request.relevant.length > 0;
    const firstIndex = ranked.findIndex((id) => request.relevant.includes(id));
    const figures = (match: ScoredMatch) => ({ score: match.score, label: match.label, components: match.explanation.components });
    const top = matches[0] ? { id: ranked[0]!, ...figures(matches[0]) } : null;
    const firstRelevant = firstIndex >= 0 ? figures(matches[firstIndex]!) : null;
    if (!answered) {
      perRequest.push({ id: request.id, answered, plain: request.plain === true, firstRelevantRank: null, recallAt10: 0, ndcgAt10: 0, ranked: ranked.slice(0, CUTOFF), top, firstRelevant: null });
      continue;
    }
    const bm25Scored = measure(offerIndex.rank(fixtureText(request)).map((hit) => hit.id), request);
    bm25.push(bm25Scored);
    const { hits: engineHits } = await app.services.matching.candidates(listing, await app.services.matching.candidateQuery(listing, organization));
    const { hits: keywordHits } = await app.services.matching.candidates(listing, request.title, {}, false);
    if (budgetAsAt100k !== null) {
      const budgetRanked = toFixtureIds((await app.services.matching.rank(listing, organization, {}, budgetAsAt100k)).map((match) => match.id));
      scaledBudget.push(measure(budgetRanked, request));
    }
    const scored = measure(ranked, request);
    const baseline = measure(toFixtureIds(keywordHits.map((hit) => hit.id)), request);
    matching.push(scored);
    const register = request.plain ? plain : expert;
    register.matching.push(scored);
    register.bm25.push(bm25Scored);
    byHalf[halfOf(request.id)].matching.push(scored);
    byHalf[halfOf(request.id)].bm25.push(bm25Scored);
    engineOnly.push(measure(toFixtureIds(engineHits.map((hit) => hit.id)), request));
    keywordBaseline.push(baseline);
    const crossSector = request.relevant.every((id) => !offerSectors.get(id)?.some((sector) => request.sectors.includes(sector)));
    if (crossSector) {
      crossMatching.push(scored);
      crossBaseline.push(baseline);
    }
    perRequest.push({
      id: request.id,
      answered,
      plain: request.plain === true,
      firstRelevantRank: firstIndex >= 0 ? firstIndex + 1 : null,
      recallAt10: scored.recallAt10,
      ndcgAt10: scored.ndcgAt10,
      ranked: ranked.slice(0, CUTOFF),
      top,
      firstRelevant,
    });
  }
  return {
    requests: matching.length,
    offers: fixtures.offers.length,
    unanswerable: fixtures.requests.length - matching.length,
    matching: mean(matching),
    bm25: mean(bm25),
    plain: ofGroup(plain),
    expert: ofGroup(expert),
    calibration: calibrationOf(perRequest),
    halves: {
      even: { ...ofGroup(byHalf.even), calibration: calibrationOf(perRequest.filter((r) => halfOf(r.id) === 'even')) },
      odd: { ...ofGroup(byHalf.odd), calibration: calibrationOf(perRequest.filter((r) => halfOf(r.id) === 'odd')) },
    },
    scaledBudget: budgetAsAt100k === null ? null : mean(scaledBudget),
    engineOnly: mean(engineOnly),
    keywordBaseline: mean(keywordBaseline),
    crossSector: { requests: crossMatching.length, matching: mean(crossMatching), keywordBaseline: mean(crossBaseline) },
    perRequest,
  };
}

/** A group of requests' mean metrics, ours and BM25's. */
function ofGroup(group: { matching: Metrics[]; bm25: Metrics[] }) {
  return { requests: group.matching.length, matching: mean(group.matching), bm25: mean(group.bm25) };
}

/**
 * A listing id derived from a fixture id (a UUID of version 4's shape): the same every run, so the
 * candidates' order at equal scores, and with it every figure, repeats from run to run.
 */
function stableIdOf(fixtureId: string): string {
  const hex = createHash('sha256').update(`matching-eval:${fixtureId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Which half of the set a request is in, by the parity of its number (R001 odd, R002 even). */
function halfOf(id: string): 'even' | 'odd' {
  return Number(id.replace(/\D/g, '')) % 2 === 0 ? 'even' : 'odd';
}

/** A listing's words as BM25 reads them: the fields matching reads. */
function fixtureText(listing: FixtureListing): string {
  return [listing.title, listing.keywords.join('. '), listing.summary, listing.description, listing.advantages ?? listing.specificationSought ?? ''].join('\n');
}

function calibrationOf(perRequest: EvaluationResult['perRequest']): Calibration {
  const unanswerable = perRequest.filter((request) => !request.answered);
  const answered = perRequest.filter((request) => request.answered);
  const share = (list: typeof perRequest, test: (request: (typeof perRequest)[number]) => boolean) =>
    list.length === 0 ? 0 : list.filter(test).length / list.length;
  const shown = (label: MatchLabel | undefined) => label === 'strong' || label === 'possible';
  return {
    unanswerable: unanswerable.length,
    unanswerableTopStrong: share(unanswerable, (request) => request.top?.label === 'strong'),
    unanswerableTopShown: share(unanswerable, (request) => shown(request.top?.label)),
    answered: answered.length,
    firstRelevantStrong: share(answered, (request) => request.firstRelevant?.label === 'strong'),
    firstRelevantShown: share(answered, (request) => shown(request.firstRelevant?.label)),
  };
}
