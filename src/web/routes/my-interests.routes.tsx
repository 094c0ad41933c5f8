import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ZAgreementBody, ZDeclineBody, ZInterestListQuery, ZIntroductionListQuery } from '../../modules/interests/interests.schemas.js';
import { emptyForm, fOptionalText, fText, formBody, formStateFromError, parseForm, type FormState } from '../forms.js';
import { AppError } from '../../lib/errors.js';
import { m, type FlashKey } from '../messages.js';
import { htmxTarget } from '../htmx.js';
import { listQuery, WORKSPACE_PAGE_SIZE } from '../params.js';
import { InterestCard, InterestDetail, InterestList, InterestListPage, InterestPage, IntroductionList, IntroductionListPage, IntroductionPage } from '../pages/my-interests.js';
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
    web.get<{ Querystring: { listingId?: string; offset?: string } }>(`/my/interests/${box}`, async (request, reply) => {
      const actor = requireUser(request);
      const { listingId, offset } = request.query;
      const query = listQuery(ZInterestListQuery, { box, limit: WORKSPACE_PAGE_SIZE, offset, listingId });
      const { items, total } = await interests.list(actor, query);
      const data = { items, total, offset: query.offset, limit: query.limit, listingId: query.listingId };
      const ctx = kit.ctx(request, reply);
      if (htmxTarget(request) === 'interest-list') return kit.fragment(reply, <InterestList ctx={ctx} box={box} data={data} appended />);
      return kit.render(reply, <InterestListPage ctx={ctx} box={box} data={data} />);
    });
  }

  /**
   * The EOI page, or the part of a page an inline accept or decline updates: the card of the
   * received list or the EOI page's content (htmx names it in HX-Target), with `notice` saying what
   * happened or `declineState` the mistakes beside their fields.
   */
  async function interestAnswer(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, answer: { declineState?: FormState; status?: number; notice?: FlashKey }) {
    const actor = requireUser(request);
    const interest = await interests.get(actor, request.params.id);
    const ctx = kit.ctx(request, reply);
    const { declineState = emptyForm(), status = 200, notice } = answer;
    const target = htmxTarget(request);
    if (target === `interest-${interest.id}`) return kit.fragment(reply, <InterestCard ctx={ctx} box="received" interest={interest} declineState={declineState} notice={notice} />, status);
    if (target === 'interest-detail') return kit.fragment(reply, <InterestDetail ctx={ctx} interest={interest} declineState={declineState} notice={notice} />, status);
    return kit.render(reply, <InterestPage ctx={ctx} interest={interest} declineState={declineState} />, status);
  }

  /** Inline answers come back in place; a form posted without script goes to the EOI's page. */
  const answered = (request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, notice: FlashKey) =>
    htmxTarget(request) ? interestAnswer(request, reply, { notice }) : kit.redirect(reply, `/my/interests/${request.params.id}`, notice);

  web.get<{ Params: { id: string } }>('/my/interests/:id', async (request, reply) => interestAnswer(request, reply, {}));

  web.post<{ Params: { id: string } }>('/my/interests/:id/accept', async (request, reply) => {
    const actor = requireUser(request);
    try {
      await interests.accept(actor, request.params.id);
    } catch (error) {
      // Inline, the refusal (e.g. answered meanwhile in another tab) shows on the card; otherwise the error page.
      if (!htmxTarget(request)) throw error;
      const state = formStateFromError(error, {}, declineLabels);
      return interestAnswer(request, reply, { declineState: state, status: error instanceof AppError ? error.statusCode : 400 });
    }
    return answered(request, reply, 'interestAccepted');
  });

  web.post<{ Params: { id: string } }>('/my/interests/:id/decline', async (request, reply) => {
    const actor = requireUser(request);
    const values = formBody(request.body);
    const parsed = parseForm(ZDeclineForm, values, declineLabels);
    if (!parsed.ok) return interestAnswer(request, reply, { declineState: parsed.state, status: 400 });
    try {
      await interests.decline(actor, request.params.id, { reason: parsed.data.reason, ...(parsed.data.note ? { note: parsed.data.note } : {}) });
    } catch (error) {
      return interestAnswer(request, reply, { declineState: formStateFromError(error, values, declineLabels), status: 400 });
    }
    return answered(request, reply, 'interestDeclined');
  });

  web.post<{ Params: { id: string } }>('/my/interests/:id/withdraw', async (request, reply) => {
    await interests.withdraw(requireUser(request), request.params.id);
    return kit.redirect(reply, `/my/interests/${request.params.id}`, 'interestWithdrawn');
  });

  web.get<{ Querystring: { offset?: string } }>('/my/introductions', async (request, reply) => {
    const actor = requireUser(request);
    const query = listQuery(ZIntroductionListQuery, { limit: WORKSPACE_PAGE_SIZE, offset: request.query.offset });
    const { items, total } = await introductions.list(actor, query);
    const data = { items, total, offset: query.offset, limit: query.limit };
    const ctx = kit.ctx(request, reply);
    if (htmxTarget(request) === 'introduction-list') return kit.fragment(reply, <IntroductionList ctx={ctx} data={data} appended />);
    return kit.render(reply, <IntroductionListPage ctx={ctx} data={data} />);
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
