import { createHash } from 'node:crypto';
import type { Database, Executor } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { TooManyRequests } from '../../lib/errors.js';
import * as repo from './throttle.repository.js';

// Limits per account, whatever address the requests come from: the per-client rate limit alone
// is beaten by anyone with many addresses. Counted per e-mail address (existing or not, so a lock
// says nothing about whether an account exists) in the database, which every copy of the service
// shares. Buckets are named by a hash of the address, so the table holds no address in clear.

export interface AccountLimitSettings {
  loginFailuresBeforeLock: number;
  loginLockMinutes: number;
  accountMailsPerHour: number;
}

const HOUR_MS = 3_600_000;

function bucketOf(kind: 'login' | 'mail', email: string) {
  return `${kind}:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

export class AccountLimits {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly settings: AccountLimitSettings,
  ) {}

  /** Refuses a log-in to an address with too many recent failures, before its password is even tried. */
  async assertLoginAllowed(email: string) {
    const now = this.clock.now();
    const bucket = await repo.peekBucket(this.db, bucketOf('login', email), now);
    if (bucket && bucket.hits >= this.settings.loginFailuresBeforeLock) {
      const minutes = Math.max(1, Math.ceil((bucket.windowEndsAt.getTime() - now.getTime()) / 60_000));
      throw new TooManyRequests(`Too many failed log-ins for this address; try again in ${minutes} minutes or reset the password`, 'login_locked');
    }
  }

  /** A wrong password: the failures of one window lock the address until the window ends. */
  async recordLoginFailure(email: string) {
    await repo.hitBucket(this.db, bucketOf('login', email), this.clock.now(), this.settings.loginLockMinutes * 60_000);
  }

  async clearLoginFailures(email: string, db: Executor = this.db) {
    await repo.clearBucket(db, bucketOf('login', email));
  }

  /**
   * Counts one account mail (verification, password reset, registration notice) to the address
   * and answers whether it may go: at most a few an hour, so nobody can flood a mailbox with them.
   */
  async mayMail(tx: Executor, email: string): Promise<boolean> {
    const { hits } = await repo.hitBucket(tx, bucketOf('mail', email), this.clock.now(), HOUR_MS);
    return hits <= this.settings.accountMailsPerHour;
  }

  /** Drops counters whose window ended (the hourly schedule). */
  removeEnded() {
    return repo.deleteEndedBuckets(this.db, this.clock.now());
  }
}
