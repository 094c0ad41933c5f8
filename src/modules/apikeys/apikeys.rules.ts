import { Forbidden, invalidField } from '../../lib/errors.js';
import type { Actor } from '../../plugins/auth.js';

// A partner's integrations (its API keys, its webhooks) are managed by admins, for any
// organisation, and by intermediaries, for their own: one rule for both kinds.

/** Whether the person manages integrations at all, or (given an organisation) that organisation's. */
export function managesIntegrations(actor: Pick<Actor, 'role' | 'organizationId'>, organizationId?: string): boolean {
  if (actor.role === 'admin') return true;
  return actor.role === 'intermediary' && actor.organizationId !== null && (organizationId === undefined || organizationId === actor.organizationId);
}

/**
 * The organisation a new integration is for. An admin names any existing organisation (its own by
 * default); anyone else gets `own`, the one organisation they manage (null: none, 403).
 */
export async function integrationOrganization(
  actor: Pick<Actor, 'role' | 'organizationId'>,
  requested: string | undefined,
  own: string | null,
  organizationExists: (id: string) => Promise<boolean>,
  refusal: { none: string; other: string },
): Promise<string> {
  if (actor.role === 'admin') {
    const id = requested ?? actor.organizationId;
    if (!id) throw invalidField('organizationId', 'is required');
    if (!(await organizationExists(id))) throw invalidField('organizationId', 'names no organisation');
    return id;
  }
  if (!own) throw new Forbidden(refusal.none);
  if (requested && requested !== own) throw new Forbidden(refusal.other);
  return own;
}
