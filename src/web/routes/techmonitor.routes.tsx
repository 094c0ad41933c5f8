import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { ZSubscribeBody } from '../../modules/techmonitor/techmonitor.schemas.js';
import { emptyForm, fList, fOptionalText, fText, formBody, parseForm, type FormState } from '../forms.js';
import { m } from '../messages.js';
import { IssuePage, MessagePage, TechMonitorPage } from '../pages/techmonitor.js';
import type { WebKit } from '../web.plugin.js';


const ZSubscribeForm = z.object({
  email: fText(ZSubscribeBody.shape.email),
  name: fOptionalText(z.string().trim().min(1).max(120)),
  sectors: fList(ZSubscribeBody.shape.sectors),
});

const tokenOf = (request: FastifyRequest<{ Querystring: { token?: string } }>) =>
  typeof request.query.token === 'string' ? request.query.token.slice(0, 300) : '';

/** A bad or used link is the person's problem to understand, not an error: a page that says what to do. */
const isInvalidLink = (error: unknown) => error instanceof AppError && error.statusCode === 400;

export function techMonitorPageRoutes(web: FastifyInstance, kit: WebKit) {
  const { techmonitor, newsletter, alerts } = web.services;

  async function indexPage(request: FastifyRequest, reply: FastifyReply, state: FormState = emptyForm()) {
    const issues = await techmonitor.list(null, { limit: 100, offset: 0 });
    return kit.render(reply, <TechMonitorPage ctx={kit.ctx(request, reply)} issues={issues.items} state={state} />, Object.keys(state.errors).length ? 400 : 200);
  }

  web.get('/tech-monitor', async (request, reply) => indexPage(request, reply));

  web.get<{ Params: { id: string } }>('/tech-monitor/:id', async (request, reply) => {
    const issue = await techmonitor.getPublished(request.params.id);
    return kit.render(reply, <IssuePage ctx={kit.ctx(request, reply)} issue={issue} />);
  });

  web.post('/tech-monitor/subscribe', async (request, reply) => {
    const values = formBody(request.body);
    const parsed = parseForm(ZSubscribeForm, values, { email: m.auth.email, name: m.techMonitor.nameOptional, sectors: m.listingForm.sectors });
    if (!parsed.ok) return indexPage(request, reply, parsed.state);
    await newsletter.subscribe({ ...parsed.data, countries: [] });
    return kit.redirect(reply, '/tech-monitor', 'subscribed');
  });

  web.get<{ Querystring: { token?: string } }>('/tech-monitor/confirm', async (request, reply) => {
    const ctx = kit.ctx(request, reply);
    try {
      await newsletter.confirm(tokenOf(request));
    } catch (error) {
      if (!isInvalidLink(error)) throw error;
      const links = [{ href: '/tech-monitor#subscribe-form', label: m.techMonitor.subscribe }];
      return kit.render(reply, <MessagePage ctx={ctx} title={m.techMonitor.confirmFailedTitle} text={m.techMonitor.confirmFailedText} links={links} />, 400);
    }
    return kit.render(reply, <MessagePage ctx={ctx} title={m.techMonitor.confirmedTitle} text={m.techMonitor.confirmedText} links={[{ href: '/tech-monitor', label: m.techMonitor.title }]} />);
  });

  web.get<{ Querystring: { token?: string } }>('/tech-monitor/unsubscribe', async (request, reply) => {
    const ctx = kit.ctx(request, reply);
    try {
      await newsletter.unsubscribe(tokenOf(request));
    } catch (error) {
      if (!isInvalidLink(error)) throw error;
      return kit.render(reply, <MessagePage ctx={ctx} title={m.techMonitor.unsubscribeFailedTitle} text={m.techMonitor.unsubscribeFailedText} />, 400);
    }
    const links = [{ href: '/tech-monitor#subscribe-form', label: m.techMonitor.subscribe }];
    return kit.render(reply, <MessagePage ctx={ctx} title={m.techMonitor.unsubscribedTitle} text={m.techMonitor.unsubscribedText} links={links} />);
  });

  web.get<{ Querystring: { token?: string } }>('/alerts/unsubscribe', async (request, reply) => {
    const ctx = kit.ctx(request, reply);
    let deactivated;
    try {
      deactivated = await alerts.unsubscribe(tokenOf(request));
    } catch (error) {
      if (!isInvalidLink(error)) throw error;
      return kit.render(reply, <MessagePage ctx={ctx} title={m.techMonitor.unsubscribeFailedTitle} text={m.techMonitor.unsubscribeFailedText} />, 400);
    }
    const names = deactivated.map((entry) => entry.name).join(', ');
    const text = names ? `${m.techMonitor.alertUnsubscribedText} (${names})` : m.techMonitor.alertUnsubscribedText;
    return kit.render(reply, <MessagePage ctx={ctx} title={m.techMonitor.alertUnsubscribedTitle} text={text} links={[{ href: '/my/saved-searches', label: m.my.savedSearches }]} />);
  });
}
