import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../src/cli/bm25.js';

// The evaluation's baseline ranking: checked against the formula worked out by hand.

const corpus = [
  { id: 'a', text: 'solar dryer for fish' },
  { id: 'b', text: 'solar pump' },
  { id: 'c', text: 'fish fish smoking kiln with a long description of the kiln' },
];

describe('BM25', () => {
  it('scores a document as the formula says', () => {
    const index = new Bm25Index(corpus);
    // 'dryer' is in one document of three: idf = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)).
    const idf = Math.log(1 + 2.5 / 1.5);
    expect(index.idf('dryer')).toBeCloseTo(idf, 10);
    // Document a holds 3 words after stopwords (solar, dryer, fish); the average is (3 + 2 + 7) / 3 = 4.
    const expected = (idf * 1 * 2.2) / (1 + 1.2 * (1 - 0.75 + (0.75 * 3) / 4));
    const [hit] = index.rank('dryer');
    expect(hit).toEqual({ id: 'a', score: expect.closeTo(expected, 10) as number });
  });

  it('ranks rarer words higher, weighs repeats against length, and leaves out documents without a query word', () => {
    const index = new Bm25Index(corpus);
    expect(index.rank('solar pump').map((hit) => hit.id)).toEqual(['b', 'a']);
    // c says 'fish' twice in 7 words (1.135), a once in 3 (1.114): the repeat just outweighs the length.
    expect(index.rank('fish').map((hit) => hit.id)).toEqual(['c', 'a']);
    const long = new Bm25Index([...corpus, { id: 'd', text: 'fish fish with many more words about nets boats harbours ports markets traders' }]);
    expect(long.rank('fish').map((hit) => hit.id)).toEqual(['c', 'a', 'd']);
    expect(index.rank('wind turbine')).toEqual([]);
  });

  it('reads words as matching does: case, plurals and stopwords', () => {
    const index = new Bm25Index(corpus);
    expect(index.rank('The SOLAR Dryers').map((hit) => hit.id)).toEqual(['a', 'b']);
  });
});
