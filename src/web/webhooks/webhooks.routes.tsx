import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../plugins/auth.js';
import { ZCreateWebhookBody, ZWebhookListQuery } from '../../modules/webhooks/webhooks.schemas.js';
import { listQuery } from '../params.js';
import { emptyForm, fList, fOptionalText, fText, formBody, formStateFromError, parseForm, type FormState } from '../forms.js';
import { requireUser } from '../session.js';
import type { WebKit } from '../web.plugin.js';
import { WebhookPage, WebhookSecretPage, WebhooksPage, webhookFormLabels } from './pages.js';

const body = ZCreateWebhookBody.shape;
const ZWebhookForm = z.object({ url: fText(body.url), events: fList(body.events) });
const ZCreateForm = ZWebhookForm.extend({ organizationId: fOptionalText(z.uuid({ message: 'must be an organisation ID (a UUID)' })) });
const LOG_ENTRIES = 50;

/**
 * The workspace's webhooks under /my/webhooks: intermediaries manage their organisation's, admins
 * everyone's. Every rule is the webhook service's, as for the API (a member gets its 403).
 */
/** Webhooks shown per page; "Show more" brings the next ones. */
const WEBHOOKS_PAGE_SIZE = 50;

export function myWebhooksRoutes(web: FastifyInstance, kit: WebKit) {
  const { webhooks, organizations } = web.services;
  const { logDays } = web.config.webhooks;

  /** The list, a page at a time (an admin sees every organisation's), and the form to register one. */
  async function listPage(request: FastifyRequest, reply: FastifyReply, actor: Actor, state: FormState, status = 200) {
    const { offset } = (request.query ?? {}) as { offset?: string };
    const query = listQuery(ZWebhookListQuery, { limit: WEBHOOKS_PAGE_SIZE, offset });
    const { items, total } = await webhooks.list(actor, query);
    // Only an admin's list names the organisations.
    const names =
      actor.role === 'admin'
        ? new Map((await organizations.findMany([...new Set(items.map((item) => item.organizationId))])).map((row) => [row.id, row.name]))
        : new Map<string, string>();
    const page = { items, total, offset: query.offset, limit: query.limit };
    return kit.render(reply, <WebhooksPage ctx={kit.ctx(request, reply)} page={page} organizationNames={names} state={state} />, status);
  }

  async function detailPage(request: FastifyRequest, reply: FastifyReply, actor: Actor, id: string, state?: FormState, status = 200) {
    const webhook = await webhooks.get(actor, id);
    const { items } = await webhooks.deliveries(actor, id, { limit: LOG_ENTRIES, offset: 0 });
    const form = state ?? emptyForm({ url: webhook.url, events: webhook.events });
    return kit.render(reply, <WebhookPage ctx={kit.ctx(request, reply)} webhook={webhook} deliveries={items} logDays={logDays} state={form} />, status);
  }

  web.get('/my/webhooks', async (request, reply) => {
    const actor = requireUser(request);
    return listPage(request, reply, actor, emptyForm({ events: ['listing.published', 'listing.withdrawn', 'listing.expired'] }));
  });

  // The secret is shown on the answer to this form and nowhere else, so it renders instead of redirecting.
  web.post('/my/webhooks', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const parsed = parseForm(ZCreateForm, values, webhookFormLabels);
    if (!parsed.ok) return listPage(request, reply, actor, parsed.state, 400);
    const { organizationId, ...rest } = parsed.data;
    let created;
    try {
      created = await webhooks.create(actor, { ...rest, ...(organizationId ? { organizationId } : {}) });
    } catch (error) {
      return listPage(request, reply, actor, formStateFromError(error, values, webhookFormLabels), 400);
    }
    const { secret, ...webhook } = created;
    return kit.render(reply, <WebhookSecretPage ctx={kit.ctx(request, reply)} webhook={webhook} secret={secret} />, 201);
  });

  web.get<{ Params: { id: string } }>('/my/webhooks/:id', async (request, reply) => detailPage(request, reply, requireUser(request), request.params.id));

  web.post<{ Params: { id: string } }>('/my/webhooks/:id', async (request, reply) => {
    const actor = requireUser(request);
    const { id } = request.params;
    const values = formBody(request.body);
    const parsed = parseForm(ZWebhookForm, values, webhookFormLabels);
    if (!parsed.ok) return detailPage(request, reply, actor, id, parsed.state, 400);
    try {
      await webhooks.update(actor, id, parsed.data);
    } catch (error) {
      return detailPage(request, reply, actor, id, formStateFromError(error, values, webhookFormLabels), 400);
    }
    return kit.redirect(reply, `/my/webhooks/${id}`, 'webhookSaved');
  });

  web.post<{ Params: { id: string; action: string } }>('/my/webhooks/:id/:action', async (request, reply) => {
    const actor = requireUser(request);
    const { id, action } = request.params;
    switch (action) {
      case 'test':
        await webhooks.sendTest(actor, id);
        return kit.redirect(reply, `/my/webhooks/${id}`, 'webhookTestQueued');
      case 'enable':
      case 'disable':
        await webhooks.update(actor, id, { enabled: action === 'enable' });
        return kit.redirect(reply, `/my/webhooks/${id}`, action === 'enable' ? 'webhookEnabled' : 'webhookDisabled');
      case 'rotate-secret': {
        const { secret, ...webhook } = await webhooks.rotateSecret(actor, id);
        return kit.render(reply, <WebhookSecretPage ctx={kit.ctx(request, reply)} webhook={webhook} secret={secret} />);
      }
      case 'delete':
        await webhooks.remove(actor, id);
        return kit.redirect(reply, '/my/webhooks', 'webhookDeleted');
      default:
        return web.notFoundPage(request, reply);
    }
  });
}
