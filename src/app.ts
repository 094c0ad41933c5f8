import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import './lib/zod-messages.js';
import type { AppConfig } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { systemClock, type Clock } from './lib/clock.js';
import { guardedValidatorCompiler } from './lib/control-characters.js';
import { REDACTED_PATHS, serializeError, serializeRequest } from './lib/log-safety.js';
import { deriveKeys, embeddedMasterSecret, type DerivedKeys } from './lib/secrets.js';
import { LinkSigner } from './lib/signed-links.js';
import { strictContentSecurityPolicy } from './plugins/content-security-policy.js';
import authPlugin from './plugins/auth.js';
import errorsPlugin from './plugins/errors.js';
import openapiPlugin from './plugins/openapi.js';
import healthRoutes from './modules/health/health.routes.js';
import adminJobRoutes from './modules/jobs/jobs.routes.js';
import listingRoutes from './modules/listings/listings.routes.js';
import listingRevisionRoutes from './modules/listings/listing-revisions.routes.js';
import adminMailRoutes from './modules/mail/mail.routes.js';
import interestRoutes from './modules/interests/interests.routes.js';
import introductionRoutes from './modules/interests/introductions.routes.js';
import organizationRoutes from './modules/organizations/organizations.routes.js';
import { adminUserRoutes, authRoutes, meRoutes } from './modules/users/users.routes.js';
import vocabularyRoutes from './modules/vocabularies/vocabularies.routes.js';
import { createServices, type Services } from './services.js';
import { adminSearchRoutes, searchRoutes } from './modules/search/search.routes.js';
import type { SearchEngine } from './modules/search/search.port.js';
import { adminAlertRoutes, savedSearchRoutes } from './modules/alerts/alerts.routes.js';
import matchingRoutes from './modules/matching/matching.routes.js';
import { techMonitorPublicationRoutes } from './modules/techmonitor/techmonitor-publication.routes.js';
import { adminTechMonitorRoutes, techMonitorSubscriberRoutes } from './modules/techmonitor/techmonitor-subscribers.routes.js';
import { techMonitorRoutes } from './modules/techmonitor/techmonitor.routes.js';
import reportRoutes from './modules/reports/reports.routes.js';
import importRoutes from './modules/imports/imports.routes.js';
import webPlugin from './web/web.plugin.js';
import exportRoutes from './modules/imports/exports.routes.js';
import apiKeyRoutes from './modules/apikeys/apikeys.routes.js';
import listingChangeRoutes from './modules/listings/listing-changes.routes.js';
import feedRoutes from './modules/feeds/feeds.routes.js';
import widgetRoutes from './modules/widget/widget.routes.js';
import webhookRoutes from './modules/webhooks/webhooks.routes.js';
import { API_KEY_HEADER, apiKeyResolver } from './modules/apikeys/apikey-auth.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    services: Services;
    database: DatabaseHandle;
    clock: Clock;
    /** Keys derived from the master secret, one per use (src/lib/secrets.ts). */
    keys: DerivedKeys;
  }
}

export interface AppDeps {
  /** An open, migrated database; without it the app opens the configured one and migrates it. */
  database?: DatabaseHandle;
  clock?: Clock;
  /** Replaces the configured search engine (tests wrap it to simulate an outage). */
  searchEngine?: SearchEngine;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: { write(line: string): void };
}

