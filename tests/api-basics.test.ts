import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser } from './helpers/factories.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ BODY_LIMIT_BYTES: '20000' });
});
afterAll(() => ctx.close());

describe('service basics', () => {
  it('reports health with the database status', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', database: { status: 'up', engine: ctx.database.kind } });
  });

  it('serves the controlled lists', async () => {
    const body = (await ctx.app.inject({ method: 'GET', url: '/api/v1/vocabularies' })).json();
    expect(body.sectors.length).toBeGreaterThanOrEqual(10);
    expect(body.countries).toHaveLength(249);
    expect(body.countries.find((c: { code: string }) => c.code === 'TH')).toMatchObject({ name: expect.any(String), region: 'south_east_asia' });
    expect(body.sdgs).toHaveLength(17);
    expect(body.stages.map((s: { code: string }) => s.code)).toContain('lab_tested');
    expect(body.iprStatuses.map((s: { code: string }) => s.code)).toContain('ipr_granted');
    expect(body.partnershipTypes.map((s: { code: string }) => s.code)).toContain('technical_cooperation');
  });

  it('documents every route in OpenAPI, with filter values listed', async () => {
    const spec = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/listings', '/api/v1/listings/{id}/publish', '/api/v1/auth/login', '/api/v1/vocabularies']));
    const sortParam = spec.paths['/api/v1/listings'].get.parameters.find((p: { name: string }) => p.name === 'sort');
    expect(sortParam.schema.enum).toEqual(['newest', 'updated', 'title']);
    const ui = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('answers unknown routes and ids with the error shape', async () => {
    const route = await ctx.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(route.statusCode).toBe(404);
    expect(route.json()).toMatchObject({ statusCode: 404, code: 'not_found', requestId: expect.any(String) });
    const listing = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings/00000000-0000-4000-8000-000000000000' });
    expect(listing.json()).toMatchObject({ statusCode: 404, code: 'not_found' });
    const badId = await ctx.app.inject({ method: 'GET', url: '/api/v1/listings/not-a-uuid' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().issues[0].path).toBe('params.id');
  });

  it('rejects malformed JSON and oversized bodies cleanly', async () => {
    const user = await createUser(ctx);
    const malformed = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: { ...user.auth, 'content-type': 'application/json' }, payload: '{"kind":' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ statusCode: 400, requestId: expect.any(String) });
    const huge = await ctx.app.inject({ method: 'POST', url: '/api/v1/listings', headers: { ...user.auth, 'content-type': 'application/json' }, payload: JSON.stringify({ description: 'x'.repeat(30_000) }) });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().code).toBeTruthy();
  });

  it('sets security headers', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/health' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('reports a lost database as 503 on /health and hides internals of the errors it causes', async () => {
    const broken = await createTestApp();
    try {
      await broken.database.close();
      const health = await broken.app.inject({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'degraded', database: { status: 'down' } });
      // A closed pool reads as an outage on a server (503 database_unavailable) and as an internal
      // error on PGlite; either way the answer names nothing inside.
      const response = await broken.app.inject({ method: 'GET', url: '/api/v1/listings' });
      const expected = process.env.DATABASE_URL
        ? { statusCode: 503, code: 'database_unavailable' }
        : { statusCode: 500, code: 'internal_error', message: 'Internal server error' };
      expect(response.statusCode).toBe(expected.statusCode);
      expect(response.json()).toMatchObject(expected);
      expect(response.body).not.toMatch(/pglite|postgres|closed|stack/i);
    } finally {
      await broken.app.close();
    }
  });
});
