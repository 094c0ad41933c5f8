import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, offerBody, publishListing, type TestUser } from '../helpers/factories.js';
import { launchChromium, logIn, newContext, startSite, Visited, type BrowserHandle, type Site } from './harness.js';

// The admin's day in the browser: disabling a user ends their open session at once; every admin
// page is visited (and checked by axe-core), a failed mail is retried, the search index rebuilt
// with its progress followed on the page.

let site: Site;
let chromium: BrowserHandle;
let admin: TestUser;
let target: TestUser;
let resetAddress: string;
let broker: TestUser;

const drain = () => site.ctx.app.services.jobs.drain();

beforeAll(async () => {
  site = await startSite();
  chromium = await launchChromium();
  admin = await createUser(site.ctx, { role: 'admin', name: 'Ada Admin' });
  target = await createUser(site.ctx, { name: 'Dana Disabled' });
  const editor = await createUser(site.ctx, { role: 'editor' });
  await publishListing(site.ctx, target, editor, offerBody({ title: 'Rice husk gasifier for village mills' }));
  broker = await createUser(site.ctx, { role: 'intermediary', withOrganization: true, name: 'Ivan Intermediary' });
  // A message the mail server refuses for good, waiting for an admin.
  site.smtp.refuse(550);
  const someone = await createUser(site.ctx);
  resetAddress = someone.email;
  await site.ctx.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: resetAddress } });
  await drain();
  site.smtp.refuse(null);
  await site.ctx.app.inject({ method: 'POST', url: '/api/v1/techmonitor/subscribers', payload: { email: 'reader@example.org' } });
  await drain();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('an admin’s day', () => {
  const visited = new Visited();

  it('disables a user whose open session ends at once', async () => {
    const userContext = await newContext(chromium, site);
    const userPage = await userContext.newPage();
    await logIn(userPage, target.email);
    await userPage.goto('/my');
    expect(new URL(userPage.url()).pathname).toBe('/my');

    const adminContext = await newContext(chromium, site);
    const page = await adminContext.newPage();
    await logIn(page, admin.email);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Administration' }).click();
    await page.waitForURL('**/admin/users');
    await visited.check(page);
    await page.getByLabel('Name or e-mail contains').fill('dana');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/\/admin\/users\?q=dana/);
    const row = page.getByRole('row', { name: /Dana Disabled/ });
    await row.getByRole('button', { name: 'Disable' }).click();
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').textContent()).toContain('The account is disabled');
    expect(await row.getByRole('button', { name: 'Enable' }).count()).toBe(1);
    await visited.check(page);

    // The user's next navigation lands on the log-in page.
    await userPage.goto('/my');
    expect(new URL(userPage.url()).pathname).toBe('/login');
    await visited.check(userPage);
    await userContext.close();
    await adminContext.close();
  });

  it('visits every admin page: organisations, jobs and mail (a retry), search index (a rebuild), subscribers', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await logIn(page, admin.email);
    await page.goto('/admin');
    const nav = page.getByRole('navigation', { name: 'Administration' });

    await nav.getByRole('link', { name: 'Organisations' }).click();
    await page.waitForURL('**/admin/organisations');
    await visited.check(page);
    await page.getByRole('link', { name: /^Org / }).first().click();
    await page.waitForURL(/\/admin\/organisations\/[0-9a-f-]{36}$/);
    await visited.check(page);
    await page.getByLabel('Contact phone').fill('+66 2 123 4567');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').textContent()).toContain('The organisation is saved.');
    await page.getByLabel('Let an intermediary act for this organisation').selectOption({ label: `Ivan Intermediary (${broker.email})` });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.waitForSelector('.flash');
    expect(await page.locator('.flash').textContent()).toContain('now acts for the client organisation');
    await visited.check(page);

    await nav.getByRole('link', { name: 'Jobs and mail' }).click();
    await page.waitForURL('**/admin/jobs');
    expect(await page.getByRole('cell', { name: resetAddress, exact: true }).count()).toBe(1);
    await visited.check(page);
    await page.getByRole('button', { name: `Send the message to ${resetAddress} again` }).click();
    await page.waitForSelector('.flash');
    await drain();
    expect(site.smtp.to(resetAddress)).toHaveLength(1);
    await page.reload();
    expect(await page.getByText('No failed mail.').count()).toBe(1);
    await visited.check(page);

    await nav.getByRole('link', { name: 'Search index' }).click();
    await page.waitForURL('**/admin/search');
    await visited.check(page);
    await page.getByRole('button', { name: 'Rebuild the search index' }).click();
    await page.waitForSelector('.flash');
    expect(await page.getByText('Waiting for the worker').count()).toBe(1);
    await visited.check(page);
    await drain();
    // htmx reloads the status part by itself until the rebuild is over.
    await expect.poll(() => page.locator('#search-status .tag').allTextContents(), { timeout: 15_000 }).toContain('Finished');
    expect(await page.getByRole('button', { name: 'Rebuild the search index' }).count()).toBe(1);
    await visited.check(page);

    await nav.getByRole('link', { name: 'Subscribers' }).click();
    await page.waitForURL('**/admin/subscribers');
    expect(await page.getByRole('cell', { name: 'reader@example.org', exact: true }).count()).toBe(1);
    await visited.check(page);
    await page.getByLabel('State').selectOption('pending');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/status=pending/);
    await visited.check(page);
    await context.close();
  });
});