/** Builds the whole service without listening, so tests drive it with app.inject. */
export async function buildApp(config: AppConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            redact: REDACTED_PATHS,
            serializers: { err: serializeError, req: serializeRequest },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
          },
    bodyLimit: config.server.bodyLimit,
    genReqId: () => randomUUID(),
    trustProxy: trustProxyOption(config.server.trustProxy),
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(guardedValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const database = deps.database ?? (await openConfiguredDatabase(config));
  const ownsDatabase = !deps.database;
  const clock = deps.clock ?? systemClock;
  const keys = deriveKeys(config.auth.jwtSecret ?? embeddedMasterSecret(config.database.dataDir));

  const services = createServices({
    config,
    db: database.db,
    indexReader: database.indexReader,
    clock,
    log: app.log,
    signAccessToken: (payload) => app.jwt.sign(payload),
    linkSigner: new LinkSigner(keys.signedLinks),
    searchEngine: deps.searchEngine,
    webhookSecretKey: keys.webhookSecrets,
  });
  app.decorate('config', config);
  app.decorate('services', services);
  app.decorate('database', database);
  app.decorate('clock', clock);
  app.decorate('keys', keys);

  await app.register(errorsPlugin);
  await app.register(helmet, { contentSecurityPolicy: strictContentSecurityPolicy });
  await app.register(cors, { origin: config.server.corsOrigin === '*' ? true : config.server.corsOrigin.split(',') });
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin, {
    accessTokenKey: keys.accessTokens,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    loadActor: (userId) => services.users.loadActor(userId),
  });
  // Machine clients: `Authorization: ApiKey <key>` acts as the key's organisation (src/modules/apikeys).
  const apiKeyActor = apiKeyResolver(app, services.apiKeys, config.partners.apiKeyRatePerMinute);
  app.addActorResolver(async (request, reply) => {
    const key = API_KEY_HEADER.exec(request.headers.authorization ?? '')?.[1];
    return key ? apiKeyActor(request, reply, key) : undefined;
  });
  await app.register(openapiPlugin, { publicUrl: config.server.publicUrl });

  await app.register(healthRoutes);
  await app.register(feedRoutes, { prefix: '/feeds' });
  await app.register(widgetRoutes, { prefix: '/widget' });
  await app.register(
    async (api) => {
      await api.register(vocabularyRoutes);
      await api.register(authRoutes, { prefix: '/auth' });
      await api.register(meRoutes);
      await api.register(organizationRoutes, { prefix: '/organizations' });
      await api.register(listingRoutes, { prefix: '/listings' });
      await api.register(exportRoutes, { prefix: '/listings' });
      await api.register(listingChangeRoutes, { prefix: '/listings' });
      await api.register(matchingRoutes, { prefix: '/listings' });
      await api.register(listingRevisionRoutes, { prefix: '/listings' });
      await api.register(savedSearchRoutes, { prefix: '/saved-searches' });
      await api.register(adminAlertRoutes, { prefix: '/admin' });
      await api.register(adminUserRoutes, { prefix: '/admin' });
      await api.register(adminJobRoutes, { prefix: '/admin' });
      await api.register(searchRoutes);
      await api.register(adminSearchRoutes, { prefix: '/admin' });
      await api.register(adminMailRoutes, { prefix: '/admin' });
      await api.register(interestRoutes, { prefix: '/interests' });
      await api.register(introductionRoutes, { prefix: '/introductions' });
      await api.register(techMonitorRoutes, { prefix: '/techmonitor' });
      await api.register(techMonitorPublicationRoutes, { prefix: '/techmonitor' });
      await api.register(techMonitorSubscriberRoutes, { prefix: '/techmonitor' });
      await api.register(adminTechMonitorRoutes, { prefix: '/admin' });
      await api.register(reportRoutes, { prefix: '/reports' });
      await api.register(importRoutes, { prefix: '/imports' });
      await api.register(apiKeyRoutes, { prefix: '/api-keys' });
      await api.register(webhookRoutes, { prefix: '/webhooks' });
    },
    { prefix: '/api/v1' },
  );
  await app.register(webPlugin);

  app.addHook('onClose', async () => {
    await services.scheduler.stop();
    await services.listingCounters.stop();
    await services.jobs.stop();
    // After the worker stopped: no send can be under way.
    services.mail.close();
    if (ownsDatabase) await database.close();
  });
  return app;
}

/** A hop count becomes the function Fastify builds for one (its types accept no number). */
function trustProxyOption(setting: AppConfig['server']['trustProxy']) {
  if (typeof setting !== 'number') return setting;
  return (_address: string, hop: number) => hop < setting;
}

export async function openConfiguredDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    url: config.database.url,
    pgliteDataDir: join(config.database.dataDir, 'pglite'),
    connectTimeoutSeconds: config.database.connectTimeoutSeconds,
  });
  try {
    await handle.migrate();
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  return handle;
}
