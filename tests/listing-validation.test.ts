import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, requestBody, type TestUser } from './helpers/factories.js';

let ctx: TestContext;
let owner: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  owner = await createUser(ctx);
});
afterAll(() => ctx.close());

async function create(body: Record<string, unknown>) {
  return ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: owner.auth, payload: body });
}

// Each case: one bad field, and the path the error must name.
const cases: [string, Record<string, unknown>, string][] = [
  ['kind unknown', offerBody({ kind: 'swap' }), 'body.kind'],
  ['title empty', offerBody({ title: '   ' }), 'body.title'],
  ['title too long', offerBody({ title: 'x'.repeat(201) }), 'body.title'],
  ['summary too long', offerBody({ summary: 'x'.repeat(501) }), 'body.summary'],
  ['description too long', offerBody({ description: 'x'.repeat(4001) }), 'body.description'],
  ['advantages too long', offerBody({ advantages: 'x'.repeat(2001) }), 'body.advantages'],
  ['specification on an offer', offerBody({ specificationSought: 'wrong kind' }), 'specificationSought'],
  ['advantages on a request', requestBody({ advantages: 'wrong kind' }), 'advantages'],
  ['no sector', offerBody({ sectors: [] }), 'body.sectors'],
  ['four sectors', offerBody({ sectors: ['water', 'health', 'environment', 'bio_energy'] }), 'body.sectors'],
  ['unknown sector', offerBody({ sectors: ['space'] }), 'body.sectors.0'],
  ['repeated sector', offerBody({ sectors: ['water', 'water'] }), 'body.sectors'],
  ['eleven keywords', offerBody({ keywords: Array.from({ length: 11 }, (_, i) => `k${i}`) }), 'body.keywords'],
  ['unknown stage', offerBody({ stage: 'prototype' }), 'body.stage'],
  ['TRL 0', offerBody({ trl: 0 }), 'body.trl'],
  ['TRL 10', offerBody({ trl: 10 }), 'body.trl'],
  ['TRL not a number', offerBody({ trl: 'nine' }), 'body.trl'],
  ['unknown IPR status', offerBody({ iprStatus: 'pending' }), 'body.iprStatus'],
  ['no partnership type', offerBody({ partnershipTypes: [] }), 'body.partnershipTypes'],
  ['unknown partnership type', offerBody({ partnershipTypes: ['franchise'] }), 'body.partnershipTypes.0'],
  ['bad country', offerBody({ targetCountries: ['XX'] }), 'body.targetCountries.0'],
  ['SDG 18', offerBody({ sdgs: [18] }), 'body.sdgs.0'],
  ['anonymous not boolean', offerBody({ anonymous: 'yes' }), 'body.anonymous'],
  ['organizationId not a UUID', offerBody({ organizationId: 'acme' }), 'body.organizationId'],
];

describe('listing validation', () => {
  it.each(cases)('%s → 400 naming %s', async (_name, body, path) => {
    const response = await create(body);
    expect(response.statusCode).toBe(400);
    const error = response.json();
    expect(error).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    expect(error.requestId).toBeTruthy();
    expect(error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('lists every missing field at once', async () => {
    const response = await create({ kind: 'offer' });
    const paths = response.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.summary', 'body.description', 'body.sectors', 'body.stage', 'body.trl', 'body.iprStatus', 'body.partnershipTypes']));
    expect(response.json().issues.find((i: { path: string }) => i.path === 'body.title').message).toBe('is required');
  });

  it('writes nothing when validation fails', async () => {
    await create(offerBody({ trl: 12 }));
    const mine = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings?mine=true', headers: owner.auth });
    expect(mine.json().total).toBe(0);
  });

  it('validates edits too, and refuses an empty edit', async () => {
    const created = (await create(offerBody())).json();
    const bad = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${created.id}`, headers: owner.auth, payload: { trl: 11 } });
    expect(bad.json().issues[0].path).toBe('body.trl');
    const empty = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/listings/${created.id}`, headers: owner.auth, payload: {} });
    expect(empty.statusCode).toBe(400);
  });
});
