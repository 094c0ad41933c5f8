import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { createUser, offerBody, publishListing } from '../helpers/factories.js';

// The widget inside a page of another origin: the service on 127.0.0.1, the partner's page on
// 127.0.0.2 (another host, so another origin), framing the widget and, for contrast, an API page.

let ctx: TestContext;
let browser: Browser;
let host: Server;
let appOrigin: string;
let hostOrigin: string;

beforeAll(async () => {
  ctx = await createTestApp({ WIDGET_FRAME_ANCESTORS: '*' });
  const editor = await createUser(ctx, { role: 'editor' });
  const owner = await createUser(ctx, { country: 'NP' });
  await publishListing(ctx, owner, editor, offerBody({ title: 'Micro-hydro turbine for hill villages', sectors: ['renewable_energy'] }));
  appOrigin = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  host = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><html><head><title>Partner site</title></head><body><h1>Our partner page</h1>
<iframe id="widget" title="Latest technology offers" src="${appOrigin}/widget/listings?sector=renewable_energy&limit=5" width="400" height="300"></iframe>
<iframe id="api" title="Not embeddable" src="${appOrigin}/api/v1/vocabularies" width="400" height="100"></iframe></body></html>`);
  });
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.2', resolve));
  hostOrigin = `http://127.0.0.2:${(host.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => host?.close(resolve));
  await ctx?.close();
});

describe('widget in a partner page', () => {
  it('shows the latest listings inside a page of another origin, while other pages refuse to be framed', async () => {
    const page = await browser.newPage();
    await page.goto(`${hostOrigin}/`);
    const widget = page.frameLocator('#widget');
    const link = widget.getByRole('link', { name: 'Micro-hydro turbine for hill villages' });
    await link.waitFor();
    expect(await link.getAttribute('target')).toBe('_top');
    expect(await widget.locator('h1').textContent()).toBe('Latest technology offers and requests in Renewable and clean energy');
    // The stylesheet loaded inside the frame (the widget's CSP allows its own styles only).
    expect(await widget.locator('body').evaluate((body) => getComputedStyle(body).margin)).toBe('0px');

    // The API page's frame was refused (helmet's frame-ancestors 'self' and X-Frame-Options): Chromium
    // shows an error page in its place, never the JSON.
    const apiFrame = page.frames().find((frame) => frame.url().includes('/api/v1/vocabularies') || frame.url().startsWith('chrome-error:'));
    const apiText = apiFrame ? await apiFrame.evaluate(() => document.body?.innerText ?? '').catch(() => '') : '';
    expect(apiText).not.toContain('sectors');
    expect(page.url()).toBe(`${hostOrigin}/`);
    await page.close();
  });
});
