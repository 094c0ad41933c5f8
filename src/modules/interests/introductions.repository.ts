import { and, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { introductions } from '../../../drizzle/interests.js';
import type { Executor } from '../../db/client.js';
import type { InterestScope } from './interests.repository.js';
import type { AgreementType } from '../vocabularies/enums.js';
import type { IntroductionStatus } from './interests.vocabulary.js';

export type IntroductionRow = typeof introductions.$inferSelect;
export type NewIntroduction = typeof introductions.$inferInsert;

export interface IntroductionFilter {
  status?: IntroductionStatus[];
  agreementType?: AgreementType[];
  listingId?: string;
  organizationId?: string;
}

export async function insertIntroduction(db: Executor, values: NewIntroduction) {
  const [row] = await db.insert(introductions).values(values).returning();
  return row!;
}

export async function findIntroduction(db: Executor, id: string, options: { forUpdate?: boolean } = {}) {
  const query = db.select().from(introductions).where(eq(introductions.id, id)).limit(1);
  const [row] = options.forUpdate ? await query.for('update') : await query;
  return row ?? null;
}

export async function findByInterest(db: Executor, interestId: string) {
  const [row] = await db.select().from(introductions).where(eq(introductions.interestId, interestId)).limit(1);
  return row ?? null;
}

export async function findByInterests(db: Executor, interestIds: string[]) {
  if (interestIds.length === 0) return [];
  return db.select({ id: introductions.id, interestId: introductions.interestId }).from(introductions).where(inArray(introductions.interestId, interestIds));
}

export async function updateIntroduction(db: Executor, id: string, values: Partial<NewIntroduction>) {
  const [row] = await db.update(introductions).set(values).where(eq(introductions.id, id)).returning();
  return row!;
}

export async function listIntroductions(db: Executor, scope: InterestScope, filter: IntroductionFilter, limit: number, offset: number) {
  const ids = scope.kind === 'parties' ? scope.organizationIds : [];
  const conditions: (SQL | undefined)[] = [
    scope.kind === 'parties'
      ? or(
          eq(introductions.senderUserId, scope.userId),
          ids.length ? inArray(introductions.senderOrganizationId, ids) : sql`false`,
          ids.length ? inArray(introductions.ownerOrganizationId, ids) : sql`false`,
        )
      : undefined,
    filter.status?.length ? inArray(introductions.status, filter.status) : undefined,
    filter.agreementType?.length ? inArray(introductions.agreementType, filter.agreementType) : undefined,
    filter.listingId ? eq(introductions.listingId, filter.listingId) : undefined,
    filter.organizationId
      ? or(eq(introductions.senderOrganizationId, filter.organizationId), eq(introductions.ownerOrganizationId, filter.organizationId))
      : undefined,
  ];
  const where = and(...conditions.filter((condition): condition is SQL => condition !== undefined));
  const [items, [total]] = await Promise.all([
    db.select().from(introductions).where(where).orderBy(desc(introductions.createdAt), desc(introductions.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(introductions).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}
