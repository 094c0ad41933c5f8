import Fastify, { type FastifyInstance } from 'fastify';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import './lib/zod-messages.js';
import type { AppConfig } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { systemClock, type Clock } from './lib/clock.js';
import authPlugin from './plugins/auth.js';
import errorsPlugin from './plugins/errors.js';
import openapiPlugin from './plugins/openapi.js';
import healthRoutes from './modules/health/health.routes.js';
import adminJobRoutes from './modules/jobs/jobs.routes.js';
import listingRoutes from './modules/listings/listings.routes.js';
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
import { adminTechMonitorRoutes, techMonitorRoutes } from './modules/techmonitor/techmonitor.routes.js';
import reportRoutes from './modules/reports/reports.routes.js';
import importRoutes from './modules/imports/imports.routes.js';
import exportRoutes from './modules/exports/exports.routes.js';
import apiKeyRoutes from './modules/apikeys/apikeys.routes.js';
import listingChangeRoutes from './modules/listings/listing-changes.routes.js';
import feedRoutes from './modules/feeds/feeds.routes.js';
import widgetRoutes from './modules/widget/widget.routes.js';
import { apiKeyResolver } from './modules/apikeys/apikey-auth.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: AppConfig;
    services: Services;
    database: DatabaseHandle;
    clock: Clock;
  }
}

export interface AppDeps {
  /** An open, migrated database; without it the app opens the configured one and migrates it. */
  database?: DatabaseHandle;
  clock?: Clock;
  /** Replaces the configured search engine (tests wrap it to simulate an outage). */
  searchEngine?: SearchEngine;
}

/** Builds the whole service without listening, so tests drive it with app.inject. */
export async function buildApp(config: AppConfig, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization', '*.password', '*.passwordHash', '*.token', '*.refreshToken'] },
    bodyLimit: config.server.bodyLimit,
    genReqId: () => randomUUID(),
    trustProxy: true,
    ajv: undefined,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const database = deps.database ?? (await openConfiguredDatabase(config));
  const ownsDatabase = !deps.database;
  const clock = deps.clock ?? systemClock;

  const services = createServices({
    config,
    db: database.db,
    indexReader: database.indexReader,
    clock,
    log: app.log,
    signAccessToken: (payload) => app.jwt.sign(payload),
    searchEngine: deps.searchEngine,
  });
  app.decorate('config', config);
  app.decorate('services', services);
  app.decorate('database', database);
  app.decorate('clock', clock);

  await app.register(errorsPlugin);
  await app.register(helmet, {
    // The Swagger UI at /docs needs inline scripts and styles; the API itself serves only JSON.
    contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'"] } },
  });
  await app.register(cors, { origin: config.server.corsOrigin === '*' ? true : config.server.corsOrigin.split(',') });
  await app.register(rateLimit, { global: false });
  await app.register(authPlugin, {
    secret: config.auth.jwtSecret,
    accessTokenTtlSeconds: config.auth.accessTokenTtlSeconds,
    loadActor: (userId) => services.users.loadActor(userId),
    resolveApiKey: apiKeyResolver(app, services.apiKeys, config.partners.apiKeyRatePerMinute),
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
      await api.register(adminTechMonitorRoutes, { prefix: '/admin' });
      await api.register(reportRoutes, { prefix: '/reports' });
      await api.register(importRoutes, { prefix: '/imports' });
      await api.register(apiKeyRoutes, { prefix: '/api-keys' });
    },
    { prefix: '/api/v1' },
  );

  app.addHook('onClose', async () => {
    await services.scheduler.stop();
    await services.jobs.stop();
    if (ownsDatabase) await database.close();
  });
  return app;
}

export async function openConfiguredDatabase(config: AppConfig): Promise<DatabaseHandle> {
  const handle = await openDatabase({ url: config.database.url, pgliteDataDir: join(config.database.dataDir, 'pglite') });
  await handle.migrate();
  return handle;
}
