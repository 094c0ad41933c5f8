import type { FastifyReply } from 'fastify';
import { sendBrowsersTo } from '../../web/browser-links.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses, textBody, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { SUBSCRIBE_ACCEPTED } from './newsletter.service.js';
import { escapeHtml } from '../../lib/html.js';
import { exportFileName, renderIssueHtml, renderIssueMarkdown } from './techmonitor.export.js';
import {
  ZAddEntryBody,
  ZBounceBody,
  ZBounceResult,
  ZCreateIssueBody,
  ZDeliveryProgress,
  ZEntryParams,
  ZExportQuery,
  ZIssue,
  ZIssueDetail,
  ZIssueListQuery,
  ZReorderBody,
  ZSubscribeAccepted,
  ZSubscribeBody,
  ZSuggestionQuery,
  ZSuggestions,
  ZTokenBody,
  ZTokenQuery,
  ZUpdateEntryBody,
  ZUpdateIssueBody,
  ZVersionBody,
  type ExportFormat,
} from './techmonitor.schemas.js';
import type { IssueDetail } from './techmonitor.service.js';
import { adminOnly, staffOnly } from '../../plugins/auth.js';
import { inlineStylesAllowed } from '../../plugins/content-security-policy.js';
import oneClickUnsubscribeForms from '../../plugins/one-click-unsubscribe.js';

const tags = ['techmonitor'];
const CONTENT_TYPES: Record<ExportFormat, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

function sendExport(reply: FastifyReply, issue: IssueDetail, format: ExportFormat) {
  reply.type(CONTENT_TYPES[format]).header('content-disposition', `inline; filename="${exportFileName(issue, format)}"`);
  if (format === 'html') return reply.send(renderIssueHtml(issue));
  if (format === 'md') return reply.send(renderIssueMarkdown(issue));
  return reply.send(issue);
}

