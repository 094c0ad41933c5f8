import type { Actor } from '../../plugins/auth.js';

/**
 * Who manages webhooks as a person (API keys have their scope instead): admins, for any
 * organisation, and intermediaries, for their own. The service enforces it; the workspace shows
 * its webhooks page to the same people.
 */
export function managesWebhooks(actor: Pick<Actor, 'role' | 'organizationId'>): boolean {
  return actor.role === 'admin' || (actor.role === 'intermediary' && actor.organizationId !== null);
}
