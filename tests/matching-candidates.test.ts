import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

// The candidate query's budget: how many listings the engine may reach for one request. Offers
// here write "irrigation" in other forms (irrigated, irrigating, irrigate), which the search index
// stems alike, so a word's reach must count them all or the engine finds more than was budgeted.

let ctx: TestContext;
let editor: TestUser;
let requestId: string;

const irrigationOffers = [
  'Sensor kit for irrigated orchards',
  'Controller for irrigating vineyards on slopes',
  'Pumps that irrigate terraced rice fields',
  'Irrigated greenhouse benches with capillary mats',
  'Irrigating tea gardens from hillside springs',
  'Irrigation scheduling app for citrus growers',
];

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  for (const title of irrigationOffers) {
    const provider = await createUser(ctx);
    await publishListing(ctx, provider, editor, offerBody({ title, keywords: ['water'], summary: `${title}: fewer litres per hectare.` }));
  }
  const seeker = await createUser(ctx);
  requestId = (
    await publishListing(
      ctx,
      seeker,
      editor,
      requestBody({ title: 'Irrigation for mango orchards in a dry season', keywords: ['mango', 'irrigation'], summary: 'Mango trees lose fruit in the dry season.' }),
    )
  ).id;
  await ctx.app.services.jobs.drain();
});
afterAll(() => ctx.close());

async function candidatesWithin(budget: number) {
  const { listings, matching } = ctx.app.services;
  const [found] = await listings.findManyWithOrganization([requestId]);
  const text = await matching.candidateQuery(found!.listing, found!.organization, budget);
  const result = await matching.candidates(found!.listing, text);
  return { text, total: result.total };
}

describe('the candidate query of a request', () => {
  it('reaches no more listings than its budget, counting every form of a word the engine finds', async () => {
    for (let budget = 1; budget <= irrigationOffers.length + 2; budget++) {
      const { text, total } = await candidatesWithin(budget);
      // Beyond the budget only when one term alone exceeds it (the rarest term is asked for then).
      if (text.split(' ').length > 1) expect({ budget, text, total: Math.min(total, budget) }).toEqual({ budget, text, total });
    }
  });

  it('asks for the word once its every form fits', async () => {
    expect((await candidatesWithin(irrigationOffers.length - 1)).text).not.toMatch(/irrigation/);
    expect((await candidatesWithin(100)).text).toMatch(/irrigation/);
  });
});
