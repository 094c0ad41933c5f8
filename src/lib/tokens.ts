import { createHash, randomBytes } from 'node:crypto';

/** An opaque, unguessable token for refresh tokens and mailed links. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored only as hashes; the plain token exists in the client's hands or the mail. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
