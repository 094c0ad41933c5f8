import { and, asc, count, eq, ilike, inArray, isNull, or, sql, gt, type SQL } from 'drizzle-orm';
import { users, refreshTokens, userTokens, intermediaryClients } from '../../../drizzle/users.js';
import type { Executor } from '../../db/client.js';
import { escapeLike } from '../../db/sql-helpers.js';

export type UserRow = typeof users.$inferSelect;

export async function insertUser(db: Executor, values: typeof users.$inferInsert) {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

export async function findUserById(db: Executor, id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** The users of the given ids that exist, in no particular order (none asked, none read). */
export async function findUsersByIds(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.select().from(users).where(inArray(users.id, [...ids]));
}

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db.select().from(users).where(sql`lower(${users.email}) = lower(${email})`);
  return row ?? null;
}

export async function updateUser(db: Executor, id: string, values: Partial<typeof users.$inferInsert>) {
  const [row] = await db.update(users).set(values).where(eq(users.id, id)).returning();
  return row ?? null;
}

export async function listUsers(
  db: Executor,
  filter: { role?: string; organizationId?: string; q?: string; clientOf?: string },
  limit: number,
  offset: number,
) {
  const conditions: SQL[] = [];
  if (filter.role) conditions.push(eq(users.role, filter.role));
  if (filter.clientOf) {
    conditions.push(
      sql`exists (select 1 from ${intermediaryClients} where ${intermediaryClients.intermediaryId} = ${users.id} and ${intermediaryClients.organizationId} = ${filter.clientOf})`,
    );
  }
  if (filter.organizationId) conditions.push(eq(users.organizationId, filter.organizationId));
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    conditions.push(or(ilike(users.name, pattern), ilike(users.email, pattern))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [items, [total]] = await Promise.all([
    db.select().from(users).where(where).orderBy(asc(users.email)).limit(limit).offset(offset),
    db.select({ n: count() }).from(users).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** Active users of an organisation (the people to mail about its listings). */
export function usersOfOrganization(db: Executor, organizationId: string) {
  return db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, organizationId), isNull(users.disabledAt)))
    .orderBy(asc(users.createdAt));
}

export async function insertRefreshToken(db: Executor, values: typeof refreshTokens.$inferInsert) {
  await db.insert(refreshTokens).values(values);
}

export type RefreshTokenRow = typeof refreshTokens.$inferSelect;

/** A refresh token that has not expired, revoked or not. */
export async function findUnexpiredRefreshToken(db: Executor, tokenHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, tokenHash), gt(refreshTokens.expiresAt, now)));
  return row ?? null;
}

/** Revokes every live token of a family; answers how many were live. */
export async function revokeRefreshTokenFamily(db: Executor, familyId: string, now: Date) {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return rows.length;
}

export async function findLiveRefreshToken(db: Executor, tokenHash: string, now: Date) {
  const [row] = await db
    .select()
    .from(refreshTokens)
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.revokedAt), gt(refreshTokens.expiresAt, now)));
  return row ?? null;
}

/** Revokes one token; returns false when it was already revoked (a replayed refresh token). */
export async function revokeRefreshToken(db: Executor, id: string, now: Date) {
  const rows = await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.id, id), isNull(refreshTokens.revokedAt)))
    .returning({ id: refreshTokens.id });
  return rows.length > 0;
}

export async function revokeAllRefreshTokens(db: Executor, userId: string, now: Date) {
  await db
    .update(refreshTokens)
    .set({ revokedAt: now })
    .where(and(eq(refreshTokens.userId, userId), isNull(refreshTokens.revokedAt)));
}

export async function insertUserToken(db: Executor, values: typeof userTokens.$inferInsert) {
  await db.insert(userTokens).values(values);
}

/** Marks a single-use token used and returns it, or null when unknown, used or expired. */
export async function consumeUserToken(db: Executor, purpose: string, tokenHash: string, now: Date) {
  const [row] = await db
    .update(userTokens)
    .set({ usedAt: now })
    .where(and(eq(userTokens.tokenHash, tokenHash), eq(userTokens.purpose, purpose), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)))
    .returning();
  return row ?? null;
}
