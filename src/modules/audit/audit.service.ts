import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import * as repo from './audit.repository.js';

export interface AuditEntry {
  actorId: string | null;
  entityType: string;
  entityId: string;
  action: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  note?: string | null;
  data?: Record<string, unknown>;
}

// Every state change is recorded in the same transaction as the change itself, so the log can
// never disagree with the data.
export class AuditService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  record(tx: Executor, entry: AuditEntry) {
    return repo.insertEntry(tx, {
      actorId: entry.actorId,
      entityType: entry.entityType,
      entityId: entry.entityId,
      action: entry.action,
      fromStatus: entry.fromStatus ?? null,
      toStatus: entry.toStatus ?? null,
      note: entry.note ?? null,
      data: entry.data ?? null,
      createdAt: this.clock.now(),
    });
  }

  /** Many entries in one statement (bulk writes such as imports). */
  recordMany(tx: Executor, entries: AuditEntry[]) {
    if (entries.length === 0) return Promise.resolve();
    const now = this.clock.now();
    return repo.insertEntries(
      tx,
      entries.map((entry) => ({
        actorId: entry.actorId,
        entityType: entry.entityType,
        entityId: entry.entityId,
        action: entry.action,
        fromStatus: entry.fromStatus ?? null,
        toStatus: entry.toStatus ?? null,
        note: entry.note ?? null,
        data: entry.data ?? null,
        createdAt: now,
      })),
    );
  }

  history(entityType: string, entityId: string) {
    return repo.entriesOf(this.db, entityType, entityId);
  }
}
