import { and, eq, gt, lte, sql } from 'drizzle-orm';
import { throttleBuckets } from '../../../drizzle/users.js';
import type { Executor } from '../../db/client.js';

/**
 * Counts one hit in a bucket and answers the count of its window. The first hit after a window
 * ended starts a new one. One statement, so copies of the service counting at once lose no hit.
 */
export async function hitBucket(db: Executor, bucket: string, now: Date, windowMs: number) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const windowEnd = new Date(now.getTime() + windowMs);
  const [row] = await db
    .insert(throttleBuckets)
    .values({ bucket, hits: 1, windowEndsAt: windowEnd })
    .onConflictDoUpdate({
      target: throttleBuckets.bucket,
      set: {
        hits: sql`case when ${throttleBuckets.windowEndsAt} <= ${at} then 1 else ${throttleBuckets.hits} + 1 end`,
        windowEndsAt: sql`case when ${throttleBuckets.windowEndsAt} <= ${at} then ${windowEnd.toISOString()}::timestamptz else ${throttleBuckets.windowEndsAt} end`,
      },
    })
    .returning({ hits: throttleBuckets.hits, windowEndsAt: throttleBuckets.windowEndsAt });
  return row!;
}

/** The bucket's count in its current window, or null when it has none. */
export async function peekBucket(db: Executor, bucket: string, now: Date) {
  const [row] = await db
    .select({ hits: throttleBuckets.hits, windowEndsAt: throttleBuckets.windowEndsAt })
    .from(throttleBuckets)
    .where(and(eq(throttleBuckets.bucket, bucket), gt(throttleBuckets.windowEndsAt, now)));
  return row ?? null;
}

export async function clearBucket(db: Executor, bucket: string) {
  await db.delete(throttleBuckets).where(eq(throttleBuckets.bucket, bucket));
}

export async function deleteEndedBuckets(db: Executor, now: Date) {
  await db.delete(throttleBuckets).where(lte(throttleBuckets.windowEndsAt, now));
}
