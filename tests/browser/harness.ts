import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { PASSWORD } from '../helpers/factories.js';
import { createTestApp, type TestContext } from '../helpers/test-app.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.js';

// Browser journeys: the service runs in this process on its own PGlite database and a free port;
// Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) is driven by playwright-core.

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Site {
  ctx: TestContext;
  smtp: TestSmtpServer;
  baseUrl: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The service on 127.0.0.1, with mail going to an in-process SMTP server; `env` overrides the test configuration. */
export async function startSite(env: Record<string, string> = {}): Promise<Site> {
  const smtp = await startSmtpServer();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx = await createTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: baseUrl, ...env });
  await ctx.app.listen({ host: '127.0.0.1', port });
  return {
    ctx,
    smtp,
    baseUrl,
    close: async () => {
      await ctx.close();
      await smtp.stop();
    },
  };
}

export interface BrowserHandle {
  browser: Browser;
  close(): Promise<void>;
}

/** Chromium with a fresh profile: playwright's launch() gives each browser a new temporary user-data-dir. */
export async function launchChromium(): Promise<BrowserHandle> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

export async function newContext(handle: BrowserHandle, site: Site, options: { javaScriptEnabled?: boolean; width?: number } = {}): Promise<BrowserContext> {
  const context = await handle.browser.newContext({
    baseURL: site.baseUrl,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: 'en-GB',
  });
  // Library mode waits forever by default; a step that cannot happen should fail and say which.
  context.setDefaultTimeout(15_000);
  return context;
}

/** Logs in through the log-in form, as a person would, and waits for the page it leads to. */
export async function logIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
}

/**
 * Runs axe-core on the page (WCAG 2 A and AA rules) and fails on any serious or critical violation.
 * The script is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function expectAccessible(page: Page) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  expect(violations, `axe on ${page.url()}`).toEqual([]);
}

/** Checks axe on the page and records its HTML, so journeys can assert on everything they saw. */
export class Visited {
  readonly pages: { url: string; html: string }[] = [];

  async check(page: Page) {
    await expectAccessible(page);
    this.pages.push({ url: page.url(), html: await page.content() });
  }

  /**
   * For a context with JavaScript off, where axe cannot run: the same URL is opened in a
   * script-enabled context with the same cookies, checked there, and the HTML of both is recorded.
   */
  async checkWithoutScript(page: Page, handle: BrowserHandle, site: Site) {
    const checker = await handle.browser.newContext({ baseURL: site.baseUrl, storageState: await page.context().storageState() });
    const twin = await checker.newPage();
    await twin.goto(page.url());
    await expectAccessible(twin);
    this.pages.push({ url: page.url(), html: await page.content() });
    await checker.close();
  }

  /** Every page seen, checked not to contain any of the words. */
  expectNowhere(words: string[]) {
    for (const { url, html } of this.pages) for (const word of words) expect(html, `${word} on ${url}`).not.toContain(word);
  }
}

/** Moves the focus with the Tab key alone until it reaches the element, as a keyboard user would. */
export async function tabTo(page: Page, selector: string, maxPresses = 250) {
  for (let i = 0; i < maxPresses; i++) {
    if (await page.evaluate((target) => document.activeElement?.matches(target) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

