import { and, asc, count, eq, ilike, inArray, sql, type SQL } from 'drizzle-orm';
import { organizations } from '../../../drizzle/organizations.js';
import { intermediaryClients } from '../../../drizzle/users.js';
import type { Executor } from '../../db/client.js';
import { escapeLike } from '../../db/sql-helpers.js';

export type OrganizationRow = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;

export async function insertOrganization(db: Executor, values: NewOrganization) {
  const [row] = await db.insert(organizations).values(values).returning();
  return row!;
}

/** Many at once, in one statement; rows come back in the order given. */
export async function insertOrganizations(db: Executor, values: NewOrganization[]) {
  if (values.length === 0) return [];
  return db.insert(organizations).values(values).returning();
}

export async function findOrganization(db: Executor, id: string) {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row ?? null;
}

export async function findOrganizations(db: Executor, ids: string[]) {
  if (ids.length === 0) return [];
  return db.select().from(organizations).where(inArray(organizations.id, ids));
}

export async function updateOrganization(db: Executor, id: string, values: Partial<NewOrganization>) {
  const [row] = await db.update(organizations).set(values).where(eq(organizations.id, id)).returning();
  return row ?? null;
}

export async function listOrganizations(
  db: Executor,
  filter: { q?: string; country?: string; type?: string; ids?: string[] },
  limit: number,
  offset: number,
) {
  const conditions: SQL[] = [];
  if (filter.q) conditions.push(ilike(organizations.name, `%${escapeLike(filter.q)}%`));
  if (filter.country) conditions.push(eq(organizations.country, filter.country));
  if (filter.type) conditions.push(eq(organizations.type, filter.type));
  if (filter.ids) conditions.push(inArray(organizations.id, filter.ids.length ? filter.ids : ['00000000-0000-0000-0000-000000000000']));
  const where = conditions.length ? and(...conditions) : undefined;
  const [items, [total]] = await Promise.all([
    db.select().from(organizations).where(where).orderBy(asc(organizations.name), asc(organizations.id)).limit(limit).offset(offset),
    db.select({ n: count() }).from(organizations).where(where),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** LIKE patterns treat % and _ as wildcards; a user's text is matched literally. */
// Which client organisations an intermediary user represents.

export async function clientOrganizationIds(db: Executor, intermediaryId: string) {
  const rows = await db
    .select({ id: intermediaryClients.organizationId })
    .from(intermediaryClients)
    .where(eq(intermediaryClients.intermediaryId, intermediaryId));
  return rows.map((row) => row.id);
}

export async function isClientOf(db: Executor, intermediaryId: string, organizationId: string) {
  const [row] = await db
    .select({ id: intermediaryClients.organizationId })
    .from(intermediaryClients)
    .where(and(eq(intermediaryClients.intermediaryId, intermediaryId), eq(intermediaryClients.organizationId, organizationId)));
  return Boolean(row);
}

export async function addClient(db: Executor, intermediaryId: string, organizationId: string, now: Date) {
  await db.insert(intermediaryClients).values({ intermediaryId, organizationId, createdAt: now }).onConflictDoNothing();
}

export async function removeClient(db: Executor, intermediaryId: string, organizationId: string) {
  const rows = await db
    .delete(intermediaryClients)
    .where(and(eq(intermediaryClients.intermediaryId, intermediaryId), eq(intermediaryClients.organizationId, organizationId)))
    .returning({ id: intermediaryClients.organizationId });
  return rows.length > 0;
}

/** Organisations whose name is one of `names` (ignoring case), for matching the rows of an import. */
export async function findOrganizationsByNames(db: Executor, names: string[]) {
  if (names.length === 0) return [];
  return db
    .select()
    .from(organizations)
    .where(sql`lower(${organizations.name}) = any(${sql.param(names.map((name) => name.toLowerCase()))}::text[])`)
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
}
