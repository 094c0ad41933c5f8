import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser } from './helpers/factories.js';
import { createReportActivity, TRICKY_ISSUE_TITLE } from './helpers/report-data.js';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { WebClient } from './helpers/web-client.js';

// The annual report page (/editor/reports) and its CSV, on activity made through the API: the
// figures people see, the period in the URL, who may see it, and the JavaScript it costs.

let ctx: TestContext;
let smtp: TestSmtpServer;
let editorWeb: WebClient;
let year: number;
let today: string;

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
  const editor = await createUser(ctx, { role: 'editor' });
  await createReportActivity(ctx, smtp, editor);
  editorWeb = await WebClient.signedIn(ctx, editor);
  today = ctx.clock.now().toISOString().slice(0, 10);
  year = Number(today.slice(0, 4));
});

afterAll(async () => {
  await ctx?.close();
  await smtp?.stop();
});

const decode = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The chart data of one chart block, as reports.js reads it from the attribute. */
function chartOf(html: string, id: string) {
  const block = html.slice(html.indexOf(`id="${id}"`));
  const match = /data-chart="([^"]*)"/.exec(block.slice(0, block.indexOf('</details>')));
  if (!match) return null;
  return JSON.parse(decode(match[1]!)) as { labels: string[]; series: { label: string }[]; values: number[][]; horizontal: boolean };
}

