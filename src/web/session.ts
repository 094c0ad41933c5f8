import type { FastifyReply, FastifyRequest } from 'fastify';
import { Unauthorized } from '../lib/errors.js';
import type { Actor } from '../plugins/auth.js';
import { isFlashKey, type FlashKey } from './messages.js';

// The browser session: an opaque random token in an httpOnly, SameSite=Lax cookie, tied to a row
// of browser_sessions (see BrowserSessionService). A short-lived second cookie carries the key of
// a one-time message ("You are logged in.") across the redirect that follows a form.

export const SESSION_COOKIE = 'tdb_session';
const FLASH_COOKIE = 'tdb_flash';

declare module 'fastify' {
  interface FastifyRequest {
    /** Why the session cookie no longer works ('expired' leads to the log-in page with an explanation). */
    sessionEnded: 'expired' | null;
    sessionToken: string | null;
    flash: FlashKey | null;
  }
}

export interface CookieSettings {
  secure: boolean;
}

export function cookieOptions(settings: CookieSettings, maxAgeSeconds?: number) {
  return { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: settings.secure, ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}) };
}

export function setSessionCookie(reply: FastifyReply, settings: CookieSettings, token: string) {
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(settings));
}

export function clearSessionCookie(reply: FastifyReply, settings: CookieSettings) {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(settings));
}

export function setFlash(reply: FastifyReply, settings: CookieSettings, key: FlashKey) {
  reply.setCookie(FLASH_COOKIE, key, cookieOptions(settings, 60));
}

export function readFlash(request: FastifyRequest, reply: FastifyReply, settings: CookieSettings): FlashKey | null {
  const value = request.cookies[FLASH_COOKIE];
  if (!value) return null;
  reply.clearCookie(FLASH_COOKIE, cookieOptions(settings));
  return isFlashKey(value) ? value : null;
}

/** The logged-in person, or a 401 that the pages' error handler turns into the log-in page and back. */
export function requireUser(request: FastifyRequest): Actor {
  if (!request.actor) throw new Unauthorized(request.sessionEnded === 'expired' ? 'session_expired' : 'login_required');
  return request.actor;
}

/** Only paths of this site: `next` must never send a person elsewhere after logging in. */
export function safeNext(value: unknown, fallback = '/my'): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f]/.test(value)) {
    return fallback;
  }
  return value.slice(0, 2000);
}

/**
 * Where to come back to after logging in: this page for a GET, the page that posted the form
 * otherwise (htmx names it in HX-Current-URL, browsers in Referer), if it is a page of this site.
 */
export function returnPathOf(request: FastifyRequest): string {
  if (request.method === 'GET' && request.headers['hx-request'] !== 'true') return request.url;
  const current = request.headers['hx-current-url'];
  const page = typeof current === 'string' && current ? current : request.headers.referer;
  if (page) {
    try {
      const url = new URL(page);
      // Both sides through URL, which drops a default port (Host "localhost:80" is "localhost").
      if (url.host === new URL(`${request.protocol}://${request.host}`).host) return url.pathname + url.search;
    } catch {
      // An unparsable address is ignored.
    }
  }
  return '/my';
}
