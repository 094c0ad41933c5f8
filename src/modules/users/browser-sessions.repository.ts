import { and, eq, lt, ne } from 'drizzle-orm';
import { browserSessions } from '../../../drizzle/web.js';
import type { Executor } from '../../db/client.js';

export type BrowserSessionRow = typeof browserSessions.$inferSelect;

export async function insertBrowserSession(db: Executor, values: typeof browserSessions.$inferInsert) {
  await db.insert(browserSessions).values(values);
}

export async function findBrowserSession(db: Executor, tokenHash: string) {
  const [row] = await db.select().from(browserSessions).where(eq(browserSessions.tokenHash, tokenHash));
  return row ?? null;
}

export async function touchBrowserSession(db: Executor, tokenHash: string, lastSeenAt: Date, expiresAt: Date) {
  await db.update(browserSessions).set({ lastSeenAt, expiresAt }).where(eq(browserSessions.tokenHash, tokenHash));
}

export async function deleteBrowserSession(db: Executor, tokenHash: string) {
  await db.delete(browserSessions).where(eq(browserSessions.tokenHash, tokenHash));
}

export async function deleteBrowserSessionsOfUser(db: Executor, userId: string, exceptTokenHash?: string) {
  const ofUser = eq(browserSessions.userId, userId);
  await db.delete(browserSessions).where(exceptTokenHash ? and(ofUser, ne(browserSessions.tokenHash, exceptTokenHash)) : ofUser);
}

export async function deleteExpiredBrowserSessions(db: Executor, now: Date) {
  await db.delete(browserSessions).where(lt(browserSessions.expiresAt, now));
}
