import { inArray, sql } from 'drizzle-orm';
import { listingCounters } from '../../../drizzle/web.js';
import type { Executor } from '../../db/client.js';

export interface CounterIncrements {
  listingId: string;
  views: number;
  searchAppearances: number;
  matchAppearances: number;
}

/** Adds a batch of increments in one statement. */
export async function addToCounters(db: Executor, increments: CounterIncrements[], now: Date) {
  if (increments.length === 0) return;
  await db
    .insert(listingCounters)
    .values(increments.map((entry) => ({ ...entry, updatedAt: now })))
    .onConflictDoUpdate({
      target: listingCounters.listingId,
      set: {
        views: sql`${listingCounters.views} + excluded.views`,
        searchAppearances: sql`${listingCounters.searchAppearances} + excluded.search_appearances`,
        matchAppearances: sql`${listingCounters.matchAppearances} + excluded.match_appearances`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}

export async function findCounters(db: Executor, listingIds: string[]) {
  if (listingIds.length === 0) return [];
  return db.select().from(listingCounters).where(inArray(listingCounters.listingId, listingIds));
}
