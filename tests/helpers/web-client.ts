import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD } from './factories.js';
import type { TestContext } from './test-app.js';

/**
 * A browser without JavaScript over app.inject: keeps cookies, reads the CSRF token from the last
 * page, posts forms as application/x-www-form-urlencoded and follows nothing by itself (tests look
 * at the redirect).
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  lastPage = '';

  constructor(private readonly ctx: TestContext) {}

  /** A client logged in as `user` (with the factories' password) through the log-in form. */
  static async signedIn(ctx: TestContext, user: { email: string }) {
    const web = new WebClient(ctx);
    await web.login(user.email, PASSWORD);
    return web;
  }

  private remember(response: LightMyRequestResponse) {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const expired = (cookie.expires && cookie.expires.getTime() <= Date.now()) || cookie.maxAge === 0 || cookie.value === '';
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    if (String(response.headers['content-type'] ?? '').startsWith('text/html')) this.lastPage = response.body;
  }

  cookie(name: string) {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string) {
    this.cookies.set(name, value);
  }

  private cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const response = await this.ctx.app.inject({ method: 'GET', url, headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers } });
    this.remember(response);
    return response;
  }

  /** The CSRF token of the last page's forms. */
  csrf(): string {
    const match = /name="_csrf" value="([^"]+)"/.exec(this.lastPage);
    if (!match) throw new Error('the last page has no form with a CSRF token');
    return match[1]!;
  }

  /** Posts a form; the CSRF token of the last page is added unless `_csrf` is given (or null to leave it out). */
  async post(url: string, fields: Record<string, string | string[]> = {}, options: { csrf?: string | null; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams();
    const token = options.csrf === undefined ? this.csrf() : options.csrf;
    if (token !== null) body.append('_csrf', token);
    for (const [key, value] of Object.entries(fields)) for (const entry of Array.isArray(value) ? value : [value]) body.append(key, entry);
    const response = await this.ctx.app.inject({
      method: 'POST',
      url,
      headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...options.headers },
      payload: body.toString(),
    });
    this.remember(response);
    return response;
  }

  /**
   * Posts a form with files, as multipart/form-data (the CSRF token first, as a browser sends the
   * form's hidden field before its other fields).
   */
  async upload(
    url: string,
    fields: Record<string, string>,
    files: Record<string, { name: string; content: Buffer | string; type?: string }>,
    options: { csrf?: string | null } = {},
  ) {
    const boundary = `----webclient${Math.random().toString(16).slice(2)}`;
    const parts: Buffer[] = [];
    const token = options.csrf === undefined ? this.csrf() : options.csrf;
    const field = (name: string, value: string) => parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
    if (token !== null) field('_csrf', token);
    for (const [name, value] of Object.entries(fields)) field(name, value);
    for (const [name, file] of Object.entries(files)) {
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${file.name}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
        Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    const response = await this.ctx.app.inject({
      method: 'POST',
      url,
      headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: this.cookieHeader() },
      payload: Buffer.concat(parts),
    });
    this.remember(response);
    return response;
  }

  /** Loads a page and logs in through the log-in form. */
  async login(email: string, password: string) {
    await this.get('/login');
    const response = await this.post('/login', { email, password });
    if (response.statusCode !== 303) throw new Error(`web login failed (${response.statusCode}): ${response.body.slice(0, 500)}`);
    return response;
  }
}
