import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from './config.js';
import type { Database, IndexReader } from './db/client.js';
import type { Clock } from './lib/clock.js';
import type { LinkSigner } from './lib/signed-links.js';
import { WorkGate } from './lib/work-gate.js';
import { AuditService } from './modules/audit/audit.service.js';
import { JobQueue } from './modules/jobs/job-queue.js';
import { Scheduler } from './modules/jobs/scheduler.js';
import { ListingService } from './modules/listings/listings.service.js';
import { ListingRevisionService } from './modules/listings/listing-revisions.service.js';
import { InterestService } from './modules/interests/interests.service.js';
import { IntroductionService } from './modules/interests/introductions.service.js';
import { MAIL_QUEUE, MailService } from './modules/mail/mail.service.js';
import { createMailTransport } from './modules/mail/mail.transport.js';
import { OrganizationService } from './modules/organizations/organizations.service.js';
import { AccountLimits } from './modules/users/account-limits.js';
import { UserService } from './modules/users/users.service.js';
import { AlertDigest } from './modules/alerts/alert-digest.js';
import { SavedSearchService } from './modules/alerts/alerts.service.js';
import { ALERTS_QUEUE, NewListingAlerts } from './modules/alerts/new-listing-alerts.js';
import { wireDomainEvents } from './domain-events.js';
import { ListingExport } from './modules/imports/exports.service.js';
import { MATCHING_ANALYSIS_QUEUE, MatchingService } from './modules/matching/matching.service.js';
import { createSearchEngine } from './modules/search/search.engines.js';
import type { SearchEngine } from './modules/search/search.port.js';
import { SEARCH_QUEUE, SEARCH_REINDEX_QUEUE, SearchService } from './modules/search/search.service.js';
import { NewsletterService, TM_SEND_QUEUE } from './modules/techmonitor/newsletter.service.js';
import { TechMonitorService } from './modules/techmonitor/techmonitor.service.js';
import { ThemeSearch } from './modules/techmonitor/techmonitor.theme-search.js';
import { ReportService } from './modules/reports/reports.service.js';
import { IMPORTS_QUEUE, ImportService } from './modules/imports/imports.service.js';
import { BrowserSessionService } from './modules/users/browser-sessions.service.js';
import { ListingCounters } from './modules/listings/listing-counters.js';
import { ApiKeyService } from './modules/apikeys/apikeys.service.js';
import { WEBHOOKS_QUEUE, WebhookService } from './modules/webhooks/webhooks.service.js';

export interface ServiceDeps {
  config: AppConfig;
  db: Database;
  /** How the built-in search engine reads its index (DatabaseHandle.indexReader). */
  indexReader?: IndexReader;
  clock: Clock;
  log: FastifyBaseLogger;
  signAccessToken(payload: { sub: string; role: import('./modules/vocabularies/enums.js').UserRole }): string;
  /** Signs links in mails that act without logging in (unsubscribe). */
  linkSigner: LinkSigner;
  /** Replaces the configured search engine (tests wrap it to simulate outages). */
  searchEngine?: SearchEngine;
  /** Encrypts webhook signing secrets at rest (DerivedKeys.webhookSecrets). */
  webhookSecretKey: Buffer;
}

const HOUR_MS = 3_600_000;

