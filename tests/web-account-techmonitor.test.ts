import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { linkIn, startSmtpServer, type TestSmtpServer } from './helpers/smtp.js';
import { WebClient } from './helpers/web-client.js';

let smtp: TestSmtpServer;
let ctx: TestContext;
const drain = () => ctx.app.services.jobs.drain();

beforeAll(async () => {
  smtp = await startSmtpServer();
  ctx = await createTestApp({ SMTP_URL: smtp.url });
});

afterAll(async () => {
  await ctx?.close();
  await smtp?.stop();
});

describe('registration and e-mail verification', () => {
  it('registers with the organisation, keeps values on a mistake, and confirms the address from the mail', async () => {
    const web = new WebClient(ctx);
    await web.get('/register');
    const fields = {
      name: 'Ana Fisher',
      email: 'ana@coop.example',
      password: 'short',
      organizationName: 'Coastal Fish Cooperative',
      organizationCountry: 'LK',
      organizationType: 'sme',
      organizationSize: '',
      organizationWebsite: '',
    };
    const wrong = await web.post('/register', fields);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Password must be at least 10 characters');
    expect(wrong.body).toContain('value="Coastal Fish Cooperative"');
    expect(wrong.body).not.toContain('value="short"');
    const done = await web.post('/register', { ...fields, password: 'a-long-enough-password' });
    expect(done.statusCode).toBe(303);
    // The answer is the same whether or not the address has an account: confirm, then log in.
    expect(done.headers.location).toBe('/login');
    expect((await web.get('/login')).body).toContain('We have sent you an e-mail');
    await web.login('ana@coop.example', 'a-long-enough-password');
    const my = await web.get('/my');
    expect(my.body).toContain('Confirm your e-mail address to submit listings');

    await drain();
    const link = linkIn(smtp.to('ana@coop.example').at(-1)!, 'http://tech.test/verify-email?token=');
    const page = await web.get(link.pathname + link.search);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Confirm your e-mail address');
    const token = link.searchParams.get('token')!;
    const confirmed = await web.post('/verify-email', { token });
    expect(confirmed.headers.location).toBe('/my');
    expect((await web.get('/my')).body).not.toContain('Confirm your e-mail address to submit listings');
    await web.get(link.pathname + link.search);
    const again = await web.post('/verify-email', { token });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('This confirmation link is invalid, already used or expired.');
  });

  it('an address already registered gets the answer a new one gets, and its owner a mail', async () => {
    const web = new WebClient(ctx);
    await web.get('/register');
    const response = await web.post('/register', {
      name: 'Someone',
      email: 'ana@coop.example',
      password: 'another-long-password',
      organizationName: 'Another Org',
      organizationCountry: 'TH',
      organizationType: 'sme',
    });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/login');
    expect((await web.get('/login')).body).not.toContain('already exists');
    await drain();
    expect(smtp.to('ana@coop.example').at(-1)!.subject).toBe('Someone tried to register with your e-mail address');
  });

  it('forgot password answers the same for known and unknown addresses', async () => {
    const web = new WebClient(ctx);
    await web.get('/forgot-password');
    const known = await web.post('/forgot-password', { email: 'ana@coop.example' });
    await web.get('/forgot-password');
    const unknown = await web.post('/forgot-password', { email: 'nobody@nowhere.example' });
    expect(known.statusCode).toBe(303);
    expect(unknown.statusCode).toBe(303);
    expect(known.headers.location).toBe(unknown.headers.location);
  });
});

describe('Tech Monitor subscription pages', () => {
  it('subscribes through the form; the mailed link lands on a page, and a used link on a page that says so', async () => {
    const web = new WebClient(ctx);
    const page = await web.get('/tech-monitor');
    expect(page.body).toContain('Subscribe by e-mail');
    const bad = await web.post('/tech-monitor/subscribe', { email: 'not-an-address' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('E-mail address must be a valid e-mail address');
    await web.get('/tech-monitor');
    const subscribed = await web.post('/tech-monitor/subscribe', { email: 'reader@example.org', sectors: ['water'] });
    expect(subscribed.statusCode).toBe(303);
    await drain();
    const link = linkIn(smtp.to('reader@example.org').at(-1)!, 'http://tech.test/api/v1/techmonitor/subscribers/confirm?token=');
    const followed = await web.get(link.pathname + link.search);
    expect(followed.statusCode).toBe(303);
    expect(followed.headers.location).toBe(`/tech-monitor/confirm${link.search}`);
    const confirmed = await web.get(followed.headers.location as string);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Subscription confirmed');
    const used = await web.get(followed.headers.location as string);
    expect(used.statusCode).toBe(400);
    expect(used.body).toContain('This confirmation link does not work');
    expect(used.body).toContain('class="site-header"');
  });

  it('a bad unsubscribe link answers a page in the site’s style; API clients keep their JSON', async () => {
    const web = new WebClient(ctx);
    const page = await web.get('/tech-monitor/unsubscribe?token=forged');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('This unsubscribe link does not work');
    const alerts = await web.get('/alerts/unsubscribe?token=forged');
    expect(alerts.statusCode).toBe(400);
    const api = await ctx.app.inject({ method: 'GET', url: '/api/v1/techmonitor/unsubscribe?token=forged-token-123' });
    expect(api.statusCode).toBe(400);
    expect(api.json().code).toBe('invalid_token');
  });
});
