import type { UserRole } from '../vocabularies/enums.js';

/** The centre's own people: editors validate and curate, admins run the service. */
export const STAFF_ROLES = ['editor', 'admin'] as const satisfies readonly UserRole[];

export function isStaff(actor: { role: UserRole } | null | undefined): boolean {
  return actor != null && (STAFF_ROLES as readonly UserRole[]).includes(actor.role);
}
