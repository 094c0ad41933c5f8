import { createHmac, timingSafeEqual } from 'node:crypto';

// One-click unsubscribe links work without logging in, so the link itself is the credential: an
// HMAC of what it stops, keyed with the server secret. Nothing is stored, so a link in a mail years
// old still works, and nobody can forge one for another user's alert.

/** 's': one saved search; 'd': every daily alert of a user (the digest's List-Unsubscribe header). */
export type UnsubscribeScope = { kind: 's'; savedSearchId: string } | { kind: 'd'; userId: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function mac(secret: string, kind: string, id: string) {
  return createHmac('sha256', secret).update(`saved-search-unsubscribe:${kind}:${id}`).digest('base64url');
}

export function signUnsubscribeToken(secret: string, scope: UnsubscribeScope): string {
  const id = scope.kind === 's' ? scope.savedSearchId : scope.userId;
  return `${scope.kind}.${id}.${mac(secret, scope.kind, id)}`;
}

/** The scope a token stands for, or null when it was not signed by this server. */
export function verifyUnsubscribeToken(secret: string, token: string): UnsubscribeScope | null {
  const [kind, id, signature, ...rest] = token.split('.');
  if (rest.length || !kind || !id || !signature || (kind !== 's' && kind !== 'd') || !UUID.test(id)) return null;
  const expected = Buffer.from(mac(secret, kind, id));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return kind === 's' ? { kind, savedSearchId: id } : { kind, userId: id };
}
