import type { FastifyRequest } from 'fastify';
import { Forbidden } from '../../lib/errors.js';
import { isStaff } from '../../modules/users/users.rules.js';
import { requireUser } from '../session.js';

// The workspaces' doors. The services behind /editor and /admin no longer check roles themselves
// (the API declares `staffOnly`/`adminOnly` per route), so each workspace's encapsulated context
// checks the session's role once, on request, before any handler or form parsing runs.

/** Editors and admins: anyone else gets the log-in page (not logged in) or 403. */
export async function staffOnlyPages(request: FastifyRequest) {
  const actor = requireUser(request);
  if (!isStaff(actor)) throw new Forbidden('This page is for the centre’s editors.');
}

/** Admins only. */
export async function adminOnlyPages(request: FastifyRequest) {
  const actor = requireUser(request);
  if (actor.role !== 'admin') throw new Forbidden('This page is for administrators.');
}
