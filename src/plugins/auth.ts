import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Unauthorized, Forbidden } from '../lib/errors.js';
import type { UserRole } from '../modules/vocabularies/enums.js';

/** The logged-in user as every service sees it, loaded fresh per request (role changes and disabling take effect at once). */
export interface Actor {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  organizationId: string | null;
  emailVerified: boolean;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; role: UserRole };
    user: { sub: string; role: UserRole };
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** The logged-in user, or 401. */
    requireActor(request: FastifyRequest): Actor;
    /** The logged-in user with one of the roles, or 401/403. */
    requireRole(request: FastifyRequest, ...roles: UserRole[]): Actor;
  }
}

export interface AuthPluginOptions {
  secret: string;
  accessTokenTtlSeconds: number;
  loadActor(userId: string): Promise<Actor | null>;
  /** Resolves `Authorization: ApiKey <key>` (src/modules/apikeys/apikey-auth.ts); without it such headers are refused. */
  resolveApiKey?(request: FastifyRequest, reply: FastifyReply, key: string): Promise<Actor>;
}

export default fp<AuthPluginOptions>(
  async (app, options) => {
    await app.register(fastifyJwt, { secret: options.secret, sign: { expiresIn: options.accessTokenTtlSeconds } });
    app.decorateRequest('actor', null);

    // A token is optional on public routes, but a bad one is always an error: a client that sent
    // credentials must learn they failed rather than silently see the anonymous view.
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      if (!header) return;
      // Machine clients: API keys (a separate resolver, see AuthPluginOptions.resolveApiKey).
      const apiKey = /^ApiKey\s+(\S+)$/i.exec(header)?.[1];
      if (apiKey && options.resolveApiKey) {
        request.actor = await options.resolveApiKey(request, reply, apiKey);
        return;
      }
      if (!/^Bearer\s+\S+$/i.test(header)) throw new Unauthorized('Authorization header must be "Bearer <accessToken>" or "ApiKey <key>"', 'invalid_token');
      let payload: { sub: string };
      try {
        payload = await request.jwtVerify<{ sub: string; role: UserRole }>();
      } catch {
        throw new Unauthorized('Access token is invalid or expired', 'invalid_token');
      }
      const actor = await options.loadActor(payload.sub);
      if (!actor) throw new Unauthorized('Account no longer active', 'invalid_token');
      request.actor = actor;
    });

    app.decorate('requireActor', (request: FastifyRequest) => {
      if (!request.actor) throw new Unauthorized();
      return request.actor;
    });
    app.decorate('requireRole', (request: FastifyRequest, ...roles: UserRole[]) => {
      if (!request.actor) throw new Unauthorized();
      if (!roles.includes(request.actor.role)) throw new Forbidden(`Requires role ${roles.join(' or ')}`);
      return request.actor;
    });
  },
  { name: 'auth' },
);
