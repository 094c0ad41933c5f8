import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses, textBody, ZIdParams } from '../../lib/http-schemas.js';
import type { IssueDocument } from './techmonitor.export.js';
import { ZDeliveryProgress, ZExportQuery, ZIssueDetail } from './techmonitor.schemas.js';
import { staffOnly } from '../../plugins/auth.js';
import { inlineStylesAllowed } from '../../plugins/content-security-policy.js';

const tags = ['techmonitor'];
function sendExport(reply: FastifyReply, document: IssueDocument) {
  return reply.type(document.contentType).header('content-disposition', `inline; filename="${document.fileName}"`).send(document.body);
}


const ZExportBody = z.union([textBody('text/html'), textBody('text/markdown'), ZIssueDetail]).describe('HTML or Markdown text, or the issue as JSON');

/** A published issue: its exports for readers and its mailing to subscribers. */
export const techMonitorPublicationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { techmonitor, newsletter } = app.services;

  // ── exports ─────────────────────────────────────────────────────────────────────────────────

  app.get(
    '/issues/:id/export',
    {
      helmet: inlineStylesAllowed,
      schema: {
        tags,
        summary: 'A published issue as print-ready HTML, Markdown or JSON (editors may preview drafts)',
        params: ZIdParams,
        querystring: ZExportQuery,
        response: { 200: ZExportBody, ...errorResponses },
      },
    },
    async (request, reply) => sendExport(reply, await techmonitor.document(request.actor, request.params.id, request.query.format)),
  );

  for (const format of ['html', 'md', 'json'] as const) {
    app.get(
      `/issues/:id.${format}`,
      {
        helmet: inlineStylesAllowed,
        schema: {
          tags,
          summary: `A published issue as ${format === 'md' ? 'Markdown' : format.toUpperCase()}`,
          params: ZIdParams,
          response: { 200: format === 'json' ? ZIssueDetail : textBody(format === 'html' ? 'text/html' : 'text/markdown'), ...errorResponses },
        },
      },
      async (request, reply) => sendExport(reply, await techmonitor.document(request.actor, request.params.id, format)),
    );
  }

  // ── sending ─────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/issues/:id/send',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: mail a published issue to every confirmed subscriber (resumes an interrupted send; never mails anyone twice)',
        security: bearer,
        params: ZIdParams,
        response: { 202: ZDeliveryProgress, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(202).send(await newsletter.startSend(app.requireActor(request), request.params.id)),
  );

  app.get(
    '/issues/:id/delivery',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: progress of the mailing of an issue',
        security: bearer,
        params: ZIdParams,
        response: { 200: ZDeliveryProgress, ...errorResponses },
      },
    },
    async (request) => newsletter.progressOf(request.params.id),
  );
};
