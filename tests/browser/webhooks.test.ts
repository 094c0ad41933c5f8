import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { createUser, publishListing, type TestUser } from '../helpers/factories.js';
import { startWebhookReceiver, verifyDelivery, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { expectAccessible, launchChromium, logIn, type BrowserHandle } from './harness.js';

// An intermediary registers a webhook in the workspace, copies its secret, and follows the
// delivery log; a receiver started by the test stands for the partner's system.

let ctx: TestContext;
let handle: BrowserHandle;
let browser: Browser;
let receiver: WebhookReceiver;
let baseUrl: string;
let partner: TestUser;
let editor: TestUser;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ctx = await createTestApp({ WEBHOOKS_ALLOW_HTTP: 'true', WEBHOOKS_ALLOW_PRIVATE_TARGETS: 'true' });
  baseUrl = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  partner = await createUser(ctx, { role: 'intermediary', withOrganization: true, name: 'Tara Partner' });
  editor = await createUser(ctx, { role: 'editor' });
  handle = await launchChromium();
  browser = handle.browser;
});

afterAll(async () => {
  await handle?.close();
  await ctx?.close();
  await receiver?.close();
});

describe('webhooks in the workspace', () => {
  it('registers a webhook, shows its secret once, and logs deliveries and a test event', async () => {
    const context = await browser.newContext({ baseURL: baseUrl, locale: 'en-GB' });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await logIn(page, partner.email);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL('**/my/webhooks');
    await expectAccessible(page);

    // A mistake first: the error summary and the field's message.
    await page.getByLabel('Address (URL)').fill('ftp://partner.example/hooks');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('link', { name: 'Address (URL) must start with https:// or http://' }).waitFor();
    await expectAccessible(page);

    await page.getByLabel('Address (URL)').fill(`${receiver.url}/browser`);
    await page.getByLabel('A listing expires (any public listing)').uncheck();
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'Copy the signing secret now' }).waitFor();
    await expectAccessible(page);
    const secret = (await page.locator('code.secret').textContent())!;
    expect(secret).toMatch(/^whsec_/);

    await page.getByRole('link', { name: 'Continue to the webhook' }).click();
    await page.getByRole('heading', { name: 'Delivery log' }).waitFor();
    expect(await page.content()).not.toContain(secret);

    const member = await createUser(ctx);
    await publishListing(ctx, member, editor);
    await ctx.app.services.jobs.drain();
    await page.reload();
    await page.getByRole('cell', { name: 'listing.published' }).waitFor();
    expect(await page.getByRole('row').nth(1).textContent()).toContain('Delivered');
    const [delivery] = receiver.on('/browser');
    expect(verifyDelivery(secret, delivery!.headers, delivery!.body, Math.floor(ctx.clock.now().getTime() / 1000))).toBe(true);

    await page.getByRole('button', { name: 'Send a test event' }).click();
    await page.getByText('A test event is on its way.').waitFor();
    await ctx.app.services.jobs.drain();
    await page.reload();
    await page.getByRole('cell', { name: 'webhook.test' }).waitFor();
    await expectAccessible(page);
    expect(receiver.on('/browser').map((entry) => entry.event.type)).toEqual(['listing.published', 'webhook.test']);
    await context.close();
  });
});
