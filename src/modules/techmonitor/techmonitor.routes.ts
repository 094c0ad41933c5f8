import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { bearer, errorResponses, ZIdParams } from '../../lib/http-schemas.js';
import { pageOf } from '../../lib/pagination.js';
import { ZAddEntryBody, ZCreateIssueBody, ZEntryParams, ZIssue, ZIssueDetail, ZIssueListQuery, ZReorderBody, ZSuggestionQuery, ZSuggestions, ZUpdateEntryBody, ZUpdateIssueBody, ZVersionBody } from './techmonitor.schemas.js';
import { staffOnly } from '../../plugins/auth.js';

const tags = ['techmonitor'];

export const techMonitorRoutes: FastifyPluginAsyncZod = async (app) => {
  const { techmonitor } = app.services;

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

};
