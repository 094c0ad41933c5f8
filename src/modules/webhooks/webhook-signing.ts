import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

// The signing secret of a webhook: made here, shown to its owner once, kept encrypted with a key
// derived from the master secret (src/lib/secrets.ts) so the worker can sign with it and a copy of
// the database alone cannot.

const SECRET_PREFIX = 'whsec_';
const CIPHER = 'aes-256-gcm';

export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Enough of the secret to tell two apart, too little to guess the rest. */
export const secretPrefixOf = (secret: string) => secret.slice(0, SECRET_PREFIX.length + 4);

export function encryptSecret(key: Buffer, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv(CIPHER, key, iv);
  const encrypted = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), encrypted].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

export function decryptSecret(key: Buffer, stored: string): string {
  const [version, iv, tag, encrypted] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !encrypted) throw new Error('stored webhook secret has an unknown format');
  const decipher = createDecipheriv(CIPHER, key, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(encrypted, 'base64url')), decipher.final()]).toString('utf8');
}

/**
 * The Webhook-Signature value: HMAC-SHA256, keyed with the whole secret, over "<timestamp>.<body>"
 * (Stripe's scheme), so a receiver that checks the timestamp's age also rejects replays.
 */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
