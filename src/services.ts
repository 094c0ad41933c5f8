import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from './config.js';
import type { Database } from './db/client.js';
import type { Clock } from './lib/clock.js';
import { AuditService } from './modules/audit/audit.service.js';
import { JobQueue } from './modules/jobs/job-queue.js';
import { Scheduler } from './modules/jobs/scheduler.js';
import { ListingService } from './modules/listings/listings.service.js';
import { MailService } from './modules/mail/mail.service.js';
import { OrganizationService } from './modules/organizations/organizations.service.js';
import { UserService } from './modules/users/users.service.js';

export interface ServiceDeps {
  config: AppConfig;
  db: Database;
  clock: Clock;
  log: FastifyBaseLogger;
  signAccessToken(payload: { sub: string; role: import('./modules/vocabularies/enums.js').UserRole }): string;
}

const HOUR_MS = 3_600_000;

/** Wires the domain services together; the one place that knows every module. */
export function createServices(deps: ServiceDeps) {
  const { config, db, clock, log } = deps;
  const jobs = new JobQueue(db, clock, log, config.worker.pollMs);
  const scheduler = new Scheduler(log);
  const audit = new AuditService(db, clock);
  const mail = new MailService(jobs);
  const organizations = new OrganizationService(db, clock, audit);
  const users = new UserService({
    db,
    clock,
    audit,
    organizations,
    mail,
    signAccessToken: deps.signAccessToken,
    refreshTokenTtlDays: config.auth.refreshTokenTtlDays,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
  });
  const listings = new ListingService({ db, clock, audit, users, organizations, mail });

  scheduler.every('listing-expiry-sweep', HOUR_MS, () => listings.runExpirySweep());

  return { jobs, scheduler, audit, mail, organizations, users, listings };
}

export type Services = ReturnType<typeof createServices>;
