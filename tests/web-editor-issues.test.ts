import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, offerBody, PASSWORD, publishListing, requestBody, type TestUser } from './helpers/factories.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { subscribeConfirmed } from './helpers/subscribers.js';
import { WebClient } from './helpers/web-client.js';

// The Tech Monitor issue board through its pages (/editor/issues): creating an issue, adding
// suggestions, ordering, notes, lock, preview, publish, exports, sending with its progress and
// delivery report; two editors on one issue; and who may open any of it.

let smtp: TestSmtpServer;
let ctx: TestContext;
let editor: TestUser;
let otherEditor: TestUser;
let admin: TestUser;
let member: TestUser;
let broker: TestUser;
let editorWeb: WebClient;
let otherWeb: WebClient;
const listings: Record<string, { id: string; reference: string; title: string }> = {};

const THEME = 'Fish processing, aquaculture and fish drying for a sustainable ocean economy';

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  editor = await createUser(ctx, { role: 'editor' });
  otherEditor = await createUser(ctx, { role: 'editor' });
  admin = await createUser(ctx, { role: 'admin' });
  member = await createUser(ctx);
  broker = await createUser(ctx, { role: 'intermediary' });
  const owner = await createUser(ctx);
  const bodies = {
    dryer: offerBody({ title: 'Solar tunnel dryer for fish', summary: 'Dries 2 tonnes of fish a day with solar heat.', sectors: ['ocean_economy', 'agriculture_food'], keywords: ['fish drying', 'solar dryer'] }),
    feed: offerBody({ title: 'Aquaculture feed from insect protein', summary: 'Fish feed for aquaculture ponds made from black soldier fly larvae.', sectors: ['ocean_economy'], keywords: ['aquaculture', 'fish feed'] }),
    script: offerBody({ title: 'Fish smoker <script>alert(1)</script> kiln', summary: 'A fish smoking kiln that uses half the wood of a traditional one.', sectors: ['ocean_economy'], keywords: ['fish processing'] }),
    ice: requestBody({ title: 'Ice making for small fishing boats', summary: 'A fishing cooperative seeks solar ice makers to keep the catch fresh.', sectors: ['ocean_economy'], keywords: ['fish processing', 'ice'] }),
  };
  for (const [key, body] of Object.entries(bodies)) listings[key] = await publishListing(ctx, owner, editor, body);
  await ctx.app.services.jobs.drain();
  editorWeb = await WebClient.signedIn(ctx, editor);
  otherWeb = await WebClient.signedIn(ctx, otherEditor);
});

afterAll(async () => {
  await ctx?.close();
  await smtp?.stop();
});

let issueNumber = 0;
function issueForm(overrides: Record<string, string | string[]> = {}) {
  issueNumber++;
  return {
    volume: '42',
    number: String(issueNumber),
    title: `Ocean economy ${issueNumber}`,
    themeText: THEME,
    themeSectors: ['ocean_economy'],
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    targetOffers: '2',
    targetRequests: '1',
    ...overrides,
  };
}

/** Creates an issue through the form; answers its board URL. */
async function createIssue(web = editorWeb, overrides: Record<string, string | string[]> = {}) {
  await web.get('/editor/issues');
  const response = await web.post('/editor/issues', issueForm(overrides));
  expect(response.statusCode, response.body).toBe(303);
  const location = response.headers.location as string;
  expect(location).toMatch(/^\/editor\/issues\/[0-9a-f-]{36}$/);
  return location;
}

const issueIdOf = (board: string) => board.split('/').pop()!;
const issueOf = (board: string) => ctx.app.services.techmonitor.get(null as never, issueIdOf(board)).catch(() => null);
const staffIssue = async (board: string) => {
  const actor = await ctx.app.services.users.loadActor(editor.id);
  return ctx.app.services.techmonitor.get(actor, issueIdOf(board));
};
/** The version carried by the last page's forms. */
const versionOn = (page: string) => /name="version" value="(\d+)"/.exec(page)![1]!;

/** Adds a listing with the board's "Add to the issue" form (listings of recently published issues are not suggested again). */
async function addEntry(board: string, key: string, web = editorWeb) {
  const page = await web.get(board);
  const response = await web.post(`${board}/entries`, { listingId: listings[key]!.id, version: versionOn(page.body) });
  expect(response.statusCode, response.body).toBe(303);
  expect(response.headers.location).toBe(`${board}#entries-title`);
}

const entryOrder = async (board: string) => (await staffIssue(board)).entries.map((entry) => entry.listing.id);

