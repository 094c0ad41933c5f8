import type { Actor } from '../../plugins/auth.js';
import { managesIntegrations } from '../apikeys/apikeys.rules.js';

/**
 * Who manages webhooks as a person (API keys have their scope instead): admins, for any
 * organisation, and intermediaries, for their own (the rule of API keys too). The service enforces
 * it; the workspace shows its webhooks page to the same people.
 */
export function managesWebhooks(actor: Pick<Actor, 'role' | 'organizationId'>): boolean {
  return managesIntegrations(actor);
}
