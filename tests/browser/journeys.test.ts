import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, offerBody, publishListing, requestBody, type TestUser } from '../helpers/factories.js';
import { linkIn } from '../helpers/smtp.js';
import { launchChromium, logIn, newContext, startSite, tabTo, Visited, type BrowserHandle, type Site } from './harness.js';

let site: Site;
let chromium: BrowserHandle;
let editor: TestUser;
let owner: TestUser;
let ownerOrganization: string;
let anonymousOffer: { id: string; reference: string };
let dryerOffer: { id: string; reference: string };

const drain = () => site.ctx.app.services.jobs.drain();

beforeAll(async () => {
  site = await startSite();
  chromium = await launchChromium();
  editor = await createUser(site.ctx, { role: 'editor' });
  owner = await createUser(site.ctx, { name: 'Hidden Owner Name' });
  ownerOrganization = (await site.ctx.app.services.organizations.find(owner.organizationId!))!.name;
  dryerOffer = await publishListing(
    site.ctx,
    owner,
    editor,
    offerBody({
      title: 'Solar tunnel dryer for fish and fruit',
      summary: 'A solar tunnel dryer that dries 2 tonnes of fish or fruit a day without diesel.',
      description: 'Solar collectors heat air that a small PV fan pushes through a tunnel of drying racks; fish drying down to 12% moisture.',
      advantages: 'No fuel; drying time halved compared with open-sun drying.',
      sectors: ['agriculture_food', 'ocean_economy'],
      keywords: ['solar dryer', 'fish drying'],
      iprNotes: 'TH patent 98765',
      anonymous: true,
    }),
  );
  anonymousOffer = dryerOffer;
  await publishListing(site.ctx, await createUser(site.ctx), editor, offerBody({ title: 'Biogas digester for dairy farms', sectors: ['bio_energy'], keywords: ['biogas'] }));
  await publishListing(site.ctx, await createUser(site.ctx), editor, requestBody({ title: 'Water purification for island schools', sectors: ['water'], keywords: ['water'] }));
  await drain();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await site?.close();
});

