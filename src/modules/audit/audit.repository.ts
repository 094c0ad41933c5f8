import { and, asc, eq } from 'drizzle-orm';
import { auditLog } from '../../../drizzle/audit.js';
import type { Executor } from '../../db/client.js';

export type NewAuditEntry = typeof auditLog.$inferInsert;

export function insertEntry(db: Executor, entry: NewAuditEntry) {
  return db.insert(auditLog).values(entry);
}

export function insertEntries(db: Executor, entries: NewAuditEntry[]) {
  return db.insert(auditLog).values(entries);
}

export function entriesOf(db: Executor, entityType: string, entityId: string) {
  return db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.id));
}
