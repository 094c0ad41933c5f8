import { z } from 'zod';

// The only reader of process.env. Every key is parsed at start; a bad value stops the service with
// a list of every bad key rather than failing later on first use.

const DEV_JWT_SECRET = 'dev-only-secret-change-me-in-production-0123456789';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

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
    DATA_DIR: z.string().default('./data'),
    JWT_SECRET: z.string().min(32).optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().positive().default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().positive().default(30),
    AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(10),
    SMTP_URL: z.string().optional(),
    MAIL_FROM: z.string().default('Technology Database <no-reply@techmonitor.example>'),
    MEILI_HOST: z.string().url().optional(),
    MEILI_API_KEY: z.string().optional(),
    MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('listings'),
    WORKER_ENABLED: booleanFromEnv.default(true),
    WORKER_POLL_MS: z.coerce.number().int().positive().default(1000),
    SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
    EOI_DAILY_LIMIT: z.coerce.number().int().positive().default(20),
    TECHMONITOR_SEND_BATCH_SIZE: z.coerce.number().int().positive().max(5000).default(500),
    IMPORT_BATCH_SIZE: z.coerce.number().int().positive().max(5000).default(500),
    IMPORT_MAX_BYTES: z.coerce.number().int().positive().default(20 * 1_048_576),
    API_KEY_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
    WIDGET_FRAME_ANCESTORS: z.string().default('*'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'is required in production (at least 32 characters)' });
    }
  });

export type Env = z.input<typeof EnvSchema>;

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    server: {
      host: e.HOST,
      port: e.PORT,
      publicUrl: e.PUBLIC_URL.replace(/\/+$/, ''),
      corsOrigin: e.CORS_ORIGIN,
      bodyLimit: e.BODY_LIMIT_BYTES,
    },
    database: { url: e.DATABASE_URL, dataDir: e.DATA_DIR },
    auth: {
      jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET,
      accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      rateLimitPerMinute: e.AUTH_RATE_LIMIT_PER_MINUTE,
    },
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, outboxDir: `${e.DATA_DIR}/mail` },
    search: {
      meili: e.MEILI_HOST ? { host: e.MEILI_HOST, apiKey: e.MEILI_API_KEY, index: e.MEILI_INDEX } : undefined,
    },
    worker: { enabled: e.WORKER_ENABLED, pollMs: e.WORKER_POLL_MS },
    seed: { demo: e.SEED_DEMO },
    limits: { eoiPerUserPerDay: e.EOI_DAILY_LIMIT },
    techmonitor: { sendBatchSize: e.TECHMONITOR_SEND_BATCH_SIZE },
    partners: {
      importBatchSize: e.IMPORT_BATCH_SIZE,
      importMaxBytes: e.IMPORT_MAX_BYTES,
      apiKeyRatePerMinute: e.API_KEY_RATE_LIMIT_PER_MINUTE,
      widgetFrameAncestors: e.WIDGET_FRAME_ANCESTORS,
    },
  };
}

export type AppConfig = ReturnType<typeof loadConfig>;
