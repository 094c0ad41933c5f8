import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, type TestUser } from '../helpers/factories.js';
import { createReportActivity, TRICKY_ISSUE_TITLE } from '../helpers/report-data.js';
import { launchChromium, logIn, newContext, startSite, Visited, type BrowserHandle, type Site } from './harness.js';

// An editor opens the annual report: the charts are drawn (uPlot canvases, no console error, no
// alert from the issue title), the period is changed through the form, and the CSV downloads;
// without JavaScript the same page shows every number in its table.

let site: Site;
let chromium: BrowserHandle;
let editor: TestUser;

beforeAll(async () => {
  site = await startSite();
  chromium = await launchChromium();
  editor = await createUser(site.ctx, { role: 'editor' });
  await createReportActivity(site.ctx, site.smtp, editor);
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('the annual report in a browser', () => {
  it('draws the charts, keeps the numbers in tables, changes the period and downloads the CSV', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      // The site has no icon; the browser's own request for one is not the page's doing.
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`${message.text()} ${message.location().url}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const visited = new Visited();

    await logIn(page, editor.email);

    await page.goto('/editor');
    await page.getByRole('navigation', { name: 'Editors' }).getByRole('link', { name: 'Annual report' }).click();
    await page.waitForURL('**/editor/reports');
    await expect.poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(8);
    // Every chart that has numbers is drawn, and its table is folded away under its summary.
    expect(await page.locator('.chart').count()).toBe(await page.locator('.chart.chart--drawn').count());
    expect(await page.locator('details.chart-data[open]').count()).toBe(0);
    const sectors = page.locator('#chart-sector details');
    await sectors.locator('summary').click();
    await expect.poll(() => sectors.getByRole('row', { name: /Water and sanitation/ }).textContent()).toContain('2');
    await expect.poll(() => page.locator('#chart-issues canvas').count()).toBe(1);
    expect(await page.locator('#chart-issues .u-legend').textContent()).toContain('Requests');
    expect(await page.getByRole('link', { name: TRICKY_ISSUE_TITLE }).count()).toBe(1);
    await visited.check(page);

    // A year with nothing in it: every section says so, and no chart is left half drawn.
    await page.getByLabel('First day').fill('2025-01-01');
    await page.getByLabel('Last day').fill('2025-12-31');
    await page.getByRole('button', { name: 'Show the figures' }).click();
    await page.waitForURL('**/editor/reports?from=2025-01-01&to=2025-12-31');
    expect(await page.locator('.chart').count()).toBe(0);
    expect(await page.getByText('Nothing in this period.').count()).toBeGreaterThan(5);
    await visited.check(page);

    await page.goBack();
    await page.waitForURL('**/editor/reports');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the figures (CSV)' }).click()]);
    const today = site.ctx.clock.now().toISOString().slice(0, 10);
    expect(download.suggestedFilename()).toBe(`summary-${today.slice(0, 4)}-01-01-${today}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')).toContain('listings_by_kind,offer,Technology offers,2');
    expect(csv.split('\r\n')).toContain('interests,sent,Expressions of interest sent,3');

    expect(problems).toEqual([]);
    await context.close();
  });

  it('says everything without JavaScript: every table open, no chart', async () => {
    const context = await newContext(chromium, site, { javaScriptEnabled: false });
    const page = await context.newPage();
    await logIn(page, editor.email);
    await page.goto('/editor/reports');
    expect(await page.locator('canvas').count()).toBe(0);
    const charts = await page.locator('.chart').count();
    expect(charts).toBeGreaterThanOrEqual(8);
    expect(await page.locator('details.chart-data[open]').count()).toBe(charts);
    expect(await page.getByRole('row', { name: 'Expressions of interest sent 3' }).isVisible()).toBe(true);
    await new Visited().checkWithoutScript(page, chromium, site);
    await context.close();
  });
});
