import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateMatching, type EvaluationResult } from '../src/cli/matching-evaluation.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';

// The labelled set (tests/fixtures/matching-eval: 76 requests, 411 offers) through the same
// evaluation as `npm run eval:matching`. The floors sit a little below the first honest run, so a
// change that makes matching worse fails here; they were never used to tune the matching.
//
// Measured (postgres engine, PGlite and server alike; first run 0.943 / 0.880 / 0.831, the engine
// and the candidate query have changed a little since):
//   matching          recall@10 0.965  MRR 0.869  nDCG@10 0.831
//   keyword baseline  recall@10 0.741  MRR 0.586  nDCG@10 0.570
const FLOOR = { recallAt10: 0.9, mrr: 0.82, ndcgAt10: 0.78 };

let ctx: TestContext;
let result: EvaluationResult;

beforeAll(async () => {
  ctx = await createTestApp();
  result = await evaluateMatching(ctx.app);
}, 120_000);
afterAll(() => ctx.close());

describe('matching on the labelled evaluation set', () => {
  it('stays above the floor', () => {
    expect(result.requests).toBe(76);
    expect(result.matching.recallAt10).toBeGreaterThanOrEqual(FLOOR.recallAt10);
    expect(result.matching.mrr).toBeGreaterThanOrEqual(FLOOR.mrr);
    expect(result.matching.ndcgAt10).toBeGreaterThanOrEqual(FLOOR.ndcgAt10);
  });

  it('beats a keyword search with the request title, and its own candidates in engine order', () => {
    for (const metric of ['recallAt10', 'mrr', 'ndcgAt10'] as const) {
      expect(result.matching[metric]).toBeGreaterThan(result.keywordBaseline[metric]);
      expect(result.matching[metric]).toBeGreaterThanOrEqual(result.engineOnly[metric]);
    }
  });
});