/** Wires the domain services together; the one place that knows every module. */
export function createServices(deps: ServiceDeps) {
  const { config, db, clock, log } = deps;
  const jobs = new JobQueue(db, clock, log, { pollMs: config.worker.pollMs, lockTimeoutMs: config.worker.lockTimeoutMs });
  const scheduler = new Scheduler(log);
  const audit = new AuditService(db, clock);
  const mail = new MailService({
    db,
    jobs,
    clock,
    log,
    transport: createMailTransport(config.mail, log),
    from: config.mail.from,
    publicUrl: config.server.publicUrl,
  });
  jobs.define(MAIL_QUEUE, mail.queueDefinition());
  const organizations = new OrganizationService(db, clock, audit);
  const accountLimits = new AccountLimits(db, clock, config.auth);
  scheduler.every('account-limit-cleanup', HOUR_MS, () => accountLimits.removeEnded());
  const users = new UserService({
    db,
    clock,
    audit,
    organizations,
    mail,
    limits: accountLimits,
    signAccessToken: deps.signAccessToken,
    refreshTokenTtlDays: config.auth.refreshTokenTtlDays,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
  });
  const listings = new ListingService({ db, clock, audit, users, organizations, mail });
  const listingRevisions = new ListingRevisionService({ db, clock, audit, listings });
  const introductions = new IntroductionService({ db, clock, audit, users, organizations, listings });
  const interests = new InterestService({
    db,
    clock,
    audit,
    users,
    organizations,
    listings,
    introductions,
    mail,
    dailyLimit: config.limits.eoiPerUserPerDay,
  });

  const searchEngine = deps.searchEngine ?? createSearchEngine(config, db, deps.indexReader);
  const expensiveWork = new WorkGate(config.limits.expensiveWork);
  const search = new SearchService({
    db,
    engine: searchEngine,
    listings,
    jobs,
    clock,
    log,
    audit,
    gate: expensiveWork,
  });
  jobs.define(SEARCH_QUEUE, search.queueDefinition());
  jobs.define(SEARCH_REINDEX_QUEUE, search.reindexQueueDefinition());
  const matching = new MatchingService({ db, clock, listings, engine: searchEngine, jobs, gate: expensiveWork });
  jobs.define(MATCHING_ANALYSIS_QUEUE, matching.queueDefinition());
  const alerts = new SavedSearchService({ db, clock, listings, users, linkSigner: deps.linkSigner });
  const alertDeps = { db, clock, mail, listings, users, publicUrl: config.server.publicUrl, linkSigner: deps.linkSigner };
  const newListingAlerts = new NewListingAlerts({ ...alertDeps, jobs, matching });
  const alertDigest = new AlertDigest(alertDeps);
  jobs.define(ALERTS_QUEUE, newListingAlerts.queueDefinition());
  scheduler.every('alert-digest', HOUR_MS, () => alertDigest.run());

  const techmonitor = new TechMonitorService({
    db,
    clock,
    audit,
    listings,
    users,
    mail,
    themeSearch: new ThemeSearch(searchEngine),
    publicUrl: config.server.publicUrl,
  });
  const newsletter = new NewsletterService({
    db,
    clock,
    audit,
    mail,
    jobs,
    techmonitor,
    publicUrl: config.server.publicUrl,
    linkSigner: deps.linkSigner,
    sendBatchSize: config.techmonitor.sendBatchSize,
  });
  mail.addSendCheck(newsletter.sendCheck);
  mail.addSendCheck(users.mailRecipientCheck);
  jobs.define(TM_SEND_QUEUE, { handler: newsletter.handleSendJobs, batchSize: 1 });
  const reports = new ReportService(db, clock);

  scheduler.every('listing-expiry-sweep', HOUR_MS, () => listings.runExpirySweep());
  const webhooks = new WebhookService({
    db,
    clock,
    log,
    jobs,
    mail,
    audit,
    users,
    organizations,
    listings,
    secretKey: deps.webhookSecretKey,
    settings: config.webhooks,
  });
  jobs.define(WEBHOOKS_QUEUE, webhooks.queueDefinition());
  scheduler.every('webhook-delivery-purge', HOUR_MS, () => webhooks.purgeOldDeliveries());
  wireDomainEvents({ listings, organizations, interests, search, matching, newListingAlerts, webhooks });

  const listingExport = new ListingExport({ listings, clock });
  const imports = new ImportService({ db, clock, log, jobs, listings, organizations, users, batchSize: config.partners.importBatchSize });
  jobs.define(IMPORTS_QUEUE, imports.queueDefinition());
  scheduler.every('import-purge', HOUR_MS, () => imports.purgeExpired());

  const browserSessions = new BrowserSessionService({ db, clock, users, idleMs: config.web.sessionIdleMinutes * 60_000 });
  scheduler.every('browser-session-purge', HOUR_MS, () => browserSessions.purgeExpired());
  const listingCounters = new ListingCounters({ db, clock, log, flushMs: config.web.countersFlushSeconds * 1000 });

  const apiKeys = new ApiKeyService({ db, clock, audit, users, organizations });

  return { imports, listingExport, jobs, scheduler, audit, mail, organizations, users, listings, search, interests, introductions, matching, alerts, newListingAlerts, alertDigest, techmonitor, newsletter, reports, listingRevisions, expensiveWork, browserSessions, listingCounters, apiKeys, webhooks };
}

export type Services = ReturnType<typeof createServices>;
