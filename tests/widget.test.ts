import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody } from './helpers/factories.js';

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp({ WIDGET_FRAME_ANCESTORS: 'https://partner.example https://other.example' });
  const editor = await createUser(ctx, { role: 'editor' });
  const owner = await createUser(ctx, { country: 'LK' });
  await publishListing(ctx, owner, editor, offerBody({ title: '<script>alert(1)</script> water filter', sectors: ['water'] }));
  await publishListing(ctx, owner, editor, requestBody());
});
afterAll(() => ctx.close());

describe('embeddable widget', () => {
  it('renders the latest listings escaped, linking back to the site at the top level', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/widget/listings?sector=water&limit=3' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<h1>Latest technology offers and requests in Water and sanitation</h1>');
    expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; water filter');
    expect(response.body).not.toContain('<script>');
    expect(response.body).toMatch(/<a href="http:\/\/tech\.test\/listings\/[0-9a-f-]{36}" target="_top">/);
    expect(response.body).toContain('Offer · Sri Lanka · TO-LK-2026-');
    expect(response.body).not.toContain('fish drying');
    expect(response.body).toContain('href="http://tech.test/search?sector=water"');
  });

  it('may be framed by the configured partners; every other page keeps forbidding it', async () => {
    const widget = await ctx.app.inject({ method: 'GET', url: '/widget/listings' });
    expect(widget.headers['content-security-policy']).toContain('frame-ancestors https://partner.example https://other.example');
    expect(widget.headers['content-security-policy']).toContain("default-src 'none'");
    expect(widget.headers['x-frame-options']).toBeUndefined();
    const api = await ctx.app.inject({ method: 'GET', url: '/api/v1/vocabularies' });
    expect(api.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(api.headers['content-security-policy']).not.toContain('partner.example');
    const css = await ctx.app.inject({ method: 'GET', url: '/widget/widget.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('refuses bad parameters with a clear error', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/widget/listings?limit=500&country=XX' });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['querystring.country.0', 'querystring.limit']);
  });
});
