import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { NotFound } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { checkCompleteness } from '../../modules/listings/listings.rules.js';
import { LISTING_TRANSITIONS } from '../../modules/listings/listings.rules.js';
import { ZListingQuery, ZNoteBody } from '../../modules/listings/listings.schemas.js';
import { SearchUnavailable } from '../../modules/search/search.service.js';
import type { ListingStatus } from '../../modules/vocabularies/enums.js';
import { emptyForm, formBody, fText, parseForm, type FormState } from '../forms.js';
import type { FlashKey } from '../messages.js';
import type { WebKit } from '../web.plugin.js';
import { staffOnlyPages } from './guards.js';
import { issueBoardRoutes } from './issues.routes.js';
import { em } from './messages.js';
import { reportPages } from './reports.routes.js';
import { QueuePage, ReviewPage, type EditorListing, type QueueEntry, type ReviewData } from './pages.js';

const DECISIONS = ['publish', 'return', 'reject', 'hold'] as const;
type Decision = (typeof DECISIONS)[number];
const isDecision = (value: string): value is Decision => (DECISIONS as readonly string[]).includes(value);

/** The note field each decision's form uses (one page holds several note forms). */
const NOTE_FIELD: Record<Exclude<Decision, 'publish'>, string> = { return: 'returnNote', reject: 'rejectNote', hold: 'holdNote' };
const DECISION_FLASH: Record<Decision, FlashKey> = { publish: 'editorPublished', return: 'editorReturned', reject: 'editorRejected', hold: 'editorHeld' };

const noteSchema = (field: string) => z.object({ [field]: fText(ZNoteBody.shape.note) });
const noteLabels = { returnNote: em.review.returnNote, rejectNote: em.review.rejectNote, holdNote: em.review.holdNote, revisionNote: em.review.revisionNote };

/** The queue: submitted and held listings, and pending revisions of published ones, oldest first. */
const QUEUE_LIMIT = 100;

/** The editors' workspace under /editor: every route behind one role check. */
export function editorPages(kit: WebKit) {
  return async (web: FastifyInstance) => {
    web.addHook('onRequest', staffOnlyPages);
    const { listings, listingRevisions, search } = web.services;
    const actorOf = (request: FastifyRequest) => request.actor as Actor;
    reportPages(web, kit);

    web.get('/editor', async (request, reply) => {
      const actor = actorOf(request);
      const [waiting, revisions] = await Promise.all([
        listings.list(actor, ZListingQuery.parse({ status: 'submitted,on_hold', sort: 'updated', limit: String(QUEUE_LIMIT) })),
        listingRevisions.queue(actor, QUEUE_LIMIT, 0),
      ]);
      const entries: QueueEntry[] = [
        // Editors get the full view of every listing (toListing), which carries submittedAt.
        ...(waiting.items as EditorListing[]).map((listing) => ({
          kind: 'listing' as const,
          listingId: listing.id,
          reference: listing.reference,
          title: listing.title,
          listingKind: listing.kind,
          status: listing.status,
          changedFields: 0,
          since: listing.submittedAt ?? listing.updatedAt,
        })),
        ...revisions.items.map((revision) => ({
          kind: 'revision' as const,
          listingId: revision.listingId,
          reference: revision.reference,
          title: revision.listingTitle,
          listingKind: '',
          status: revision.listingStatus,
          changedFields: revision.changes.length,
          since: revision.submittedAt,
        })),
      ];
      const kinds = new Map((await listings.findManyWithOrganization(revisions.items.map((revision) => revision.listingId))).map((row) => [row.listing.id, row.listing.kind]));
      for (const entry of entries) if (entry.kind === 'revision') entry.listingKind = kinds.get(entry.listingId) ?? 'offer';
      entries.sort((a, b) => new Date(a.since).getTime() - new Date(b.since).getTime());
      return kit.render(reply, <QueuePage ctx={kit.ctx(request, reply)} entries={entries} now={web.clock.now()} />);
    });

    async function reviewData(actor: Actor, id: string, state: FormState): Promise<ReviewData> {
      const listing = (await listings.get(actor, id)) as EditorListing;
      if (!('version' in listing)) throw new NotFound('Listing');
      let duplicates: ReviewData['duplicates'];
      try {
        duplicates = await search.possibleDuplicates(listing);
      } catch (error) {
        // The review still works without search; the page says the lookup failed.
        if (!(error instanceof SearchUnavailable)) throw error;
        duplicates = null;
      }
      let revision: ReviewData['revision'] = null;
      try {
        const current = await listingRevisions.current(actor, id);
        if (current.status === 'pending') revision = current.changes;
      } catch (error) {
        if (!(error instanceof NotFound)) throw error;
      }
      const status = listing.status as ListingStatus;
      return {
        listing,
        findings: checkCompleteness(listing, listing.organization.name),
        duplicates,
        revision,
        actions: DECISIONS.filter((decision) => LISTING_TRANSITIONS[decision].from.includes(status)),
        state,
      };
    }

    async function reviewPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, state: FormState = emptyForm(), status = 200) {
      const data = await reviewData(actorOf(request), request.params.id, state);
      return kit.render(reply, <ReviewPage ctx={kit.ctx(request, reply)} data={data} />, status);
    }

    web.get<{ Params: { id: string } }>('/editor/listings/:id', (request, reply) => reviewPage(request, reply));

    web.post<{ Params: { id: string; decision: string } }>('/editor/listings/:id/:decision', async (request, reply) => {
      const { id, decision } = request.params;
      if (!isDecision(decision)) return web.notFoundPage(request, reply);
      let note: string | undefined;
      if (decision !== 'publish') {
        const field = NOTE_FIELD[decision];
        const parsed = parseForm(noteSchema(field), formBody(request.body), noteLabels);
        if (!parsed.ok) return reviewPage(request, reply, parsed.state, 400);
        note = parsed.data[field] as string;
      }
      await listings.transition(actorOf(request), id, decision, note);
      return kit.redirect(reply, '/editor', DECISION_FLASH[decision]);
    });

    web.post<{ Params: { id: string } }>('/editor/listings/:id/revision/accept', async (request, reply) => {
      await listingRevisions.accept(actorOf(request), request.params.id);
      return kit.redirect(reply, '/editor', 'editorRevisionAccepted');
    });

    web.post<{ Params: { id: string } }>('/editor/listings/:id/revision/return', async (request, reply) => {
      const parsed = parseForm(noteSchema('revisionNote'), formBody(request.body), noteLabels);
      if (!parsed.ok) return reviewPage(request, reply, parsed.state, 400);
      await listingRevisions.returnWithNote(actorOf(request), request.params.id, parsed.data.revisionNote as string);
      return kit.redirect(reply, '/editor', 'editorRevisionReturned');
    });

    issueBoardRoutes(web, kit);
  };
}
