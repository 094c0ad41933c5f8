import fp from 'fastify-plugin';
import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Unauthorized, Forbidden } from '../lib/errors.js';
import { STAFF_ROLES } from '../modules/users/users.rules.js';
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

/**
 * Who may call a route, declared once in its options (`config: { auth: … }`) and checked on
 * request, before the body is parsed or validated: a caller without the right credentials learns
 * nothing about what the route would have accepted. No declaration: anyone, signed in or not.
 */
export type RouteAuth = 'required' | { roles: readonly UserRole[] };

/** Route options for the common cases. */
export const signedIn = { auth: 'required' } as const satisfies { auth: RouteAuth };
export const staffOnly = { auth: { roles: STAFF_ROLES } } as const satisfies { auth: RouteAuth };
export const adminOnly = { auth: { roles: ['admin'] } } as const satisfies { auth: RouteAuth };

/**
 * Finds the actor behind one kind of credential. Answers undefined when the request carries no
 * credential of its kind, the actor when it carries a valid one, and throws Unauthorized when it
 * carries one that fails: a client that sent credentials must learn they failed rather than
 * silently see the anonymous view.
 */
export type ActorResolver = (request: FastifyRequest, reply: FastifyReply) => Promise<Actor | undefined>;

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; role: UserRole };
    user: { sub: string; role: UserRole };
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    /** The actor of a route that declares `auth` (the declaration already refused everyone else). */
    requireActor(request: FastifyRequest): Actor;
    /** Adds a kind of credential (API keys, session cookies); resolvers are asked in the order added. */
    addActorResolver(resolver: ActorResolver): void;
  }
}

export interface AuthPluginOptions {
  /** HS256 key of access tokens. */
  accessTokenKey: Buffer;
  accessTokenTtlSeconds: number;
  loadActor(userId: string): Promise<Actor | null>;
}

export default fp<AuthPluginOptions>(
  async (app, options) => {
    // One algorithm, and every token must expire: a token signed with another algorithm (or none)
    // or without `exp` is refused whatever its signature.
    await app.register(fastifyJwt, {
      secret: options.accessTokenKey,
      sign: { algorithm: 'HS256', expiresIn: options.accessTokenTtlSeconds },
      verify: { algorithms: ['HS256'], requiredClaims: ['exp'] },
    });
    app.decorateRequest('actor', null);

    const bearerToken: ActorResolver = async (request) => {
      const header = request.headers.authorization;
      if (!header || !/^Bearer(\s|$)/i.test(header)) return undefined;
      if (!/^Bearer\s+\S+$/i.test(header)) throw new Unauthorized('Authorization header must be "Bearer <accessToken>"', 'invalid_token');
      let payload: { sub: string };
      try {
        payload = await request.jwtVerify<{ sub: string; role: UserRole }>();
      } catch {
        throw new Unauthorized('Access token is invalid or expired', 'invalid_token');
      }
      const actor = await options.loadActor(payload.sub);
      if (!actor) throw new Unauthorized('Account no longer active', 'invalid_token');
      return actor;
    };
    const resolvers: ActorResolver[] = [bearerToken];
    app.decorate('addActorResolver', (resolver: ActorResolver) => {
      resolvers.push(resolver);
    });

    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      for (const resolve of resolvers) {
        const actor = await resolve(request, reply);
        if (actor) {
          request.actor = actor;
          break;
        }
      }
      if (!request.actor && request.headers.authorization) {
        throw new Unauthorized('Unsupported Authorization scheme', 'invalid_token');
      }
      const rule = request.routeOptions.config.auth;
      if (!rule) return;
      if (!request.actor) throw new Unauthorized();
      if (rule !== 'required' && !rule.roles.includes(request.actor.role)) {
        throw new Forbidden(`Requires role ${rule.roles.join(' or ')}`);
      }
    });

    app.decorate('requireActor', (request: FastifyRequest) => {
      if (!request.actor) throw new Unauthorized();
      return request.actor;
    });
  },
  { name: 'auth' },
);