describe('browser journeys', () => {
  const visited = new Visited();

  it('1. a visitor searches with a typo, narrows by a facet, opens an offer', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await page.goto('/');
    await visited.check(page);
    await page.getByLabel('Search offers and requests').fill('soalr dryer');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/\/search\?q=soalr\+dryer/);
    await expect.poll(() => page.locator('.results__count').textContent()).toContain('result');
    await visited.check(page);
    await page.locator('.facet', { hasText: 'Offer or request' }).getByRole('link', { name: /Offers/ }).click();
    await page.waitForURL(/kind=offer/);
    expect(await page.getByRole('link', { name: 'Remove filter: Offers' }).count()).toBe(1);
    await visited.check(page);
    await page.getByRole('link', { name: 'Solar tunnel dryer for fish and fruit' }).click();
    await page.waitForURL(`**/listings/${dryerOffer.reference}`);
    expect(await page.locator('h1').textContent()).toBe('Solar tunnel dryer for fish and fruit');
    await visited.check(page);
    await page.goBack();
    await page.waitForURL(/kind=offer/);
    await context.close();
  });

  it('2. an SME registers, verifies its e-mail, posts a request (fixing a mistake) with the keyboard, and sees matches once it is published', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await page.goto('/register');
    await visited.check(page);
    await page.getByLabel('Your name').fill('Ana Fisher');
    await page.getByLabel('E-mail address').fill('ana@coop.example');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Organisation name').fill('Coastal Fish Cooperative');
    await page.getByLabel('Country').selectOption('LK');
    await page.getByLabel('Type of organisation').selectOption('sme');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Password must be at least 10 characters');
    expect(await page.getByLabel('Organisation name').inputValue()).toBe('Coastal Fish Cooperative');
    await visited.check(page);
    await page.getByLabel('Password').fill('a-long-enough-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Registration answers alike for new and known addresses: confirm from the mail, then log in.
    await page.waitForURL('**/login');
    expect(await page.locator('.flash').textContent()).toContain('We have sent you an e-mail');
    await visited.check(page);

    await drain();
    const mail = site.smtp.to('ana@coop.example').at(-1)!;
    const link = linkIn(mail, `${site.baseUrl}/verify-email?token=`);
    await page.goto(link.href);
    await visited.check(page);
    await page.getByRole('button', { name: 'Confirm your e-mail address' }).click();
    await page.waitForURL('**/login?next=%2Fmy');
    expect(await page.locator('.flash').textContent()).toContain('Your e-mail address is confirmed.');
    await logIn(page, 'ana@coop.example', 'a-long-enough-password');
    await page.waitForURL('**/my');

    await page.goto('/my/listings/new');
    await visited.check(page);
    // The keyboard alone: Tab to each field, type, Space to tick, arrows to choose.
    // In a radio group Tab reaches the first choice; the arrow keys move to (and choose) the next.
    await tabTo(page, 'input[name="kind"][value="offer"]');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('input[name="kind"][value="request"]').isChecked()).toBe(true);
    await tabTo(page, '#summary');
    await page.keyboard.type('We need to dry 2 tonnes of fish a day without diesel.');
    await tabTo(page, '#description');
    await page.keyboard.type('Our cooperative dries fish in the open sun; rain spoils a third of the catch. We seek a solar dryer.');
    await tabTo(page, '#specificationSought');
    await page.keyboard.type('Capacity 2 t/day of fish, moisture below 15%, no diesel.');
    await tabTo(page, 'input[name="sectors"][value="agriculture_food"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'input[name="sectors"][value="ocean_economy"]');
    await page.keyboard.press('Space');
    await tabTo(page, '#keywords');
    await page.keyboard.type('fish drying, solar dryer');
    await tabTo(page, 'input[name="stage"]');
    await page.keyboard.press('Space');
    await tabTo(page, '#trl');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await tabTo(page, 'input[name="iprStatus"]:checked');
    await tabTo(page, 'input[name="partnershipTypes"][value="technical_cooperation"]');
    await page.keyboard.press('Space');
    await tabTo(page, 'button[value="submit"]');
    await page.keyboard.press('Enter');
    // The title was left out: the summary says so, the rest is kept.
    await expect.poll(() => page.locator('.error-summary').textContent()).toContain('Title is required');
    expect(await page.locator('#description').inputValue()).toContain('rain spoils a third');
    await visited.check(page);
    await tabTo(page, '#title');
    await page.keyboard.type('Solar fish dryer for a coastal cooperative');
    await tabTo(page, 'button[value="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/my\/listings\/[0-9a-f-]{36}$/);
    expect(await page.locator('.flash').textContent()).toContain('sent to the editors');
    await visited.check(page);

    const listingId = page.url().split('/').pop()!;
    await site.ctx.app.inject({ method: 'POST', url: `/api/v1/listings/${listingId}/publish`, headers: editor.auth, payload: {} });
    await drain();
    await page.reload();
    expect(await page.locator('#matches').textContent()).toContain('Matches');
    const match = page.locator('.match', { hasText: 'Solar tunnel dryer for fish and fruit' });
    await match.locator('summary').click();
    expect(await match.locator('details').textContent()).toMatch(/fits|match/i);
    await visited.check(page);
    await context.close();
  });

  it('3. an intermediary sends an EOI for a client; the owner accepts; both see the other’s contacts', async () => {
    const broker = await createUser(site.ctx, { role: 'intermediary', name: 'Broker Person' });
    const client = await createUser(site.ctx, { name: 'Client Person' });
    await site.ctx.app.services.organizations.addClient(site.ctx.database.db, broker.id, client.organizationId!);
    const clientName = (await site.ctx.app.services.organizations.find(client.organizationId!))!.name;
    const seller = await createUser(site.ctx, { name: 'Seller Person' });
    const offer = await publishListing(site.ctx, seller, editor, offerBody({ title: 'Rice husk gasifier', sectors: ['bio_energy'] }));
    await drain();

    const brokerContext = await newContext(chromium, site);
    const brokerPage = await brokerContext.newPage();
    await logIn(brokerPage, broker.email);
    await brokerPage.goto(`/listings/${offer.reference}`);
    await visited.check(brokerPage);
    await brokerPage.getByLabel('You write for').selectOption({ label: clientName }).catch(async () => {
      // A broker without an organisation of its own writes for its only client without choosing.
    });
    await brokerPage.getByLabel('Your message').fill('Our client, a rice mill, would like a licence.');
    await brokerPage.getByRole('button', { name: 'Send expression of interest' }).click();
    await brokerPage.waitForURL(/\/my\/interests\//);
    const interestUrl = new URL(brokerPage.url()).pathname;
    await visited.check(brokerPage);

    const sellerContext = await newContext(chromium, site);
    const sellerPage = await sellerContext.newPage();
    await logIn(sellerPage, seller.email);
    await sellerPage.goto('/my/interests/received');
    await visited.check(sellerPage);
    await sellerPage.getByRole('link', { name: 'Rice husk gasifier' }).click();
    await sellerPage.waitForURL(`**${interestUrl}`);
    await visited.check(sellerPage);
    await sellerPage.getByRole('button', { name: 'Accept and exchange contacts' }).click();
    await expect.poll(() => sellerPage.locator('#contacts').count()).toBe(1);
    expect(await sellerPage.content()).toContain(broker.email);
    await visited.check(sellerPage);

    await brokerPage.reload();
    expect(await brokerPage.content()).toContain(seller.email);
    await visited.check(brokerPage);
    await brokerContext.close();
    await sellerContext.close();
  });

  it('4. an anonymous listing: its owner appears nowhere on the pages visited', async () => {
    const context = await newContext(chromium, site);
    const page = await context.newPage();
    await page.goto(`/search?q=${encodeURIComponent('tunnel dryer')}`);
    await visited.check(page);
    await page.goto(`/listings/${anonymousOffer.reference}`);
    expect(await page.content()).toContain('The owner chose to stay anonymous');
    await visited.check(page);
    const seeker = await createUser(site.ctx);
    await logIn(page, seeker.email);
    await page.goto(`/listings/${anonymousOffer.reference}`);
    await page.getByLabel('Your message').fill('Interested in your dryer.');
    await page.getByRole('button', { name: 'Send expression of interest' }).click();
    await page.waitForURL(/\/my\/interests\//);
    await visited.check(page);
    await page.goto('/my/interests/sent');
    await visited.check(page);
    visited.expectNowhere([ownerOrganization, 'Hidden Owner Name', owner.email, 'TH patent 98765']);
    await context.close();
  });

  it('5. with JavaScript disabled, search, posting and an EOI still work', async () => {
    const member = await createUser(site.ctx, { name: 'No Script' });
    const context = await newContext(chromium, site, { javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto('/search');
    await page.getByLabel('Search offers and requests').fill('biogas');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.waitForURL(/q=biogas/);
    expect(await page.locator('.result-list').textContent()).toContain('Biogas digester for dairy farms');
    await page.getByLabel('Sort by').selectOption('newest');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/sort=newest/);
    await visited.checkWithoutScript(page, chromium, site);

    await logIn(page, member.email);
    await page.goto('/my/listings/new');
    await page.getByLabel('A technology offer: we have a technology to share').check();
    await page.getByLabel('Title').fill('Solar milk chiller');
    await page.getByLabel('Summary').fill('A solar milk chiller for village collection centres.');
    await page.getByLabel('Description').fill('Keeps 500 litres of milk at 4 °C with an ice bank charged by solar PV.');
    await page.getByLabel('Agriculture and food').check();
    await page.getByLabel('Lab tested').check();
    await page.getByLabel('Technology readiness level (TRL)').selectOption('5');
    await page.getByLabel('Licence agreement').check();
    await page.getByRole('button', { name: 'Save as draft' }).click();
    await page.waitForURL(/\/my\/listings\/[0-9a-f-]{36}$/);
    expect(await page.locator('.flash').textContent()).toContain('Your draft is saved.');
    await visited.checkWithoutScript(page, chromium, site);

    await page.goto('/search?q=biogas');
    await page.getByRole('link', { name: 'Biogas digester for dairy farms' }).click();
    await page.getByLabel('Your message').fill('We run a dairy cooperative and want to know more.');
    await page.getByRole('button', { name: 'Send expression of interest' }).click();
    await page.waitForURL(/\/my\/interests\//);
    expect(await page.locator('.flash').textContent()).toContain('Your expression of interest is sent.');
    await visited.checkWithoutScript(page, chromium, site);
    await context.close();
  });
});
