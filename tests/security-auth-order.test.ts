import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from './helpers/test-app.js';
import { createUser, type TestUser } from './helpers/factories.js';

// Issue 13, item 4: authentication (and a role check where the role alone decides) comes before
// body validation, so a caller without the right credentials learns nothing about what a route
// would accept.

let ctx: TestContext;
let member: TestUser;
let editor: TestUser;
beforeAll(async () => {
  ctx = await createTestApp();
  member = await createUser(ctx);
  editor = await createUser(ctx, { role: 'editor' });
});
afterAll(() => ctx.close());

const invalidBody = { title: 42, nonsense: true };

describe('401 before 400', () => {
  it.each([
    ['POST', '/api/v1/listings'],
    ['POST', '/api/v1/interests'],
    ['POST', '/api/v1/techmonitor/issues'],
  ] as const)('%s %s without a login answers 401 to an invalid body', async (method, url) => {
    const response = await ctx.app.inject({ method, url, payload: invalidBody });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'unauthorized' });
    expect(response.json().issues).toBeUndefined();
  });

  it('answers 403, not 400, to a member with an invalid body on a staff or admin route', async () => {
    for (const [method, url] of [
      ['POST', '/api/v1/techmonitor/issues'],
      ['GET', '/api/v1/reports/summary?from=not-a-date'],
      ['PATCH', `/api/v1/admin/users/${member.id}`],
    ] as const) {
      const response = await ctx.app.inject({ method, url, headers: member.auth, payload: method === 'GET' ? undefined : invalidBody });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    const editorOnAdminRoute = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/admin/users/not-a-uuid', headers: editor.auth, payload: invalidBody });
    expect(editorOnAdminRoute.statusCode).toBe(403);
  });

  it('still validates once the caller may call the route', async () => {
    const response = await ctx.app.inject({ method: 'POST', url: '/api/v1/techmonitor/issues', headers: editor.auth, payload: invalidBody });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((issue: { path: string }) => issue.path)).toContain('body.title');
  });

  it('holds for every operation the OpenAPI document says needs a bearer token', async () => {
    const document = (await ctx.app.inject({ method: 'GET', url: '/docs/json' })).json() as {
      paths: Record<string, Record<string, { security?: { bearerAuth?: string[] }[] }>>;
    };
    const checked: string[] = [];
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        // A token is needed where every security requirement names one (an empty requirement, `{}`,
        // makes it optional: public routes that read one when it is sent).
        const requirements = operation.security ?? [];
        if (requirements.length === 0 || !requirements.every((requirement) => requirement.bearerAuth)) continue;
        const url = path.replace(/\{[^}]+\}/g, 'not-a-uuid');
        const hasBody = !['get', 'delete'].includes(method);
        const response = await ctx.app.inject({ method: method.toUpperCase() as 'GET', url, ...(hasBody ? { payload: invalidBody } : {}) });
        expect(response.statusCode, `${method.toUpperCase()} ${path}`).toBe(401);
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked.length).toBeGreaterThan(40);
  });
});

describe('credentials', () => {
  it('refuses an Authorization scheme no resolver knows', async () => {
    const response = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Basic ${randomUUID()}` } });
    expect(response.statusCode).toBe(401);
  });
});
