import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/factories.js';
import { launchChromium, logIn, newContext, startSite, Visited, type BrowserHandle, type Site } from './harness.js';

// An intermediary imports a spreadsheet for a client in Chromium: chooses the file, reads the dry
// run, confirms, watches the progress until the result shows; with and without JavaScript, axe on
// every page. The worker is off in tests: the journey runs the queue where a worker would.

const fixture = (name: string) => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url));

let site: Site;
let chromium: BrowserHandle;
let broker: TestUser;
let client: TestUser;

const drain = () => site.ctx.app.services.jobs.drain();

beforeAll(async () => {
  site = await startSite();
  chromium = await launchChromium();
  broker = await createUser(site.ctx, { role: 'intermediary', name: 'Broker' });
  client = await createUser(site.ctx);
  await site.ctx.app.services.organizations.addClient(site.ctx.database.db, broker.id, client.organizationId!);
});

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('importing listings from a file', () => {
  it('uploads, shows the dry run with its errors, confirms, and follows the progress until the result', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    const visited = new Visited();
    await logIn(page, broker.email);
    await page.getByRole('link', { name: 'Import listings' }).click();
    await page.waitForURL('**/my/import');
    await visited.check(page);
    expect(await page.getByRole('link', { name: 'Template (XLSX)' }).getAttribute('href')).toBe('/api/v1/imports/template.xlsx');

    await page.getByLabel('File').setInputFiles({ name: 'clients.csv', mimeType: 'text/csv', buffer: fixture('bom-comma.csv') });
    await page.getByLabel('Organisation').selectOption(client.organizationId!);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: 'Check of clients.csv' }).waitFor();
    await visited.check(page);
    const errors = page.locator('#row-errors tbody tr');
    expect(await errors.count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#row-errors').innerText()).toContain('"Astrology" is not a known sector');
    expect(await page.locator('#row-errors').innerText()).toMatch(/3\s+Sectors/);

    await page.getByRole('button', { name: /^Import 2 listings$/ }).click();
    await page.getByRole('heading', { name: 'Importing clients.csv' }).waitFor();
    expect(await page.locator('progress').count()).toBe(1);
    await visited.check(page);

    // The worker's turn; htmx polls the progress and, once it is done, reloads the page.
    await drain();
    await page.getByRole('heading', { name: 'Import of clients.csv' }).waitFor();
    await visited.check(page);
    expect(await page.locator('.stats-grid').innerText()).toMatch(/Created\s+2/);
    const mine = await site.ctx.app.inject({ method: 'GET', url: '/api/v1/listings?mine=true', headers: broker.auth });
    expect(mine.json().items.map((item: { title: string }) => item.title).sort()).toEqual(['Cold chain monitoring for vaccines', 'Rice-husk gasifier for village power']);
    await context.close();
  });

  it('works without JavaScript: the progress page reloads itself until the result', async () => {
    const context = await newContext(chromium, site, { javaScriptEnabled: false });
    const page = await context.newPage();
    const visited = new Visited();
    await logIn(page, broker.email);
    await page.goto('/my/import');
    await page.getByLabel('File').setInputFiles({ name: 'again.csv', mimeType: 'text/csv', buffer: fixture('bom-comma.csv') });
    await page.getByLabel('Organisation').selectOption(client.organizationId!);
    await page.getByRole('button', { name: 'Check the file' }).click();
    await page.getByRole('heading', { name: 'Check of again.csv' }).waitFor();
    // The same rows again: updates of the listings imported above, not new ones.
    expect(await page.locator('.stats-grid').innerText()).toMatch(/New listings\s+0\s+Listings updated\s+2/);
    await page.getByRole('button', { name: /^Import 2 listings$/ }).click();
    await page.getByRole('heading', { name: 'Importing again.csv' }).waitFor();
    await visited.checkWithoutScript(page, chromium, site);
    await drain();
    await page.getByRole('heading', { name: 'Import of again.csv' }).waitFor();
    expect(await page.locator('.stats-grid').innerText()).toMatch(/Unchanged\s+2/);
    await context.close();
  });
});
