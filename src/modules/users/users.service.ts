import { hash, verify } from '@node-rs/argon2';
import type { Database, Executor } from '../../db/client.js';
import { addDays, type Clock } from '../../lib/clock.js';
import { Conflict, Forbidden, NotFound, Unauthorized, BadRequest, TooManyRequests } from '../../lib/errors.js';
import { hashToken, newToken } from '../../lib/tokens.js';
import type { Actor } from '../../plugins/auth.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SendCheck } from '../mail/mail.service.js';
import type { MailOutbox } from '../mail/mail.types.js';
import type { OrganizationService } from '../organizations/organizations.service.js';
import type { UserRole } from '../vocabularies/enums.js';
import type { AccountLimits } from './account-limits.js';
import * as repo from './users.repository.js';
import { deleteBrowserSessionsOfUser } from './browser-sessions.repository.js';
import type { UserView } from './users.schemas.js';
import type { z } from 'zod';
import type { ZRegisterBody } from './users.schemas.js';

// @node-rs/argon2's Algorithm is a const enum (not importable under isolatedModules): 2 is Argon2id.
const ARGON2_OPTIONS = { algorithm: 2 as const };
const VERIFY_EMAIL_TTL_DAYS = 7;
const PASSWORD_RESET_TTL_MS = 60 * 60_000;
// Compared against when the e-mail is unknown, so a failed login takes as long either way and does
// not reveal which addresses have accounts.
const DUMMY_HASH_PROMISE = hash('not-a-real-password-0000', ARGON2_OPTIONS);

export function toUserView(row: repo.UserRow): UserView {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as UserRole,
    organizationId: row.organizationId,
    emailVerified: row.emailVerifiedAt !== null,
    disabled: row.disabledAt !== null,
    createdAt: row.createdAt,
  };
}

export interface UserServiceDeps {
  db: Database;
  clock: Clock;
  audit: AuditService;
  organizations: OrganizationService;
  mail: MailOutbox;
  limits: AccountLimits;
  signAccessToken(payload: { sub: string; role: UserRole }): string;
  refreshTokenTtlDays: number;
  accessTokenTtlSeconds: number;
}

