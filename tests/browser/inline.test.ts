import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from '../helpers/factories.js';
import { WebClient } from '../helpers/web-client.js';
import { expectAccessible, launchChromium, logIn, newContext, startSite, type BrowserHandle, type Site } from './harness.js';

// The htmx enhancements in real Chromium: an owner answers two expressions of interest on the
// received list without leaving it, and "show more" appends search results in place.

let site: Site;
let chromium: BrowserHandle;
let editor: TestUser;
let owner: TestUser;

/** A member sends an EOI on the listing through the pages. */
async function sendInterest(reference: string, name: string, message: string) {
  const seeker = await createUser(site.ctx, { name });
  const web = await WebClient.signedIn(site.ctx, seeker);
  await web.get(`/listings/${reference}`);
  const sent = await web.post(`/listings/${reference}/interest`, { message });
  expect(sent.statusCode).toBe(303);
}

beforeAll(async () => {
  site = await startSite();
  chromium = await launchChromium();
  editor = await createUser(site.ctx, { role: 'editor' });
  owner = await createUser(site.ctx, { name: 'Owner Person' });
  const request = await publishListing(site.ctx, owner, editor, requestBody({ title: 'Ice for island fishers' }));
  await sendInterest(request.reference, 'First Seeker', 'Our flake-ice machine runs on solar power.');
  await sendInterest(request.reference, 'Second Seeker', 'We sell block ice from Colombo.');
  const seller = await createUser(site.ctx);
  for (let i = 1; i <= 5; i++) await publishListing(site.ctx, seller, editor, offerBody({ title: `Geothermal fruit dryer model ${i}`, keywords: ['geothermal'] }));
  await site.ctx.app.services.jobs.drain();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('inline answers and "show more"', () => {
  it('the owner accepts one EOI and declines another with a reason, both in place on the received list', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await logIn(page, owner.email);
    await page.goto('/my/interests/received');
    await expectAccessible(page);
    const historyLength = await page.evaluate(() => history.length);

    const first = page.locator('article.card', { hasText: 'flake-ice machine' });
    const second = page.locator('article.card', { hasText: 'block ice from Colombo' });
    await first.getByRole('button', { name: 'Accept and exchange contacts' }).click();
    await expect.poll(() => first.locator('.flash').textContent()).toContain('You accepted.');
    expect(await first.locator('.tag').first().textContent()).toBe('Accepted');
    // What happened takes the focus, so it is announced and the keyboard continues from there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('flash'))).toBe(true);
    await expectAccessible(page);

    // Decline without a reason: the mistake appears beside the field, in the card.
    await second.getByText('Decline…').click();
    await second.getByLabel('Note to the sender (optional)').fill('We found a supplier last month.');
    await second.getByRole('button', { name: 'Decline', exact: true }).click();
    await expect.poll(() => second.locator('.field-error').count()).toBe(1);
    expect(await second.locator('.field-error').textContent()).toBe('Reason is required');
    expect(await second.getByLabel('Note to the sender (optional)').inputValue()).toBe('We found a supplier last month.');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('reason');
    await expectAccessible(page);

    await second.getByLabel('Reason').selectOption({ label: 'We have already solved this' });
    await second.getByRole('button', { name: 'Decline', exact: true }).click();
    await expect.poll(() => second.locator('.flash').count()).toBe(1);
    expect(await second.textContent()).toContain('Reason: We have already solved this');
    expect(await second.locator('form').count()).toBe(0);
    await expectAccessible(page);

    // All of it without leaving the list or adding history entries.
    expect(new URL(page.url()).pathname).toBe('/my/interests/received');
    expect(await page.evaluate(() => history.length)).toBe(historyLength);
    // What the page showed is what was stored.
    await page.reload();
    expect(await first.locator('.tag').first().textContent()).toBe('Accepted');
    expect(await second.locator('.tag').first().textContent()).toBe('Declined');
    await context.close();
  });

  it('"show more" appends the next search results in place, and ends at the last one', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await page.goto('/search?q=geothermal&limit=2');
    await expectAccessible(page);
    const cards = page.locator('#result-list article');
    expect(await cards.count()).toBe(2);
    // With script, "show more" replaces the page links.
    expect(await page.getByRole('link', { name: 'Next page →' }).isVisible()).toBe(false);

    await page.getByRole('link', { name: 'Show 2 more' }).click();
    await expect.poll(() => cards.count()).toBe(4);
    expect(await page.locator('#search-pager [role="status"]').textContent()).toBe('Showing 1–4 of 5');
    // The keyboard goes on from the first result added.
    // (Polled: the focus moves once htmx has settled the swap, a moment after the cards appear.)
    const firstAdded = await cards.nth(2).textContent();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('article')?.textContent ?? '')).toBe(firstAdded);
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Show 1 more' }).click();
    await expect.poll(() => cards.count()).toBe(5);
    expect(await page.locator('[data-load-more]').count()).toBe(0);
    const titles = await page.locator('#result-list h3').allTextContents();
    expect(new Set(titles).size).toBe(5);
    // The address still names the search, with no page of its own in the history.
    expect(page.url()).toBe(`${site.baseUrl}/search?q=geothermal&limit=2`);
    await expectAccessible(page);
    await context.close();
  });
});
