import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { AppError, NotFound } from '../lib/errors.js';
import { loadAssets, registerAssetRoute, type AssetUrls } from './assets.js';
import type { PageContext } from './context.js';
import { formatterFor, localeOf } from './format.js';
import { ErrorPage } from './layout.js';
import { m, type FlashKey } from './messages.js';
import { isHtmx } from './htmx.js';
import { UUID } from './params.js';
import { renderDocument, renderFragment } from './render.js';
import { clearSessionCookie, readFlash, returnPathOf, SESSION_COOKIE, setFlash, type CookieSettings } from './session.js';
import { publicRoutes } from './routes/public.routes.js';
import { accountRoutes } from './routes/account.routes.js';
import { techMonitorPageRoutes } from './routes/techmonitor.routes.js';
import { workspaceRoutes } from './routes/workspace.routes.js';
import { editorPages } from './editor/editor.routes.js';
import { adminPages } from './admin/admin.routes.js';
import { importPages } from './import/import.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The site's 404 page, for unknown paths outside the API. */
    notFoundPage(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply>;
  }
}

/** What page routes use to build and answer pages. */
export interface WebKit {
  cookies: CookieSettings;
  ctx(request: FastifyRequest, reply: FastifyReply): PageContext;
  render(reply: FastifyReply, page: VNode, status?: number): FastifyReply;
  /** A part of a page for htmx to swap in (see htmx.ts); the same headers as a page. */
  fragment(reply: FastifyReply, part: VNode, status?: number): FastifyReply;
  /** 303 See Other after a form, with an optional one-time message on the next page. */
  redirect(reply: FastifyReply, to: string, flash?: FlashKey): FastifyReply;
}

/** Whom a CSRF token is made for: the logged-in user, or everyone not logged in. */
const csrfUserOf = (request: FastifyRequest) => request.actor?.id ?? 'anonymous';

/**
 * The token a form posted: a field of a urlencoded body, or the `_csrf` part of a multipart one
 * (file uploads, whose parts @fastify/multipart attaches as objects with a value).
 */
function csrfTokenOf(request: FastifyRequest): string | undefined {
  const field = (request.body as Record<string, unknown> | undefined)?._csrf;
  if (typeof field === 'string') return field;
  if (field && typeof field === 'object' && (field as { type?: unknown }).type === 'field') {
    const value = (field as { value?: unknown }).value;
    return typeof value === 'string' ? value : undefined;
  }
  // The headers @fastify/csrf-protection reads by default (scripts that post without a form).
  const header = ['csrf-token', 'xsrf-token', 'x-csrf-token', 'x-xsrf-token'].map((name) => request.headers[name]).find((value) => typeof value === 'string');
  return header as string | undefined;
}

// Derived keys, so the one configured secret signs cookies and CSRF tokens without reuse of the raw key.

/**
 * The web pages. Infrastructure (cookies, CSRF tokens, the 404 page) sits at the root so the
 * not-found handler can answer with a page; routes live in an encapsulated context of their own
 * with the form parser, the session hook and an error handler that answers with pages.
 */
