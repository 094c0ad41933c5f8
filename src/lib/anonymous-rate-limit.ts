import type { FastifyRequest } from 'fastify';

/**
 * The per-route rate limit of expensive public routes (search, matches) for anonymous clients, by
 * the client's address (request.ip: what TRUST_PROXY allows it to be). Checked before the handler,
 * once authentication has run: logged-in users are not counted here — they are known, and the
 * concurrency cap (WorkGate) bounds them with everyone else.
 */
export function anonymousRateLimit(maxPerMinute: number) {
  return {
    max: maxPerMinute,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    keyGenerator: (request: FastifyRequest) => request.ip,
    allowList: (request: FastifyRequest) => request.actor !== null,
  };
}
