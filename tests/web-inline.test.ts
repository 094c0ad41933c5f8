import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// The htmx enhancements through the public surface: requests carry the headers htmx sends
// (HX-Request, HX-Target with the id of the element the answer replaces) and get a part of a page;
// the same forms without those headers keep posting and redirecting.

let ctx: TestContext;
let editor: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  editor = await createUser(ctx, { role: 'editor' });
});

afterAll(async () => {
  await ctx?.close();
});

const htmx = (target: string) => ({ 'hx-request': 'true', 'hx-target': target, 'hx-current-url': 'http://localhost:80/my/interests/received' });

/** An owner with a published listing and EOIs from `senders` new members; the owner's client is on the received list. */
async function ownerWithInterests(senders: number) {
  const owner = await createUser(ctx);
  const listing = await publishListing(ctx, owner, editor, requestBody({ title: 'Cold chain for island fishers' }));
  const ids: string[] = [];
  for (let i = 0; i < senders; i++) {
    const seeker = await createUser(ctx, { name: `Seeker ${i}` });
    const web = await WebClient.signedIn(ctx, seeker);
    await web.get(`/listings/${listing.reference}`);
    const sent = await web.post(`/listings/${listing.reference}/interest`, { message: `Our ice plant ${i} fits.` });
    ids.push((sent.headers.location as string).split('/').pop()!);
  }
  const web = await WebClient.signedIn(ctx, owner);
  await web.get('/my/interests/received');
  return { owner, listing, ids, web };
}

