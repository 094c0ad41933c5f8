import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../src/plugins/content-security-policy.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';

// Issue 13, item 11: a strict Content-Security-Policy everywhere but the Swagger UI's own pages.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

function policyOf(header: string | string[] | number | undefined): Map<string, string[]> {
  expect(typeof header).toBe('string');
  return new Map(
    (header as string)
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('Content-Security-Policy', () => {
  it.each(['/health', '/api/v1/listings', '/api/v1/vocabularies', '/api/v1/no-such-route', '/api/v1/techmonitor/issues'])(
    'is strict on %s: scripts from this origin only, nothing inline, no framing',
    async (url) => {
      const response = await ctx.app.inject({ method: 'GET', url });
      const policy = policyOf(response.headers['content-security-policy']);
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('script-src-attr')).toEqual(["'none'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(response.headers['content-security-policy']).not.toContain('unsafe-inline');
    },
  );

  it('allows inline script only on the Swagger UI pages (/docs…), which still may not be framed', async () => {
    const page = await ctx.app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    const policy = policyOf(page.headers['content-security-policy']);
    expect(policy.get('script-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('lets a route loosen one directive and keeps the rest strict', async () => {
    // The page a subscriber lands on from a mailed link styles itself inline, and only that.
    const page = await ctx.app.inject({ method: 'GET', url: '/api/v1/techmonitor/subscribers/confirm?token=not-a-real-token' });
    const policy = policyOf(page.headers['content-security-policy']);
    expect(policy.get('style-src')).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy.get('script-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    // The helper a route uses for it, e.g. a partner widget that may be framed by the partner's site.
    const widget = contentSecurityPolicy({ 'frame-ancestors': ['https://partner.example'] }).contentSecurityPolicy.directives;
    expect(widget['frame-ancestors']).toEqual(['https://partner.example']);
    expect(widget['script-src']).toEqual(["'self'"]);
  });
});
