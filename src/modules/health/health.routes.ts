import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const ZHealth = z.object({
  status: z.enum(['ok', 'degraded']),
  database: z.object({ status: z.enum(['up', 'down']), engine: z.enum(['pglite', 'postgres']), latencyMs: z.number() }),
});

const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health', { schema: { tags: ['health'], summary: 'Whether the service and its database answer', response: { 200: ZHealth, 503: ZHealth } } }, async (_request, reply) => {
    const started = performance.now();
    let up = true;
    try {
      await app.database.db.execute(sql`select 1`);
    } catch (error) {
      app.log.error({ err: error }, 'health check: database unreachable');
      up = false;
    }
    const body = {
      status: up ? ('ok' as const) : ('degraded' as const),
      database: { status: up ? ('up' as const) : ('down' as const), engine: app.database.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
    };
    return reply.status(up ? 200 : 503).send(body);
  });
};

export default healthRoutes;
