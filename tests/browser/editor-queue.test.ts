import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser, offerBody, PASSWORD, publishListing, type TestUser } from '../helpers/factories.js';
import { subscribeConfirmed } from '../helpers/subscribers.js';
import { launchChromium, logIn, newContext, startSite, Visited, type BrowserHandle, type Site } from './harness.js';

// An editor works through the moderation queue in the browser: reviews a submitted listing (its
// completeness check and possible duplicates), returns it with a note, publishes another, accepts
// the revision of a published one from its field-by-field diff; the owner, in a browser of their
// own, finds the returned listing with the editor's note. Then the board: an issue's details are
// edited, and a session that ends while the sending page follows the progress lands on the log-in
// page and comes back. axe-core checks every page visited.

let site: Site;
let chromium: BrowserHandle;
let editor: TestUser;
let owner: TestUser;

const TITLES = {
  published: 'Solar tunnel dryer for mango and fish',
  toReturn: 'Solar tunnel dryer for mangoes',
  toPublish: 'Biogas digester for dairy farms',
  revised: 'Rice husk gasifier for village mills',
  revisedNew: 'Rice husk gasifier for village rice mills, 50 kW',
};
const NOTE = 'Please describe the field tests of the dryer and remove the web address: the listing is anonymous.';

const drain = () => site.ctx.app.services.jobs.drain();