/** The page a reader lands on from a link in a mail. */
function page(reply: FastifyReply, title: string, text: string) {
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:Arial,Helvetica,sans-serif;max-width:40em;margin:3em auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`,
    );
}

const ZExportBody = z.union([textBody('text/html'), textBody('text/markdown'), ZIssueDetail]).describe('HTML or Markdown text, or the issue as JSON');

export const techMonitorRoutes: FastifyPluginAsyncZod = async (app) => {
  const { techmonitor, newsletter } = app.services;

  await app.register(oneClickUnsubscribeForms);

  // ── issues ──────────────────────────────────────────────────────────────────────────────────

  app.post(
    '/issues',
    { config: staffOnly, schema: { tags, summary: 'Editors: create an issue (a draft)', security: bearer, body: ZCreateIssueBody, response: { 201: ZIssueDetail, ...errorResponses } } },
    async (request, reply) => reply.status(201).send(await techmonitor.create(app.requireActor(request), request.body)),
  );

  app.get(
    '/issues',
    {
      schema: {
        tags,
        summary: 'Issues: published ones for everyone; editors and admins also see drafts and locked ones',
        querystring: ZIssueListQuery,
        response: { 200: pageOf(ZIssue), ...errorResponses },
      },
    },
    async (request) => ({ ...(await techmonitor.list(request.actor, request.query)), limit: request.query.limit, offset: request.query.offset }),
  );

  app.get(
    '/issues/:id',
    {
      schema: {
        tags,
        summary: 'An issue with its entries (a published issue shows the entries as they were at publication)',
        params: ZIdParams,
        response: { 200: ZIssueDetail, ...errorResponses },
      },
    },
    async (request) => techmonitor.get(request.actor, request.params.id),
  );

  app.patch(
    '/issues/:id',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: change a draft issue (send the version you edited)',
        security: bearer,
        params: ZIdParams,
        body: ZUpdateIssueBody,
        response: { 200: ZIssueDetail, ...errorResponses },
      },
    },
    async (request) => techmonitor.update(app.requireActor(request), request.params.id, request.body),
  );

  const transitions = [
    { action: 'lock', summary: 'Editors: freeze the selection for proofreading (draft → locked)' },
    { action: 'unlock', summary: 'Editors: back to draft (locked → draft)' },
    { action: 'publish', summary: 'Editors: publish a locked issue; its entries are frozen and featured owners mailed' },
  ] as const;
  for (const { action, summary } of transitions) {
    app.post(
      `/issues/:id/${action}`,
      { config: staffOnly, schema: { tags, summary, security: bearer, params: ZIdParams, body: ZVersionBody, response: { 200: ZIssueDetail, ...errorResponses } } },
      async (request) => techmonitor[action](app.requireActor(request), request.params.id, request.body.version),
    );
  }

  // ── selection ───────────────────────────────────────────────────────────────────────────────

  app.post(
    '/issues/:id/entries',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: add a published listing to a draft issue',
        security: bearer,
        params: ZIdParams,
        body: ZAddEntryBody,
        response: { 201: ZIssueDetail, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await techmonitor.addEntry(app.requireActor(request), request.params.id, request.body)),
  );

  app.patch(
    '/issues/:id/entries/:entryId',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: "Editors: change an entry's editorial note or position",
        security: bearer,
        params: ZEntryParams,
        body: ZUpdateEntryBody,
        response: { 200: ZIssueDetail, ...errorResponses },
      },
    },
    async (request) => techmonitor.updateEntry(app.requireActor(request), request.params.id, request.params.entryId, request.body),
  );

  app.delete(
    '/issues/:id/entries/:entryId',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: remove an entry from a draft issue',
        security: bearer,
        params: ZEntryParams,
        body: ZVersionBody,
        response: { 200: ZIssueDetail, ...errorResponses },
      },
    },
    async (request) => techmonitor.removeEntry(app.requireActor(request), request.params.id, request.params.entryId, request.body.version),
  );

  app.post(
    '/issues/:id/reorder',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: put the entries in a new order (list every entry id)',
        security: bearer,
        params: ZIdParams,
        body: ZReorderBody,
        response: { 200: ZIssueDetail, ...errorResponses },
      },
    },
    async (request) => techmonitor.reorder(app.requireActor(request), request.params.id, request.body.entryIds, request.body.version),
  );

  app.get(
    '/issues/:id/suggestions',
    {
      config: staffOnly,
      schema: {
        tags,
        summary: 'Editors: published listings suggested for the theme, diversified and balanced to the targets, each with its reason',
        security: bearer,
        params: ZIdParams,
        querystring: ZSuggestionQuery,
        response: { 200: ZSuggestions, ...errorResponses },
      },
    },
    async (request) => techmonitor.suggestions(app.requireActor(request), request.params.id, request.query),
  );

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
    async (request, reply) => sendExport(reply, await techmonitor.get(request.actor, request.params.id), request.query.format),
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
      async (request, reply) => sendExport(reply, await techmonitor.get(request.actor, request.params.id), format),
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

  // ── subscribers ─────────────────────────────────────────────────────────────────────────────

  app.post(
    '/subscribers',
    {
      config: { rateLimit: { max: app.config.auth.rateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Subscribe to the Tech Monitor by e-mail (double opt-in: a confirmation link is mailed)',
        body: ZSubscribeBody,
        response: { 202: ZSubscribeAccepted, ...errorResponses },
      },
    },
    async (request, reply) => {
      await newsletter.subscribe(request.body);
      return reply.status(202).send({ message: SUBSCRIBE_ACCEPTED });
    },
  );

  app.get(
    '/subscribers/confirm',
    {
      helmet: inlineStylesAllowed,
      onRequest: sendBrowsersTo('/tech-monitor/confirm'),
      schema: {
        tags,
        summary: 'The confirmation link of the subscription mail (answers an HTML page; browsers go to the site\'s page)',
        querystring: ZTokenQuery,
        response: { 200: textBody('text/html'), ...errorResponses },
      },
    },
    async (request, reply) => {
      await newsletter.confirm(request.query.token);
      return page(reply, 'Subscription confirmed', 'You will receive the Asia-Pacific Tech Monitor by e-mail. Every issue carries a link to unsubscribe.');
    },
  );

  app.post(
    '/subscribers/confirm',
    {
      schema: {
        tags,
        summary: 'Confirm a subscription with the token of the confirmation mail',
        body: ZTokenBody,
        response: { 200: z.object({ status: z.literal('active') }), ...errorResponses },
      },
    },
    async (request) => newsletter.confirm(request.body.token),
  );

  const unsubscribed = z.object({ status: z.literal('unsubscribed') });
  app.get(
    '/unsubscribe',
    {
      helmet: inlineStylesAllowed,
      onRequest: sendBrowsersTo('/tech-monitor/unsubscribe'),
      schema: {
        tags,
        summary: 'The unsubscribe link of every Tech Monitor mail: works without logging in (answers an HTML page; browsers go to the site\'s page)',
        querystring: ZTokenQuery,
        response: { 200: textBody('text/html'), ...errorResponses },
      },
    },
    async (request, reply) => {
      await newsletter.unsubscribe(request.query.token);
      return page(reply, 'You are unsubscribed', 'This address will receive no more Tech Monitor mail. You can subscribe again at any time.');
    },
  );

  app.post(
    '/unsubscribe',
    {
      schema: {
        tags,
        summary: 'One-click unsubscribe (RFC 8058 List-Unsubscribe-Post): the token is in the query string',
        querystring: ZTokenQuery,
        response: { 200: unsubscribed, ...errorResponses },
      },
    },
    async (request) => newsletter.unsubscribe(request.query.token),
  );
};

export const adminTechMonitorRoutes: FastifyPluginAsyncZod = async (app) => {
  const { newsletter } = app.services;

  app.post(
    '/techmonitor/bounces',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Admins (or the mail provider’s bounce webhook, with an admin token): mark an address as bounced',
        security: bearer,
        body: ZBounceBody,
        response: { 200: ZBounceResult, ...errorResponses },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      return newsletter.markBounced(actor, request.body.email, request.body.reason);
    },
  );
};
