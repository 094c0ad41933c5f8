import type { Database } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import type { Actor } from '../../plugins/auth.js';
import * as repo from './browser-sessions.repository.js';
import type { UserService } from './users.service.js';

// A session seen again within this time is not written to: its expiry moves only every few minutes,
// so a page view costs no database write.
const TOUCH_AFTER_MS = 5 * 60_000;

export interface BrowserSessionServiceDeps {
  db: Database;
  clock: Clock;
  users: UserService;
  /** A session unused this long ends (sliding expiry). */
  idleMs: number;
}

/**
 * The server side of the web pages' log-in cookie. The actor is loaded fresh on every request, so a
 * disabled account or a changed role takes effect at once.
 */
export class BrowserSessionService {
  constructor(private readonly deps: BrowserSessionServiceDeps) {}

  /** Starts a session for a user who just proved who they are; returns the cookie's token. */
  async start(userId: string): Promise<string> {
    const token = newToken();
    const now = this.deps.clock.now();
    await repo.insertBrowserSession(this.deps.db, {
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.deps.idleMs),
    });
    return token;
  }

  /** The actor of a live session, or why there is none ('expired' sends the person to log in again). */
  async resolve(token: string): Promise<{ actor: Actor } | { ended: 'expired' | 'unknown' }> {
    const tokenHash = hashToken(token);
    const session = await repo.findBrowserSession(this.deps.db, tokenHash);
    if (!session) return { ended: 'unknown' };
    const now = this.deps.clock.now();
    if (session.expiresAt <= now) {
      await repo.deleteBrowserSession(this.deps.db, tokenHash);
      return { ended: 'expired' };
    }
    const actor = await this.deps.users.loadActor(session.userId);
    if (!actor) {
      await repo.deleteBrowserSession(this.deps.db, tokenHash);
      return { ended: 'unknown' };
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
      await repo.touchBrowserSession(this.deps.db, tokenHash, now, new Date(now.getTime() + this.deps.idleMs));
    }
    return { actor };
  }

  async end(token: string) {
    await repo.deleteBrowserSession(this.deps.db, hashToken(token));
  }

  /** Ends the user's other sessions (after a password change made in one of them). */
  async endOthers(userId: string, keepToken: string) {
    await repo.deleteBrowserSessionsOfUser(this.deps.db, userId, hashToken(keepToken));
  }

  async purgeExpired() {
    await repo.deleteExpiredBrowserSessions(this.deps.db, this.deps.clock.now());
  }
}
