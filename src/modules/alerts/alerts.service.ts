import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { BadRequest, Conflict, Forbidden, NotFound, invalidField } from '../../lib/errors.js';
import type { LinkSigner } from '../../lib/signed-links.js';
import type { Actor } from '../../plugins/auth.js';
import type { ListingService } from '../listings/listings.service.js';
import type { UserService } from '../users/users.service.js';
import * as repo from './alerts.repository.js';
import type { CreateSavedSearchBody, SavedSearchFilters, UpdateSavedSearchBody } from './alerts.schemas.js';
import { verifyUnsubscribeToken } from './unsubscribe-token.js';

const MAX_SAVED_SEARCHES_PER_USER = 50;

/** Listing statuses after which a listing alert has nothing left to look for. */
export const CLOSED_STATUSES: readonly string[] = ['withdrawn', 'rejected', 'archived'];

export type SavedSearchRow = repo.SavedSearchRow;

export function toSavedSearchView(row: SavedSearchRow) {
  return {
    id: row.id,
    kind: row.kind as 'query' | 'listing',
    name: row.name,
    query: row.query,
    filters: row.filters as SavedSearchFilters,
    listingId: row.listingId,
    frequency: row.frequency as 'instant' | 'daily',
    active: row.active,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface SavedSearchServiceDeps {
  db: Database;
  clock: Clock;
  listings: ListingService;
  users: UserService;
  /** Signs the unsubscribe links. */
  linkSigner: LinkSigner;
}

/**
 * Saved searches: what users keep, change and unsubscribe from. Checking new listings against them
 * is NewListingAlerts' work (new-listing-alerts.ts), mailing the daily matches AlertDigest's
 * (alert-digest.ts).
 */
export class SavedSearchService {
  constructor(private readonly deps: SavedSearchServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  async create(actor: Actor, body: CreateSavedSearchBody) {
    if (!actor.emailVerified) throw new Forbidden('Verify your e-mail address before saving alerts', 'email_not_verified');
    return this.db.transaction(async (tx) => {
      await this.checkContent(tx, actor, body.kind, body);
      if ((await repo.countSavedSearches(tx, actor.id)) >= MAX_SAVED_SEARCHES_PER_USER) {
        throw new Conflict(`You have ${MAX_SAVED_SEARCHES_PER_USER} saved searches already; delete one first`, 'saved_search_limit');
      }
      const now = this.deps.clock.now();
      const row = await repo.insertSavedSearch(tx, {
        userId: actor.id,
        kind: body.kind,
        name: body.name,
        query: body.kind === 'query' ? body.query : '',
        filters: body.kind === 'query' ? body.filters : {},
        listingId: body.kind === 'listing' ? body.listingId! : null,
        frequency: body.frequency,
        active: body.active,
        createdAt: now,
        updatedAt: now,
      });
      return toSavedSearchView(row);
    });
  }

  async list(actor: Actor, limit: number, offset: number) {
    const { items, total } = await repo.listSavedSearches(this.db, actor.id, limit, offset);
    return { items: items.map(toSavedSearchView), total };
  }

  async get(actor: Actor, id: string) {
    return toSavedSearchView(await this.ownSavedSearch(this.db, actor, id));
  }

  async update(actor: Actor, id: string, body: UpdateSavedSearchBody) {
    return this.db.transaction(async (tx) => {
      const current = await this.ownSavedSearch(tx, actor, id);
      const kind = current.kind as 'query' | 'listing';
      const merged = {
        query: body.query ?? current.query,
        filters: body.filters ?? (current.filters as SavedSearchFilters),
        listingId: current.listingId ?? undefined,
      };
      if (body.query !== undefined || body.filters !== undefined) await this.checkContent(tx, actor, kind, merged);
      const updated = await repo.updateSavedSearch(tx, id, { ...body, updatedAt: this.deps.clock.now() });
      return toSavedSearchView(updated!);
    });
  }

  async remove(actor: Actor, id: string) {
    await this.db.transaction(async (tx) => {
      await this.ownSavedSearch(tx, actor, id);
      await repo.deleteSavedSearch(tx, id);
    });
  }

  /** One-click unsubscribe from a mailed link: no login, the signed token is the permission. */
  async unsubscribe(token: string) {
    const scope = verifyUnsubscribeToken(this.deps.linkSigner, token);
    if (!scope) throw new BadRequest('This unsubscribe link is not valid', [{ path: 'query.token', message: 'is not a valid unsubscribe token' }], 'invalid_token');
    const now = this.deps.clock.now();
    if (scope.kind === 's') {
      const savedSearch = await repo.findSavedSearch(this.db, scope.savedSearchId);
      if (!savedSearch) return [];
      return repo.deactivateSavedSearches(this.db, savedSearch.userId, [savedSearch.id], now);
    }
    const daily = (await repo.listSavedSearches(this.db, scope.userId, MAX_SAVED_SEARCHES_PER_USER, 0)).items.filter((row) => row.frequency === 'daily');
    if (daily.length === 0) return [];
    return repo.deactivateSavedSearches(this.db, scope.userId, daily.map((row) => row.id), now);
  }

  private async ownSavedSearch(db: Executor, actor: Actor, id: string) {
    const row = await repo.findSavedSearch(db, id);
    // Someone else's saved search is as good as absent: its existence is nobody else's business.
    if (!row || row.userId !== actor.id) throw new NotFound('Saved search');
    return row;
  }

  /** The rules zod cannot check alone: they depend on the kind, on each other and on the listing. */
  private async checkContent(
    tx: Executor,
    actor: Actor,
    kind: 'query' | 'listing',
    body: { query: string; filters: SavedSearchFilters; listingId?: string | undefined },
  ) {
    if (kind === 'query') {
      if (body.listingId) throw invalidField('body.listingId', "belongs to alerts of kind 'listing'");
      const hasFilter = Object.values(body.filters).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
      if (!body.query && !hasFilter) throw invalidField('body.query', 'is required unless at least one filter is set');
      return;
    }
    if (body.query) throw invalidField('body.query', "belongs to alerts of kind 'query'; a listing alert matches the listing itself");
    if (Object.keys(body.filters).length) throw invalidField('body.filters', "belong to alerts of kind 'query'");
    if (!body.listingId) throw invalidField('body.listingId', "is required for alerts of kind 'listing'");
    const listing = await this.deps.listings.find(body.listingId, tx);
    // Alerts are for the side that owns the listing (its members and intermediaries), not for
    // editors or admins watching other people's listings.
    if (!listing || !(await this.deps.users.actsFor(actor, listing.organizationId, tx))) {
      throw invalidField('body.listingId', 'must be one of your listings');
    }
    if (CLOSED_STATUSES.includes(listing.status)) throw invalidField('body.listingId', `names a ${listing.status} listing`);
  }
}