export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  private get db() {
    return this.deps.db;
  }

  private now() {
    return this.deps.clock.now();
  }

  async loadActor(userId: string): Promise<Actor | null> {
    const row = await repo.findUserById(this.db, userId);
    if (!row || row.disabledAt) return null;
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role as UserRole,
      organizationId: row.organizationId,
      emailVerified: row.emailVerifiedAt !== null,
    };
  }

  /**
   * Creates an account (and its organisation) and mails the e-mail verification link. An address
   * that already has an account gets a mail saying so instead, and the caller sees the same answer
   * either way (the password is hashed either way too, so the time taken tells nothing either).
   */
  async register(body: z.infer<typeof ZRegisterBody>): Promise<void> {
    const passwordHash = await hash(body.password, ARGON2_OPTIONS);
    await this.db.transaction(async (tx) => {
      const existing = await repo.findUserByEmail(tx, body.email);
      if (existing) {
        if (!existing.disabledAt && (await this.deps.limits.mayMail(tx, existing.email))) {
          await this.deps.mail.enqueue(tx, {
            to: { email: existing.email, name: existing.name, userId: existing.id },
            template: 'registration_attempt',
            data: {},
            idempotencyKey: `registration_attempt:${existing.id}:${newToken()}`,
          });
        }
        return;
      }
      const organization = body.organization ? await this.deps.organizations.createInTx(tx, body.organization) : null;
      const now = this.now();
      const created = await repo.insertUser(tx, {
        email: body.email,
        name: body.name,
        passwordHash,
        role: 'member',
        organizationId: organization?.id ?? null,
        createdAt: now,
        updatedAt: now,
      });
      await this.deps.audit.record(tx, { actorId: created.id, entityType: 'user', entityId: created.id, action: 'register' });
      if (await this.deps.limits.mayMail(tx, created.email)) await this.issueVerification(tx, created);
    });
  }

  /** Creates a user directly (admin CLI, demo seed); no verification mail. */
  async createUser(
    tx: Executor,
    values: { email: string; name: string; password: string; role: UserRole; organizationId: string | null; verified: boolean },
  ) {
    if (await repo.findUserByEmail(tx, values.email)) throw new Conflict('An account with this e-mail already exists', 'email_taken');
    const now = this.now();
    return repo.insertUser(tx, {
      email: values.email,
      name: values.name,
      passwordHash: await hash(values.password, ARGON2_OPTIONS),
      role: values.role,
      organizationId: values.organizationId,
      emailVerifiedAt: values.verified ? now : null,
      createdAt: now,
      updatedAt: now,
    });
  }

  async login(email: string, password: string) {
    const { limits } = this.deps;
    await limits.assertLoginAllowed(email);
    const user = await repo.findUserByEmail(this.db, email);
    const ok = await verify(user?.passwordHash ?? (await DUMMY_HASH_PROMISE), password).catch(() => false);
    if (!user || !ok) {
      await limits.recordLoginFailure(email);
      throw new Unauthorized('E-mail or password is wrong', 'invalid_credentials');
    }
    await limits.clearLoginFailures(email);
    if (user.disabledAt) throw new Forbidden('This account is disabled', 'account_disabled');
    return this.createSession(user);
  }

  /**
   * Exchanges a refresh token for a new pair of the same family; the old one is revoked (rotation).
   * A token that was already rotated and comes back was copied: whoever holds the newest one may be
   * the thief or the user, so the whole family is revoked and the user told (OAuth 2.0 Security
   * BCP, refresh token rotation).
   */
  async refresh(refreshToken: string) {
    const now = this.now();
    const session = await this.db.transaction(async (tx) => {
      const stored = await repo.findUnexpiredRefreshToken(tx, hashToken(refreshToken), now);
      if (!stored) return null;
      if (!(await repo.revokeRefreshToken(tx, stored.id, now))) {
        await this.endReusedFamily(tx, stored, now);
        return null;
      }
      const user = await repo.findUserById(tx, stored.userId);
      if (!user || user.disabledAt) return null;
      return this.createSessionInTx(tx, user, stored.familyId);
    });
    if (!session) throw new Unauthorized('Refresh token is invalid, expired or revoked', 'invalid_refresh_token');
    return session;
  }

  private async endReusedFamily(tx: Executor, reused: repo.RefreshTokenRow, now: Date) {
    const ended = await repo.revokeRefreshTokenFamily(tx, reused.familyId, now);
    // A family already ended (by logout, or an earlier replay) has no session left to protect.
    if (ended === 0) return;
    const user = await repo.findUserById(tx, reused.userId);
    if (!user || user.disabledAt) return;
    await this.deps.audit.record(tx, { actorId: null, entityType: 'user', entityId: user.id, action: 'refresh_token_reuse', data: { familyId: reused.familyId } });
    await this.deps.mail.enqueue(tx, {
      to: { email: user.email, name: user.name, userId: user.id },
      template: 'session_reuse_detected',
      data: {},
      idempotencyKey: `session_reuse_detected:${reused.familyId}`,
    });
  }

  async logout(refreshToken: string) {
    const now = this.now();
    const stored = await repo.findLiveRefreshToken(this.db, hashToken(refreshToken), now);
    if (stored) await repo.revokeRefreshToken(this.db, stored.id, now);
  }

  async me(actor: Actor) {
    const user = await repo.findUserById(this.db, actor.id);
    if (!user) throw new NotFound('User');
    return { ...toUserView(user), clientOrganizationIds: await this.deps.organizations.clientOrganizationIds(actor.id) };
  }

  /** The account page: a person changes their own name. */
  async updateProfile(actor: Actor, body: { name: string }) {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      await repo.updateUser(tx, actor.id, { name: body.name, updatedAt: now });
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'user', entityId: actor.id, action: 'update_profile' });
    });
  }

  /**
   * A person changes their password knowing the current one. Other API sessions (refresh tokens)
   * end; the caller ends other browser sessions it does not want to keep.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string) {
    const user = await repo.findUserById(this.db, actor.id);
    if (!user) throw new NotFound('User');
    if (!(await verify(user.passwordHash, currentPassword).catch(() => false))) {
      throw new BadRequest('Invalid input: currentPassword is wrong', [{ path: 'currentPassword', message: 'is wrong' }], 'validation_failed');
    }
    const passwordHash = await hash(newPassword, ARGON2_OPTIONS);
    const now = this.now();
    await this.db.transaction(async (tx) => {
      await repo.updateUser(tx, actor.id, { passwordHash, updatedAt: now });
      await repo.revokeAllRefreshTokens(tx, actor.id, now);
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'user', entityId: actor.id, action: 'change_password' });
    });
  }

  async verifyEmail(token: string) {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const used = await repo.consumeUserToken(tx, 'verify_email', hashToken(token), now);
      if (!used) throw new BadRequest('This verification link is invalid, used or expired', undefined, 'invalid_token');
      await repo.updateUser(tx, used.userId, { emailVerifiedAt: now, updatedAt: now });
      await this.deps.audit.record(tx, { actorId: used.userId, entityType: 'user', entityId: used.userId, action: 'verify_email' });
    });
  }

  async resendVerification(actor: Actor) {
    if (actor.emailVerified) throw new Conflict('E-mail address already verified', 'already_verified');
    await this.db.transaction(async (tx) => {
      const user = await repo.findUserById(tx, actor.id);
      if (!user) return;
      if (!(await this.deps.limits.mayMail(tx, user.email))) {
        throw new TooManyRequests('Enough mails went to this address for now; try again in an hour', 'too_many_mails');
      }
      await this.issueVerification(tx, user);
    });
  }

  /** An admin sends a user a new confirmation mail (the same mail allowance per address applies). */
  async resendVerificationFor(actor: Actor, userId: string) {
    await this.db.transaction(async (tx) => {
      const user = await repo.findUserById(tx, userId);
      if (!user) throw new NotFound('User');
      if (user.emailVerifiedAt) throw new Conflict('E-mail address already verified', 'already_verified');
      if (!(await this.deps.limits.mayMail(tx, user.email))) {
        throw new TooManyRequests('Enough mails went to this address for now; try again in an hour', 'too_many_mails');
      }
      await this.issueVerification(tx, user);
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'user', entityId: userId, action: 'resend_verification' });
    });
  }

  /** Always succeeds from the caller's view, so the answer never tells whether an address has an account. */
  async requestPasswordReset(email: string) {
    await this.db.transaction(async (tx) => {
      const user = await repo.findUserByEmail(tx, email);
      if (!user || user.disabledAt) return;
      if (!(await this.deps.limits.mayMail(tx, user.email))) return;
      const token = newToken();
      const now = this.now();
      await repo.insertUserToken(tx, {
        userId: user.id,
        purpose: 'password_reset',
        tokenHash: hashToken(token),
        expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
        createdAt: now,
      });
      await this.deps.mail.enqueue(tx, {
        to: { email: user.email, name: user.name, userId: user.id },
        template: 'password_reset',
        data: { token, expiresInMinutes: PASSWORD_RESET_TTL_MS / 60_000 },
        idempotencyKey: `password_reset:${hashToken(token)}`,
      });
    });
  }

  async confirmPasswordReset(token: string, password: string) {
    const passwordHash = await hash(password, ARGON2_OPTIONS);
    const now = this.now();
    await this.db.transaction(async (tx) => {
      const used = await repo.consumeUserToken(tx, 'password_reset', hashToken(token), now);
      if (!used) throw new BadRequest('This reset link is invalid, used or expired', undefined, 'invalid_token');
      const user = await repo.updateUser(tx, used.userId, { passwordHash, updatedAt: now });
      // A reset is what someone does after losing control of an account: end every session, and
      // lift a log-in lock (the reset proves the owner holds the mailbox).
      await repo.revokeAllRefreshTokens(tx, used.userId, now);
      await deleteBrowserSessionsOfUser(tx, used.userId);
      if (user) await this.deps.limits.clearLoginFailures(user.email, tx);
      await this.deps.audit.record(tx, { actorId: used.userId, entityType: 'user', entityId: used.userId, action: 'password_reset' });
    });
  }

  list(filter: { role?: string; organizationId?: string; q?: string; clientOf?: string }, limit: number, offset: number) {
    return repo.listUsers(this.db, filter, limit, offset).then(({ items, total }) => ({ items: items.map(toUserView), total }));
  }

  async adminUpdate(actor: Actor, userId: string, body: { role?: UserRole; organizationId?: string | null; disabled?: boolean; name?: string }) {
    return this.db.transaction(async (tx) => {
      const user = await repo.findUserById(tx, userId);
      if (!user) throw new NotFound('User');
      if (body.organizationId && !(await this.deps.organizations.exists(tx, body.organizationId))) throw new NotFound('Organization');
      if (userId === actor.id && (body.disabled || (body.role && body.role !== 'admin'))) {
        throw new Conflict('Admins cannot disable or demote themselves', 'self_lockout');
      }
      const now = this.now();
      const updated = await repo.updateUser(tx, userId, {
        ...(body.role ? { role: body.role } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.organizationId !== undefined ? { organizationId: body.organizationId } : {}),
        ...(body.disabled !== undefined ? { disabledAt: body.disabled ? now : null } : {}),
        updatedAt: now,
      });
      if (body.disabled) {
        await repo.revokeAllRefreshTokens(tx, userId, now);
        await deleteBrowserSessionsOfUser(tx, userId);
      }
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'user', entityId: userId, action: 'admin_update', data: body });
      return toUserView(updated!);
    });
  }

  async addClient(actor: Actor, intermediaryId: string, organizationId: string) {
    await this.db.transaction(async (tx) => {
      const user = await repo.findUserById(tx, intermediaryId);
      if (!user) throw new NotFound('User');
      if (user.role !== 'intermediary') throw new Conflict('Only intermediaries represent client organisations', 'not_intermediary');
      if (!(await this.deps.organizations.exists(tx, organizationId))) throw new NotFound('Organization');
      await this.deps.organizations.addClient(tx, intermediaryId, organizationId);
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'user', entityId: intermediaryId, action: 'add_client', data: { organizationId } });
    });
  }

  async removeClient(actor: Actor, intermediaryId: string, organizationId: string) {
    await this.db.transaction(async (tx) => {
      if (!(await this.deps.organizations.removeClient(tx, intermediaryId, organizationId))) throw new NotFound('Client relation');
      await this.deps.audit.record(tx, { actorId: actor.id, entityType: 'user', entityId: intermediaryId, action: 'remove_client', data: { organizationId } });
    });
  }

  /** May this user act for the organisation: its member, or an intermediary representing it. */
  async actsFor(actor: Pick<Actor, 'id' | 'role' | 'organizationId'>, organizationId: string, db: Executor = this.db): Promise<boolean> {
    if (actor.organizationId === organizationId) return true;
    return actor.role === 'intermediary' && this.deps.organizations.isClientOf(actor.id, organizationId, db);
  }

  clientOrganizationIds(intermediaryId: string, db: Executor = this.db) {
    return this.deps.organizations.clientOrganizationIds(intermediaryId, db);
  }

  /** The organisations the actor acts for: its own and, for an intermediary, its clients. */
  async organizationsActedFor(actor: Actor | null, db: Executor = this.db): Promise<string[]> {
    if (!actor) return [];
    const ids = actor.organizationId ? [actor.organizationId] : [];
    if (actor.role === 'intermediary') ids.push(...(await this.clientOrganizationIds(actor.id, db)));
    return ids;
  }

  /** Whether the user is active and acts for the organisation right now (rights change: links are removed, accounts disabled). */
  async activelyActsFor(userId: string, organizationId: string, db: Executor = this.db): Promise<boolean> {
    const user = await repo.findUserById(db, userId);
    return Boolean(user && !user.disabledAt && (await this.actsFor({ ...user, role: user.role as UserRole }, organizationId, db)));
  }

  /**
   * The mail send check for messages sent to someone as one who acts for an organisation (EOIs,
   * Tech Monitor features, reminders): rights are what they are at send time, not when it was queued.
   */
  readonly mailRecipientCheck: SendCheck = async (message) => {
    if (!message.userId || !message.actingForOrganizationId) return null;
    if (await this.activelyActsFor(message.userId, message.actingForOrganizationId)) return null;
    return 'the recipient no longer acts for the organisation this message concerns';
  };

  /** The actor of an account named by e-mail (command-line tools act as a person). */
  async actorByEmail(email: string) {
    const row = await repo.findUserByEmail(this.db, email);
    return row ? this.loadActor(row.id) : null;
  }

  usersOfOrganization(organizationId: string, db: Executor = this.db) {
    return repo.usersOfOrganization(db, organizationId);
  }

  findById(id: string, db: Executor = this.db) {
    return repo.findUserById(db, id);
  }

  /** Users by id in one read, keyed by id (ids that name no user are absent). */
  async findManyById(ids: Iterable<string>, db: Executor = this.db) {
    const rows = await repo.findUsersByIds(db, [...new Set(ids)]);
    return new Map(rows.map((row) => [row.id, row]));
  }

  private async issueVerification(tx: Executor, user: repo.UserRow) {
    const token = newToken();
    const now = this.now();
    await repo.insertUserToken(tx, {
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: hashToken(token),
      expiresAt: addDays(now, VERIFY_EMAIL_TTL_DAYS),
      createdAt: now,
    });
    await this.deps.mail.enqueue(tx, {
      to: { email: user.email, name: user.name, userId: user.id },
      template: 'verify_email',
      data: { token },
      idempotencyKey: `verify_email:${hashToken(token)}`,
    });
  }

  private createSession(user: repo.UserRow) {
    return this.createSessionInTx(this.db, user);
  }

  /** A new access token and refresh token; the refresh token starts a family unless it continues one. */
  private async createSessionInTx(tx: Executor, user: repo.UserRow, familyId?: string) {
    const refreshToken = newToken();
    const now = this.now();
    await repo.insertRefreshToken(tx, {
      userId: user.id,
      ...(familyId ? { familyId } : {}),
      tokenHash: hashToken(refreshToken),
      expiresAt: addDays(now, this.deps.refreshTokenTtlDays),
      createdAt: now,
    });
    return {
      accessToken: this.deps.signAccessToken({ sub: user.id, role: user.role as UserRole }),
      refreshToken,
      expiresIn: this.deps.accessTokenTtlSeconds,
      user: toUserView(user),
    };
  }
}
