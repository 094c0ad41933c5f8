import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let editor: TestUser;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  const thai = await createUser(ctx, { country: 'TH' });
  const indian = await createUser(ctx, { country: 'IN' });
  const specs: [string, TestUser, Record<string, unknown>][] = [
    ['coldRoom', thai, offerBody({ title: 'Cold room', sectors: ['agriculture_food'], stage: 'on_the_market', trl: 9, sdgs: [2], partnershipTypes: ['licence'], iprStatus: 'ipr_granted' })],
    ['biogas', thai, offerBody({ title: 'Biogas digester', sectors: ['bio_energy'], stage: 'lab_tested', trl: 5, sdgs: [7], partnershipTypes: ['joint_venture'], iprStatus: 'ipr_applied', targetCountries: ['IN'] })],
    ['fishDryer', indian, requestBody({ title: 'Fish dryer wanted', sectors: ['ocean_economy'], stage: 'concept', trl: 2, sdgs: [14], partnershipTypes: ['technical_cooperation'] })],
    ['aiSensor', indian, offerBody({ title: 'AI soil sensor', sectors: ['ict_digital', 'agriculture_food'], stage: 'available_for_demonstration', trl: 7, sdgs: [2, 9], partnershipTypes: ['research_cooperation'], iprStatus: 'secret_know_how' })],
  ];
  for (const [key, owner, body] of specs) {
    ids[key] = (await publishListing(ctx, owner, editor, body)).id;
    ctx.clock.advanceMs(60_000);
  }
  // A draft that no public filter may return.
  await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: thai.auth, payload: offerBody({ title: 'Zz draft' }) });
});
afterAll(() => ctx.close());

async function list(query: string) {
  const response = await ctx.app.inject({ method: 'GET', url: `/api/v1/listings?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { items: { id: string; title: string }[]; total: number; limit: number; offset: number };
}
const idsOf = (page: { items: { id: string }[] }) => page.items.map((item) => item.id).sort();
const expectIds = (page: { items: { id: string }[] }, keys: string[]) => expect(idsOf(page)).toEqual(keys.map((k) => ids[k]).sort());

describe('listing filters', () => {
  it('by kind', async () => expectIds(await list('kind=request'), ['fishDryer']));
  it('by sector (any of, repeated or comma-separated)', async () => {
    expectIds(await list('sector=agriculture_food'), ['coldRoom', 'aiSensor']);
    expectIds(await list('sector=bio_energy,ocean_economy'), ['biogas', 'fishDryer']);
    expectIds(await list('sector=bio_energy&sector=ocean_economy'), ['biogas', 'fishDryer']);
  });
  it('by owner country and target country', async () => {
    expectIds(await list('country=in'), ['fishDryer', 'aiSensor']);
    expectIds(await list('targetCountry=IN'), ['biogas']);
  });
  it('by stage and TRL range', async () => {
    expectIds(await list('stage=lab_tested,concept'), ['biogas', 'fishDryer']);
    expectIds(await list('trlMin=5&trlMax=7'), ['biogas', 'aiSensor']);
  });
  it('by SDG, partnership type and IPR status', async () => {
    expectIds(await list('sdg=2'), ['coldRoom', 'aiSensor']);
    expectIds(await list('partnershipType=joint_venture,technical_cooperation'), ['biogas', 'fishDryer']);
    expectIds(await list('iprStatus=secret_know_how'), ['aiSensor']);
  });
  it('combines filters', async () => expectIds(await list('kind=offer&sector=agriculture_food&trlMin=8'), ['coldRoom']));
  it('names each bad filter value', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?sector=space_mining&trlMin=0&country=XX&sort=random&limit=1000' });
    expect(response.statusCode).toBe(400);
    const paths = response.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['querystring.sector.0', 'querystring.trlMin', 'querystring.country.0', 'querystring.sort', 'querystring.limit']));
  });
});

describe('sorting and pagination', () => {
  it('newest first by default, then by title, then recently updated', async () => {
    expect((await list('')).items.map((i) => i.id)).toEqual([ids.aiSensor, ids.fishDryer, ids.biogas, ids.coldRoom]);
    expect((await list('sort=title')).items.map((i) => i.title)).toEqual(['AI soil sensor', 'Biogas digester', 'Cold room', 'Fish dryer wanted']);
    const owner = await createUser(ctx);
    const listing = await publishListing(ctx, owner, editor, offerBody({ title: 'Old then edited' }));
    ctx.clock.advanceMs(60_000);
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${ids.coldRoom}`, headers: editor.auth, payload: { summary: 'Updated summary for the cold room.' } });
    const updated = await list('sort=updated');
    expect(updated.items[0]!.id).toBe(ids.coldRoom);
    expect(updated.items.map((i) => i.id)).toContain(listing.id);
  });

  it('pages with a total', async () => {
    const first = await list('limit=2&offset=0&sort=title');
    const second = await list('limit=2&offset=2&sort=title');
    const third = await list('limit=2&offset=4&sort=title');
    expect(first.total).toBe(5);
    expect(first).toMatchObject({ limit: 2, offset: 0 });
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(2);
    expect(third.items).toHaveLength(1);
    const all = [...first.items, ...second.items, ...third.items].map((i) => i.id);
    expect(new Set(all).size).toBe(5);
  });
});
