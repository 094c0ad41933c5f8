import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from '../helpers/factories.js';
import { subscribeConfirmed } from '../helpers/subscribers.js';
import { launchChromium, logIn, newContext, startSite, Visited, type BrowserHandle, type Site } from './harness.js';

// An editor runs a whole Tech Monitor issue in the browser: creates it, builds it from the
// suggestions, reorders by drag and drop and by keyboard, writes a note, locks, previews,
// publishes and sends it to the subscribers while the progress moves on the page.

let site: Site;
let chromium: BrowserHandle;
let editor: TestUser;

const SUBSCRIBERS = ['first.reader@example.org', 'second.reader@example.org', 'third.reader@example.org'];
const TITLES = {
  dryer: 'Solar tunnel dryer for fish',
  feed: 'Aquaculture feed from insect protein',
  ice: 'Ice making for small fishing boats',
};

const drain = () => site.ctx.app.services.jobs.drain();

/** The titles of the selected entries, top to bottom, as the board shows them. */
const entryTitles = (page: Page) => page.locator('.board-list > li h3').allTextContents();

beforeAll(async () => {
  // One delivery row per worker pass, so the sending progress moves one subscriber at a time.
  site = await startSite({ TECHMONITOR_SEND_BATCH_SIZE: '1' });
  chromium = await launchChromium();
  editor = await createUser(site.ctx, { role: 'editor' });
  const owner = await createUser(site.ctx);
  await publishListing(site.ctx, owner, editor, offerBody({ title: TITLES.dryer, summary: 'Dries 2 tonnes of fish a day with solar heat.', sectors: ['ocean_economy'], keywords: ['fish drying'] }));
  await publishListing(site.ctx, owner, editor, offerBody({ title: TITLES.feed, summary: 'Fish feed for aquaculture ponds made from insect larvae.', sectors: ['ocean_economy'], keywords: ['aquaculture'] }));
  await publishListing(site.ctx, owner, editor, requestBody({ title: TITLES.ice, summary: 'A fishing cooperative seeks solar ice makers.', sectors: ['ocean_economy'], keywords: ['fish processing'] }));
  await subscribeConfirmed(site, SUBSCRIBERS);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('the Tech Monitor issue board in the browser', () => {
  const visited = new Visited();

  it('an editor builds, orders, annotates, locks, previews, publishes and sends an issue', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await logIn(page, editor.email);

    // The issues, from the editors' sub-navigation.
    await page.goto('/editor');
    await page.getByRole('navigation', { name: 'Editors' }).getByRole('link', { name: 'Tech Monitor issues' }).click();
    await page.waitForURL('**/editor/issues');
    await visited.check(page);

    // A mistake first: each is named beside its field.
    await page.getByLabel('Volume').fill('43');
    await page.getByLabel('Number', { exact: true }).fill('1');
    await page.getByLabel('Special theme').fill('Fish processing, aquaculture and fish drying for a sustainable ocean economy');
    await page.getByLabel('Ocean economy').check();
    await page.getByLabel('Period from').fill('2026-10-01');
    await page.getByLabel('Period to').fill('2026-12-31');
    await page.getByLabel('Target number of offers').fill('2');
    await page.getByLabel('Target number of requests').fill('1');
    await page.getByRole('button', { name: 'Create the issue' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Title is required');
    expect(await page.getByLabel('Volume').inputValue()).toBe('43');
    await visited.check(page);
    await page.getByLabel('Title', { exact: true }).fill('Technologies for a sustainable ocean economy');
    await page.getByRole('button', { name: 'Create the issue' }).click();
    await page.waitForURL(/\/editor\/issues\/[0-9a-f-]{36}$/);
    const board = new URL(page.url()).pathname;
    expect(await page.locator('h1').textContent()).toBe('Vol. 43 No. 1: Technologies for a sustainable ocean economy');
    await visited.check(page);

    // Each suggestion is added with one click; the counts follow the targets.
    for (const title of [TITLES.dryer, TITLES.feed, TITLES.ice]) {
      await page.getByRole('button', { name: `Add to the issue: ${title}` }).click();
      await expect.poll(() => page.locator('.flash').textContent()).toContain('The listing is added to the issue.');
    }
    expect(await entryTitles(page)).toEqual([TITLES.dryer, TITLES.feed, TITLES.ice]);
    expect(await page.locator('.board-counts').textContent()).toContain('2 of 2');
    await visited.check(page);

    // Drag and drop: the request's handle onto the top half of the first entry.
    await page.locator(`[data-entry-id]`, { hasText: TITLES.ice }).locator('[data-drag-handle]').dragTo(page.locator('.board-list > li').first(), { targetPosition: { x: 40, y: 8 } });
    await expect.poll(() => page.locator('.flash').textContent()).toContain('The new order is saved.');
    expect(await entryTitles(page)).toEqual([TITLES.ice, TITLES.dryer, TITLES.feed]);

    // The keyboard: focus a Move down button and press Enter.
    await page.getByRole('button', { name: `Move down: ${TITLES.ice}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.flash').textContent()).toContain('The entry is moved.');
    expect(await entryTitles(page)).toEqual([TITLES.dryer, TITLES.ice, TITLES.feed]);
    await visited.check(page);

    // An editorial note on the first entry.
    await page.getByLabel('Editorial note for entry 1').fill('Piloted with three cooperatives in Sri Lanka.');
    await page.locator('.board-list > li').first().getByRole('button', { name: 'Save the note' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('The editorial note is saved.');
    expect(await page.getByLabel('Editorial note for entry 1').inputValue()).toBe('Piloted with three cooperatives in Sri Lanka.');

    // Lock, then the print edition.
    await page.getByRole('button', { name: 'Lock the issue for proofreading' }).click();
    await expect.poll(() => page.locator('.flash').textContent()).toContain('The issue is locked');
    expect(await page.getByRole('button', { name: /Move (up|down)/ }).count()).toBe(0);
    await visited.check(page);
    await page.getByRole('link', { name: 'Preview the print edition' }).click();
    await page.waitForURL(`**${board}/preview`);
    expect(await page.locator('h1').textContent()).toBe('Technologies for a sustainable ocean economy');
    expect(await page.locator('article.entry h2').allTextContents()).toEqual([`1. ${TITLES.dryer}`, `2. ${TITLES.ice}`, `3. ${TITLES.feed}`]);
    expect(await page.locator('aside.note').first().textContent()).toContain('Piloted with three cooperatives in Sri Lanka.');
    await visited.check(page);
    await page.goBack();
    await page.waitForURL(`**${board}`);

    // Publishing asks first, saying what it freezes.
    await page.getByRole('link', { name: 'Publish…' }).click();
    await page.waitForURL(`**${board}/publish`);
    expect(await page.locator('main').textContent()).toContain('each entry is frozen as the listing reads now');
    await visited.check(page);
    await page.getByRole('button', { name: 'Publish the issue' }).click();
    await page.waitForURL(`**${board}`);
    expect(await page.locator('.flash').textContent()).toContain('The issue is published.');
    await visited.check(page);

    // Sending: the page follows the progress by itself while the worker mails one subscriber after another.
    await page.getByRole('button', { name: 'Send to the subscribers' }).click();
    await page.waitForURL(`**${board}/delivery`);
    const count = (name: string) => page.locator(`[data-count="${name}"]`).textContent();
    expect(await page.locator('.delivery__state').textContent()).toContain('Sending…');
    expect(await count('total')).toBe('3');
    expect(await count('sent')).toBe('0');
    await visited.check(page);
    // A mark on the page: it must survive every update, which proves the page was not reloaded.
    await page.evaluate(() => document.body.setAttribute('data-journey-mark', 'kept'));
    // The first pass makes the first delivery; each pass after it mails one and makes the next.
    await site.ctx.app.services.jobs.runOnce();
    for (const sent of ['1', '2', '3']) {
      await site.ctx.app.services.jobs.runOnce();
      await expect.poll(() => count('sent'), { timeout: 10_000 }).toBe(sent);
      expect(await page.locator('body').getAttribute('data-journey-mark')).toBe('kept');
    }
    await drain();
    await expect.poll(() => page.locator('.delivery__state').textContent(), { timeout: 10_000 }).toContain('Sending is finished.');
    expect(await page.locator('#report-title').textContent()).toBe('Delivery report');
    expect(await page.locator('#delivery-progress').textContent()).toContain('Every subscriber was reached.');
    expect(await count('failed')).toBe('0');
    expect(await count('skipped')).toBe('0');
    await visited.check(page);

    for (const email of SUBSCRIBERS) {
      expect(site.smtp.to(email).map((mail) => mail.subject)).toContain('Asia-Pacific Tech Monitor, Vol. 43 No. 1: Technologies for a sustainable ocean economy');
    }
    await context.close();
  });
});
