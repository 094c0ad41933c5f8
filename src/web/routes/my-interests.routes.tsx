import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZAgreementBody, ZDeclineBody, ZInterestListQuery, ZIntroductionListQuery } from '../../modules/interests/interests.schemas.js';
import { emptyForm, fOptionalText, fText, formBody, formStateFromError, parseForm, type FormState } from '../forms.js';
import { m } from '../messages.js';
import { InterestListPage, InterestPage, IntroductionListPage, IntroductionPage } from '../pages/my-interests.js';
import { requireUser } from '../session.js';
import type { WebKit } from '../web.plugin.js';

const ZDeclineForm = z.object({ reason: fText(ZDeclineBody.shape.reason), note: fOptionalText(z.string().trim().max(2000)) });
const ZAgreementForm = z.object({ type: fText(ZAgreementBody.shape.type), date: fText(ZAgreementBody.shape.date), note: fOptionalText(z.string().trim().max(2000)) });
const declineLabels = { reason: m.my.declineReason, note: m.my.declineNote };
const agreementLabels = { type: m.my.agreementType, date: m.my.agreementDate, note: m.my.note };

const noteOf = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 2000) : undefined);

export function myInterestsRoutes(web: FastifyInstance, kit: WebKit) {
  const { interests, introductions } = web.services;

  // Mails link /interests/:id and /introductions/:id.
  web.get<{ Params: { id: string } }>('/interests/:id', async (request, reply) => reply.redirect(`/my/interests/${encodeURIComponent(request.params.id)}`, 301));
  web.get<{ Params: { id: string } }>('/introductions/:id', async (request, reply) => reply.redirect(`/my/introductions/${encodeURIComponent(request.params.id)}`, 301));

  for (const box of ['received', 'sent'] as const) {
    web.get<{ Querystring: { listingId?: string } }>(`/my/interests/${box}`, async (request, reply) => {
      const actor = requireUser(request);
      const query = ZInterestListQuery.parse({ box, limit: '100', ...(request.query.listingId ? { listingId: request.query.listingId } : {}) });
      const { items } = await interests.list(actor, query);
      return kit.render(reply, <InterestListPage ctx={kit.ctx(request, reply)} box={box} items={items} />);
    });
  }

  async function interestPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, declineState: FormState = emptyForm(), status = 200) {
    const actor = requireUser(request);
    const interest = await interests.get(actor, request.params.id);
    return kit.render(reply, <InterestPage ctx={kit.ctx(request, reply)} interest={interest} declineState={declineState} />, status);
  }

  web.get<{ Params: { id: string } }>('/my/interests/:id', async (request, reply) => interestPage(request, reply));

  web.post<{ Params: { id: string } }>('/my/interests/:id/accept', async (request, reply) => {
    await interests.accept(requireUser(request), request.params.id);
    return kit.redirect(reply, `/my/interests/${request.params.id}`, 'interestAccepted');
  });

  web.post<{ Params: { id: string } }>('/my/interests/:id/decline', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const parsed = parseForm(ZDeclineForm, values, declineLabels);
    if (!parsed.ok) return interestPage(request, reply, parsed.state, 400);
    try {
      await interests.decline(actor, request.params.id, { reason: parsed.data.reason, ...(parsed.data.note ? { note: parsed.data.note } : {}) });
    } catch (error) {
      return interestPage(request, reply, formStateFromError(error, values, declineLabels), 400);
    }
    return kit.redirect(reply, `/my/interests/${request.params.id}`, 'interestDeclined');
  });

  web.post<{ Params: { id: string } }>('/my/interests/:id/withdraw', async (request, reply) => {
    await interests.withdraw(requireUser(request), request.params.id);
    return kit.redirect(reply, `/my/interests/${request.params.id}`, 'interestWithdrawn');
  });

  web.get('/my/introductions', async (request, reply) => {
    const actor = requireUser(request);
    const { items } = await introductions.list(actor, ZIntroductionListQuery.parse({ limit: '100' }));
    return kit.render(reply, <IntroductionListPage ctx={kit.ctx(request, reply)} items={items} />);
  });

  async function introductionPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, agreementState: FormState = emptyForm(), status = 200) {
    const actor = requireUser(request);
    const introduction = await introductions.get(actor, request.params.id);
    return kit.render(reply, <IntroductionPage ctx={kit.ctx(request, reply)} introduction={introduction} agreementState={agreementState} />, status);
  }

  web.get<{ Params: { id: string } }>('/my/introductions/:id', async (request, reply) => introductionPage(request, reply));

  web.post<{ Params: { id: string } }>('/my/introductions/:id/agreement', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const parsed = parseForm(ZAgreementForm, values, agreementLabels);
    if (!parsed.ok) return introductionPage(request, reply, parsed.state, 400);
    try {
      await introductions.step(actor, request.params.id, { action: 'agreement', body: { type: parsed.data.type, date: parsed.data.date, ...(parsed.data.note ? { note: parsed.data.note } : {}) } });
    } catch (error) {
      return introductionPage(request, reply, formStateFromError(error, values, agreementLabels), 400);
    }
    return kit.redirect(reply, `/my/introductions/${request.params.id}`, 'introductionUpdated');
  });

  for (const [action, field] of [['close', 'closeNote'], ['end', 'endNote']] as const) {
    web.post<{ Params: { id: string } }>(`/my/introductions/:id/${action}`, async (request, reply) => {
      const note = noteOf(formBody(request.body)[field]);
      await introductions.step(requireUser(request), request.params.id, { action, body: note ? { note } : {} });
      return kit.redirect(reply, `/my/introductions/${request.params.id}`, 'introductionUpdated');
    });
  }
}
