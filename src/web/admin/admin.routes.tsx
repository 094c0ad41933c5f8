import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { BadRequest } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';
import { ZUserListQuery } from '../../modules/users/users.schemas.js';
import { USER_ROLES } from '../../modules/vocabularies/enums.js';
import { formBody, fText, parseForm } from '../forms.js';
import type { WebKit } from '../web.plugin.js';
import { adminOnlyPages } from '../editor/guards.js';
import { UsersPage } from './pages.js';

const ZRoleForm = z.object({ role: fText(z.enum(USER_ROLES)) });
const USERS_PER_PAGE = 50;

/** The admins' workspace under /admin: every route behind one role check. */
export function adminPages(kit: WebKit) {
  return async (web: FastifyInstance) => {
    web.addHook('onRequest', adminOnlyPages);
    const { users } = web.services;
    const actorOf = (request: FastifyRequest) => request.actor as Actor;

    web.get('/admin', async (_request, reply) => reply.redirect('/admin/users', 303));

    web.get<{ Querystring: Record<string, string> }>('/admin/users', async (request, reply) => {
      const q = typeof request.query.q === 'string' ? request.query.q.trim() : '';
      const role = typeof request.query.role === 'string' ? request.query.role : '';
      const query = ZUserListQuery.parse({ ...(q ? { q } : {}), ...(USER_ROLES.includes(role as never) ? { role } : {}), limit: USERS_PER_PAGE });
      const { limit, offset, ...filter } = query;
      const found = await users.list(filter, limit, offset);
      return kit.render(reply, <UsersPage ctx={kit.ctx(request, reply)} users={found.items} total={found.total} q={q} role={role} />);
    });

    const back = (request: FastifyRequest) => {
      const referer = request.headers.referer;
      try {
        const url = referer ? new URL(referer) : null;
        if (url && url.host === request.host && url.pathname === '/admin/users') return url.pathname + url.search;
      } catch {
        // An unparsable Referer leads back to the list.
      }
      return '/admin/users';
    };

    web.post<{ Params: { id: string } }>('/admin/users/:id/role', async (request, reply) => {
      const parsed = parseForm(ZRoleForm, formBody(request.body), { role: 'Role' });
      // The role comes from a fixed list of options: anything else was not sent by this page.
      if (!parsed.ok) throw new BadRequest('Choose one of the roles offered');
      await users.adminUpdate(actorOf(request), request.params.id, { role: parsed.data.role });
      return kit.redirect(reply, back(request), 'adminRoleChanged');
    });

    web.post<{ Params: { id: string; change: string } }>('/admin/users/:id/:change', async (request, reply) => {
      const { id, change } = request.params;
      if (change === 'disable' || change === 'enable') {
        await users.adminUpdate(actorOf(request), id, { disabled: change === 'disable' });
        return kit.redirect(reply, back(request), change === 'disable' ? 'adminUserDisabled' : 'adminUserEnabled');
      }
      if (change === 'resend-verification') {
        await users.resendVerificationFor(actorOf(request), id);
        return kit.redirect(reply, back(request), 'adminVerificationSent');
      }
      return web.notFoundPage(request, reply);
    });
  };
}
