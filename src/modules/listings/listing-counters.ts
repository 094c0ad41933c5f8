import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import * as repo from './listing-counters.repository.js';

export interface ListingCounts {
  views: number;
  searchAppearances: number;
  matchAppearances: number;
}

const zero = (): ListingCounts => ({ views: 0, searchAppearances: 0, matchAppearances: 0 });

/**
 * How often listings are seen (page views, appearances in search results and in match lists).
 * Counting must not cost a write per read, so each service copy adds up in memory and flushes
 * the sums in one statement every `flushMs`; a crash loses at most the counts of that interval.
 */
export class ListingCounters {
  private pending = new Map<string, ListingCounts>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: { db: Database; clock: Clock; log: FastifyBaseLogger; flushMs: number },
  ) {}

  private add(listingId: string, field: keyof ListingCounts) {
    let entry = this.pending.get(listingId);
    if (!entry) this.pending.set(listingId, (entry = zero()));
    entry[field]++;
  }

  recordView(listingId: string) {
    this.add(listingId, 'views');
  }

  recordSearchAppearances(listingIds: string[]) {
    for (const id of listingIds) this.add(id, 'searchAppearances');
  }

  recordMatchAppearances(listingIds: string[]) {
    for (const id of listingIds) this.add(id, 'matchAppearances');
  }

  /** Writes the sums counted so far. Increments that fail to write are kept for the next flush. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await repo.addToCounters(
          this.deps.db,
          [...batch].map(([listingId, counts]) => ({ listingId, ...counts })),
          this.deps.clock.now(),
        );
      } catch (error) {
        this.deps.log.error({ err: error, listings: batch.size }, 'listing counters flush failed; kept for the next one');
        for (const [listingId, counts] of batch) {
          const entry = this.pending.get(listingId) ?? zero();
          entry.views += counts.views;
          entry.searchAppearances += counts.searchAppearances;
          entry.matchAppearances += counts.matchAppearances;
          this.pending.set(listingId, entry);
        }
      }
    });
    return this.flushing;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => void this.flush(), this.deps.flushMs);
    this.timer.unref();
  }

  async stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  /** The counts of the listings: what is stored plus what this copy has not flushed yet. */
  async countsOf(listingIds: string[]): Promise<Map<string, ListingCounts>> {
    const result = new Map<string, ListingCounts>(listingIds.map((id) => [id, zero()]));
    for (const row of await repo.findCounters(this.deps.db, listingIds)) {
      result.set(row.listingId, { views: row.views, searchAppearances: row.searchAppearances, matchAppearances: row.matchAppearances });
    }
    for (const id of listingIds) {
      const unflushed = this.pending.get(id);
      const counts = result.get(id)!;
      if (unflushed) {
        counts.views += unflushed.views;
        counts.searchAppearances += unflushed.searchAppearances;
        counts.matchAppearances += unflushed.matchAppearances;
      }
    }
    return result;
  }
}
