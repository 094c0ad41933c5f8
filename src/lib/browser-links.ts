import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * For the API routes behind links in mails (confirm, unsubscribe): a browser following the link is
 * sent to the site's page for it, with the same query string; API clients get the JSON as before.
 */
export function sendBrowsersTo(pagePath: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET' || !/text\/html/.test(request.headers.accept ?? '')) return;
    const query = request.url.indexOf('?');
    return reply.redirect(`${pagePath}${query >= 0 ? request.url.slice(query) : ''}`, 303);
  };
}
