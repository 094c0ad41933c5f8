import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError, BadRequest, NotFound } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { inlineStylesAllowed } from '../../plugins/content-security-policy.js';
import { SearchUnavailable } from '../../modules/search/search.service.js';
import { EXPORT_FORMATS, ZAddEntryBody, ZCreateIssueBody, ZReorderBody, ZTheme, ZVersionBody } from '../../modules/techmonitor/techmonitor.schemas.js';
import { emptyForm, fInt, fList, fOptionalText, fText, formBody, formStateFromError, parseForm, type FormState, type FormValues } from '../forms.js';
import type { FlashKey } from '../messages.js';
import type { WebKit } from '../web.plugin.js';
import { im } from './issues.messages.js';
import { BoardPage, boardPath, DeliveryPage, DeliveryPanel, EditIssuePage, IssueListPage, issueFormLabels, issueFormValues, noteField, PublishPage, type BoardData } from './issues.pages.js';

// The Tech Monitor issue board under /editor/issues: the same TechMonitorService and
// NewsletterService calls as the API's techmonitor routes, with the issue's version carried in
// every form so that two editors on one issue never overwrite each other.

const ISSUE_LIST_LIMIT = 100;

const ZIssueForm = z.object({
  volume: fInt(ZCreateIssueBody.shape.volume),
  number: fInt(ZCreateIssueBody.shape.number),
  title: fText(ZCreateIssueBody.shape.title),
  themeText: fText(ZTheme.shape.text),
  themeSectors: fList(ZTheme.shape.sectors),
  periodStart: fText(ZCreateIssueBody.shape.periodStart),
  periodEnd: fText(ZCreateIssueBody.shape.periodEnd),
  targetOffers: fInt(ZCreateIssueBody.shape.targetOffers),
  targetRequests: fInt(ZCreateIssueBody.shape.targetRequests),
});

/** The service names theme fields by their path in the API body (theme.text); the form has its own names. */
const issueFieldOf = (path: string) => {
  const parts = path.split('.').filter((part) => !['body', 'querystring'].includes(part));
  if (parts[0] === 'theme') return parts[1] === 'sectors' ? 'themeSectors' : 'themeText';
  return parts[0] ?? '_form';
};

const version = fInt(ZVersionBody.shape.version);
const ZVersionForm = z.object({ version });
const ZAddForm = z.object({ listingId: fText(ZAddEntryBody.shape.listingId), version });
const ZMoveForm = z.object({ direction: z.enum(['up', 'down']), version });
const ZReorderForm = z.object({ entryIds: fList(ZReorderBody.shape.entryIds), version });
const ZNoteForm = z.object({ note: fOptionalText(ZAddEntryBody.shape.note), version });
const ZIssueEditForm = ZIssueForm.extend({ version });

/** The service's refusal of a volume and number another issue has, said beside the number field. */
const numberTaken = (error: AppError) => ({ number: `${im.form.number} ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}` });

type IssueRequest = FastifyRequest<{ Params: { id: string } }>;
type EntryRequest = FastifyRequest<{ Params: { id: string; entryId: string } }>;