describe('inline accept and decline of expressions of interest', () => {
  it('the received list carries, per pending EOI, an accept form and a decline form that post in place', async () => {
    const { ids, web } = await ownerWithInterests(2);
    const page = web.lastPage;
    for (const id of ids) {
      expect(page).toContain(`<article class="card" id="interest-${id}">`);
      expect(page).toContain(`hx-post="/my/interests/${id}/accept" hx-target="#interest-${id}" hx-swap="outerHTML"`);
      expect(page).toContain(`action="/my/interests/${id}/decline"`);
      // One form per card: each field has its own id, and its label points at it.
      expect(page).toContain(`<label for="reason-${id}">Reason</label>`);
      expect(page).toContain(`<select id="reason-${id}" name="reason"`);
      expect(page).toContain(`<textarea id="note-${id}" name="note"`);
    }
  });

  it('accepts one EOI in place: the answer is the card alone, accepted, with what happened', async () => {
    const { ids, web } = await ownerWithInterests(2);
    const [first, second] = ids as [string, string];
    const response = await web.post(`/my/interests/${first}/accept`, {}, { headers: htmx(`interest-${first}`) });
    expect(response.statusCode).toBe(200);
    expect(response.body.startsWith(`<article class="card" id="interest-${first}">`)).toBe(true);
    expect(response.body).not.toContain('<html');
    expect(response.body).toContain('You accepted. Both sides can now see each other’s contacts.');
    expect(response.body).toContain('Accepted');
    expect(response.body).toContain(`href="/my/interests/${first}#contacts"`);
    expect(response.body).not.toContain(`/my/interests/${first}/accept`);
    expect(response.headers.vary).toContain('HX-Target');
    // The other EOI is untouched and still waits for an answer.
    const list = await web.get('/my/interests/received');
    expect(list.body).toContain(`hx-post="/my/interests/${second}/accept"`);
    expect(list.body).not.toContain(`hx-post="/my/interests/${first}/accept"`);
  });

  it('declines in place: a missing reason is said beside the field with the note kept, then the reason declines it', async () => {
    const { ids, web } = await ownerWithInterests(1);
    const id = ids[0]!;
    const missing = await web.post(`/my/interests/${id}/decline`, { reason: '', note: 'Ask again <b>next</b> year.' }, { headers: htmx(`interest-${id}`) });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.startsWith(`<article class="card" id="interest-${id}">`)).toBe(true);
    expect(missing.body).toContain(`<p class="field-error" id="reason-${id}-error">Reason is required</p>`);
    expect(missing.body).toContain(`aria-describedby="reason-${id}-error"`);
    expect(missing.body).toContain('<details class="inline-decline" open>');
    expect(missing.body).toContain('Ask again &lt;b>next&lt;/b> year.');

    web.lastPage = missing.body;
    const declined = await web.post(`/my/interests/${id}/decline`, { reason: 'too_early', note: 'Ask again next year.' }, { headers: htmx(`interest-${id}`) });
    expect(declined.statusCode).toBe(200);
    expect(declined.body).toContain('You declined; the sender is told your reason.');
    expect(declined.body).toContain('Declined');
    expect(declined.body).toContain('Reason: Too early for us');
    expect(declined.body).not.toContain('<form');
    const page = await web.get(`/my/interests/${id}`);
    expect(page.body).toContain('Too early for us — Ask again next year.');
  });

  it('on the EOI page, accept answers the page content with both sides’ contacts', async () => {
    const { owner, ids, web } = await ownerWithInterests(1);
    const id = ids[0]!;
    await web.get(`/my/interests/${id}`);
    expect(web.lastPage).toContain(`hx-post="/my/interests/${id}/accept" hx-target="#interest-detail"`);
    const response = await web.post(`/my/interests/${id}/accept`, {}, { headers: htmx('interest-detail') });
    expect(response.statusCode).toBe(200);
    expect(response.body.startsWith('<div id="interest-detail">')).toBe(true);
    expect(response.body).toContain(owner.email);
    expect(response.body).toContain('Contact person');
  });

  it('an EOI answered meanwhile says so on its card; without htmx the forms still post and redirect', async () => {
    const { ids, web } = await ownerWithInterests(2);
    const [first, second] = ids as [string, string];
    const plain = await web.post(`/my/interests/${first}/accept`);
    expect(plain.statusCode).toBe(303);
    expect(plain.headers.location).toBe(`/my/interests/${first}`);
    await web.get('/my/interests/received');
    const again = await web.post(`/my/interests/${first}/accept`, {}, { headers: htmx(`interest-${first}`) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('role="alert"');
    expect(again.body).toContain('accepted');
    await web.get('/my/interests/received');
    const declined = await web.post(`/my/interests/${second}/decline`, { reason: 'no_capacity' });
    expect(declined.statusCode).toBe(303);
    expect(declined.headers.location).toBe(`/my/interests/${second}`);
  });

  it('a refused CSRF token answers the 403 page aimed at the main content', async () => {
    const { ids, web } = await ownerWithInterests(1);
    const response = await web.post(`/my/interests/${ids[0]}/accept`, {}, { csrf: null, headers: htmx(`interest-${ids[0]}`) });
    expect(response.statusCode).toBe(403);
    expect(response.headers['hx-retarget']).toBe('#main');
    expect(response.headers['hx-reselect']).toBe('#main');
    expect(response.body).toContain('This form has expired or was not sent from this site');
  });
});

describe('"show more" on long lists', () => {
  it('search: the next results come alone with a pager that asks for the ones after; without htmx, page links', async () => {
    const owner = await createUser(ctx);
    for (let i = 0; i < 5; i++) await publishListing(ctx, owner, editor, offerBody({ title: `Paged geothermal dryer ${i}`, keywords: ['geothermal'] }));
    await ctx.app.services.jobs.drain();
    const web = new WebClient(ctx);
    const first = await web.get('/search?q=geothermal&limit=2');
    expect(first.body).toContain('id="result-list"');
    expect(first.body).toContain('Showing 1–2 of 5');
    expect(first.body).toContain('<a rel="next" class="js-hidden" href="/search?q=geothermal&amp;limit=2&amp;offset=2">Next page →</a>');
    expect(first.body).toContain('hx-get="/search?q=geothermal&amp;limit=2&amp;offset=2" hx-target="#result-list" hx-swap="beforeend" hx-select="#result-list > *" hx-select-oob="#search-pager" hx-push-url="false"');

    const more = await web.get('/search?q=geothermal&limit=2&offset=2', htmx('result-list'));
    expect(more.statusCode).toBe(200);
    expect(more.body.startsWith('<div class="result-list" id="result-list"')).toBe(true);
    expect(more.body).not.toContain('<html');
    expect(more.body).not.toContain('class="facets"');
    expect(more.body.match(/class="card listing-card"/g)).toHaveLength(2);
    expect(more.body).toContain('Showing 1–4 of 5');
    expect(more.body).toContain('hx-get="/search?q=geothermal&amp;limit=2&amp;offset=4"');
    expect(more.body).not.toContain('rel="prev"');

    const last = await web.get('/search?q=geothermal&limit=2&offset=4', htmx('result-list'));
    expect(last.body.match(/class="card listing-card"/g)).toHaveLength(1);
    expect(last.body).toContain('id="search-pager"');
    expect(last.body).not.toContain('data-load-more');

    // A boosted link (facets, sort) still gets the whole page, and so does a browser without script.
    const boosted = await web.get('/search?q=geothermal&limit=2&offset=2', { 'hx-request': 'true', 'hx-boosted': 'true', 'hx-target': 'search-main' });
    expect(boosted.body).toContain('<html');
    const plain = await web.get('/search?q=geothermal&limit=2&offset=2');
    expect(plain.body).toContain('Showing 3–4 of 5');
    expect(plain.body).toContain('rel="prev" href="/search?q=geothermal&amp;limit=2"');
  });

  it('my listings: 20 a page, the next rows alone for "show more"', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    await web.get('/my/listings/new');
    for (let i = 0; i < 22; i++) {
      const created = await web.post('/my/listings', {
        kind: 'offer',
        title: `Draft heat pump number ${i}`,
        summary: 'A heat pump for drying.',
        description: 'A heat pump that dries fruit at low temperature.',
        sectors: ['energy_efficiency'],
        stage: 'concept',
        trl: '2',
        iprStatus: 'none',
        partnershipTypes: ['technical_cooperation'],
        intent: 'save',
      });
      expect(created.statusCode).toBe(303);
      await web.get('/my/listings/new');
    }
    const page = await web.get('/my');
    expect(page.body.match(/<tr>/g)).toHaveLength(21);
    expect(page.body).toContain('Showing 1–20 of 22');
    expect(page.body).toContain('hx-get="/my?offset=20" hx-target="#my-listings-rows"');
    const more = await web.get('/my?offset=20', htmx('my-listings-rows'));
    expect(more.statusCode).toBe(200);
    expect(more.body).not.toContain('<html');
    expect(more.body).not.toContain('<thead>');
    expect(more.body).toContain('<tbody id="my-listings-rows">');
    expect(more.body.match(/<tr>/g)).toHaveLength(2);
    expect(more.body).toContain('Showing 1–22 of 22');
    expect(more.body).not.toContain('data-load-more');
    const plain = await web.get('/my?offset=20');
    expect(plain.body).toContain('Showing 21–22 of 22');
    expect(plain.body).toContain('rel="prev" href="/my"');
  });

  it('a listing’s matches: 10 on its page, the next ones alone for "show more"', async () => {
    const owner = await createUser(ctx);
    const request = await publishListing(ctx, owner, editor, requestBody({ title: 'Biogas from palm oil mill effluent', keywords: ['biogas', 'palm oil'], sectors: ['bio_energy'] }));
    const seller = await createUser(ctx);
    for (let i = 0; i < 12; i++) {
      await publishListing(ctx, seller, editor, offerBody({ title: `Covered lagoon biogas plant ${i}`, keywords: ['biogas', 'palm oil'], sectors: ['bio_energy'] }));
    }
    await ctx.app.services.jobs.drain();
    const web = await WebClient.signedIn(ctx, owner);
    const page = await web.get(`/my/listings/${request.id}`);
    const total = Number(/<h2 id="matches">Matches <span class="count">(\d+)<\/span>/.exec(page.body)![1]);
    expect(total).toBeGreaterThan(10);
    expect(page.body.match(/class="card match"/g)).toHaveLength(10);
    expect(page.body).toContain(`hx-get="/my/listings/${request.id}?offset=10" hx-target="#match-list"`);
    const more = await web.get(`/my/listings/${request.id}?offset=10`, htmx('match-list'));
    expect(more.statusCode).toBe(200);
    expect(more.body.startsWith('<div id="match-list">')).toBe(true);
    expect(more.body).not.toContain('id="history"');
    expect(more.body.match(/class="card match"/g)).toHaveLength(Math.min(10, total - 10));
    expect(more.body).toContain(`Showing 1–${Math.min(20, total)} of ${total}`);
  });

  it('a list address with a value the page does not understand answers the 400 page, not an error', async () => {
    const member = await createUser(ctx);
    const web = await WebClient.signedIn(ctx, member);
    for (const url of ['/my?offset=-1', '/my/interests/received?listingId=nope', '/my/introductions?offset=x']) {
      const response = await web.get(url);
      expect(response.statusCode, url).toBe(400);
      expect(response.body).toContain('This address is not right');
    }
  });
});

describe('session expiry during an inline answer', () => {
  it('htmx is told to send the browser to the log-in page and back to the list (not given the log-in page as the card)', async () => {
    const { ids, web } = await ownerWithInterests(1);
    ctx.clock.advanceMs((ctx.app.config.web.sessionIdleMinutes + 1) * 60_000);
    const response = await web.post(`/my/interests/${ids[0]}/accept`, {}, { headers: htmx(`interest-${ids[0]}`) });
    expect(response.statusCode).toBe(401);
    expect(response.headers['hx-redirect']).toBe('/login?next=%2Fmy%2Finterests%2Freceived');
    expect(response.body).toBe('');
  });
});
