import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, PASSWORD, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

let ctx: TestContext;
let editor: TestUser;
let owner: TestUser;
let published: { id: string; reference: string };
let anonymous: { id: string; reference: string };
let ownerOrganizationName: string;

const drain = () => ctx.app.services.jobs.drain();

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
  owner = await createUser(ctx, { name: 'Owner Person' });
  ownerOrganizationName = (await ctx.app.services.organizations.find(owner.organizationId!))!.name;
  published = await publishListing(ctx, owner, editor, offerBody({ title: 'Solar cold room <script>alert(1)</script>' }));
  anonymous = await publishListing(ctx, owner, editor, requestBody({ title: 'Secret fish dryer wanted', anonymous: true }));
  await drain();
});

afterAll(async () => {
  await ctx?.close();
});

describe('public pages', () => {
  it('the home page shows live counts, the newest listings and a search box', async () => {
    const response = await new WebClient(ctx).get('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('1 live offers');
    expect(response.body).toContain('1 live requests');
    expect(response.body).toContain('action="/search"');
    expect(response.body).toContain(`href="/listings/${published.reference}"`);
    expect(response.body).toContain('<link rel="canonical" href="http://tech.test/"');
  });

  it('escapes a listing title with markup on every page that shows it', async () => {
    const web = new WebClient(ctx);
    for (const url of ['/', `/listings/${published.reference}`, '/search?q=solar']) {
      const response = await web.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain('<script>alert(1)</script>');
      // Text is escaped by the renderer (`<` and `&`); search highlights by the engine (all five characters).
      expect(response.body, url).toMatch(/&lt;script(>|&gt;)alert\(1\)&lt;\/script(>|&gt;)/);
    }
  });

  it('a listing page lays out the facts with a title, description and canonical URL', async () => {
    const response = await new WebClient(ctx).get(`/listings/${published.reference}`);
    expect(response.body).toContain('<title>Solar cold room &lt;script>alert(1)&lt;/script> · Technology Database</title>');
    expect(response.body).toContain('<meta name="description" content="A 5-tonne cold room');
    expect(response.body).toContain(`<link rel="canonical" href="http://tech.test/listings/${published.reference}"`);
    expect(response.body).toContain('TRL 9: Actual system proven in operational environment');
    expect(response.body).toContain('Sold or used commercially.');
    expect(response.body).toContain('Licence agreement');
    expect(response.body).toContain(ownerOrganizationName);
    expect(response.body).toContain('Log in to express interest');
  });

  it("an anonymous listing's page never contains its owner", async () => {
    const web = new WebClient(ctx);
    const pages = [`/listings/${anonymous.reference}`, '/search?q=fish', '/search?kind=request', '/', '/sitemap.xml'];
    for (const url of pages) {
      const response = await web.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain(ownerOrganizationName);
      expect(response.body, url).not.toContain('Owner Person');
      expect(response.body, url).not.toContain(owner.email);
    }
    const page = await web.get(`/listings/${anonymous.reference}`);
    expect(page.body).toContain('The owner chose to stay anonymous');
  });

  it('a listing linked by id (as mails do) redirects to its reference', async () => {
    const response = await new WebClient(ctx).get(`/listings/${published.id}`);
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(`/listings/${published.reference}`);
  });

  it('search shows results, facets to click and keeps its state in the URL', async () => {
    const web = new WebClient(ctx);
    const response = await web.get('/search?q=soalr%20cold');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('1 result');
    expect(response.body).toMatch(/<mark>[^<]*<\/mark>/);
    expect(response.body).toContain('href="/search?q=soalr+cold&amp;kind=offer"');
    const narrowed = await web.get('/search?q=soalr+cold&kind=request');
    expect(narrowed.body).toContain('0 results');
    expect(narrowed.body).toContain('Remove filter: Requests');
  });

  it('bad search parameters answer a page that says what is wrong', async () => {
    const response = await new WebClient(ctx).get('/search?trlMin=12');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('These search settings are not valid');
  });

  it('unknown pages, and unpublished listings, answer the 404 page in HTML; the API keeps JSON', async () => {
    const web = new WebClient(ctx);
    const missing = await web.get('/no-such-page');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('Page not found');
    const listing = await web.get('/listings/TO-TH-2026-99999');
    expect(listing.statusCode).toBe(404);
    expect(listing.body).toContain('Page not found');
    const api = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing' });
    expect(api.json().code).toBe('not_found');
  });

  it('serves the sitemap of live listings and robots.txt', async () => {
    const web = new WebClient(ctx);
    const sitemap = await web.get('/sitemap.xml');
    expect(sitemap.headers['content-type']).toContain('application/xml');
    expect(sitemap.body).toContain(`<loc>http://tech.test/listings/${published.reference}</loc>`);
    const robots = await web.get('/robots.txt');
    expect(robots.body).toContain('Sitemap: http://tech.test/sitemap.xml');
    expect(robots.body).toContain('Disallow: /my');
  });

  it('serves hashed assets with long cache lifetimes, compressed', async () => {
    const page = await new WebClient(ctx).get('/');
    const css = /href="(\/assets\/app\.[0-9a-f]{12}\.css)"/.exec(page.body)![1]!;
    const response = await ctx.app.inject({ method: 'GET', url: css, headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-encoding']).toBe('br');
    expect(page.body).not.toMatch(/<script>(?!<)/);
    expect(page.body).not.toMatch(/ on[a-z]+="/);
  });
});

describe('accounts and sessions', () => {
  it('logs in through the form, and logs out with the session ended on the server', async () => {
    const member = await createUser(ctx, { name: 'Form Person' });
    const web = new WebClient(ctx);
    const login = await web.login(member.email, PASSWORD);
    expect(login.headers.location).toBe('/my');
    const sessionToken = web.cookie('tdb_session')!;
    const my = await web.get('/my');
    expect(my.statusCode).toBe(200);
    expect(my.body).toContain('You are logged in.');
    const logout = await web.post('/logout');
    expect(logout.statusCode).toBe(303);
    const stolen = new WebClient(ctx);
    stolen.setCookie('tdb_session', sessionToken);
    const after = await stolen.get('/my');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fmy');
  });

  it('a wrong password shows the form again with the e-mail kept and no password', async () => {
    const member = await createUser(ctx);
    const web = new WebClient(ctx);
    await web.get('/login');
    const response = await web.post('/login', { email: member.email, password: 'wrong-password-123' });
    expect(response.statusCode).toBe(401);
    expect(response.body).toContain('The e-mail address or the password is wrong.');
    expect(response.body).toContain(`value="${member.email}"`);
    expect(response.body).not.toContain('wrong-password-123');
  });

  it('refuses a form without a valid CSRF token', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    await web.get('/account');
    const missing = await web.post('/account/name', { name: 'Changed' }, { csrf: null });
    expect(missing.statusCode).toBe(403);
    expect(missing.body).toContain('This form has expired or was not sent from this site');
    const forged = await web.post('/account/name', { name: 'Changed' }, { csrf: 'forged-token' });
    expect(forged.statusCode).toBe(403);
    const other = new WebClient(ctx);
    await other.get('/login');
    const foreign = await web.post('/account/name', { name: 'Changed' }, { csrf: other.csrf() });
    expect(foreign.statusCode).toBe(403);
    const ok = await web.post('/account/name', { name: 'Changed' });
    expect(ok.statusCode).toBe(303);
  });

  it('an expired session sends the person to the log-in page and back where they were', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    expect((await web.get('/my/saved-searches')).statusCode).toBe(200);
    ctx.clock.advanceMs((ctx.app.config.web.sessionIdleMinutes + 1) * 60_000);
    const expired = await web.get('/my/saved-searches');
    expect(expired.statusCode).toBe(303);
    expect(expired.headers.location).toBe('/login?next=%2Fmy%2Fsaved-searches');
    const loginPage = await web.get(expired.headers.location as string);
    expect(loginPage.body).toContain('Your session has ended. Log in again to continue.');
    const back = await web.post('/login?next=%2Fmy%2Fsaved-searches', { email: member.email, password: PASSWORD });
    expect(back.headers.location).toBe('/my/saved-searches');
  });

  it('a password reset and an admin disabling the account end browser sessions at once', async () => {
    const member = await createUser(ctx);
    const admin = await createUser(ctx, { role: 'admin' });
    const web = await WebClient.signedIn(ctx, member);
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/admin/users/${member.id}`, headers: admin.auth, payload: { disabled: true } });
    expect((await web.get('/my')).statusCode).toBe(303);

    const other = await createUser(ctx);
    const browser = await WebClient.signedIn(ctx, other);
    const token = 'a'.repeat(43);
    await ctx.app.services.users.requestPasswordReset(other.email);
    const { hashToken } = await import('../src/lib/tokens.js');
    const { userTokens } = await import('../drizzle/users.js');
    await ctx.database.db.update(userTokens).set({ tokenHash: hashToken(token) });
    const reset = new WebClient(ctx);
    await reset.get(`/reset-password?token=${token}`);
    const done = await reset.post('/reset-password', { token, password: 'a-brand-new-password' });
    expect(done.statusCode).toBe(303);
    expect((await browser.get('/my')).statusCode).toBe(303);
  });

  it('open redirects through next are refused', async () => {
    const member = await createUser(ctx);
    const web = new WebClient(ctx);
    await web.get('/login');
    const response = await web.post('/login?next=%2F%2Fevil.example', { email: member.email, password: PASSWORD });
    expect(response.headers.location).toBe('/my');
  });
});

describe('Tech Monitor issue pages', () => {
  it('renders a published issue from its frozen snapshot, anonymous entries without their owner, and lists it', async () => {
    const tm = (method: 'POST', url: string, payload: object) => ctx.app.inject({ method, url: `/api/v1/techmonitor${url}`, headers: editor.auth, payload });
    let issue = (
      await tm('POST', '/issues', {
        volume: 41,
        number: 1,
        title: 'Ocean economy',
        theme: { text: 'Technologies for a sustainable ocean economy', sectors: ['ocean_economy'] },
        periodStart: '2026-01-01',
        periodEnd: '2026-03-31',
        targetOffers: 1,
        targetRequests: 1,
      })
    ).json();
    issue = (await tm('POST', `/issues/${issue.id}/entries`, { listingId: anonymous.id, version: issue.version, note: 'Fish dryers save catches' })).json();
    issue = (await tm('POST', `/issues/${issue.id}/lock`, { version: issue.version })).json();
    issue = (await tm('POST', `/issues/${issue.id}/publish`, { version: issue.version })).json();
    expect(issue.status).toBe('published');
    const web = new WebClient(ctx);
    const page = await web.get(`/tech-monitor/${issue.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Vol. 41 No. 1: Ocean economy');
    expect(page.body).toContain('Fish dryers save catches');
    expect(page.body).toContain('Secret fish dryer wanted');
    expect(page.body).not.toContain(ownerOrganizationName);
    const index = await web.get('/tech-monitor');
    expect(index.body).toContain(`href="/tech-monitor/${issue.id}"`);
    const home = await web.get('/');
    expect(home.body).toContain('Latest Tech Monitor');
    expect((await web.get('/tech-monitor/not-an-id')).statusCode).toBe(404);
  });
});
