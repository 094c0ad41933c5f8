import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import * as repo from './listing-revisions.repository.js';
import { diffOf, toRevisionView, type ProposedChanges } from './listing-revisions.js';
import type { ListingRow, ListingService } from './listings.service.js';

export interface ListingRevisionServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  listings: ListingService;
}

/**
 * The review of changes to published listings: owners propose them (ListingService.update), editors
 * see the queue and each proposal field by field, then accept it (it becomes the published
 * version, and search and matching follow in the same transaction) or return it with a note.
 */
export class ListingRevisionService {
  constructor(private readonly deps: ListingRevisionServiceDeps) {}

  /** The listing's pending revision, else its latest: for its owner side and editors. */
  async current(actor: Actor, listingId: string) {
    const listing = await this.visibleListing(actor, listingId);
    const revision = await repo.findCurrent(this.deps.db, listingId);
    if (!revision) throw new NotFound('Revision');
    return toRevisionView(revision, listing);
  }

  /** The editors' queue: pending revisions, oldest first, each with its diff. */
  async queue(actor: Actor, limit: number, offset: number) {
    requireEditor(actor);
    const { items, total } = await repo.listPending(this.deps.db, limit, offset);
    return { items: items.map(({ revision, listing }) => toRevisionView(revision, listing)), total };
  }

  async accept(actor: Actor, listingId: string) {
    requireEditor(actor);
    return this.decide(listingId, async (tx, listing, revision) => {
      const changes = revision.changes as ProposedChanges;
      const diff = diffOf(listing, changes);
      const updated = await this.deps.listings.applyChangesInTx(tx, listing, changes, actor.id, {
        action: 'revision_accept',
        data: { revisionId: revision.id, fields: diff.map((change) => change.field) },
      });
      const decided = await repo.updateRevision(tx, revision.id, {
        status: 'accepted',
        decidedDiff: diff,
        decidedById: actor.id,
        decidedAt: this.deps.clock.now(),
        updatedAt: this.deps.clock.now(),
      });
      return toRevisionView(decided, updated);
    });
  }

  async returnWithNote(actor: Actor, listingId: string, note: string) {
    requireEditor(actor);
    return this.decide(listingId, async (tx, listing, revision) => {
      const diff = diffOf(listing, revision.changes as ProposedChanges);
      const now = this.deps.clock.now();
      const decided = await repo.updateRevision(tx, revision.id, { status: 'returned', decidedDiff: diff, decidedById: actor.id, decidedAt: now, updatedAt: now, note });
      await this.deps.audit.record(tx, {
        actorId: actor.id,
        entityType: 'listing',
        entityId: listing.id,
        action: 'revision_return',
        note,
        data: { revisionId: revision.id, fields: diff.map((change) => change.field) },
      });
      return toRevisionView(decided, listing);
    });
  }

  /** Locks the listing and its pending revision, checks both can be decided on, runs the decision. */
  private decide<T>(listingId: string, apply: (tx: Executor, listing: ListingRow, revision: repo.RevisionRow) => Promise<T>) {
    return this.deps.db.transaction(async (tx) => {
      const listing = await this.deps.listings.findForUpdate(listingId, tx);
      if (!listing || listing.status === 'draft') throw new NotFound('Listing');
      const revision = await repo.findPending(tx, listingId, { forUpdate: true });
      if (!revision) throw new NotFound('Pending revision');
      if (!repo.REVIEWABLE_LISTING_STATUSES.includes(listing.status)) {
        throw new Conflict(`A revision of a ${listing.status} listing cannot be decided on`, 'invalid_state');
      }
      return apply(tx, listing, revision);
    });
  }

  private async visibleListing(actor: Actor, listingId: string) {
    const listing = await this.deps.listings.find(listingId);
    if (!listing) throw new NotFound('Listing');
    const parties = await this.deps.listings.partiesOf(actor, listing);
    const sees = parties.has('owner') || (parties.has('editor') && listing.status !== 'draft');
    if (!sees) throw new NotFound('Listing');
    return listing;
  }
}

function requireEditor(actor: Actor) {
  if (actor.role !== 'editor' && actor.role !== 'admin') throw new Forbidden('Only editors decide on revisions');
}
