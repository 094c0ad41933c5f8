import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { mailMessages } from '../drizzle/mail.js';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, PASSWORD, type TestUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// The admins' user pages: search, role changes, disabling (which ends the user's open web session
// at once) and a new confirmation mail.

let ctx: TestContext;
let admin: TestUser;
let adminWeb: WebClient;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await createUser(ctx, { role: 'admin' });
  adminWeb = await WebClient.signedIn(ctx, admin);
});

afterAll(async () => {
  await ctx?.close();
});

describe('/admin/users', () => {
  it('finds users by part of the name or e-mail and by role', async () => {
    await createUser(ctx, { name: 'Findable Farida' });
    await createUser(ctx, { role: 'editor', name: 'Findable Editor' });
    const byName = await adminWeb.get('/admin/users?q=findable');
    expect(byName.statusCode).toBe(200);
    expect(byName.body).toContain('Findable Farida');
    expect(byName.body).toContain('Findable Editor');
    expect(byName.body).toContain('2 users');
    const byRole = await adminWeb.get('/admin/users?q=findable&role=editor');
    expect(byRole.body).toContain('Findable Editor');
    expect(byRole.body).not.toContain('Findable Farida');
    expect(byRole.body).toMatch(/<option value="editor" selected/);
  });

  it('pages through more users than one page holds, keeping the filters', async () => {
    await ctx.database.db.transaction(async (tx) => {
      for (let i = 0; i < 51; i++) {
        await ctx.app.services.users.createUser(tx, { email: `paged-${i}@example.org`, name: `Paged Person ${i}`, password: PASSWORD, role: 'member', organizationId: null, verified: true });
      }
    });
    const first = await adminWeb.get('/admin/users?q=paged');
    expect(first.body).toContain('51 users');
    expect(first.body).toContain('Page 1 of 2');
    expect(first.body.match(/<td>Paged Person \d+<\/td>/g)).toHaveLength(50);
    expect(first.body).toContain('href="/admin/users?q=paged&amp;offset=50"');
    const second = await adminWeb.get('/admin/users?q=paged&offset=50');
    expect(second.body).toContain('Page 2 of 2');
    expect(second.body.match(/<td>Paged Person \d+<\/td>/g)).toHaveLength(1);
    // A page past the end, or an offset that is not a number, still answers a list.
    expect((await adminWeb.get('/admin/users?q=paged&offset=x')).body).toContain('Page 1 of 2');
  });

  it('changes a role; the user’s next page already sees it', async () => {
    const user = await createUser(ctx, { name: 'Promoted Pat' });
    const userWeb = await WebClient.signedIn(ctx, user);
    expect((await userWeb.get('/editor')).statusCode).toBe(403);
    await adminWeb.get('/admin/users?q=promoted');
    const changed = await adminWeb.post(`/admin/users/${user.id}/role`, { role: 'editor' });
    expect(changed.statusCode).toBe(303);
    expect((await adminWeb.get(changed.headers.location as string)).body).toContain('The role is changed.');
    expect((await userWeb.get('/editor')).statusCode).toBe(200);
    const tampered = await adminWeb.post(`/admin/users/${user.id}/role`, { role: 'superuser' }, { csrf: adminWeb.csrf() });
    expect(tampered.statusCode).toBe(400);
  });

  it('disabling ends the user’s open web session at once', async () => {
    const user = await createUser(ctx, { name: 'Disabled Dana' });
    const userWeb = await WebClient.signedIn(ctx, user);
    expect((await userWeb.get('/my')).statusCode).toBe(200);
    await adminWeb.get('/admin/users?q=disabled%20dana');
    const disabled = await adminWeb.post(`/admin/users/${user.id}/disable`);
    expect(disabled.statusCode).toBe(303);
    const after = await userWeb.get('/my');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/login?next=%2Fmy');
    const list = await adminWeb.get('/admin/users?q=disabled%20dana');
    expect(list.body).toContain('Disabled');
    expect(list.body).toContain(`/admin/users/${user.id}/enable`);
    // An admin cannot lock themselves out.
    expect((await adminWeb.post(`/admin/users/${admin.id}/disable`)).statusCode).toBe(409);
  });

  it('sends an unconfirmed user a new confirmation mail, and says when the address is confirmed already', async () => {
    const user = await createUser(ctx, { name: 'Unconfirmed Uma', verified: false });
    const page = await adminWeb.get('/admin/users?q=unconfirmed');
    expect(page.body).toContain('Not confirmed');
    const sent = await adminWeb.post(`/admin/users/${user.id}/resend-verification`);
    expect(sent.statusCode).toBe(303);
    const verificationMails = async () =>
      (await ctx.database.db.select().from(mailMessages).where(eq(mailMessages.toEmail, user.email))).filter((mail) => mail.template === 'verify_email').length;
    expect(await verificationMails()).toBe(1);
    const confirmed = await createUser(ctx, { name: 'Confirmed Cleo' });
    await adminWeb.get('/admin/users?q=confirmed%20cleo');
    expect((await adminWeb.post(`/admin/users/${confirmed.id}/resend-verification`, {}, { csrf: adminWeb.csrf() })).statusCode).toBe(409);
  });
});

describe('who may use the admin pages', () => {
  it('visitors go to the log-in page; members, intermediaries and editors get 403 on every page and form', async () => {
    const target = await createUser(ctx);
    const pages = ['/admin', '/admin/users', '/admin/users?q=a'];
    const forms = ['role', 'disable', 'enable', 'resend-verification'].map((action) => `/admin/users/${target.id}/${action}`);
    const visitor = new WebClient(ctx);
    for (const url of pages) {
      const response = await visitor.get(url);
      expect(response.statusCode, url).toBe(303);
      expect(response.headers.location).toMatch(/^\/login\?next=/);
    }
    for (const role of ['member', 'intermediary', 'editor'] as const) {
      const user = await createUser(ctx, { role });
      const web = await WebClient.signedIn(ctx, user);
      for (const url of pages) expect((await web.get(url)).statusCode, `${role} ${url}`).toBe(403);
      await web.get('/my');
      for (const url of forms) expect((await web.post(url, { role: 'admin' })).statusCode, `${role} ${url}`).toBe(403);
    }
    const after = await ctx.app.services.users.loadActor(target.id);
    expect(after).toMatchObject({ role: 'member' });
  });
});
