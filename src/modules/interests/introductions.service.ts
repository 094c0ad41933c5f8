import type { z } from 'zod';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ListingRow, ListingService } from '../listings/listings.service.js';
import { toPublicOrganization, type OrganizationRow, type OrganizationService } from '../organizations/organizations.service.js';
import type { UserService } from '../users/users.service.js';
import * as interestsRepo from './interests.repository.js';
import type { InterestRow } from './interests.repository.js';
import type { ZAgreementBody, ZIntroductionListQuery } from './interests.schemas.js';
import type { AgreementType } from '../vocabularies/enums.js';
import { INTRODUCTION_TRANSITIONS, type IntroductionAction, type IntroductionStatus } from './interests.vocabulary.js';
import * as repo from './introductions.repository.js';
import { isStaff } from '../users/users.rules.js';
import { exchangedContacts, listingForParties, scopeOf, sidesOf, type Side } from './parties.js';

export type IntroductionRow = repo.IntroductionRow;

export interface IntroductionServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  organizations: OrganizationService;
  listings: ListingService;
}

type StepBody = { action: 'agreement'; body: z.infer<typeof ZAgreementBody> } | { action: 'close' | 'end'; body: { note?: string } | null | undefined };

/** Introductions: an accepted EOI, moved by either side to its outcome. Staff see them all and change none. */
export class IntroductionService {
  constructor(private readonly deps: IntroductionServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  /** Called by the interest service when the owner accepts, in the same transaction. */
  async createInTx(tx: Executor, actorId: string, interest: InterestRow) {
    const now = this.deps.clock.now();
    const row = await repo.insertIntroduction(tx, {
      interestId: interest.id,
      listingId: interest.listingId,
      ownerOrganizationId: interest.ownerOrganizationId,
      senderOrganizationId: interest.senderOrganizationId,
      senderUserId: interest.senderUserId,
      status: 'in_discussion',
      createdAt: now,
      updatedAt: now,
    });
    await this.deps.audit.record(tx, {
      actorId,
      entityType: 'introduction',
      entityId: row.id,
      action: 'create',
      toStatus: 'in_discussion',
      data: { interestId: interest.id },
    });
    return row;
  }

  idOfInterest(interestId: string, db: Executor = this.db) {
    return repo.findByInterest(db, interestId).then((row) => row?.id ?? null);
  }

  idsOfInterests(interestIds: string[], db: Executor = this.db) {
    return repo.findByInterests(db, interestIds);
  }

  async list(actor: Actor, query: z.infer<typeof ZIntroductionListQuery>) {
    const { limit, offset, ...filter } = query;
    const organizationIds = await this.deps.users.organizationsActedFor(actor);
    const { items, total } = await repo.listIntroductions(this.db, scopeOf(actor, organizationIds), filter, limit, offset);
    const listings = new Map(
      (await this.deps.listings.findManyWithOrganization([...new Set(items.map((row) => row.listingId))])).map((entry) => [entry.listing.id, entry.listing]),
    );
    const organizations = await this.organizationsById(items.flatMap((row) => [row.ownerOrganizationId, row.senderOrganizationId]));
    return {
      items: items.map((row) => this.view(row, sidesOf(actor, organizationIds, row), listings.get(row.listingId)!, organizations)),
      total,
    };
  }

  async get(actor: Actor, id: string) {
    const { row, sides } = await this.loadVisible(this.db, actor, id);
    return this.detail(this.db, row, sides);
  }

  async history(actor: Actor, id: string) {
    await this.loadVisible(this.db, actor, id);
    const entries = await this.deps.audit.history('introduction', id);
    return entries.map((entry) => ({
      id: entry.id,
      actorId: entry.actorId,
      action: entry.action,
      fromStatus: entry.fromStatus,
      toStatus: entry.toStatus,
      note: entry.note,
      data: (entry.data as Record<string, unknown> | null) ?? null,
      createdAt: entry.createdAt,
    }));
  }

  async step(actor: Actor, id: string, step: StepBody) {
    const rule = INTRODUCTION_TRANSITIONS[step.action];
    return this.db.transaction(async (tx) => {
      const { row, sides } = await this.loadVisible(tx, actor, id, { forUpdate: true });
      if (sides.length === 0) throw new Forbidden('Only the two sides of an introduction record its outcome');
      const from = row.status as IntroductionStatus;
      if (!rule.from.includes(from)) throw new Conflict(`Cannot ${actionWords[step.action]} an introduction that is ${from}`, 'invalid_transition');
      const now = this.deps.clock.now();
      const changes: Partial<repo.NewIntroduction> = { status: rule.to, updatedAt: now };
      let data: Record<string, unknown> | undefined;
      if (step.action === 'agreement') {
        const { type, date } = step.body;
        if (date > now.toISOString().slice(0, 10)) throw invalidField('date', 'must not be in the future');
        if (date < row.createdAt.toISOString().slice(0, 10)) throw invalidField('date', 'must not be before the introduction started');
        changes.agreementType = type;
        changes.agreementDate = date;
        data = { agreementType: type, agreementDate: date };
      } else {
        changes.finishedAt = now;
      }
      const updated = await repo.updateIntroduction(tx, id, changes);
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'introduction',
        entityId: id,
        action: step.action,
        fromStatus: from,
        toStatus: rule.to,
        note: step.body?.note || null,
        data,
      });
      return this.detail(tx, updated, sides);
    });
  }

  /** The introduction if the actor may see it (its sides and staff), else 404. */
  private async loadVisible(db: Executor, actor: Actor, id: string, options: { forUpdate?: boolean } = {}) {
    const row = await repo.findIntroduction(db, id, options);
    if (!row) throw new NotFound('Introduction');
    const sides = sidesOf(actor, await this.deps.users.organizationsActedFor(actor, db), row);
    if (sides.length === 0 && !isStaff(actor)) throw new NotFound('Introduction');
    return { row, sides };
  }

  private async detail(db: Executor, row: IntroductionRow, sides: Side[]) {
    const [entry] = await this.deps.listings.findManyWithOrganization([row.listingId], db);
    const organizations = await this.organizationsById([row.ownerOrganizationId, row.senderOrganizationId], db);
    const interest = await interestsRepo.findInterest(db, row.interestId);
    return {
      ...this.view(row, sides, entry!.listing, organizations),
      contacts: interest ? await exchangedContacts(this.deps.users, db, interest, organizations) : null,
    };
  }

  private view(row: IntroductionRow, sides: Side[], listing: ListingRow, organizations: Map<string, OrganizationRow>) {
    const owner = organizations.get(row.ownerOrganizationId)!;
    return {
      id: row.id,
      interestId: row.interestId,
      status: row.status as IntroductionStatus,
      listing: listingForParties(listing, owner, true),
      ownerOrganization: toPublicOrganization(owner),
      senderOrganization: toPublicOrganization(organizations.get(row.senderOrganizationId)!),
      agreementType: row.agreementType as AgreementType | null,
      agreementDate: row.agreementDate,
      viewerSides: sides,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      finishedAt: row.finishedAt,
    };
  }

  private async organizationsById(ids: string[], db: Executor = this.db) {
    const rows = await this.deps.organizations.findMany([...new Set(ids)], db);
    return new Map(rows.map((row) => [row.id, row]));
  }
}

const actionWords: Record<IntroductionAction, string> = {
  agreement: 'record an agreement for',
  close: 'close',
  end: 'end',
};
