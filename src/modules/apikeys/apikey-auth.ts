import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Forbidden } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { ApiKeyIdentity, ApiKeyService } from './apikeys.service.js';
import type { ApiKeyScope } from './apikeys.schemas.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request authenticated with `Authorization: ApiKey <key>`. */
    apiKey: ApiKeyIdentity | null;
  }
}

export const API_KEY_HEADER = /^ApiKey\s+(\S+)$/i;

// The routes a key may call and the scope each needs; anything else answers 403 to a key (account
// management, editing, admin). Matched on the route's pattern, so ids in paths do not matter.
const ROUTE_SCOPES: { method: string; pattern: RegExp; scope: ApiKeyScope }[] = [
  { method: 'GET', pattern: /^\/api\/v1\/(listings(\/.*)?|search|vocabularies)$/, scope: 'listings:read' },
  { method: 'GET', pattern: /^\/feeds\//, scope: 'listings:read' },
  { method: 'POST', pattern: /^\/api\/v1\/listings(\/:id\/(submit|withdraw|renew|archive))?$/, scope: 'listings:write' },
  { method: 'PATCH', pattern: /^\/api\/v1\/listings\/:id$/, scope: 'listings:write' },
  { method: 'GET', pattern: /^\/api\/v1\/interests(\/:id)?$/, scope: 'interests:read' },
  ...['GET', 'POST', 'PATCH', 'DELETE'].map((method) => ({ method, pattern: /^\/api\/v1\/webhooks(\/.*)?$/, scope: 'webhooks:manage' as const })),
];

export function requiredScope(method: string, routeUrl: string | undefined): ApiKeyScope | null {
  if (!routeUrl) return null;
  return ROUTE_SCOPES.find((entry) => entry.method === method && entry.pattern.test(routeUrl))?.scope ?? null;
}

/**
 * Resolves `Authorization: ApiKey <key>` to the key's actor (the auth plugin calls this for such
 * headers), refuses routes outside the key's scopes, and counts the request against the key's
 * own rate limit.
 */
export function apiKeyResolver(app: FastifyInstance, apiKeys: ApiKeyService, perMinute: number) {
  app.decorateRequest('apiKey', null);
  const limit = app.rateLimit({ max: perMinute, timeWindow: '1 minute', keyGenerator: (request) => `api-key:${request.apiKey?.id}` });
  return async (request: FastifyRequest, reply: FastifyReply, key: string): Promise<Actor> => {
    const { actor, apiKey } = await apiKeys.authenticate(key);
    request.apiKey = apiKey;
    const scope = requiredScope(request.method, request.routeOptions.url);
    if (!scope) throw new Forbidden('API keys may not call this route', 'api_key_route');
    if (!apiKey.scopes.includes(scope)) throw new Forbidden(`This API key lacks the scope ${scope}`, 'api_key_scope');
    await limit.call(app, request, reply);
    return actor;
  };
}