async function api(method: 'POST' | 'PATCH', url: string, user: TestUser, payload: Record<string, unknown>) {
  const response = await site.ctx.app.inject({ method, url: `/api/v1${url}`, headers: user.auth, payload });
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Creates and submits a listing through the API, as its owner would from the workspace. */
async function submitted(body: Record<string, unknown>) {
  const created = await api('POST', '/listings', owner, body);
  await api('POST', `/listings/${created.id}/submit`, owner, {});
  return created.id as string;
}

const flash = (page: Page) => page.locator('.flash').textContent();

beforeAll(async () => {
  site = await startSite();
  chromium = await launchChromium();
  editor = await createUser(site.ctx, { role: 'editor' });
  owner = await createUser(site.ctx, { name: 'Olivia Owner' });
  const other = await createUser(site.ctx);
  await publishListing(site.ctx, other, editor, offerBody({ title: TITLES.published, summary: 'A solar tunnel dryer for mango and fish.', keywords: ['mango', 'tunnel dryer', 'solar dryer'] }));
  const revised = await publishListing(site.ctx, owner, editor, offerBody({ title: TITLES.revised, keywords: ['gasifier', 'rice husk'] }));
  await drain();
  // Oldest first in the queue: the weak anonymous dryer, the digester, then the revision.
  await submitted(
    offerBody({
      title: TITLES.toReturn,
      summary: 'A solar tunnel dryer for mangoes that dries 1 tonne a day.',
      description: 'A tunnel dryer for mango slices; drawings at www.mango-dryers.example.',
      advantages: 'Cheap.',
      keywords: ['mango', 'tunnel dryer'],
      trl: 7,
      anonymous: true,
    }),
  );
  // The test clock stands still unless moved: a minute between them makes the order certain.
  site.ctx.clock.advanceMs(60_000);
  await submitted(offerBody({ title: TITLES.toPublish, keywords: ['biogas'], description: 'Field-tested on 40 dairy farms since 2021; cuts LPG use by 80%.' }));
  site.ctx.clock.advanceMs(60_000);
  await api('PATCH', `/listings/${revised.id}`, owner, { title: TITLES.revisedNew });
  // A subscriber for the sending page at the end.
  await subscribeConfirmed(site, ['reader@example.org']);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('the moderation queue in the browser', () => {
  const visited = new Visited();

  it('an editor returns one listing with a note, publishes another and accepts a revision; the owner sees the note', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await logIn(page, editor.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Editorial' }).click();
    await page.waitForURL('**/editor');
    expect(await page.getByRole('link', { name: 'Moderation queue' }).getAttribute('aria-current')).toBe('page');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    expect(await rows.nth(0).textContent()).toContain(TITLES.toReturn);
    expect(await rows.nth(2).textContent()).toContain('Changes to 1 field');
    await visited.check(page);

    // The weak anonymous listing: the check names its problems, the near-identical published one is shown.
    await page.getByRole('link', { name: TITLES.toReturn }).click();
    await page.waitForURL(/\/editor\/listings\/[0-9a-f-]{36}$/);
    const check = page.getByRole('region', { name: 'Completeness check' });
    expect(await check.textContent()).toContain('The advantages are too short to judge the offer.');
    expect(await check.textContent()).toContain('The listing is anonymous but its text gives a web address.');
    const duplicates = page.getByRole('region', { name: 'Possible duplicates' });
    expect(await duplicates.getByRole('link', { name: TITLES.published }).count()).toBe(1);
    expect(await duplicates.textContent()).toMatch(/similarity \d+%/);
    // The sub-navigation still marks the queue on a review page.
    expect(await page.getByRole('navigation', { name: 'Editors' }).getByRole('link', { name: 'Moderation queue' }).getAttribute('aria-current')).toBe('page');
    await visited.check(page);

    await page.getByLabel('Note to the owner (what to change)').fill(NOTE);
    await page.getByRole('button', { name: 'Return with a note' }).click();
    await page.waitForURL('**/editor');
    expect(await flash(page)).toContain('The listing is returned to its owner with your note.');
    await expect.poll(() => rows.count()).toBe(2);
    await visited.check(page);

    // The complete one is published.
    await page.getByRole('link', { name: TITLES.toPublish }).click();
    await page.waitForURL(/\/editor\/listings\/[0-9a-f-]{36}$/);
    expect(await page.getByRole('region', { name: 'Completeness check' }).textContent()).toContain('No problems found.');
    await visited.check(page);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForURL('**/editor');
    expect(await flash(page)).toContain('The listing is published.');
    await visited.check(page);

    // The revision: the review page shows the change field by field; the editor accepts it.
    await page.getByRole('link', { name: TITLES.revised }).click();
    await page.waitForURL(/\/editor\/listings\/[0-9a-f-]{36}$/);
    const diff = page.getByRole('region', { name: 'Proposed changes' });
    const titleRow = diff.getByRole('row', { name: /^Title/ });
    expect(await titleRow.locator('del').textContent()).toBe(TITLES.revised);
    expect(await titleRow.locator('ins').textContent()).toBe(TITLES.revisedNew);
    expect(await diff.locator('tbody tr').count()).toBe(1);
    await visited.check(page);
    await page.getByRole('button', { name: 'Accept the changes' }).click();
    await page.waitForURL('**/editor');
    expect(await flash(page)).toContain('The changes are accepted and published.');
    expect(await page.getByText('Nothing is waiting for review.').count()).toBe(1);
    await visited.check(page);
    await drain();

    // The public side: the published listing and the accepted title.
    await page.goto(`/search?q=${encodeURIComponent('rice husk gasifier')}`);
    expect(await page.getByRole('link', { name: TITLES.revisedNew }).count()).toBe(1);
    await page.goto(`/search?q=${encodeURIComponent('biogas digester')}`);
    expect(await page.getByRole('link', { name: TITLES.toPublish }).count()).toBe(1);
    await context.close();

    // The owner, in a browser of their own, finds the returned listing with the editor's note.
    const ownerContext = await newContext(chromium, site);
    const ownerPage = await ownerContext.newPage();
    await logIn(ownerPage, owner.email);
    await ownerPage.goto('/my');
    const row = ownerPage.getByRole('row', { name: new RegExp(TITLES.toReturn) });
    expect(await row.textContent()).toContain('Returned');
    expect(await row.textContent()).toContain(`Note from the editors: ${NOTE}`);
    expect(await ownerPage.getByRole('row', { name: new RegExp(TITLES.toPublish) }).textContent()).toContain('Published');
    await visited.check(ownerPage);
    await row.getByRole('link', { name: TITLES.toReturn }).click();
    await ownerPage.waitForURL(/\/my\/listings\/[0-9a-f-]{36}$/);
    expect(await ownerPage.locator('main').textContent()).toContain(NOTE);
    await visited.check(ownerPage);
    await ownerContext.close();
  });

  it('an editor edits an issue’s details; a session that ends while the sending page polls lands on the log-in page and comes back', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await logIn(page, editor.email);
    await page.goto('/editor/issues');
    await page.getByLabel('Volume').fill('44');
    await page.getByLabel('Number', { exact: true }).fill('2');
    await page.getByLabel('Title', { exact: true }).fill('Clean energy for farms');
    await page.getByLabel('Special theme').fill('Biogas, solar drying and clean energy for farms');
    await page.getByLabel('Period from').fill('2026-10-01');
    await page.getByLabel('Period to').fill('2026-12-31');
    await page.getByLabel('Target number of offers').fill('1');
    await page.getByLabel('Target number of requests').fill('0');
    await page.getByRole('button', { name: 'Create the issue' }).click();
    await page.waitForURL(/\/editor\/issues\/[0-9a-f-]{36}$/);
    const board = new URL(page.url()).pathname;

    // The details, edited after creation.
    await page.getByRole('link', { name: 'Edit the title, theme, period and targets' }).click();
    await page.waitForURL(`**${board}/edit`);
    expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Clean energy for farms');
    await visited.check(page);
    await page.getByLabel('Title', { exact: true }).fill('Clean energy on the farm');
    await page.getByLabel('Bio-energy').check();
    await page.getByLabel('Target number of offers').fill('2');
    await page.getByRole('button', { name: 'Save the details' }).click();
    await page.waitForURL(`**${board}`);
    expect(await flash(page)).toContain('The details of the issue are saved.');
    expect(await page.locator('h1').textContent()).toBe('Vol. 44 No. 2: Clean energy on the farm');
    expect(await page.locator('.board-counts').textContent()).toContain('0 of 2');
    await visited.check(page);

    await page.getByRole('button', { name: `Add to the issue: ${TITLES.toPublish}` }).click();
    await expect.poll(() => flash(page)).toContain('The listing is added to the issue.');
    await page.getByRole('button', { name: 'Lock the issue for proofreading' }).click();
    await expect.poll(() => flash(page)).toContain('The issue is locked');
    await page.getByRole('link', { name: 'Publish…' }).click();
    await page.getByRole('button', { name: 'Publish the issue' }).click();
    await page.waitForURL(`**${board}`);
    await page.getByRole('button', { name: 'Send to the subscribers' }).click();
    await page.waitForURL(`**${board}/delivery`);
    expect(await page.locator('.delivery__state').textContent()).toContain('Sending…');
    await visited.check(page);

    // The session ends elsewhere (logged out from another device) while htmx polls the progress.
    const token = (await context.cookies()).find((cookie) => cookie.name === 'tdb_session')!.value;
    await site.ctx.app.services.browserSessions.end(token);
    await page.waitForURL(/\/login\?next=/);
    expect(new URL(page.url()).searchParams.get('next')).toBe(`${board}/delivery`);
    expect(await flash(page)).toContain('Log in to continue.');
    await visited.check(page);
    await page.getByLabel('E-mail address').fill(editor.email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`**${board}/delivery`);
    await drain();
    await expect.poll(() => page.locator('.delivery__state').textContent(), { timeout: 10_000 }).toContain('Sending is finished.');
    await visited.check(page);
    await context.close();
  });
});
