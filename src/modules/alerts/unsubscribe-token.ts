import type { LinkSigner } from '../../lib/signed-links.js';

// One-click unsubscribe links of alert mails: the signed link names what it stops.

/** 's': one saved search; 'd': every daily alert of a user (the digest's List-Unsubscribe header). */
export type UnsubscribeScope = { kind: 's'; savedSearchId: string } | { kind: 'd'; userId: string };

const PURPOSE = 'saved-search-unsubscribe';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function signUnsubscribeToken(signer: LinkSigner, scope: UnsubscribeScope): string {
  const id = scope.kind === 's' ? scope.savedSearchId : scope.userId;
  return signer.sign(PURPOSE, `${scope.kind}.${id}`);
}

/** The scope a token stands for, or null when it was not signed by this server. */
export function verifyUnsubscribeToken(signer: LinkSigner, token: string): UnsubscribeScope | null {
  const subject = signer.verify(PURPOSE, token);
  if (!subject) return null;
  const [kind, id, ...rest] = subject.split('.');
  if (rest.length || !id || !UUID.test(id)) return null;
  if (kind === 's') return { kind, savedSearchId: id };
  if (kind === 'd') return { kind, userId: id };
  return null;
}
