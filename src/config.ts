import { isIP } from 'node:net';
import { z } from 'zod';

// The only reader of process.env. Every key is parsed at start; a bad value stops the service with
// a list of every bad key rather than failing later on first use.

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/**
 * Which proxies may set X-Forwarded-For (Fastify's trustProxy): none by default, since a client
 * that may name its own address escapes every per-client limit. A hop count, true (every proxy: only
 * behind one that overwrites the header), or a comma-separated list of proxy addresses and CIDRs.
 */
const trustProxyFromEnv = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string[] => {
    if (value === '' || value === 'false') return false;
    if (value === 'true') return true;
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    for (const entry of entries) {
      const [address, prefix, ...rest] = entry.split('/');
      const family = isIP(address ?? '');
      const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
      if (!family || !prefixOk || rest.length) {
        ctx.addIssue({ code: 'custom', message: `"${entry}" is not a hop count, true/false, or a proxy address or CIDR` });
        return z.NEVER;
      }
    }
    return entries;
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PUBLIC_URL: z.url().default('http://localhost:3000'),
    CORS_ORIGIN: z.string().default('*'),
    BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),
    DATABASE_URL: z.string().url().optional(),
    DATABASE_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(300).default(5),
    DATA_DIR: z.string().default('./data'),
    JWT_SECRET: z.string().min(32).optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
    TRUST_PROXY: trustProxyFromEnv.default(false),
    LOGIN_FAILURES_BEFORE_LOCK: z.coerce.number().int().positive().default(5),
    LOGIN_LOCK_MINUTES: z.coerce.number().int().positive().default(15),
    ACCOUNT_MAILS_PER_HOUR: z.coerce.number().int().positive().default(3),
    SMTP_URL: z.string().optional(),
    MAIL_FROM: z.string().default('Technology Database <no-reply@techmonitor.example>'),
    MEILI_HOST: z.string().url().optional(),
    MEILI_API_KEY: z.string().optional(),
    MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('listings'),
    WORKER_ENABLED: booleanFromEnv.default(true),
    WORKER_POLL_MS: z.coerce.number().int().positive().default(1000),
    JOB_LOCK_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(120),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    EOI_DAILY_LIMIT: z.coerce.number().int().positive().default(20),
    TECHMONITOR_SEND_BATCH_SIZE: z.coerce.number().int().positive().max(5000).default(500),
    IMPORT_BATCH_SIZE: z.coerce.number().int().positive().max(5000).default(500),
    IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1_048_576),
    API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    WIDGET_FRAME_ANCESTORS: z.string().default('*'),
    WEBHOOKS_ALLOW_HTTP: booleanFromEnv.default(false),
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: booleanFromEnv.default(false),
    WEBHOOKS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(10),
    WEBHOOKS_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(20),
    WEBHOOKS_TIMEOUT_SECONDS: z.coerce.number().min(1).max(60).default(10),
    WEBHOOKS_LOG_DAYS: z.coerce.number().int().min(1).default(30),
    SEARCH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
    MATCHES_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
    EXPENSIVE_WORK_CONCURRENCY: z.coerce.number().int().positive().default(4),
    EXPENSIVE_WORK_QUEUE: z.coerce.number().int().min(0).default(16),
    WEB_SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(720),
    LISTING_COUNTERS_FLUSH_SECONDS: z.coerce.number().int().positive().default(30),
  })
  .superRefine((env, ctx) => {
    // Only the embedded database keeps a secret of its own (in DATA_DIR); copies of the service on
    // a shared server must all sign with the same one, so there it must be given.
    if ((env.NODE_ENV === 'production' || env.DATABASE_URL) && !env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required when DATABASE_URL is set or NODE_ENV=production (at least 32 random characters)',
      });
    }
  });

export type Env = z.input<typeof EnvSchema>;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    // One line per bad key, each complete on its own, so a start-up log shows what to fix.
    const lines = parsed.error.issues.map((issue) => `Invalid configuration: ${issue.path.join('.')} ${issue.message}`);
    throw new ConfigurationError(lines.join('\n'));
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    server: {
      trustProxy: e.TRUST_PROXY,
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
      corsOrigin: e.CORS_ORIGIN,
      bodyLimit: e.BODY_LIMIT_BYTES,
    },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR, connectTimeoutSeconds: e.DATABASE_CONNECT_TIMEOUT_SECONDS },
    auth: {
      /** Unset only on the embedded database: the service then keeps a secret in DATA_DIR. */
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      rateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
      loginFailuresBeforeLock: e.LOGIN_FAILURES_BEFORE_LOCK,
      loginLockMinutes: e.LOGIN_LOCK_MINUTES,
      accountMailsPerHour: e.ACCOUNT_MAILS_PER_HOUR,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, outboxDir: `${e.DATA_DIR}/mail` },
    search: {
      meili: e.MEILI_HOST ? { host: e.MEILI_HOST, apiKey: e.MEILI_API_KEY, index: e.MEILI_INDEX } : undefined,
    },
    worker: { enabled: e.WORKER_ENABLED, pollMs: e.WORKER_POLL_MS, lockTimeoutMs: e.JOB_LOCK_TIMEOUT_SECONDS * 1000 },
    seed: { demo: e.SEED_DEMO },
    limits: {
      eoiPerUserPerDay: e.EOI_DAILY_LIMIT,
      anonymousSearchPerMinute: e.SEARCH_RATE_LIMIT_PER_MINUTE,
      anonymousMatchesPerMinute: e.MATCHES_RATE_LIMIT_PER_MINUTE,
      expensiveWork: { concurrency: e.EXPENSIVE_WORK_CONCURRENCY, queue: e.EXPENSIVE_WORK_QUEUE, retryAfterSeconds: 5 },
    },
    techmonitor: { sendBatchSize: e.TECHMONITOR_SEND_BATCH_SIZE },
    partners: {
      importBatchSize: e.IMPORT_BATCH_SIZE,
      importMaxBytes: e.IMPORT_MAX_BYTES,
      apiKeyRatePerMinute: e.API_KEY_RATE_LIMIT_PER_MINUTE,
      widgetFrameAncestors: e.WIDGET_FRAME_ANCESTORS,
    },
    webhooks: {
      /** http:// addresses (local receivers in development and tests); https:// only otherwise. */
      allowHttp: e.WEBHOOKS_ALLOW_HTTP,
      /** Addresses on loopback, private and link-local networks; refused otherwise (SSRF). */
      allowPrivateTargets: e.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      maxAttempts: e.WEBHOOKS_MAX_ATTEMPTS,
      disableAfterFailures: e.WEBHOOKS_DISABLE_AFTER_FAILURES,
      timeoutMs: e.WEBHOOKS_TIMEOUT_SECONDS * 1000,
      logDays: e.WEBHOOKS_LOG_DAYS,
    },
    web: { sessionIdleMinutes: e.WEB_SESSION_IDLE_MINUTES, countersFlushSeconds: e.LISTING_COUNTERS_FLUSH_SECONDS },
  };
}

export type AppConfig = ReturnType<typeof loadConfig>;
