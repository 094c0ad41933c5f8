import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// Issues 16 and 17's page-weight budget: no page sends more than 50 KB of JavaScript or 30 KB of CSS,
// compressed. A size check on what each page links, not a timing.

const JS_BUDGET = 50_000;
const CSS_BUDGET = 30_000;

let ctx: TestContext;

beforeAll(async () => {
  ctx = await createTestApp();
});

afterAll(async () => {
  await ctx?.close();
});

/** The scripts and stylesheets a page links, by kind. */
function assetsOf(html: string) {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!);
  const styles = [...html.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)].map((match) => match[1]!);
  return { scripts, styles };
}

it('no page sends more than 50 KB of JavaScript or 30 KB of CSS, gzip-compressed', async () => {
  const editor = await createUser(ctx, { role: 'editor' });
  const admin = await createUser(ctx, { role: 'admin' });
  const member = await createUser(ctx);
  const listing = await publishListing(ctx, member, editor, offerBody());
  await ctx.app.services.jobs.drain();
  const issue = await ctx.app.services.techmonitor.create((await ctx.app.services.users.loadActor(editor.id))!, {
    volume: 1,
    number: 1,
    title: 'Budget issue',
    theme: { text: 'Solar energy for farms', sectors: [] },
    periodStart: '2026-01-01',
    periodEnd: '2026-03-31',
    targetOffers: 2,
    targetRequests: 1,
  });

  const visitor = new WebClient(ctx);
  const signedIn = await WebClient.signedIn(ctx, member);
  const editorWeb = await WebClient.signedIn(ctx, editor);
  const adminWeb = await WebClient.signedIn(ctx, admin);
  const pages: [WebClient, string][] = [
    [visitor, '/'],
    [visitor, '/search?q=solar'],
    [visitor, `/listings/${listing.reference}`],
    [visitor, '/tech-monitor'],
    [visitor, '/login'],
    [visitor, '/register'],
    [visitor, '/no-such-page'],
    [signedIn, '/my'],
    [signedIn, '/my/listings/new'],
    [signedIn, `/my/listings/${listing.id}`],
    [signedIn, '/my/interests/received'],
    [signedIn, '/my/saved-searches'],
    [signedIn, '/account'],
    [editorWeb, '/editor'],
    // The pages with scripts and styles of their own: the chart library, the board's drag and drop.
    [editorWeb, '/editor/reports'],
    [editorWeb, '/editor/issues'],
    [editorWeb, `/editor/issues/${issue.id}`],
    [adminWeb, '/admin/users'],
  ];

  const compressed = new Map<string, number>();
  async function sizeOf(url: string) {
    if (!compressed.has(url)) {
      const response = await ctx.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      compressed.set(url, gzipSync(response.rawPayload, { level: 9 }).length);
    }
    return compressed.get(url)!;
  }

  for (const [client, path] of pages) {
    const page = await client.get(path);
    expect([200, 404], path).toContain(page.statusCode);
    const { scripts, styles } = assetsOf(page.body);
    // Everything comes from the service itself: nothing from another origin, nothing uncounted.
    for (const url of [...scripts, ...styles]) expect(url, `${path} links ${url}`).toMatch(/^\/assets\/[\w.-]+\.(js|css)$/);
    expect(scripts.length, `${path} has scripts`).toBeGreaterThan(0);
    expect(styles.length, `${path} has a stylesheet`).toBeGreaterThan(0);
    let js = 0;
    for (const url of scripts) js += await sizeOf(url);
    let css = 0;
    for (const url of styles) css += await sizeOf(url);
    expect(js, `JavaScript of ${path} (gzip bytes)`).toBeLessThanOrEqual(JS_BUDGET);
    expect(css, `CSS of ${path} (gzip bytes)`).toBeLessThanOrEqual(CSS_BUDGET);
  }
});
