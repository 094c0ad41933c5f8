import fp from 'fastify-plugin';
import type { FastifyError } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { databaseFault } from '../db/database-errors.js';
import { AppError, type ErrorIssue } from '../lib/errors.js';
import { ServiceBusy } from '../lib/work-gate.js';

// One shape for every error: { statusCode, code, message, requestId, issues? }. 4xx are logged at
// warn, 5xx at error, and a 5xx never shows its internals to the caller.
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
      const requestId = request.id;
      if (hasZodFastifySchemaValidationErrors(error)) {
        const where = (error as FastifyError).validationContext ?? 'body';
        const issues: ErrorIssue[] = error.validation.map((v) => {
          const segments = v.instancePath.split('/').filter(Boolean);
          const path = [where, ...segments].join('.');
          return { path, message: v.message };
        });
        request.log.warn({ issues }, 'validation failed');
        return reply.status(400).send({
          statusCode: 400,
          code: 'validation_failed',
          message: `Invalid input: ${issues.map((i) => i.path).join(', ')}`,
          requestId,
          issues,
        });
      }
      if (error instanceof AppError) {
        if (error instanceof ServiceBusy) {
          reply.header('retry-after', String(error.retryAfterSeconds));
          request.log.warn({ code: error.code }, error.message);
        } else if (error.statusCode >= 500) request.log.error({ err: error }, error.message);
        else request.log.warn({ code: error.code }, error.message);
        return reply.status(error.statusCode).send({
          statusCode: error.statusCode,
          code: error.code,
          message: error.message,
          requestId,
          ...(error.issues ? { issues: error.issues } : {}),
        });
      }
      if (isResponseSerializationError(error)) {
        request.log.error({ err: error, issues: error.cause.issues }, 'response did not match its schema');
        return reply.status(500).send({ statusCode: 500, code: 'internal_error', message: 'Internal server error', requestId });
      }
      const fault = databaseFault(error);
      if (fault === 'unavailable') {
        request.log.error({ err: error }, 'database unavailable');
        return reply
          .status(503)
          .header('retry-after', '5')
          .send({ statusCode: 503, code: 'database_unavailable', message: 'The database is unavailable for a moment; try again shortly', requestId });
      }
      if (fault === 'storage_full') {
        // Reads go on; writes fail until an operator frees disk space.
        request.log.error({ err: error }, 'database storage full');
        return reply
          .status(507)
          .send({ statusCode: 507, code: 'storage_full', message: 'The database has no storage left for this change; reading still works. Try again later', requestId });
      }
      const statusCode = (error as FastifyError).statusCode ?? 500;
      if (statusCode >= 500) {
        request.log.error({ err: error }, 'unhandled error');
        return reply.status(500).send({ statusCode: 500, code: 'internal_error', message: 'Internal server error', requestId });
      }
      // Fastify's own client errors: malformed JSON, body too large, unsupported media type, rate limit.
      request.log.warn({ err: error }, error.message);
      const code = statusCode === 429 ? 'too_many_requests' : ((error as FastifyError).code ?? 'bad_request').toLowerCase();
      return reply.status(statusCode).send({ statusCode, code, message: error.message, requestId });
    });

    app.setNotFoundHandler((request, reply) => {
      // People asking for a page outside the API get the site's own 404 page.
      if (!request.url.startsWith('/api/') && app.hasDecorator('notFoundPage') && /text\/html/.test(request.headers.accept ?? '')) {
        return app.notFoundPage(request, reply);
      }
      reply.status(404).send({
        statusCode: 404,
        code: 'not_found',
        message: `Route ${request.method} ${request.url.split('?')[0]} not found`,
        requestId: request.id,
      });
    });
  },
  { name: 'errors' },
);