describe('the list of issues and the create form', () => {
  it('names each mistake beside its field, and keeps what was typed', async () => {
    const page = await editorWeb.get('/editor/issues');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Tech Monitor issues</h1>');
    expect(page.body).toContain('href="/editor/issues" aria-current="page"');
    expect(page.body).toContain('href="/editor/reports"');
    const response = await editorWeb.post('/editor/issues', {
      volume: 'four',
      number: '120',
      title: ' ',
      themeText: 'Blue economy',
      periodStart: '2026-13-01',
      periodEnd: '2026-12-31',
      targetOffers: '-1',
      targetRequests: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<a href="#volume">Volume must be a whole number</a>');
    expect(response.body).toContain('<a href="#number">Number must be from 1 to 99</a>');
    expect(response.body).toContain('<a href="#title">Title is required</a>');
    expect(response.body).toContain('<a href="#periodStart">Period from must be a date (YYYY-MM-DD)</a>');
    expect(response.body).toContain('<a href="#targetOffers">Target number of offers must be from 0 to 100</a>');
    expect(response.body).toContain('<a href="#targetRequests">Target number of requests is required</a>');
    expect(response.body).not.toContain('#themeText');
    expect(response.body).toMatch(/<textarea id="themeText"[^>]*>Blue economy<\/textarea>/);
    expect(response.body).toContain('value="four"');
  });

  it('refuses a period that ends before it starts and a number the volume already has', async () => {
    const reversed = await editorWeb.post('/editor/issues', issueForm({ periodStart: '2026-12-01', periodEnd: '2026-10-01' }));
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain('<a href="#periodEnd">Period to must not be before periodStart</a>');
    await createIssue(editorWeb, { number: '77' });
    const duplicate = await editorWeb.post('/editor/issues', issueForm({ number: '77' }));
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.body).toContain('<a href="#number">Number volume 42 already has an issue number 77</a>');
  });

  it('creates an issue and lists it with its status and counts against the targets', async () => {
    const board = await createIssue(editorWeb, { title: 'Blue <b>economy</b> & fisheries' });
    const page = await editorWeb.get(board);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The issue is created.');
    expect(page.body).toContain('Blue &lt;b>economy&lt;/b> &amp; fisheries');
    expect(page.body).not.toContain('<b>economy</b>');
    const list = await editorWeb.get('/editor/issues');
    expect(list.body).toContain(`href="${board}"`);
    expect(list.body).toContain('Blue &lt;b>economy&lt;/b> &amp; fisheries');
    expect(list.body).toMatch(/<span class="tag tag--status">Draft<\/span>/);
    expect(list.body).toContain('0 of 2');
    expect(list.body).toContain('0 of 1');
  });
});

describe('the board', () => {
  let board: string;

  /** Adds a listing from the suggestions on the board. */
  async function addFromSuggestions(key: string) {
    expect((await editorWeb.get(board)).body).toContain(`name="listingId" value="${listings[key]!.id}"`);
    await addEntry(board, key);
  }

  it('shows suggestions with their one-line reason and score, each added with one click', async () => {
    board = await createIssue();
    const page = await editorWeb.get(board);
    expect(page.body).toContain('<h2 id="suggestions-title">Suggestions</h2>');
    expect(page.body).toMatch(/class="suggestion__reason">[^<]+</);
    expect(page.body).toMatch(/score \d\.\d\d/);
    expect(page.body).toContain('No entry yet');
    // The listing's title is text, never markup.
    expect(page.body).toContain('Fish smoker &lt;script>alert(1)&lt;/script> kiln');
    expect(page.body).not.toContain('<script>alert(1)</script>');

    await addFromSuggestions('dryer');
    const after = await editorWeb.get(board);
    expect(after.body).toContain('The listing is added to the issue.');
    expect(after.body).toContain('1 of 2');
    expect(after.body).toContain('(1 to go)');
    // An added listing is no longer suggested.
    expect(after.body).not.toContain(`name="listingId" value="${listings.dryer!.id}"`);
    await addFromSuggestions('feed');
    await addFromSuggestions('ice');
    await addFromSuggestions('script');
    expect(await entryOrder(board)).toEqual([listings.dryer!.id, listings.feed!.id, listings.ice!.id, listings.script!.id]);
    const full = await editorWeb.get(board);
    expect(full.body).toContain('3 of 2');
    expect(full.body).toContain('(1 over the target)');
    expect(full.body).toContain('(target reached)');
  });

  it('moves an entry up and down with buttons that need no script, and takes a new order from drag and drop', async () => {
    const before = await editorWeb.get(board);
    const entries = (await staffIssue(board)).entries;
    expect(before.body).toContain('disabled aria-label="Move up: Solar tunnel dryer for fish"');
    const up = await editorWeb.post(`${board}/entries/${entries[2]!.id}/move`, { direction: 'up', version: versionOn(before.body) });
    expect(up.statusCode).toBe(303);
    expect(up.headers.location).toBe(`${board}#entry-${entries[2]!.id}`);
    expect(await entryOrder(board)).toEqual([listings.dryer!.id, listings.ice!.id, listings.feed!.id, listings.script!.id]);

    const page = await editorWeb.get(board);
    expect(page.body).toContain('The entry is moved.');
    const down = await editorWeb.post(`${board}/entries/${entries[0]!.id}/move`, { direction: 'down', version: versionOn(page.body) });
    expect(down.statusCode).toBe(303);
    expect(await entryOrder(board)).toEqual([listings.ice!.id, listings.dryer!.id, listings.feed!.id, listings.script!.id]);

    // The drag-and-drop script posts the hidden reorder form with every entry in its new order.
    const next = await editorWeb.get(board);
    expect(next.body).toContain('data-sortable="reorder-form"');
    expect(next.body).toMatch(/<form id="reorder-form" method="post" action="[^"]+\/reorder" hidden>/);
    const reordered = [entries[3]!.id, entries[1]!.id, entries[0]!.id, entries[2]!.id];
    const response = await editorWeb.post(`${board}/reorder`, { entryIds: reordered, version: versionOn(next.body) });
    expect(response.statusCode).toBe(303);
    expect((await staffIssue(board)).entries.map((entry) => entry.id)).toEqual(reordered);
    expect((await editorWeb.get(board)).body).toContain('The new order is saved.');

    const incomplete = await editorWeb.post(`${board}/reorder`, { entryIds: reordered.slice(1), version: versionOn(editorWeb.lastPage) });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.body).toContain('<li>Must list every entry of the issue exactly once</li>');
  });

  it('saves an editorial note per entry, escaped where it is shown, and refuses one that is too long', async () => {
    const page = await editorWeb.get(board);
    const entry = (await staffIssue(board)).entries[0]!;
    const field = `note-${entry.id}`;
    const saved = await editorWeb.post(`${board}/entries/${entry.id}/note`, { [field]: 'Pilot <i>tested</i> in Lombok & Bali.', version: versionOn(page.body) });
    expect(saved.statusCode).toBe(303);
    expect((await staffIssue(board)).entries[0]!.note).toBe('Pilot <i>tested</i> in Lombok & Bali.');
    const after = await editorWeb.get(board);
    expect(after.body).toContain('The editorial note is saved.');
    expect(after.body).toContain('Pilot &lt;i>tested&lt;/i> in Lombok &amp; Bali.</textarea>');
    expect(after.body).toContain(`<label for="${field}">Editorial note for entry 1</label>`);

    const tooLong = await editorWeb.post(`${board}/entries/${entry.id}/note`, { [field]: 'x'.repeat(2001), version: versionOn(after.body) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain(`<a href="#${field}">Editorial note must be at most 2000 characters</a>`);
    expect((await staffIssue(board)).entries[0]!.note).toBe('Pilot <i>tested</i> in Lombok & Bali.');
  });

  it('removes an entry', async () => {
    const page = await editorWeb.get(board);
    const last = (await staffIssue(board)).entries.at(-1)!;
    const removed = await editorWeb.post(`${board}/entries/${last.id}/remove`, { version: versionOn(page.body) });
    expect(removed.statusCode).toBe(303);
    expect((await staffIssue(board)).entries.map((entry) => entry.id)).not.toContain(last.id);
    expect((await editorWeb.get(board)).body).toContain('The entry is removed from the issue.');
  });

  it('tells a stale form apart from a conflict: a missing version is refused in words', async () => {
    await editorWeb.get(board);
    const entry = (await staffIssue(board)).entries[0]!;
    const response = await editorWeb.post(`${board}/entries/${entry.id}/move`, { direction: 'up' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('This form is out of date: reload the board and try again.');
  });
});

describe('two editors on one issue', () => {
  it('refuses the older change with a clear message, shows the board as it is now and keeps the note typed', async () => {
    const board = await createIssue();
    await addEntry(board, 'dryer');
    await addEntry(board, 'feed');
    const entry = (await staffIssue(board)).entries[0]!;
    const field = `note-${entry.id}`;

    const mine = await editorWeb.get(board);
    const seen = versionOn(mine.body);
    // Meanwhile the other editor moves the first entry down.
    const theirs = await otherWeb.get(board);
    expect((await otherWeb.post(`${board}/entries/${entry.id}/move`, { direction: 'down', version: versionOn(theirs.body) })).statusCode).toBe(303);

    const conflict = await editorWeb.post(`${board}/entries/${entry.id}/note`, { [field]: 'My careful note about the dryer', version: seen });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Another editor changed this issue');
    expect(conflict.body).toContain('your last change was not saved');
    expect(conflict.body).toContain('The note you wrote is kept in its field: save it again.');
    expect(conflict.body).toContain('My careful note about the dryer</textarea>');
    // The board shows the other editor's change (the entry is now second) and the new version.
    expect(conflict.body).toContain(`<label for="${field}">Editorial note for entry 2</label>`);
    const now = versionOn(conflict.body);
    expect(Number(now)).toBeGreaterThan(Number(seen));
    expect((await staffIssue(board)).entries.find((e) => e.id === entry.id)!.note).toBeNull();

    // Saved again from the reloaded board, the note goes in; nothing of either editor is lost.
    const saved = await editorWeb.post(`${board}/entries/${entry.id}/note`, { [field]: 'My careful note about the dryer', version: now });
    expect(saved.statusCode).toBe(303);
    const issue = await staffIssue(board);
    expect(issue.entries.map((e) => e.id).indexOf(entry.id)).toBe(1);
    expect(issue.entries[1]!.note).toBe('My careful note about the dryer');

    // A stale lock, add or reorder is refused the same way.
    const stale = await editorWeb.post(`${board}/lock`, { version: seen });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Another editor changed this issue');
    expect(stale.body).not.toContain('The note you wrote is kept');
    expect((await staffIssue(board)).status).toBe('draft');
  });

  it('explains a change the issue no longer allows (locked by the other editor meanwhile)', async () => {
    const board = await createIssue();
    await addEntry(board, 'dryer');
    const mine = await editorWeb.get(board);
    const theirs = await otherWeb.get(board);
    expect((await otherWeb.post(`${board}/lock`, { version: versionOn(theirs.body) })).statusCode).toBe(303);
    const refused = await editorWeb.post(`${board}/entries`, { listingId: listings.feed!.id, version: versionOn(mine.body) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('The issue is locked: unlock it to change the selection');
    expect((await staffIssue(board)).entries).toHaveLength(1);
  });
});

describe('editing the details of an issue', () => {
  /** The edit form's fields as they are on the last page, with some changed. */
  const editForm = (page: string, overrides: Record<string, string | string[]>) => ({ ...issueForm(), number: /id="number"[^>]*value="(\d+)"/.exec(page)![1]!, version: versionOn(page), ...overrides });

  it('is linked from the board, shows the details as saved and saves the changes; the entries stay', async () => {
    const board = await createIssue(editorWeb, { title: 'Details before', targetOffers: '2' });
    await addEntry(board, 'dryer');
    const boardPage = await editorWeb.get(board);
    expect(boardPage.body).toContain(`href="${board}/edit"`);
    const page = await editorWeb.get(`${board}/edit`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title>Edit the details of Vol. 42 No.');
    expect(page.body).toContain('value="Details before"');
    expect(page.body).toMatch(/<textarea id="themeText"[^>]*>Fish processing, aquaculture/);
    expect(page.body).toMatch(/value="ocean_economy" checked/);
    expect(page.body).toContain('value="2026-10-01"');
    expect(page.body).toMatch(/id="targetOffers"[^>]*value="2"/);

    const saved = await editorWeb.post(
      `${board}/edit`,
      editForm(page.body, {
        title: 'Details after <i>edit</i>',
        themeText: 'Solar drying of fish and fruit',
        themeSectors: ['agriculture_food', 'energy_efficiency'],
        periodStart: '2027-01-01',
        periodEnd: '2027-03-31',
        targetOffers: '6',
        targetRequests: '3',
      }),
    );
    expect(saved.statusCode, saved.body).toBe(303);
    expect(saved.headers.location).toBe(board);
    const after = await editorWeb.get(board);
    expect(after.body).toContain('The details of the issue are saved.');
    expect(after.body).toContain('Details after &lt;i>edit&lt;/i>');
    expect(after.body).toContain('Solar drying of fish and fruit');
    expect(after.body).toContain('1 of 6');
    const issue = await staffIssue(board);
    expect(issue).toMatchObject({
      title: 'Details after <i>edit</i>',
      theme: { text: 'Solar drying of fish and fruit', sectors: ['agriculture_food', 'energy_efficiency'] },
      periodStart: '2027-01-01',
      periodEnd: '2027-03-31',
      targets: { offers: 6, requests: 3 },
    });
    expect(issue.entries.map((entry) => entry.listing.id)).toEqual([listings.dryer!.id]);
  });

  it('names each mistake beside its field and keeps what was typed; a number another issue has is refused', async () => {
    const board = await createIssue(editorWeb, { title: 'Details kept' });
    await createIssue(editorWeb, { number: '88' });
    const page = await editorWeb.get(`${board}/edit`);
    const before = await staffIssue(board);
    const wrong = await editorWeb.post(`${board}/edit`, editForm(page.body, { title: 'A title typed with care', periodStart: '2027-02-01', periodEnd: '2027-01-01', targetOffers: '500' }));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('<a href="#targetOffers">Target number of offers must be from 0 to 100</a>');
    expect(wrong.body).toContain('value="A title typed with care"');
    const reversed = await editorWeb.post(`${board}/edit`, editForm(page.body, { title: 'A title typed with care', periodStart: '2027-02-01', periodEnd: '2027-01-01' }));
    expect(reversed.statusCode).toBe(400);
    expect(reversed.body).toContain('<a href="#periodEnd">Period to must not be before periodStart</a>');
    const taken = await editorWeb.post(`${board}/edit`, editForm(page.body, { number: '88' }));
    expect(taken.statusCode).toBe(409);
    expect(taken.body).toContain('<a href="#number">Number volume 42 already has an issue number 88</a>');
    const stale = await editorWeb.post(`${board}/edit`, { ...editForm(page.body, {}), version: '' });
    expect(stale.statusCode).toBe(400);
    expect(stale.body).toContain('This form is out of date');
    expect(await staffIssue(board)).toMatchObject({ title: 'Details kept', version: before.version });
  });

  it('refuses a save over another editor’s change with a clear message, keeps what was typed, and saves it the second time', async () => {
    const board = await createIssue(editorWeb, { title: 'Two editors, one issue' });
    const mine = await editorWeb.get(`${board}/edit`);
    // Meanwhile the other editor adds an entry on the board.
    await addEntry(board, 'feed', otherWeb);
    const conflict = await editorWeb.post(`${board}/edit`, editForm(mine.body, { title: 'My better title', targetRequests: '2' }));
    expect(conflict.statusCode).toBe(409);
    expect(conflict.body).toContain('Another editor changed this issue');
    expect(conflict.body).toContain('your changes are not saved yet. They are kept in the form below');
    expect(conflict.body).toContain('The issue as it is now');
    expect(conflict.body).toContain('value="My better title"');
    expect(conflict.body).toMatch(/id="targetRequests"[^>]*value="2"/);
    const now = await staffIssue(board);
    expect(now.title).toBe('Two editors, one issue');
    expect(versionOn(conflict.body)).toBe(String(now.version));

    const saved = await editorWeb.post(`${board}/edit`, editForm(conflict.body, { title: 'My better title', targetRequests: '2' }));
    expect(saved.statusCode).toBe(303);
    const issue = await staffIssue(board);
    expect(issue).toMatchObject({ title: 'My better title', targets: { requests: 2 } });
    expect(issue.entries.map((entry) => entry.listing.id)).toEqual([listings.feed!.id]);
  });

  it('is not offered for a locked issue, and a save sent after the lock keeps what was typed and says why', async () => {
    const board = await createIssue(editorWeb, { title: 'Locked details' });
    await addEntry(board, 'dryer');
    const form = await editorWeb.get(`${board}/edit`);
    const boardPage = await otherWeb.get(board);
    expect((await otherWeb.post(`${board}/lock`, { version: versionOn(boardPage.body) })).statusCode).toBe(303);
    expect((await editorWeb.get(board)).body).not.toContain(`href="${board}/edit"`);
    const page = await editorWeb.get(`${board}/edit`);
    expect(page.body).toContain('Only a draft issue’s details can be changed.');
    expect(page.body).not.toContain(`action="${board}/edit"`);
    const refused = await editorWeb.post(`${board}/edit`, editForm(form.body, { title: 'Typed before the lock' }));
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Only a draft issue’s details can be changed.');
    expect(refused.body).toContain('value="Typed before the lock"');
    expect((await staffIssue(board)).title).toBe('Locked details');
  });
});

describe('lock, preview, publish, exports', () => {
  let board: string;

  it('locks and unlocks; a locked issue shows no suggestions and no editing', async () => {
    board = await createIssue();
    const empty = await editorWeb.get(board);
    const refused = await editorWeb.post(`${board}/lock`, { version: versionOn(empty.body) });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('An issue without entries cannot be locked');

    await addEntry(board, 'dryer');
    await addEntry(board, 'script');
    const entry = (await staffIssue(board)).entries[0]!;
    let page = await editorWeb.get(board);
    await editorWeb.post(`${board}/entries/${entry.id}/note`, { [`note-${entry.id}`]: 'Editor <note> for print', version: versionOn(page.body) });
    page = await editorWeb.get(board);
    const locked = await editorWeb.post(`${board}/lock`, { version: versionOn(page.body) });
    expect(locked.statusCode).toBe(303);
    page = await editorWeb.get(board);
    expect(page.body).toContain('The issue is locked: the selection is frozen for proofreading.');
    expect(page.body).not.toContain('Suggestions');
    expect(page.body).not.toContain('/move"');
    expect(page.body).not.toContain('data-sortable');
    expect(page.body).toContain('Editor &lt;note> for print');
    expect(page.body).toContain(`href="${board}/publish"`);

    const unlocked = await editorWeb.post(`${board}/unlock`, { version: versionOn(page.body) });
    expect(unlocked.statusCode).toBe(303);
    page = await editorWeb.get(board);
    expect(page.body).toContain('The issue is unlocked');
    expect(page.body).toContain('Suggestions');
    expect((await editorWeb.post(`${board}/lock`, { version: versionOn(page.body) })).statusCode).toBe(303);
  });

  it('previews the print edition, escaped, with the notes', async () => {
    const preview = await editorWeb.get(`${board}/preview`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(preview.headers['content-security-policy']).toContain("style-src 'self' 'unsafe-inline'");
    expect(preview.headers['content-security-policy']).toContain("script-src 'self'");
    expect(preview.body).toContain('Asia-Pacific Tech Monitor · Vol. 42');
    expect(preview.body).toContain('1. Solar tunnel dryer for fish');
    expect(preview.body).toContain('Editor &lt;note&gt; for print');
    expect(preview.body).toContain('Fish smoker &lt;script&gt;alert(1)&lt;/script&gt; kiln');
    expect(preview.body).not.toContain('<script>alert(1)');
  });

  it('confirms what publishing freezes before it publishes', async () => {
    const confirm = await editorWeb.get(`${board}/publish`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Publishing is final.');
    expect(confirm.body).toContain('each entry is frozen as the listing reads now');
    expect(confirm.body).toContain('the selection, the order and the editorial notes can no longer be changed');
    expect(confirm.body).toContain('The issue has 2 entries.');
    expect((await staffIssue(board)).status).toBe('locked');
    const published = await editorWeb.post(`${board}/publish`, { version: versionOn(confirm.body) });
    expect(published.statusCode).toBe(303);
    expect(published.headers.location).toBe(board);
    const page = await editorWeb.get(board);
    expect(page.body).toContain('The issue is published.');
    expect(page.body).toContain(`href="/tech-monitor/${issueIdOf(board)}"`);
    expect(page.body).toContain('Send to the subscribers');
    expect(page.body).not.toContain('Unlock');
    expect((await issueOf(board))?.status).toBe('published');
    // Published, the confirmation page says there is nothing to confirm.
    expect((await editorWeb.get(`${board}/publish`)).body).toContain('Only a locked issue can be published');
  });

  it('links the HTML, Markdown and JSON exports, which download', async () => {
    const page = await editorWeb.get(board);
    for (const format of ['html', 'md', 'json']) expect(page.body).toContain(`href="${board}/export.${format}"`);
    const html = await editorWeb.get(`${board}/export.html`);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.headers['content-disposition']).toBe('attachment; filename="tech-monitor-vol42-no' + (await staffIssue(board)).number + '.html"');
    const md = await editorWeb.get(`${board}/export.md`);
    expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(md.body).toContain('## 1. Solar tunnel dryer for fish');
    const json = await editorWeb.get(`${board}/export.json`);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(json.body)).toMatchObject({ id: issueIdOf(board), status: 'published', entries: [{ position: 1 }, { position: 2 }] });
  });
});

describe('sending to subscribers', () => {
  /** An issue with one entry, locked and published through the board's forms; answers its board URL, the board loaded last. */
  async function publishedIssue(entry: string) {
    const board = await createIssue();
    await addEntry(board, entry);
    let page = await editorWeb.get(board);
    await editorWeb.post(`${board}/lock`, { version: versionOn(page.body) });
    page = await editorWeb.get(`${board}/publish`);
    await editorWeb.post(`${board}/publish`, { version: versionOn(page.body) });
    await editorWeb.get(board);
    return board;
  }

  it('shows the progress while the send runs, then the delivery report', async () => {
    await subscribeConfirmed({ ctx, smtp }, ['reader-one@example.org', 'reader-two@example.org', 'leaves-soon@example.org']);
    const board = await publishedIssue('dryer');

    const started = await editorWeb.post(`${board}/send`);
    expect(started.statusCode).toBe(303);
    expect(started.headers.location).toBe(`${board}/delivery`);
    const progress = await editorWeb.get(`${board}/delivery`);
    expect(progress.statusCode).toBe(200);
    expect(progress.body).toContain('Sending has started.');
    expect(progress.body).toContain('Sending…');
    expect(progress.body).toContain(`hx-get="${board}/delivery/progress"`);
    expect(progress.body).toContain('hx-trigger="every 1s"');
    expect(progress.body).toContain('Refresh the progress');
    expect(progress.body).toMatch(/data-count="total">3</);
    expect(progress.body).toMatch(/data-count="sent">0</);

    // One worker pass creates the deliveries and queues their mails; then a subscriber bounces
    // before the mail worker gets to it.
    await ctx.app.services.jobs.runOnce();
    await ctx.app.inject({ method: 'POST', url: '/api/v1/admin/techmonitor/bounces', headers: admin.auth, payload: { email: 'leaves-soon@example.org', reason: 'mailbox gone' } });
    await ctx.app.services.jobs.drain();

    // The fragment htmx polls: just the panel, and once done it stops polling and carries the report.
    const fragment = await editorWeb.get(`${board}/delivery/progress`);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body.startsWith('<div id="delivery-progress"')).toBe(true);
    expect(fragment.body).not.toContain('<html');
    expect(fragment.body).not.toContain('hx-trigger');
    expect(fragment.body).toMatch(/data-count="sent">2</);
    expect(fragment.body).toMatch(/data-count="skipped">1</);
    expect(fragment.body).toMatch(/data-count="failed">0</);
    expect(fragment.body).toContain('Delivery report');
    expect(fragment.body).toContain('leaves-soon@example.org');
    expect(fragment.body).toContain('the subscriber is bounced');

    const report = await editorWeb.get(`${board}/delivery`);
    expect(report.body).toContain('Sending is finished.');
    expect(report.body).not.toContain('Refresh the progress');
    const issueTitle = (await staffIssue(board)).title;
    expect(smtp.to('reader-one@example.org').some((mail) => mail.subject.endsWith(issueTitle))).toBe(true);
    expect(smtp.to('leaves-soon@example.org').some((mail) => mail.subject.endsWith(issueTitle))).toBe(false);
    const after = await editorWeb.get(board);
    expect(after.body).toContain(`href="${board}/delivery"`);
    expect(after.body).toContain('Send to new subscribers');
  });

  it('lists the addresses a failed send did not reach, with the reason', async () => {
    const board = await publishedIssue('feed');
    smtp.refuse(550);
    try {
      await editorWeb.post(`${board}/send`);
      await ctx.app.services.jobs.drain();
    } finally {
      smtp.refuse(null);
    }
    const report = await editorWeb.get(`${board}/delivery`);
    expect(report.body).toMatch(/data-count="failed">2</);
    expect(report.body).toContain('reader-two@example.org');
    expect(report.body).toContain('Mailbox unavailable');
  });

  it('sends the browser to the log-in page, and back to the sending page, when the session ends while htmx follows the progress', async () => {
    const board = await publishedIssue('ice');
    expect((await editorWeb.post(`${board}/send`)).statusCode).toBe(303);

    // A second tab of the editor follows the progress; then its session is ended (logged out elsewhere).
    const web = await WebClient.signedIn(ctx, editor);
    const delivery = `${board}/delivery`;
    expect((await web.get(delivery)).body).toContain(`hx-get="${delivery}/progress"`);
    await ctx.app.services.browserSessions.end(web.cookie('tdb_session')!);

    const poll = await web.get(`${delivery}/progress`, { 'hx-request': 'true', 'hx-target': 'delivery-progress', 'hx-current-url': `http://localhost:80${delivery}` });
    expect(poll.statusCode).toBe(401);
    // htmx sends the whole browser to the log-in page (not the log-in page swapped in as the panel),
    // and the log-in brings the editor back to the sending page, not to the fragment.
    const login = `/login?next=${encodeURIComponent(delivery)}`;
    expect(poll.headers['hx-redirect']).toBe(login);
    expect(poll.body).toBe('');
    const loginPage = await web.get(login);
    expect(loginPage.statusCode).toBe(200);
    expect(loginPage.body).toContain('Log in to continue.');
    const back = await web.post(login, { email: editor.email, password: PASSWORD });
    expect(back.statusCode).toBe(303);
    expect(back.headers.location).toBe(delivery);
    expect((await web.get(delivery)).body).toContain('<h1>Sending Vol. 42 No.');
  });

  it('refuses to send an issue that is not published, saying why', async () => {
    const board = await createIssue();
    await editorWeb.get(board);
    const response = await editorWeb.post(`${board}/send`);
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('<h2 id="conflict-title">This could not be done</h2>');
    expect(response.body).toContain('Only a published issue can be sent');
    expect(response.body).not.toContain('Another editor changed this issue');
  });
});

describe('who may use the board', () => {
  const FAKE = '00000000-0000-4000-8000-000000000000';

  async function urls() {
    const board = await createIssue();
    await addEntry(board, 'dryer');
    const entry = (await staffIssue(board)).entries[0]!.id;
    return {
      board,
      gets: ['/editor/issues', board, `${board}/edit`, `${board}/preview`, `${board}/publish`, `${board}/delivery`, `${board}/delivery/progress`, `${board}/export.html`, `${board}/export.md`, `${board}/export.json`],
      posts: [
        '/editor/issues',
        `${board}/edit`,
        `${board}/entries`,
        `${board}/entries/${entry}/move`,
        `${board}/entries/${entry}/note`,
        `${board}/entries/${entry}/remove`,
        `${board}/reorder`,
        `${board}/lock`,
        `${board}/unlock`,
        `${board}/publish`,
        `${board}/send`,
      ],
    };
  }

  it('sends visitors to the log-in page, and answers 403 to members and intermediaries on every page and form', async () => {
    const { board, gets, posts } = await urls();
    const before = await staffIssue(board);
    const visitor = new WebClient(ctx);
    for (const url of gets) {
      const response = await visitor.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location, url).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
    for (const [role, user] of [['member', member], ['intermediary', broker]] as const) {
      const web = await WebClient.signedIn(ctx, user);
      for (const url of gets) {
        const response = await web.get(url);
        expect(response.statusCode, `${role} GET ${url}`).toBe(403);
        expect(response.body).toContain('This page is for the centre’s editors.');
        expect(response.body).not.toContain(before.title);
      }
      await web.get('/my');
      const token = web.csrf();
      for (const url of posts) {
        const response = await web.post(url, { ...issueForm(), listingId: listings.feed!.id, version: String(before.version), direction: 'up', entryIds: [before.entries[0]!.id] }, { csrf: token });
        expect(response.statusCode, `${role} POST ${url}`).toBe(403);
      }
    }
    const after = await staffIssue(board);
    expect(after.version).toBe(before.version);
    expect(after.entries).toHaveLength(1);
  });

  it('lets admins use the board too, and answers 404 for an unknown or malformed issue', async () => {
    const web = await WebClient.signedIn(ctx, admin);
    const board = await createIssue(web);
    expect((await web.get(board)).statusCode).toBe(200);
    expect((await web.get(`/editor/issues/${FAKE}`)).statusCode).toBe(404);
    expect((await web.get('/editor/issues/not-an-id')).statusCode).toBe(404);
    expect((await web.get(`${board}/entries/not-an-id/move`)).statusCode).toBe(404);
    // Forms posted to a malformed issue or entry id answer the 404 page too, never a database error.
    await web.get(board);
    const token = web.csrf();
    for (const url of [`${board}/entries/not-an-id/remove`, `${board}/entries/not-an-id/note`, '/editor/issues/not-an-id/lock']) {
      const response = await web.post(url, { version: '1' }, { csrf: token });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('refuses a form without its CSRF token', async () => {
    const board = await createIssue();
    const page = await editorWeb.get(board);
    const response = await editorWeb.post(`${board}/lock`, { version: versionOn(page.body) }, { csrf: null });
    expect(response.statusCode).toBe(403);
    expect((await staffIssue(board)).status).toBe('draft');
  });
});
