import type { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { Forbidden, NotFound } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import { isStaff } from '../users/users.rules.js';
import * as repo from './organizations.repository.js';
import type { ZOrganizationInput, ZOrganizationPatch } from './organizations.schemas.js';

export type OrganizationRow = repo.OrganizationRow;
type OrganizationInput = z.infer<typeof ZOrganizationInput>;

/** Called in the transaction of every organisation change (e.g. search re-indexes its listings). */
export type OrganizationChangeListener = (tx: Executor, organizationId: string) => Promise<void>;

export function toPublicOrganization(row: OrganizationRow) {
  return { id: row.id, name: row.name, type: row.type as never, size: (row.size ?? null) as never, country: row.country, website: row.website };
}

export function toOrganization(row: OrganizationRow) {
  return {
    ...toPublicOrganization(row),
    contactEmail: row.contactEmail,
    contactPhone: row.contactPhone,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export class OrganizationService {
  private readonly listeners: OrganizationChangeListener[] = [];

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  onChange(listener: OrganizationChangeListener) {
    this.listeners.push(listener);
  }

  createInTx(tx: Executor, input: OrganizationInput) {
    return repo.insertOrganization(tx, this.newRow(input));
  }

  /** Several organisations in one statement (imports create hundreds); in the order given. */
  createManyInTx(tx: Executor, inputs: OrganizationInput[]) {
    return repo.insertOrganizations(tx, inputs.map((input) => this.newRow(input)));
  }

  private newRow(input: OrganizationInput) {
    const now = this.clock.now();
    return {
      name: input.name,
      type: input.type,
      size: input.size ?? null,
      country: input.country,
      website: input.website ?? null,
      contactEmail: input.contactEmail ?? null,
      contactPhone: input.contactPhone ?? null,
      createdAt: now,
      updatedAt: now,
    };
  }

  /** Admins create any organisation; an intermediary creates a client it then represents. */
  async create(actor: Actor, input: OrganizationInput) {
    if (actor.role !== 'admin' && actor.role !== 'intermediary') throw new Forbidden('Only admins and intermediaries create organisations');
    return this.db.transaction(async (tx) => {
      const row = await this.createInTx(tx, input);
      if (actor.role === 'intermediary') await repo.addClient(tx, actor.id, row.id, this.clock.now());
      await this.audit.record(tx, { actorId: actor.id, entityType: 'organization', entityId: row.id, action: 'create' });
      return row;
    });
  }

  async exists(tx: Executor, id: string) {
    return (await repo.findOrganization(tx, id)) !== null;
  }

  find(id: string, db: Executor = this.db) {
    return repo.findOrganization(db, id);
  }

  findMany(ids: string[], db: Executor = this.db) {
    return repo.findOrganizations(db, ids);
  }

  async get(id: string) {
    const row = await repo.findOrganization(this.db, id);
    if (!row) throw new NotFound('Organization');
    return row;
  }

  /** Members, their intermediaries, editors and admins see contacts; others the public view. */
  async canSeeContacts(actor: Actor | null, organizationId: string) {
    if (!actor) return false;
    if (isStaff(actor) || actor.organizationId === organizationId) return true;
    return actor.role === 'intermediary' && repo.isClientOf(this.db, actor.id, organizationId);
  }

  async update(actor: Actor, id: string, patch: z.infer<typeof ZOrganizationPatch>) {
    const allowed = actor.role === 'admin' || (await this.canSeeContacts(actor, id) && actor.role !== 'editor');
    if (!allowed) throw new Forbidden('Only the organisation, its intermediaries and admins edit it');
    return this.db.transaction(async (tx) => {
      const row = await repo.updateOrganization(tx, id, { ...patch, updatedAt: this.clock.now() });
      if (!row) throw new NotFound('Organization');
      await this.audit.record(tx, { actorId: actor.id, entityType: 'organization', entityId: id, action: 'update', data: patch });
      for (const listener of this.listeners) await listener(tx, id);
      return row;
    });
  }

  isClientOf(intermediaryId: string, organizationId: string, db: Executor = this.db) {
    return repo.isClientOf(db, intermediaryId, organizationId);
  }

  clientOrganizationIds(intermediaryId: string, db: Executor = this.db) {
    return repo.clientOrganizationIds(db, intermediaryId);
  }

  addClient(tx: Executor, intermediaryId: string, organizationId: string) {
    return repo.addClient(tx, intermediaryId, organizationId, this.clock.now());
  }

  removeClient(tx: Executor, intermediaryId: string, organizationId: string) {
    return repo.removeClient(tx, intermediaryId, organizationId);
  }

  /** Organisations named like this (ignoring case): imports match their rows' organisations by name and country. */
  findByNames(names: string[], db: Executor = this.db) {
    return repo.findOrganizationsByNames(db, names);
  }

  list(filter: { q?: string; country?: string; type?: string; ids?: string[] }, limit: number, offset: number) {
    return repo.listOrganizations(this.db, filter, limit, offset);
  }
}
