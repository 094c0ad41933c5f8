import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser } from './helpers/factories.js';
import { WebClient } from './helpers/web-client.js';

// Who may open the workspaces' pages and post their forms. The URLs are read from Fastify's route
// table, so a page added under /editor or /admin later is covered without touching this file.

let ctx: TestContext;

interface PageRoute {
  method: 'GET' | 'POST';
  path: string;
}

/**
 * Every GET and POST route of the app, from `printRoutes({ commonPrefix: false })`: a tree whose
 * lines are `├── segment (METHODS)`, each indented four columns per level below its parent.
 */
function routeTable(printed: string): PageRoute[] {
  const routes: PageRoute[] = [];
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('');
    for (const method of (match[3] ?? '').split(', ')) if (method === 'GET' || method === 'POST') routes.push({ method, path });
  }
  return routes;
}

const SAMPLE_ID = '7d1c7a43-2f1e-4b53-9a57-0d8cf1e2a111';
/** A concrete URL for a route: every parameter gets a value of the right shape. */
const urlOf = (path: string) => path.replace(/:([A-Za-z]+)/g, (_whole, name: string) => (/id$/i.test(name) ? SAMPLE_ID : 'x'));

let editorRoutes: PageRoute[];
let adminRoutes: PageRoute[];

beforeAll(async () => {
  ctx = await createTestApp();
  const all = routeTable(ctx.app.printRoutes({ commonPrefix: false }));
  const under = (prefix: string) => all.filter((route) => route.path === prefix || route.path.startsWith(`${prefix}/`));
  editorRoutes = under('/editor');
  adminRoutes = under('/admin');
});

afterAll(async () => {
  await ctx?.close();
});

describe('the route table', () => {
  it('is read completely: the known pages and forms of both workspaces are in it', () => {
    const names = (routes: PageRoute[]) => routes.map((route) => `${route.method} ${route.path}`);
    expect(names(editorRoutes)).toEqual(expect.arrayContaining(['GET /editor', 'GET /editor/listings/:id']));
    expect(names(adminRoutes)).toEqual(
      expect.arrayContaining([
        'GET /admin',
        'GET /admin/users',
        'POST /admin/users/:id/role',
        'POST /admin/users/:id/:change',
        'GET /admin/organisations',
        'GET /admin/organisations/:id',
        'POST /admin/organisations/:id',
        'POST /admin/organisations/:id/links/:change',
        'GET /admin/jobs',
        'POST /admin/jobs/:jobNumber/retry',
        'POST /admin/jobs/retry-failed',
        'POST /admin/mail/:id/retry',
        'POST /admin/mail/retry-failed',
        'GET /admin/search',
        'POST /admin/search/reindex',
        'GET /admin/subscribers',
        'POST /admin/subscribers/bounce',
      ]),
    );
    expect(editorRoutes.some((route) => route.method === 'POST')).toBe(true);
    // The API's admin routes live under /api/v1/admin and are not pages.
    expect(adminRoutes.every((route) => !route.path.startsWith('/api/'))).toBe(true);
  });
});

describe('who may use /editor and /admin', () => {
  it('sends a visitor to the log-in page from every page and form', async () => {
    const visitor = new WebClient(ctx);
    await visitor.get('/login');
    for (const route of [...editorRoutes, ...adminRoutes]) {
      const url = urlOf(route.path);
      const response = route.method === 'GET' ? await visitor.get(url) : await visitor.post(url, { note: 'x' });
      expect(response.statusCode, `${route.method} ${url}`).toBe(303);
      expect(response.headers.location, `${route.method} ${url}`).toMatch(/^\/login\?next=/);
    }
  });

  for (const role of ['member', 'intermediary'] as const) {
    it(`refuses a logged-in ${role} every page and form, with a valid CSRF token`, async () => {
      const user = await createUser(ctx, { role, withOrganization: true });
      const web = await WebClient.signedIn(ctx, user);
      await web.get('/my');
      const token = web.csrf();
      for (const route of [...editorRoutes, ...adminRoutes]) {
        const url = urlOf(route.path);
        const response = route.method === 'GET' ? await web.get(url) : await web.post(url, { note: 'x', role: 'admin' }, { csrf: token });
        expect(response.statusCode, `${role} ${route.method} ${url}`).toBe(403);
      }
      // Still logged in: the refusals were about the role, not the session or the token.
      expect((await web.get('/my')).statusCode).toBe(200);
    });
  }

  it('refuses an editor every admin page and form, and lets them into /editor', async () => {
    const editor = await createUser(ctx, { role: 'editor' });
    const web = await WebClient.signedIn(ctx, editor);
    await web.get('/my');
    const token = web.csrf();
    for (const route of adminRoutes) {
      const url = urlOf(route.path);
      const response = route.method === 'GET' ? await web.get(url) : await web.post(url, { role: 'admin' }, { csrf: token });
      expect(response.statusCode, `editor ${route.method} ${url}`).toBe(403);
    }
    expect((await web.get('/editor')).statusCode).toBe(200);
  });

  it('lets an admin open every admin page that takes no parameter', async () => {
    const admin = await createUser(ctx, { role: 'admin' });
    const web = await WebClient.signedIn(ctx, admin);
    for (const route of adminRoutes.filter((route) => route.method === 'GET' && !route.path.includes(':'))) {
      const response = await web.get(route.path);
      expect([200, 303], `admin GET ${route.path}`).toContain(response.statusCode);
    }
  });
});
