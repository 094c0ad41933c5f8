import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { NotFound, Unauthorized } from '../../lib/errors.js';
import { hashToken } from '../../lib/tokens.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import * as repo from './apikeys.repository.js';
import { integrationOrganization, managesIntegrations } from './apikeys.rules.js';
import type { ApiKeyScope } from './apikeys.schemas.js';

const KEY_PREFIX = 'ttm_';

export interface ApiKeyIdentity {
  id: string;
  scopes: ApiKeyScope[];
  organizationId: string;
}

function toApiKeyView(row: repo.ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as ApiKeyScope[],
    organizationId: row.organizationId,
    createdById: row.createdById,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/**
 * Keys for machine clients. A key acts as its organisation: as a member of it, whoever created the
 * key (an admin's key has no admin powers), within its scopes.
 */
export class ApiKeyService {
  constructor(
    private readonly deps: { db: Database; clock: Clock; audit: AuditService; users: UserService; organizations: OrganizationService },
  ) {}

  /** Admins create keys for any organisation; an intermediary for its own organisation. */
  private organizationFor(actor: Actor, organizationId: string | undefined) {
    return integrationOrganization(
      actor,
      organizationId,
      managesIntegrations(actor) ? actor.organizationId : null,
      async (id) => (await this.deps.organizations.find(id)) !== null,
      { none: 'Only admins and intermediaries manage API keys', other: 'Intermediaries manage keys of their own organisation only' },
    );
  }

  async create(actor: Actor, body: { name: string; scopes: ApiKeyScope[]; organizationId?: string }) {
    const organizationId = await this.organizationFor(actor, body.organizationId);
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.deps.db.transaction(async (tx) => {
      const created = await repo.insertApiKey(tx, {
        organizationId,
        createdById: actor.id,
        name: body.name,
        keyHash: hashToken(key),
        prefix: key.slice(0, KEY_PREFIX.length + 6),
        scopes: body.scopes,
        createdAt: this.deps.clock.now(),
      });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'api_key', entityId: created.id, action: 'create', data: { organizationId, scopes: body.scopes } });
      return created;
    });
    return { ...toApiKeyView(row), key };
  }

  async list(actor: Actor, organizationId?: string) {
    const scope = actor.role === 'admin' ? (organizationId ?? null) : await this.organizationFor(actor, organizationId);
    return (await repo.listApiKeys(this.deps.db, scope)).map(toApiKeyView);
  }

  async revoke(actor: Actor, id: string) {
    const row = await repo.findApiKey(this.deps.db, id);
    if (!row || !managesIntegrations(actor, row.organizationId)) throw new NotFound('API key');
    return this.deps.db.transaction(async (tx) => {
      const revoked = (await repo.revokeApiKey(tx, id, this.deps.clock.now())) ?? row;
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'api_key', entityId: id, action: 'revoke' });
      return toApiKeyView(revoked);
    });
  }

  /** The actor and scopes of a key, or 401: unknown, revoked, or its creator disabled. */
  async authenticate(key: string): Promise<{ actor: Actor; apiKey: ApiKeyIdentity }> {
    const row = key.startsWith(KEY_PREFIX) ? await repo.findLiveByHash(this.deps.db, hashToken(key)) : null;
    const creator = row ? await this.deps.users.loadActor(row.createdById) : null;
    if (!row || !creator) throw new Unauthorized('API key is invalid or revoked', 'invalid_api_key');
    await repo.touchApiKey(this.deps.db, row.id, this.deps.clock.now());
    return {
      actor: { id: creator.id, email: creator.email, name: `API key "${row.name}"`, role: 'member', organizationId: row.organizationId, emailVerified: true },
      apiKey: { id: row.id, scopes: row.scopes as ApiKeyScope[], organizationId: row.organizationId },
    };
  }
}
