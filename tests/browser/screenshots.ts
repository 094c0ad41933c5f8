// npm run screenshots: PNGs of the key pages at 1280 and 390 px wide into docs/screenshots/, taken
// in Debian's Chromium (CHROMIUM_PATH) from the service running on a scratch database with the demo data.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import { withScratchApp } from '../../src/cli/scratch-database.js';
import { DEMO_ACCOUNTS, seedDemo } from '../../src/cli/demo-data/seed.js';
import { ZListingQuery } from '../../src/modules/listings/listings.schemas.js';

const OUT = 'docs/screenshots';
const WIDTHS = [1280, 390];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;
mkdirSync(OUT, { recursive: true });

await withScratchApp('pglite', { PUBLIC_URL: baseUrl }, async (app) => {
  await seedDemo(app);
  await app.services.jobs.drain();
  await app.listen({ host: '127.0.0.1', port });
  const member = DEMO_ACCOUNTS.find((account) => account.role === 'member')!;
  const memberActor = await app.services.users.loadActor((await app.services.users.list({ q: member.email }, 1, 0)).items[0]!.id);
  const own = await app.services.listings.list(memberActor, ZListingQuery.parse({ mine: 'true', status: 'published', limit: '1' }));
  const published = (await app.services.listings.list(null, ZListingQuery.parse({ kind: 'offer', limit: '1' }))).items[0]!;
  const adminAccount = DEMO_ACCOUNTS.find((account) => account.role === 'admin')!;
  // The demo intermediary's clients are shown from one of them: the page of an organisation an intermediary acts for.
  const intermediary = (await app.services.users.list({ role: 'intermediary' }, 1, 0)).items[0]!;
  const intermediaryOrganization = (await app.services.users.clientOrganizationIds(intermediary.id))[0]!;

  // A draft Tech Monitor issue with the first suggestions picked, for the editors' board.
  const editor = DEMO_ACCOUNTS.find((account) => account.role === 'editor')!;
  const editorActor = (await app.services.users.loadActor((await app.services.users.list({ q: editor.email }, 1, 0)).items[0]!.id))!;
  const { techmonitor } = app.services;
  let issue = await techmonitor.create(editorActor, {
    volume: 2026,
    number: 4,
    title: 'Technologies for a sustainable ocean economy',
    theme: { text: 'Science, technology and innovation for a sustainable ocean economy: fisheries, aquaculture, fish processing', sectors: ['ocean_economy'] },
    periodStart: '2026-10-01',
    periodEnd: '2026-12-31',
    targetOffers: 6,
    targetRequests: 3,
  });
  for (const suggestion of (await techmonitor.suggestions(editorActor, issue.id, { offset: 0 })).items.slice(0, 3)) {
    issue = await techmonitor.addEntry(editorActor, issue.id, { listingId: suggestion.listing.id, version: issue.version });
  }

  const logIn = async (page: Page, account: { email: string; password: string }) => {
    await page.goto('/login');
    await page.getByLabel('E-mail address').fill(account.email);
    await page.getByLabel('Password', { exact: true }).fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
  };
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const width of WIDTHS) {
      const context = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: 900 }, locale: 'en-GB' });
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      const shot = async (name: string, url: string | null, prepare?: (page: Page) => Promise<void>) => {
        if (url) await page.goto(url);
        if (prepare) await prepare(page);
        await page.screenshot({ path: `${OUT}/${name}-${width}.png`, fullPage: width > 400 ? false : true });
        console.log(`${OUT}/${name}-${width}.png`);
      };
      await shot('home', '/');
      await shot('search', '/search?q=solar&sector=renewable_energy');
      await shot('listing', `/listings/${published.reference}`);
      await shot('tech-monitor', '/tech-monitor');
      await shot('register', '/register');
      await logIn(page, member);
      await shot('my-listings', '/my');
      await shot('listing-form-errors', '/my/listings/new', async (p) => {
        await p.getByRole('button', { name: 'Save and submit for validation' }).click();
        await p.waitForSelector('.error-summary');
      });
      if (own.items[0]) await shot('my-listing-matches', `/my/listings/${own.items[0].id}`);
      await shot('interests-received', '/my/interests/received');
      await context.clearCookies();
      await logIn(page, editor);
      await shot('editor-queue', '/editor');
      await shot('my-import', '/my/import');
      await shot('editor-issue-board', `/editor/issues/${issue.id}`);
      await context.close();

      // The annual report over the last twelve months, the span of the demo listings; a taller
      // window on a desktop so that the first charts show under the period form.
      const editorContext = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: width > 400 ? 1500 : 900 }, locale: 'en-GB' });
      editorContext.setDefaultTimeout(20_000);
      const editorPage = await editorContext.newPage();
      await logIn(editorPage, editor);
      const today = app.clock.now();
      const yearAgo = new Date(today.getTime() - 364 * 86_400_000);
      await editorPage.goto(`/editor/reports?from=${yearAgo.toISOString().slice(0, 10)}&to=${today.toISOString().slice(0, 10)}`);
      await editorPage.waitForSelector('.chart--drawn canvas');
      await editorPage.screenshot({ path: `${OUT}/editor-reports-${width}.png`, fullPage: width > 400 ? false : true });
      console.log(`${OUT}/editor-reports-${width}.png`);
      await editorContext.close();
      // The admin pages, logged in as the demo admin.
      const adminContext = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: 900 }, locale: 'en-GB' });
      adminContext.setDefaultTimeout(20_000);
      const adminPage = await adminContext.newPage();
      const adminShot = async (name: string, url: string) => {
        await adminPage.goto(url);
        await adminPage.screenshot({ path: `${OUT}/${name}-${width}.png`, fullPage: width > 400 ? false : true });
        console.log(`${OUT}/${name}-${width}.png`);
      };
      await logIn(adminPage, adminAccount);
      await adminShot('admin-users', '/admin/users');
      await adminShot('admin-organisations', '/admin/organisations');
      await adminShot('admin-organisation', `/admin/organisations/${intermediaryOrganization}`);
      await adminShot('admin-jobs', '/admin/jobs');
      await adminShot('admin-search', '/admin/search');
      await adminShot('admin-subscribers', '/admin/subscribers');
      await adminContext.close();
    }
  } finally {
    await browser.close();
  }
});
