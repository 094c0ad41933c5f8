import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../plugins/auth.js';
import { IMPORT_STATUSES, ZImportUploadQuery } from '../../modules/imports/imports.schemas.js';
import { isStaff } from '../../modules/users/users.rules.js';
import { emptyForm, formStateFromError, fOptionalText, fText, parseForm, type FormState, type FormValues } from '../forms.js';
import { requireUser } from '../session.js';
import type { WebKit } from '../web.plugin.js';
import { im } from './messages.js';
import { ProgressContent, ProgressPage, ReportPage, ResultPage, UploadPage, type ImportView } from './pages.js';

const labels = { file: im.upload.file, asStatus: im.upload.asStatus, organizationId: im.upload.organization };
/** The upload's options as the API's query takes them, read from the form's fields. */
const ZUploadForm = z.object({
  asStatus: fText(z.enum(IMPORT_STATUSES)),
  organizationId: fOptionalText(ZImportUploadQuery.shape.organizationId.unwrap()),
});
const RUNNING = new Set(['queued', 'running']);

/** A multipart body as @fastify/multipart attaches it: each part an object with its value, a file with its bytes. */
type Part = { type?: string; value?: unknown; filename?: string; mimetype?: string; file?: { truncated?: boolean }; toBuffer?: () => Promise<Buffer> };

function fieldOf(body: Record<string, Part | undefined>, name: string): string | undefined {
  const part = body[name];
  return part?.type === 'field' && typeof part.value === 'string' ? part.value : undefined;
}

/** The name the person's file had, as a plain name (no folders, no control characters). */
const plainFileName = (name: string) =>
  name
    .replace(/^.*[\\/]/, '')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .slice(0, 200) || 'upload';

/**
 * The import pages under /my/import, for editors, admins and intermediaries: upload a file, read
 * the dry run's report, confirm, follow the progress, read the result. The same ImportService as
 * the API with the session's actor, so the same permission rules. The upload is multipart: its
 * CSRF token is the form's first part (the web context's check reads it there).
 */
export function importPages(kit: WebKit) {
  return async (web: FastifyInstance) => {
    const { imports } = web.services;
    const maxBytes = web.config.partners.importMaxBytes;
    // Who may import is checked before a file is read.
    web.addHook('onRequest', async (request) => imports.checkMayImport(requireUser(request)));
    // A file over the limit is cut short, not refused outright, so the form can say so beside the field.
    await web.register(multipart, { attachFieldsToBody: true, throwFileSizeLimit: false, limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12 } });
    const actorOf = (request: FastifyRequest) => request.actor as Actor;

    async function uploadPage(request: FastifyRequest, reply: FastifyReply, state: FormState = emptyForm({ asStatus: 'draft' }), status = 200) {
      const actor = actorOf(request);
      const [organizations, recent] = await Promise.all([imports.organizationsFor(actor), imports.recent(actor)]);
      const data = {
        state,
        statuses: IMPORT_STATUSES.filter((entry) => isStaff(actor) || entry !== 'published'),
        organizations: organizations?.map((row) => ({ id: row.id, name: row.name, country: row.country })) ?? null,
        maxBytes,
        recent,
      };
      return kit.render(reply, <UploadPage ctx={kit.ctx(request, reply)} data={data} />, status);
    }

    web.get('/my/import', (request, reply) => uploadPage(request, reply));

    web.post('/my/import', async (request, reply) => {
      const actor = actorOf(request);
      const body = (request.isMultipart() && request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, Part | undefined>;
      const values: FormValues = { asStatus: fieldOf(body, 'asStatus') ?? 'draft', organizationId: fieldOf(body, 'organizationId') ?? '' };
      const part = body.file;
      const bytes = part?.type === 'file' && part.toBuffer ? await part.toBuffer() : null;
      if (!bytes || bytes.length === 0 || !part?.filename) {
        return uploadPage(request, reply, { values, errors: { file: im.upload.noFile } }, 400);
      }
      if (part.file?.truncated) {
        return uploadPage(request, reply, { values, errors: { file: im.upload.tooLarge(maxBytes) } }, 413);
      }
      const options = parseForm(ZUploadForm, values, labels);
      if (!options.ok) return uploadPage(request, reply, options.state, 400);
      const { asStatus, organizationId } = options.data;
      try {
        const view = await imports.dryRun(actor, { bytes, fileName: plainFileName(part.filename), contentType: part.mimetype }, { asStatus, ...(organizationId ? { organizationId } : {}) });
        return kit.redirect(reply, `/my/import/${view.id}`);
      } catch (error) {
        return uploadPage(request, reply, formStateFromError(error, values, labels), 400);
      }
    });

    // A non-UUID :id has already been answered with the 404 page by the web plugin's preHandler.
    const importOf = (request: FastifyRequest<{ Params: { id: string } }>) => imports.get(actorOf(request), request.params.id);

    web.get<{ Params: { id: string } }>('/my/import/:id', async (request, reply) => {
      const view: ImportView = await importOf(request);
      const ctx = kit.ctx(request, reply);
      if (view.status === 'dry_run') return kit.render(reply, <ReportPage ctx={ctx} view={view} />);
      if (RUNNING.has(view.status)) return kit.render(reply, <ProgressPage ctx={ctx} view={view} />);
      return kit.render(reply, <ResultPage ctx={ctx} view={view} />);
    });

    // What htmx polls while the import runs; once it has finished, htmx reloads the page (the result).
    web.get<{ Params: { id: string } }>('/my/import/:id/progress', async (request, reply) => {
      const view = await importOf(request);
      if (!RUNNING.has(view.status)) reply.header('HX-Refresh', 'true');
      return kit.fragment(reply, <ProgressContent ctx={kit.ctx(request, reply)} view={view} />);
    });

    web.post<{ Params: { id: string } }>('/my/import/:id/confirm', async (request, reply) => {
      await imports.confirm(actorOf(request), request.params.id);
      return kit.redirect(reply, `/my/import/${request.params.id}`);
    });
  };
}
