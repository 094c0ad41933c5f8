import type { LinkSigner } from '../../lib/signed-links.js';
import { createHash } from 'node:crypto';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { isLive } from '../listings/listings.rules.js';
import type { ListingService } from '../listings/listings.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import type { UserService } from '../users/users.service.js';
import { alertListing, forListingsOf, unsubscribeUrl } from './alert-mail.js';
import * as repo from './alerts.repository.js';

/** A digest at most this often per user; a little under a day so a daily run never slips a day. */
const DIGEST_MIN_INTERVAL_MS = 20 * 3_600_000;
const DIGEST_USERS_PER_RUN = 500;
/** Listings a digest shows per saved search; the rest are counted in the mail, not listed. */
const MAX_MATCHES_PER_DIGEST = 50;

type SavedSearchRow = repo.SavedSearchRow;

export interface AlertDigestDeps {
  db: Database;
  clock: Clock;
  mail: MailOutbox;
  listings: ListingService;
  users: UserService;
  publicUrl: string;
  /** Keys the unsubscribe links. */
  linkSigner: LinkSigner;
}

/** The daily digest: the matches of daily saved searches (recorded by NewListingAlerts), one mail per user. */
export class AlertDigest {
  constructor(private readonly deps: AlertDigestDeps) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * Mails each user with undelivered matches one digest, unless they had one in the last 20 hours.
   * Safe from several processes at once: each user's matches are locked while their digest is
   * written, and marked delivered in the transaction that enqueues the mail.
   */
  async run() {
    const now = this.deps.clock.now();
    const result = { users: 0, matches: 0, dropped: 0 };
    const due = await repo.usersDueForDigest(this.db, new Date(now.getTime() - DIGEST_MIN_INTERVAL_MS), DIGEST_USERS_PER_RUN);
    for (const userId of due) {
      const sent = await this.digestFor(userId, now);
      if (sent.matches > 0) result.users++;
      result.matches += sent.matches;
      result.dropped += sent.dropped;
    }
    return result;
  }

  private async digestFor(userId: string, now: Date) {
    return this.db.transaction(async (tx) => {
      const rows = await repo.lockUndeliveredMatches(tx, userId);
      if (rows.length === 0) return { matches: 0, dropped: 0 };
      const user = await this.deps.users.findById(userId, tx);
      const listings = new Map(
        (await this.deps.listings.findManyWithOrganization([...new Set(rows.map((row) => row.match.listingId))], tx)).map((row) => [row.listing.id, row]),
      );
      const live = rows.filter((row) => {
        const found = listings.get(row.match.listingId);
        return found && isLive(found.listing, now) && user && !user.disabledAt;
      });
      const dropped = rows.filter((row) => !live.includes(row));
      await repo.markDelivered(tx, dropped.map((row) => row.match.id), 'dropped', now);
      if (live.length === 0 || !user) return { matches: 0, dropped: dropped.length };

      const forListings = await forListingsOf(this.deps.listings, tx, live.map((row) => row.savedSearch));
      const groups = new Map<string, { savedSearch: SavedSearchRow; matches: typeof live }>();
      for (const row of live) {
        const group = groups.get(row.savedSearch.id) ?? { savedSearch: row.savedSearch, matches: [] };
        group.matches.push(row);
        groups.set(row.savedSearch.id, group);
      }
      const ids = live.map((row) => row.match.id);
      await this.deps.mail.enqueue(tx, {
        to: { email: user.email, name: user.name, userId: user.id },
        template: 'alert_digest',
        data: {
          groups: [...groups.values()].map(({ savedSearch, matches }) => ({
            savedSearchName: savedSearch.name,
            forListing: forListings.get(savedSearch.id) ?? null,
            unsubscribeUrl: unsubscribeUrl(this.deps.publicUrl, this.deps.linkSigner, { kind: 's', savedSearchId: savedSearch.id }),
            matches: matches
              .sort((a, b) => (b.match.score ?? 0) - (a.match.score ?? 0) || a.match.id - b.match.id)
              .slice(0, MAX_MATCHES_PER_DIGEST)
              .map((row) => {
                const found = listings.get(row.match.listingId)!;
                return { listing: alertListing(found.listing, found.organization), score: row.match.score, reasons: [] };
              }),
          })),
          unsubscribeUrl: unsubscribeUrl(this.deps.publicUrl, this.deps.linkSigner, { kind: 'd', userId }),
        },
        // Names exactly this set of matches: a rerun after a crash collapses into the same message.
        idempotencyKey: `alert_digest:${userId}:${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32)}`,
      });
      await repo.markDelivered(tx, ids, 'digest', now);
      return { matches: live.length, dropped: dropped.length };
    });
  }
}