/** The text of a table row whose header cell is `name`, tags stripped. */
function rowOf(html: string, name: string) {
  const at = html.indexOf(`<th scope="row">${name}</th>`);
  if (at < 0) return null;
  return html.slice(at, html.indexOf('</tr>', at)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('the annual report page', () => {
  it('shows this year so far by default, with every figure in a table and names instead of codes', async () => {
    const page = await editorWeb.get('/editor/reports');
    expect(page.statusCode).toBe(200);
    const html = page.body;
    expect(html).toContain('<h1>Annual report</h1>');
    expect(html).toContain(`value="${year}-01-01"`);
    expect(html).toContain(`value="${today}"`);
    expect(html).toMatch(/<a href="\/editor\/reports" aria-current="true">This year so far<\/a>/);
    expect(html).toMatch(/<dt>Listings published<\/dt><dd>3<\/dd>/);
    expect(html).toMatch(/<dt>Expressions of interest sent<\/dt><dd>3<\/dd>/);
    expect(html).toMatch(/<dt>Agreements signed<\/dt><dd>1<\/dd>/);
    expect(html).toMatch(/<dt>Tech Monitor issues published<\/dt><dd>1<\/dd>/);

    expect(rowOf(html, 'Offers')).toBe('Offers 2');
    expect(rowOf(html, 'Water and sanitation')).toBe('Water and sanitation 2');
    expect(rowOf(html, 'Agriculture and food')).toBe('Agriculture and food 1');
    expect(rowOf(html, 'Thailand')).toBe('Thailand 2');
    expect(rowOf(html, 'Viet Nam')).toBe('Viet Nam 1');
    expect(rowOf(html, 'SDG 6: Clean water and sanitation')).toBe('SDG 6: Clean water and sanitation 2');
    expect(rowOf(html, 'Expressions of interest sent')).toBe('Expressions of interest sent 3');
    expect(rowOf(html, 'Accepted by the owner')).toBe('Accepted by the owner 1');
    expect(rowOf(html, 'Introductions started')).toBe('Introductions started 1');
    expect(rowOf(html, 'Agreements signed')).toBe('Agreements signed 1');
    expect(rowOf(html, 'Withdrawn by the sender')).toBe('Withdrawn by the sender 1');
    expect(rowOf(html, 'Too early for us')).toBe('Too early for us 1');
    expect(rowOf(html, 'Licence agreement')).toBe('Licence agreement 1');
    expect(rowOf(html, 'Vol. 51, no. 1')).toBe('Vol. 51, no. 1 1 1');
    expect(rowOf(html, 'Active at the end of the period')).toBe('Active at the end of the period 1');
    expect(rowOf(html, 'Tech Monitor issue')).toBe('Tech Monitor issue 1');
    // Codes never reach the reader.
    for (const code of ['agriculture_food', '>TH<', 'too_early', 'techmonitor_issue', 'licence<']) expect(html).not.toContain(code);

    // Tables are accessible: a caption, column and row headers.
    expect(html).toContain('<caption class="visually-hidden">By sector</caption>');
    expect(html).toContain('<th scope="col">Sector</th>');

    // The charts get the same numbers, largest first.
    expect(chartOf(html, 'chart-sector')).toEqual({ labels: ['Water and sanitation', 'Agriculture and food'], series: [{ label: 'Number' }], values: [[2, 1]], horizontal: true });
    expect(chartOf(html, 'chart-funnel')?.values).toEqual([[3, 1, 1, 1]]);
    expect(chartOf(html, 'chart-issues')).toMatchObject({ labels: ['Vol. 51, no. 1'], values: [[1], [1]], series: [{ label: 'Offers' }, { label: 'Requests' }] });
  });

  it('takes the period from the URL, says when a period is empty, and explains a wrong one', async () => {
    const lastYear = await editorWeb.get(`/editor/reports?from=${year - 1}-01-01&to=${year - 1}-12-31`);
    expect(lastYear.statusCode).toBe(200);
    expect(lastYear.body).toMatch(/<dt>Listings published<\/dt><dd>0<\/dd>/);
    expect(lastYear.body).not.toContain('data-chart=');
    expect(lastYear.body.match(/Nothing in this period\./g)?.length).toBe(11);
    expect(lastYear.body).toContain(`<a href="/editor/reports?from=${year - 1}-01-01&amp;to=${year - 1}-12-31" aria-current="true">Year ${year - 1}</a>`);
    expect(lastYear.body).toContain(`href="/editor/reports.csv?from=${year - 1}-01-01&amp;to=${year - 1}-12-31"`);

    // Only the first day given: up to today.
    const fromToday = await editorWeb.get(`/editor/reports?from=${today}&to=`);
    expect(fromToday.statusCode).toBe(200);
    expect(fromToday.body).toMatch(/<dt>Listings published<\/dt><dd>3<\/dd>/);

    const notADate = await editorWeb.get('/editor/reports?from=April&to=');
    expect(notADate.statusCode).toBe(400);
    expect(notADate.body).toContain('First day must be a date (YYYY-MM-DD)');
    expect(notADate.body).toContain('Correct the period to see the figures.');
    expect(notADate.body).not.toContain('Download the figures');

    const backwards = await editorWeb.get(`/editor/reports?from=${year}-05-01&to=${year}-04-01`);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('<a href="#to">Last day must not be before from</a>');
    expect(backwards.body).toContain(`value="${year}-05-01"`);
  });

  it('escapes what people typed: issue titles and the period echoed back', async () => {
    const page = await editorWeb.get('/editor/reports');
    // The renderer escapes < & and " in text (a > alone opens nothing).
    expect(page.body).toContain('&lt;img src=x onerror=alert(1)> &quot;Water&quot; &amp; &lt;b>food&lt;/b>');
    expect(page.body).not.toContain(TRICKY_ISSUE_TITLE);
    expect(page.body).not.toContain('<img');
    const echoed = await editorWeb.get(`/editor/reports?from=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(echoed.statusCode).toBe(400);
    expect(echoed.body).not.toContain('<script>alert(1)');
    expect(echoed.body).toContain('value="&quot;>&lt;script>alert(1)&lt;/script>"');
  });

  it('downloads the same figures as CSV, named after the period', async () => {
    const csv = await editorWeb.get(`/editor/reports.csv?from=${year}-01-01&to=${today}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="summary-${year}-01-01-${today}.csv"`);
    expect(csv.headers['cache-control']).toBe('private, no-cache');
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toBe('section,code,label,value');
    for (const line of [
      `period,from,First day,${year}-01-01`,
      'listings,published,Listings published,3',
      'listings_by_country,TH,Thailand,2',
      'listings_by_sector,water,Water and sanitation,2',
      'interests,sent,Expressions of interest sent,3',
      'interests_declined_by_reason,too_early,Too early for us,1',
      'agreements_by_type,licence,Licence agreement,1',
      `techmonitor_issue,vol51-no1,"<img src=x onerror=alert(1)> ""Water"" & <b>food</b>",2`,
      'subscribers,total_active,Active subscribers at the end of the period,1',
    ]) {
      expect(lines, line).toContain(line);
    }
    // The API's download is the same file.
    const editorApi = await createUser(ctx, { role: 'editor' });
    const api = await ctx.app.inject({ method: 'GET', url: `/api/v1/reports/summary.csv?from=${year}-01-01&to=${today}`, headers: editorApi.auth });
    expect(api.body).toBe(csv.body);
    expect(api.headers['content-disposition']).toBe(csv.headers['content-disposition']);

    const wrong = await editorWeb.get('/editor/reports.csv?from=soon');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('First day must be a date (YYYY-MM-DD)');
  });

  it('is for editors and admins: members and intermediaries get 403, visitors the log-in page', async () => {
    const admin = await createUser(ctx, { role: 'admin' });
    const adminWeb = await WebClient.signedIn(ctx, admin);
    expect((await adminWeb.get('/editor/reports')).statusCode).toBe(200);
    for (const role of ['member', 'intermediary'] as const) {
      const user = await createUser(ctx, { role });
      const web = await WebClient.signedIn(ctx, user);
      for (const url of ['/editor/reports', `/editor/reports?from=${year}-01-01`, '/editor/reports.csv']) {
        const response = await web.get(url);
        expect(response.statusCode, `${role} ${url}`).toBe(403);
        expect(response.body).not.toContain('Listings published');
      }
    }
    const visitor = new WebClient(ctx);
    for (const url of ['/editor/reports', '/editor/reports.csv']) {
      const response = await visitor.get(url);
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    }
  });

  it('links the report from the editors’ navigation', async () => {
    const queue = await editorWeb.get('/editor');
    expect(queue.body).toContain('<a href="/editor/reports">Annual report</a>');
    const page = await editorWeb.get('/editor/reports');
    expect(page.body).toContain('<a href="/editor/reports" aria-current="page">Annual report</a>');
  });
});

describe('the JavaScript the report costs', () => {
  const scriptsOf = (html: string) => [...html.matchAll(/<script src="([^"]+)"/g)].map((match) => match[1]!);

  async function compressedSize(urls: string[], encoding: 'gzip' | 'br') {
    let total = 0;
    for (const url of urls) {
      const response = await ctx.app.inject({ method: 'GET', url, headers: { 'accept-encoding': encoding } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      total += response.rawPayload.length;
    }
    return total;
  }

  it('loads the chart library on the report page only, and stays under 50 KB of compressed script', async () => {
    const report = scriptsOf((await editorWeb.get('/editor/reports')).body);
    expect(report.some((src) => /^\/assets\/uplot\.[0-9a-f]{12}\.js$/.test(src))).toBe(true);
    expect(report.some((src) => /^\/assets\/reports\.[0-9a-f]{12}\.js$/.test(src))).toBe(true);
    expect(await compressedSize(report, 'gzip')).toBeLessThan(50 * 1024);
    expect(await compressedSize(report, 'br')).toBeLessThan(50 * 1024);
    for (const url of ['/', '/editor', '/search']) {
      const scripts = scriptsOf((await editorWeb.get(url)).body);
      expect(scripts.some((src) => src.includes('uplot') || src.includes('reports')), url).toBe(false);
    }
  });
});
