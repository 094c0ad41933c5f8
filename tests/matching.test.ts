import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

// A small hand-made market: one SME request for cooling vegetables off-grid, offers that answer it
// well, partly or hardly, and offers that must never appear (own organisation, draft, withdrawn,
// expired).

let ctx: TestContext;
let editor: TestUser;
let seeker: TestUser;
let seekerColleague: TestUser;
let outsider: TestUser;
const ids: Record<string, string> = {};

const matchesOf = (id: string, user?: TestUser, query = '') =>
  ctx.app.inject({ method: 'GET', url: `/api/v1/listings/${id}/matches${query}`, headers: user?.auth ?? {} });

const coolingRequest = requestBody({
  title: 'Keeping vegetables cool without grid power',
  summary: 'Our farmers cooperative loses a third of its tomatoes and leafy vegetables before they reach the market. We need to keep vegetables cool at the village collection point, where there is no grid electricity.',
  description:
    'About 300 smallholder farmers bring 2 tonnes of vegetables a day to our collection point. Produce waits up to two days for the truck and spoils in the heat. Diesel generators are too expensive to run.',
  specificationSought: 'Storage for 2–5 tonnes of fresh produce at 4–10 °C, running without grid power, maintainable by village technicians.',
  sectors: ['agriculture_food'],
  keywords: ['vegetables', 'post-harvest losses', 'off-grid'],
  stage: 'concept',
  trl: 2,
  partnershipTypes: ['commercial_agreement_with_technical_assistance'],
  targetCountries: [],
});

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  seeker = await createUser(ctx, { country: 'KH' });
  seekerColleague = await createUser(ctx, { organizationId: seeker.organizationId });
  outsider = await createUser(ctx, { country: 'PH' });
  const providers = {
    solar: await createUser(ctx, { country: 'TH' }),
    clay: await createUser(ctx, { country: 'IN' }),
    software: await createUser(ctx, { country: 'JP' }),
    pump: await createUser(ctx, { country: 'MY' }),
    late: await createUser(ctx, { country: 'VN' }),
  };

  // Published first, so that it has expired by the time the others are a few weeks old.
  ids.expired = (await publishListing(ctx, providers.late, editor, offerBody({ title: 'Solar cold room for vegetables (old listing)', targetCountries: [] }))).id;
  ctx.clock.advanceDays(340);

  ids.request = (await publishListing(ctx, seeker, editor, coolingRequest)).id;
  ids.solar = (await publishListing(ctx, providers.solar, editor, offerBody({ targetCountries: ['KH', 'VN'] }))).id;
  ids.clay = (
    await publishListing(
      ctx,
      providers.clay,
      editor,
      offerBody({
        title: 'Zero-energy evaporative cool chamber for fruit and vegetables',
        summary: 'A brick-and-sand chamber kept wet keeps fruit and vegetables 10–15 °C cooler than outside, with no electricity at all.',
        description: 'Built by village masons from local bricks and sand; water evaporating from the walls cools the chamber. Extends the shelf life of tomatoes and leafy vegetables from 2 to 7 days.',
        advantages: 'No energy, built locally for under USD 300, maintained by the farmers themselves.',
        keywords: ['evaporative cooling', 'vegetables', 'shelf life'],
        sectors: ['agriculture_food'],
        stage: 'on_the_market',
        trl: 8,
        partnershipTypes: ['commercial_agreement_with_technical_assistance', 'technical_cooperation'],
        targetCountries: [],
        anonymous: true,
        iprNotes: null,
      }),
    )
  ).id;
  ids.software = (
    await publishListing(
      ctx,
      providers.software,
      editor,
      offerBody({
        title: 'Warehouse management software for cold storage operators',
        summary: 'Cloud software that tracks pallets, temperatures and orders in cold storage warehouses.',
        description: 'Barcode scanning, temperature logging and billing for third-party logistics warehouses.',
        advantages: 'Set up in a day; integrates with common accounting packages.',
        keywords: ['warehouse management', 'logistics', 'software'],
        sectors: ['ict_digital'],
        stage: 'on_the_market',
        trl: 9,
        partnershipTypes: ['licence'],
        targetCountries: ['JP', 'KR'],
      }),
    )
  ).id;
  ids.pump = (
    await publishListing(
      ctx,
      providers.pump,
      editor,
      offerBody({
        title: 'Solar water pumping for smallholder irrigation',
        summary: 'Solar PV pumps that irrigate vegetable plots of smallholder farmers without diesel.',
        description: 'A 1.5 kWp array drives a submersible pump lifting water from wells up to 40 m deep.',
        advantages: 'No fuel costs; pays back in two seasons.',
        keywords: ['solar pump', 'irrigation'],
        sectors: ['agriculture_food', 'renewable_energy'],
        stage: 'on_the_market',
        trl: 9,
        partnershipTypes: ['manufacturing_supply'],
        targetCountries: [],
      }),
    )
  ).id;
  ids.labPrototype = (
    await publishListing(
      ctx,
      providers.late,
      editor,
      offerBody({
        title: 'Solar cold room prototype with a new sorbent chiller for vegetables',
        summary: 'A lab prototype of a solar cold room for vegetables whose sorbent chiller needs no compressor.',
        description: 'Tested in our laboratory for three months; keeps vegetables at 8 °C with solar heat alone.',
        advantages: 'No compressor and no refrigerant gas.',
        keywords: ['cold storage', 'solar cooling', 'vegetables'],
        stage: 'lab_tested',
        trl: 4,
        targetCountries: [],
      }),
    )
  ).id;
  // A need nothing in this market answers.
  ids.elephants = (
    await publishListing(
      ctx,
      outsider,
      editor,
      requestBody({
        title: 'Wild elephants raid our fields at night',
        summary: 'Elephants come out of the forest at night and trample the crops of our village. Farmers stay awake with fires and drums.',
        description: 'Last season elephants destroyed a third of the harvest in twelve villages. We want to keep them away without harming them.',
        specificationSought: 'A way to warn farmers and keep elephants away from fields at night.',
        sectors: ['agriculture_food', 'environment'],
        keywords: ['elephants', 'crop raiding'],
        targetCountries: [],
      }),
    )
  ).id;
  // Never to be seen as matches of the request:
  ids.ownOffer = (await publishListing(ctx, seekerColleague, editor, offerBody({ title: 'Solar cold room we built for our own members' }))).id;
  const draft = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: outsider.auth, payload: offerBody({ title: 'Solar cold storage room, draft' }) });
  ids.draftOffer = draft.json().id;
  ids.withdrawn = (await publishListing(ctx, outsider, editor, offerBody({ title: 'Solar cold storage room, withdrawn' }))).id;
  await ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${ids.withdrawn}/withdraw`, headers: outsider.auth, payload: {} });
  ids.draftRequest = (
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/listings',
      headers: outsider.auth,
      payload: { ...coolingRequest, title: 'Cold storage for our fish landing site' },
    })
  ).json().id;

  ctx.clock.advanceDays(30);
  await ctx.app.services.jobs.drain();
}, 180_000);
afterAll(() => ctx.close());

describe('matches of a request', () => {
  it('ranks the offers that answer the need first, each scored and explained', async () => {
    const response = await matchesOf(ids.request!);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    const order = body.items.map((item: { listing: { id: string } }) => item.listing.id);
    expect(order[0]).toBe(ids.solar);
    expect(order.indexOf(ids.clay)).toBeGreaterThan(-1);
    expect(order.indexOf(ids.software)).toBeGreaterThan(order.indexOf(ids.clay));
    expect(order.indexOf(ids.pump)).toBeGreaterThan(order.indexOf(ids.clay));
    const scores = body.items.map((item: { score: number }) => item.score);
    expect([...scores].sort((a: number, b: number) => b - a)).toEqual(scores);
    expect(scores.every((score: number) => score >= 0 && score <= 100)).toBe(true);
    expect(body).toMatchObject({ limit: 20, offset: 0, total: body.items.length });

    const best = body.items[0];
    expect(best.listing.kind).toBe('offer');
    expect(best.explanation.summary).toEqual(expect.any(String));
    expect(best.explanation.sharedSectors).toEqual(['agriculture_food']);
    expect(best.explanation.partnership).toMatchObject({ fit: 'good', shared: ['commercial_agreement_with_technical_assistance'] });
    expect(best.explanation.trl).toMatchObject({ fit: 'good', offerTrl: 9, neededMin: 7 });
    expect(best.explanation.country.fit).toBe('good');
    expect(best.explanation.fits.join(' | ')).toMatch(/The offer targets Cambodia, where the requester is/);
    expect(best.explanation.matchedConcepts.length + best.explanation.matchedTerms.length).toBeGreaterThan(0);
  });

  it('says what does not fit', async () => {
    const body = (await matchesOf(ids.request!)).json();
    const software = body.items.find((item: { listing: { id: string } }) => item.listing.id === ids.software);
    expect(software.explanation.gaps.join(' | ')).toMatch(/Different sectors: the request is in Agriculture/);
    expect(software.explanation.partnership.fit).toBe('poor');
    expect(software.explanation.gaps.join(' | ')).toMatch(/Different partnership: the offer proposes licence agreement; the request seeks commercial agreement with technical assistance/);
    expect(software.explanation.gaps.join(' | ')).toMatch(/Other region: the offer targets Japan and the Republic of Korea; the requester is in Cambodia/);
  });

  it('never shows drafts, withdrawn or expired listings; the own organisation only to others than the owner side', async () => {
    const seenBy = async (user: TestUser | undefined) =>
      new Set((await matchesOf(ids.request!, user, '?limit=100')).json().items.map((item: { listing: { id: string } }) => item.listing.id as string));
    for (const user of [undefined, seeker, seekerColleague, outsider, editor]) {
      const seen = await seenBy(user);
      for (const hidden of [ids.draftOffer, ids.withdrawn, ids.expired, ids.request]) expect(seen.has(hidden!)).toBe(false);
      expect(seen.has(ids.solar!)).toBe(true);
    }
    // The owner side knows its colleagues' offers; leaving them out for anyone else would name the owner.
    for (const ownerSide of [seeker, seekerColleague]) expect((await seenBy(ownerSide)).has(ids.ownOffer!)).toBe(false);
    for (const other of [undefined, outsider, editor]) expect((await seenBy(other)).has(ids.ownOffer!)).toBe(true);
  });

  it('hides the owner of an anonymous offer and every private field', async () => {
    const body = (await matchesOf(ids.request!, seeker)).json();
    const clay = body.items.find((item: { listing: { id: string } }) => item.listing.id === ids.clay);
    expect(clay.listing).toMatchObject({ anonymous: true, organization: null, country: 'IN', iprNotes: null });
    expect(clay.listing).not.toHaveProperty('organizationId');
    expect(clay.listing).not.toHaveProperty('contact');
    expect(clay.listing).not.toHaveProperty('createdById');
  });

  it('filters and pages like search', async () => {
    const all = (await matchesOf(ids.request!)).json();
    const page = (await matchesOf(ids.request!, undefined, '?limit=1&offset=1')).json();
    expect(page).toMatchObject({ limit: 1, offset: 1, total: all.total });
    expect(page.items.map((item: { listing: { id: string } }) => item.listing.id)).toEqual([all.items[1].listing.id]);

    const agri = (await matchesOf(ids.request!, undefined, '?sector=ict_digital')).json();
    expect(agri.items.every((item: { listing: { sectors: string[] } }) => item.listing.sectors.includes('ict_digital'))).toBe(true);
    const india = (await matchesOf(ids.request!, undefined, '?country=IN')).json();
    expect(india.items.map((item: { listing: { id: string } }) => item.listing.id)).toEqual([ids.clay]);
    const mature = (await matchesOf(ids.request!, undefined, '?trlMin=9&partnershipType=licence,commercial_agreement_with_technical_assistance')).json();
    expect(mature.items.every((item: { listing: { trl: number } }) => item.listing.trl === 9)).toBe(true);
    expect(mature.items.map((item: { listing: { id: string } }) => item.listing.id)).not.toContain(ids.clay);

    const bad = await matchesOf(ids.request!, undefined, '?trlMin=0&sector=space&limit=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['querystring.limit', 'querystring.sector.0', 'querystring.trlMin']);
  });

  it('is deterministic', async () => {
    const first = (await matchesOf(ids.request!)).json();
    const second = (await matchesOf(ids.request!)).json();
    expect(second).toEqual(first);
  });
});

describe('labels and summary', () => {
  it('labels each match, calls the offer that answers the need strong and says so in one sentence', async () => {
    const body = (await matchesOf(ids.request!)).json();
    for (const item of body.items) expect(['strong', 'possible', 'weak']).toContain(item.label);
    const best = body.items[0];
    expect(best.listing.id).toBe(ids.solar);
    expect(best.label).toBe('strong');
    expect(best.explanation.summary).toMatch(/^A strong offer match: /);
    const strong = body.items.filter((item: { label: string }) => item.label === 'strong').length;
    expect(body.summary).toMatchObject({ noStrongMatch: false, strongMatches: strong });
    expect(body.summary.message).toMatch(new RegExp(`^${strong} strong offer match`));
  });

  it('says there is no strong match yet when nothing answers the need, rather than calling a weak one strong', async () => {
    const body = (await matchesOf(ids.elephants!)).json();
    expect(body.items.some((item: { label: string }) => item.label === 'strong')).toBe(false);
    expect(body.summary).toMatchObject({ noStrongMatch: true, strongMatches: 0 });
    expect(body.summary.message).toMatch(/^No strong offer match yet.*we will tell you when one is published\.$/);
  });
});

describe('explanations', () => {
  it('give the strongest reasons first, in plain words, without stop words or generic words among shared ones', async () => {
    const body = (await matchesOf(ids.request!)).json();
    const best = body.items[0];
    expect(best.explanation.fits[0]).toMatch(/^Both are about |^A kind of /);
    expect(best.explanation.summary).toContain(best.explanation.fits[0].charAt(0).toLowerCase() + best.explanation.fits[0].slice(1, 20));
    const generic = ['farmers', 'village', 'market', 'the', 'without', 'need', 'our', 'price', 'tonnes', 'keeping', 'post'];
    for (const item of body.items) {
      for (const word of item.explanation.matchedTerms) expect(generic, word).not.toContain(word);
      expect([...item.explanation.fits, ...item.explanation.gaps].join(' ')).not.toMatch(/\b(KH|VN|JP|KR|TH|IN|MY|PH)\b/);
    }
  });

  it('say in a sentence what the two share and whether a deal can happen, then every reason, the strongest first', async () => {
    const body = (await matchesOf(ids.request!, undefined, '?limit=100')).json();
    const byId = (id: string) => body.items.find((item: { listing: { id: string } }) => item.listing.id === id).explanation;
    const solar = byId(ids.solar!);
    expect(solar.summary).toBe(
      "A strong offer match: both are about cold storage ('keep vegetables cool' and 'cold room'); both look for commercial agreement with technical assistance.",
    );
    expect(solar.fits).toEqual([
      "Both are about cold storage ('keep vegetables cool' and 'cold room')",
      "Both are about off-grid power and energy access ('without grid power')",
      "Both are about post-harvest management ('post-harvest loss' and 'post-harvest')",
      'Both mention collection',
      'Both look for commercial agreement with technical assistance',
      'Mature enough: the offer is on the market (TRL 9); the request needs TRL 7 or more',
      'The offer targets Cambodia, where the requester is',
      'Same sector: Agriculture and food',
    ]);
    expect(solar.gaps).toEqual([]);
    // Shared words: no stop word, no word every listing uses, no vague one ('keeping'), no part of a hyphenated word ('post').
    expect(solar.matchedTerms).toEqual(['vegetables', 'grid', 'power', 'harvest', 'losses', 'collection']);
    const clay = byId(ids.clay!);
    expect(clay.fits.slice(1, 4)).toEqual([
      "A kind of cold storage: evaporative coolers ('keep vegetables cool' and 'evaporative cool chamber')",
      "A kind of post-harvest management: food preservation ('post-harvest loss' and 'shelf life')",
      'Both mention leafy and tomatoes',
    ]);
    expect(byId(ids.software!).gaps).toEqual([
      'Different partnership: the offer proposes licence agreement; the request seeks commercial agreement with technical assistance',
      'Other region: the offer targets Japan and the Republic of Korea; the requester is in Cambodia',
      'Different sectors: the request is in Agriculture and food; the offer in ICT, IoT and artificial intelligence',
    ]);
  });

  it('name the maturity gap in plain words', async () => {
    const body = (await matchesOf(ids.request!, undefined, '?limit=100')).json();
    const prototype = body.items.find((item: { listing: { id: string } }) => item.listing.id === ids.labPrototype);
    expect(prototype.explanation.gaps[0]).toBe(
      'Not ready yet: the offer is lab tested (TRL 4); the request needs TRL 7 or more (it seeks commercial agreement with technical assistance)',
    );
    expect(prototype.label).not.toBe('strong');
  });
});

describe('matches of an offer', () => {
  it('lists the requests the offer could answer', async () => {
    const body = (await matchesOf(ids.solar!)).json();
    expect(body.items.map((item: { listing: { id: string } }) => item.listing.id)).toContain(ids.request);
    expect(body.items.every((item: { listing: { kind: string } }) => item.listing.kind === 'request')).toBe(true);
  });
});

describe('who may see matches', () => {
  it('answers 404 for a listing that is not published, except to its owner side', async () => {
    expect((await matchesOf(ids.draftRequest!)).statusCode).toBe(404);
    expect((await matchesOf(ids.draftRequest!, seeker)).statusCode).toBe(404);
    expect((await matchesOf(ids.draftRequest!, editor)).statusCode).toBe(404);
    const own = await matchesOf(ids.draftRequest!, outsider);
    expect(own.statusCode).toBe(200);
    expect(own.json().items.map((item: { listing: { id: string } }) => item.listing.id)).toContain(ids.solar);
    expect((await matchesOf(ids.withdrawn!)).statusCode).toBe(404);
  });

  it('answers 404 for an unknown listing and 400 for a malformed id', async () => {
    expect((await matchesOf('00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const malformed = await matchesOf('not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().issues[0].path).toBe('params.id');
  });
});
