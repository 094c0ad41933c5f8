import type { FastifyReply } from 'fastify';
import { sendBrowsersTo } from '../../lib/browser-links.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bearer, errorResponses, textBody } from '../../lib/http-schemas.js';
import { SUBSCRIBE_ACCEPTED } from './newsletter.service.js';
import { escapeHtml } from '../../lib/html.js';
import {
  ZBounceBody,
  ZBounceResult,
  ZSubscribeAccepted,
  ZSubscribeBody,
  ZSubscriber,
  ZSubscriberCounts,
  ZSubscriberListQuery,
  ZTokenBody,
  ZTokenQuery,
} from './techmonitor.schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { adminOnly } from '../../plugins/auth.js';
import { inlineStylesAllowed } from '../../plugins/content-security-policy.js';
import oneClickUnsubscribeForms from '../../plugins/one-click-unsubscribe.js';

const tags = ['techmonitor'];

/** The page a reader lands on from a link in a mail. */
function page(reply: FastifyReply, title: string, text: string) {
  return reply
    .type('text/html; charset=utf-8')
    .send(
      `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body style="font-family:Arial,Helvetica,sans-serif;max-width:40em;margin:3em auto"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>\n`,
    );
}

/** Subscribers of the Tech Monitor: double opt-in, confirmation and unsubscribe links (pages for a reader arriving from a mail). */
export const techMonitorSubscriberRoutes: FastifyPluginAsyncZod = async (app) => {
  const { newsletter } = app.services;

  await app.register(oneClickUnsubscribeForms);

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

  app.get(
    '/techmonitor/subscribers',
    {
      config: adminOnly,
      schema: {
        tags,
        summary: 'Tech Monitor subscribers by status (pending, active, unsubscribed, bounced) and part of the address, newest first',
        security: bearer,
        querystring: ZSubscriberListQuery,
        response: { 200: pageOf(ZSubscriber).extend({ counts: ZSubscriberCounts.describe('Subscribers in each status, whatever the filter') }), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, offset, ...filter } = request.query;
      const [page, counts] = await Promise.all([newsletter.listSubscribers(filter, limit, offset), newsletter.subscriberCounts()]);
      return { ...page, limit, offset, counts };
    },
  );

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
