import type { FastifyRequest } from 'fastify';

// htmx marks its requests with headers: HX-Request on all of them, HX-Boosted on boosted links and
// forms (which want whole pages, like a browser without script), HX-Target with the id of the
// element the answer goes into. Handlers answer a part of a page only when that part was asked for.

/** Whether htmx sent the request (boosted or not). */
export const isHtmx = (request: FastifyRequest) => request.headers['hx-request'] === 'true';

/** The id of the element an htmx request (not a boosted one) will put its answer in, or null. */
export function htmxTarget(request: FastifyRequest): string | null {
  if (!isHtmx(request) || request.headers['hx-boosted'] === 'true') return null;
  const target = request.headers['hx-target'];
  return typeof target === 'string' && target ? target : null;
}
