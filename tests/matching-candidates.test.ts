import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../src/db/client.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

// The candidate query's budget: how many listings the engine may reach for one request. Offers
// here write "irrigation" in other forms (irrigated, irrigating, irrigate), which the search index
// stems alike, so a word's reach must count them all or the engine finds more than was budgeted.

let ctx: TestContext;
let editor: TestUser;
let seeker: TestUser;
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
  seeker = await createUser(ctx);
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

async function candidatesWithin(budget: number | null) {
  const { listings, matching } = ctx.app.services;
  const [found] = await listings.findManyWithOrganization([requestId]);
  const text = await matching.candidateQuery(found!.listing, found!.organization, budget);
  const result = await matching.candidates(found!.listing, text);
  return { text, total: result.total };
}

/**
 * Listings whose stored lexemes, or whose kind's counts, differ from a recount from the listings'
 * columns in the form migration 0010 computed them for analyses stored before it.
 */
async function countsOffRecount() {
  const rows = await queryRows<{ lexemes: number; counts: number }>(ctx.database.db, sql`
    with recount as (
      select l.id, l.kind, tsvector_to_array(to_tsvector('english',
        replace(replace(replace(replace(replace(replace(replace(replace(
          unaccent(concat_ws(' ', l.title, array_to_string(l.keywords, ' '), l.summary, l.description,
            case when l.kind = 'offer' then l.advantages else l.specification_sought end)),
        '-', ' '), '.', ' '), '/', ' '), '@', ' '), ':', ' '), '+', ' '), '_', ' '), '~', ' '))) as lexemes
      from listings l join listing_match_features f on f.listing_id = l.id
    ),
    expected as (select s as stem, kind, count(*)::int as listings from recount, unnest(lexemes) as s group by s, kind)
    select
      (select count(*)::int from recount r left join listing_match_lexemes x on x.listing_id = r.id
        where x.lexemes is null or not (x.lexemes @> r.lexemes and r.lexemes @> x.lexemes)) as lexemes,
      (select count(*)::int from expected e full join matching_stem_counts c on c.stem = e.stem and c.kind = e.kind
        where e.listings is distinct from c.listings) as counts`);
  return rows[0];
}

describe('the counts a candidate query is weighed by', () => {
  it('hold, for each word, the listings whose text holds it as the index stems it, through edits', async () => {
    expect(await countsOffRecount()).toEqual({ lexemes: 0, counts: 0 });
    const other = await publishListing(ctx, seeker, editor, requestBody({ title: 'Irrigating cashew orchards', keywords: ['cashew'] }));
    const edited = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/listings/${other.id}`,
      headers: editor.auth,
      payload: { title: 'Drip watering for cashew orchards in a dry season', keywords: ['cashew', 'drip'] },
    });
    expect(edited.statusCode).toBe(200);
    expect(await countsOffRecount()).toEqual({ lexemes: 0, counts: 0 });
  });
});

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

  it('asks for every term a listing holds when the engine has no budget (Meilisearch ranks any number of hits)', async () => {
    const unbudgeted = await candidatesWithin(null);
    expect(unbudgeted.text).toMatch(/irrigation/);
    expect(unbudgeted.text).toBe((await candidatesWithin(1_000_000)).text);
  });
});