export function issueBoardRoutes(web: FastifyInstance, kit: WebKit) {
  const { techmonitor, newsletter } = web.services;
  const actorOf = (request: FastifyRequest) => request.actor as Actor;

  // ── the list and the create form ────────────────────────────────────────────────────────────

  async function listPage(request: FastifyRequest, reply: FastifyReply, state: FormState, status: number) {
    const issues = await techmonitor.list(actorOf(request), { limit: ISSUE_LIST_LIMIT, offset: 0 });
    return kit.render(reply, <IssueListPage ctx={kit.ctx(request, reply)} issues={issues.items} state={state} />, status);
  }

  web.get('/editor/issues', (request, reply) => listPage(request, reply, emptyForm({ targetOffers: '8', targetRequests: '4' }), 200));

  web.post('/editor/issues', async (request, reply) => {
    const values = formBody(request.body);
    const parsed = parseForm(ZIssueForm, values, issueFormLabels);
    if (!parsed.ok) return listPage(request, reply, parsed.state, 400);
    const { themeText, themeSectors, ...fields } = parsed.data;
    let created;
    try {
      created = await techmonitor.create(actorOf(request), { ...fields, theme: { text: themeText, sectors: themeSectors } });
    } catch (error) {
      if (error instanceof AppError && error.code === 'duplicate_issue_number') {
        return listPage(request, reply, { values, errors: numberTaken(error) }, 409);
      }
      return listPage(request, reply, formStateFromError(error, values, issueFormLabels, issueFieldOf), 400);
    }
    return kit.redirect(reply, boardPath(created.id), 'issueCreated');
  });

  // ── the board ───────────────────────────────────────────────────────────────────────────────

  async function boardData(actor: Actor, id: string, state: FormState, conflict: BoardData['conflict']): Promise<BoardData> {
    const issue = await techmonitor.get(actor, id);
    let suggestions: BoardData['suggestions'] = null;
    if (issue.status === 'draft') {
      try {
        suggestions = await techmonitor.suggestions(actor, id, { offset: 0 });
      } catch (error) {
        // The board still works without search; the page says suggestions are unavailable.
        if (!(error instanceof SearchUnavailable)) throw error;
        suggestions = 'unavailable';
      }
    }
    const delivery = issue.status === 'published' ? await newsletter.progressOf(id) : null;
    return { issue, suggestions, delivery, state, conflict };
  }

  async function board(request: IssueRequest, reply: FastifyReply, state = emptyForm(), conflict: BoardData['conflict'] = null, status = 200) {
    const data = await boardData(actorOf(request), request.params.id, state, conflict);
    return kit.render(reply, <BoardPage ctx={kit.ctx(request, reply)} data={data} />, status);
  }

  /**
   * A refused change shows the board as it is now. A version conflict says so in words and keeps
   * what the editor typed (a note) in its field; other refusals (a state that no longer allows the
   * change, a listing no longer published) give the service's reason. Nothing is lost silently.
   */
  function refused(request: IssueRequest, reply: FastifyReply, error: unknown, values: FormValues, fieldOf?: (path: string) => string) {
    if (error instanceof AppError && error.statusCode === 409) {
      const versionConflict = error.code === 'version_conflict';
      const noteKept = versionConflict && Object.keys(values).some((key) => key.startsWith('note-'));
      return board(request, reply, { values, errors: {} }, { reason: versionConflict ? null : error.message, noteKept }, 409);
    }
    return board(request, reply, formStateFromError(error, values, {}, fieldOf), null, 400);
  }

  /** Runs one change of the issue, then back to the board (at `anchor`) with a one-time message. */
  async function change(request: IssueRequest, reply: FastifyReply, values: FormValues, run: () => Promise<unknown>, flash: FlashKey, anchor = '', fieldOf?: (path: string) => string) {
    try {
      await run();
    } catch (error) {
      return refused(request, reply, error, values, fieldOf);
    }
    return kit.redirect(reply, `${boardPath(request.params.id)}${anchor}`, flash);
  }

  /** Parses a board form; a form without a usable version (tampered with, or very old) is refused in words. */
  function parseBoardForm<S extends z.ZodType>(schema: S, values: FormValues, labels: Record<string, string> = {}) {
    const parsed = parseForm(schema, values, labels);
    if (parsed.ok) return parsed;
    // The hidden fields, which the editor cannot correct: one message at the top instead.
    const { errors } = parsed.state;
    if (errors.version || errors.direction || errors.listingId || errors.entryIds) return { ok: false as const, state: { values, errors: { _form: im.errors.staleForm } } };
    return parsed;
  }

  web.get<{ Params: { id: string } }>('/editor/issues/:id', (request, reply) => board(request, reply));

  web.post<{ Params: { id: string } }>('/editor/issues/:id/entries', async (request, reply) => {
    const { id } = request.params;
    const values = formBody(request.body);
    const parsed = parseBoardForm(ZAddForm, values);
    if (!parsed.ok) return board(request, reply, parsed.state, null, 400);
    return change(request, reply, values, () => techmonitor.addEntry(actorOf(request), id, parsed.data), 'issueEntryAdded', '#entries-title');
  });

  web.post<{ Params: { id: string; entryId: string } }>('/editor/issues/:id/entries/:entryId/move', async (request: EntryRequest, reply) => {
    const { id } = request.params;
    const { entryId } = request.params;
    const values = formBody(request.body);
    const parsed = parseBoardForm(ZMoveForm, values);
    if (!parsed.ok) return board(request, reply, parsed.state, null, 400);
    const actor = actorOf(request);
    return change(
      request,
      reply,
      values,
      async () => {
        const entry = (await techmonitor.get(actor, id)).entries.find((candidate) => candidate.id === entryId);
        if (!entry) throw new NotFound('Entry');
        const position = Math.max(1, entry.position + (parsed.data.direction === 'up' ? -1 : 1));
        await techmonitor.updateEntry(actor, id, entryId, { position, version: parsed.data.version });
      },
      'issueEntryMoved',
      `#entry-${entryId}`,
    );
  });

  web.post<{ Params: { id: string; entryId: string } }>('/editor/issues/:id/entries/:entryId/note', async (request: EntryRequest, reply) => {
    const { id } = request.params;
    const { entryId } = request.params;
    // Each entry's note field is named after it (one board holds a note form per entry).
    const field = noteField(entryId);
    const values = formBody(request.body);
    const parsed = parseBoardForm(ZNoteForm, { note: values[field], version: values.version }, { note: im.board.editorNote });
    if (!parsed.ok) {
      const { note, ...errors } = parsed.state.errors;
      return board(request, reply, { values, errors: note ? { ...errors, [field]: note } : errors }, null, 400);
    }
    return change(
      request,
      reply,
      values,
      () => techmonitor.updateEntry(actorOf(request), id, entryId, { note: parsed.data.note ?? null, version: parsed.data.version }),
      'issueNoteSaved',
      `#entry-${entryId}`,
      () => field,
    );
  });

  web.post<{ Params: { id: string; entryId: string } }>('/editor/issues/:id/entries/:entryId/remove', async (request: EntryRequest, reply) => {
    const { id } = request.params;
    const { entryId } = request.params;
    const values = formBody(request.body);
    const parsed = parseBoardForm(ZVersionForm, values);
    if (!parsed.ok) return board(request, reply, parsed.state, null, 400);
    return change(request, reply, values, () => techmonitor.removeEntry(actorOf(request), id, entryId, parsed.data.version), 'issueEntryRemoved', '#entries-title');
  });

  web.post<{ Params: { id: string } }>('/editor/issues/:id/reorder', async (request, reply) => {
    const { id } = request.params;
    const values = formBody(request.body);
    const parsed = parseBoardForm(ZReorderForm, values);
    if (!parsed.ok) return board(request, reply, parsed.state, null, 400);
    // The order comes from hidden fields, not from a field the editor sees: its error goes to the top.
    return change(request, reply, values, () => techmonitor.reorder(actorOf(request), id, parsed.data.entryIds, parsed.data.version), 'issueReordered', '#entries-title', () => '_form');
  });

  const transitions = [
    { action: 'lock', flash: 'issueLocked' },
    { action: 'unlock', flash: 'issueUnlocked' },
    { action: 'publish', flash: 'issuePublished' },
  ] as const;
  for (const { action, flash } of transitions) {
    web.post<{ Params: { id: string } }>(`/editor/issues/:id/${action}`, async (request, reply) => {
      const { id } = request.params;
      const values = formBody(request.body);
      const parsed = parseBoardForm(ZVersionForm, values);
      if (!parsed.ok) return board(request, reply, parsed.state, null, 400);
      return change(request, reply, values, () => techmonitor[action](actorOf(request), id, parsed.data.version), flash);
    });
  }

  // ── the issue's details ─────────────────────────────────────────────────────────────────────

  /** The edit form: `state` null shows the issue as saved; otherwise what was posted, with the version of the issue as it is now. */
  async function editPage(request: IssueRequest, reply: FastifyReply, state: FormState | null, conflict = false, status = 200) {
    const issue = await techmonitor.get(actorOf(request), request.params.id);
    const data = { issue, state: state ?? emptyForm(issueFormValues(issue)), conflict, posted: state !== null };
    return kit.render(reply, <EditIssuePage ctx={kit.ctx(request, reply)} data={data} />, status);
  }

  web.get<{ Params: { id: string } }>('/editor/issues/:id/edit', (request, reply) => editPage(request, reply, null));

  web.post<{ Params: { id: string } }>('/editor/issues/:id/edit', async (request, reply) => {
    const { id } = request.params;
    const values = formBody(request.body);
    const parsed = parseBoardForm(ZIssueEditForm, values, issueFormLabels);
    if (!parsed.ok) return editPage(request, reply, parsed.state, false, 400);
    const { themeText, themeSectors, ...fields } = parsed.data;
    try {
      await techmonitor.update(actorOf(request), id, { ...fields, theme: { text: themeText, sectors: themeSectors } });
    } catch (error) {
      // Refused, the page keeps what the editor typed: after a conflict it carries the new version,
      // so saving again applies it over the other editor's change knowingly.
      if (error instanceof AppError && error.code === 'version_conflict') return editPage(request, reply, { values, errors: {} }, true, 409);
      if (error instanceof AppError && error.code === 'duplicate_issue_number') return editPage(request, reply, { values, errors: numberTaken(error) }, false, 409);
      // Locked or published meanwhile: the page says so above the form.
      if (error instanceof AppError && error.code === 'invalid_state') return editPage(request, reply, { values, errors: {} }, false, 409);
      return editPage(request, reply, formStateFromError(error, values, issueFormLabels, issueFieldOf), false, 400);
    }
    return kit.redirect(reply, boardPath(id), 'issueDetailsSaved');
  });

  // ── preview, publication, exports ───────────────────────────────────────────────────────────

  /** The print edition exactly as it will be printed (it styles itself inline, like the API's export). */
  web.get<{ Params: { id: string } }>('/editor/issues/:id/preview', { helmet: inlineStylesAllowed }, async (request, reply) => {
    const document = await techmonitor.document(actorOf(request), request.params.id, 'html');
    return reply.type(document.contentType).header('cache-control', 'private, no-cache').send(document.body);
  });

  web.get<{ Params: { id: string } }>('/editor/issues/:id/publish', async (request, reply) => {
    const issue = await techmonitor.get(actorOf(request), request.params.id);
    return kit.render(reply, <PublishPage ctx={kit.ctx(request, reply)} issue={issue} />);
  });

  for (const format of EXPORT_FORMATS) {
    web.get<{ Params: { id: string } }>(`/editor/issues/:id/export.${format}`, { helmet: inlineStylesAllowed }, async (request, reply) => {
      const document = await techmonitor.document(actorOf(request), request.params.id, format);
      return reply
        .type(document.contentType)
        .header('cache-control', 'private, no-cache')
        .header('content-disposition', `attachment; filename="${document.fileName}"`)
        .send(document.body);
    });
  }

  // ── sending ─────────────────────────────────────────────────────────────────────────────────

  web.post<{ Params: { id: string } }>('/editor/issues/:id/send', async (request, reply) => {
    const { id } = request.params;
    try {
      await newsletter.startSend(actorOf(request), id);
    } catch (error) {
      return refused(request, reply, error, {});
    }
    return kit.redirect(reply, `${boardPath(id)}/delivery`, 'issueSendStarted');
  });

  web.get<{ Params: { id: string } }>('/editor/issues/:id/delivery', async (request, reply) => {
    const { id } = request.params;
    const issue = await techmonitor.get(actorOf(request), id);
    if (issue.status !== 'published') throw new BadRequest('Only a published issue is sent to subscribers');
    const report = await newsletter.deliveryReport(id);
    return kit.render(reply, <DeliveryPage ctx={kit.ctx(request, reply)} issue={issue} report={report} />);
  });

  /**
   * The live part of the sending page, fetched again by htmx every second while the send runs: it
   * reads the progress only (which answers 404 for an unknown issue), like the API's progress route,
   * not the whole issue with its entries.
   */
  web.get<{ Params: { id: string } }>('/editor/issues/:id/delivery/progress', async (request, reply) => {
    const { id } = request.params;
    const report = await newsletter.deliveryReport(id);
    return kit.fragment(reply, <DeliveryPanel ctx={kit.ctx(request, reply)} issueId={id} report={report} />);
  });
}