export default fp(
  async (app: FastifyInstance) => {
    const { config, services } = app;
    const cookies: CookieSettings = { secure: config.server.publicUrl.startsWith('https:') };
    await app.register(cookie, { secret: app.keys.webCookies.toString('hex') });
    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'tdb_csrf',
      cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true, secure: cookies.secure, signed: true },
      // A token is bound to the person it was made for: a token from before logging in (or from
      // another account) does not work after.
      getUserInfo: csrfUserOf,
      getToken: csrfTokenOf,
      csrfOpts: { hmacKey: app.keys.webCsrf, userInfo: true },
    });
    const assets = loadAssets();
    app.decorateRequest('sessionEnded', null);
    app.decorateRequest('sessionToken', null);
    app.decorateRequest('flash', null);

    const kit = createKit(config.server.publicUrl, assets.urls, cookies);

    /** Reads the session cookie: sets the actor, or notes that the session ended. */
    async function loadSession(request: FastifyRequest, reply: FastifyReply) {
      request.flash = readFlash(request, reply, cookies);
      const token = request.cookies[SESSION_COOKIE];
      if (!token) return;
      const result = await services.browserSessions.resolve(token);
      if ('actor' in result) {
        request.actor = result.actor;
        request.sessionToken = token;
      } else {
        request.sessionEnded = result.ended === 'expired' ? 'expired' : null;
        clearSessionCookie(reply, cookies);
      }
    }

    app.decorate('notFoundPage', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.actor) await loadSession(request, reply);
      return kit.render(reply, <ErrorPage ctx={kit.ctx(request, reply)} status={404} requestId={request.id} />, 404);
    });

    await app.register(async (web) => {
      await web.register(formbody, { bodyLimit: config.server.bodyLimit });
      // Pages are for people, not part of the API contract.
      web.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, hide: true };
      });
      web.addHook('onRequest', loadSession);
      // Every form that changes something carries the CSRF token. A session that ended while the
      // form was open goes to the log-in page first (its token was bound to that session).
      web.addHook('preHandler', (request, reply, done) => {
        if (request.method !== 'POST') return done();
        if (request.sessionEnded === 'expired') return done(new AppError('unauthorized', 401, 'session_expired'));
        web.csrfProtection(request, reply, done);
      });
      // An id that is not a UUID names no page (the database would refuse it with an error). Every
      // parameter named `id` or `…Id` is one; a numbered thing is named otherwise (`:jobNumber`).
      web.addHook('preHandler', async (request) => {
        for (const [name, value] of Object.entries((request.params ?? {}) as Record<string, unknown>)) {
          if ((name === 'id' || name.endsWith('Id')) && typeof value === 'string' && !UUID.test(value)) throw new NotFound('Page');
        }
      });
      web.setErrorHandler((error: FastifyError | AppError, request, reply) => {
        const status = error.statusCode ?? 500;
        if (status === 401) {
          const next = returnPathOf(request);
          setFlash(reply, cookies, error.message === 'session_expired' ? 'sessionExpired' : 'loginToContinue');
          const login = `/login?next=${encodeURIComponent(next)}`;
          // htmx would follow a 303 itself and put the log-in page inside the part it updates:
          // HX-Redirect makes the browser go there instead.
          if (isHtmx(request)) return reply.header('hx-redirect', login).status(401).send();
          return reply.redirect(login, 303);
        }
        const ctx = kit.ctx(request, reply);
        // An error page answering htmx replaces the page's main content, not the part asked for
        // (the htmx config swaps 4xx and 5xx answers: see layout.tsx).
        if (isHtmx(request)) reply.header('hx-retarget', '#main').header('hx-reselect', '#main').header('hx-reswap', 'outerHTML');
        if (typeof error.code === 'string' && error.code.startsWith('FST_CSRF')) {
          request.log.warn({ code: error.code }, 'form refused: CSRF token missing or invalid');
          return kit.render(reply, <ErrorPage ctx={ctx} status={403} requestId={request.id} message={m.errors.csrfText} />, 403);
        }
        if (status >= 500) request.log.error({ err: error }, 'page failed');
        else request.log.warn({ code: error.code }, error.message);
        const shown = status >= 500 ? 500 : status;
        return kit.render(reply, <ErrorPage ctx={ctx} status={shown} requestId={request.id} message={error instanceof AppError ? error.message : undefined} />, shown);
      });

      registerAssetRoute(web, assets.files);
      publicRoutes(web, kit);
      accountRoutes(web, kit);
      techMonitorPageRoutes(web, kit);
      workspaceRoutes(web, kit);
      await web.register(editorPages(kit));
      await web.register(adminPages(kit));
      await web.register(importPages(kit));
    });
  },
  { name: 'web', dependencies: ['auth'] },
);

/** Pages and their parts depend on who asks, in which language, and whether htmx asked for a part. */
function sendHtml(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'private, no-cache')
    .header('vary', 'Cookie, Accept-Language, HX-Request, HX-Target')
    .send(html);
}

function createKit(publicUrl: string, assets: AssetUrls, cookies: CookieSettings): WebKit {
  return {
    cookies,
    ctx(request, reply) {
      let token: string | null = null;
      return {
        actor: request.actor,
        csrfToken: () => (token ??= reply.generateCsrf({ userInfo: csrfUserOf(request) })),
        fmt: formatterFor(localeOf(request)),
        path: request.url,
        flash: request.flash,
        publicUrl,
        assets,
      };
    },
    render: (reply, page, status = 200) => sendHtml(reply, status, renderDocument(page)),
    fragment: (reply, part, status = 200) => sendHtml(reply, status, renderFragment(part)),
    redirect(reply, to, flash) {
      if (flash) setFlash(reply, cookies, flash);
      return reply.redirect(to, 303);
    },
  };
}
