import { hkdfSync, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// One master secret, from JWT_SECRET or (on the embedded database only) made at first start. Each
// use gets its own key derived with HKDF under its own label, so a key that leaks from one use (a
// signed link, say) neither is nor reveals the key of another (access tokens).

export const SECRET_FILE_NAME = 'secret.key';

export interface DerivedKeys {
  /** HS256 key of access tokens. */
  accessTokens: Buffer;
  /** HMAC key of signed links in mails (unsubscribe), which work without logging in. */
  signedLinks: Buffer;
  /** Signing key of the web pages' cookies. */
  webCookies: Buffer;
  /** HMAC key of the web forms' CSRF tokens. */
  webCsrf: Buffer;
  /** AES-256-GCM key of the webhook signing secrets kept in the database. */
  webhookSecrets: Buffer;
}

export function deriveKeys(masterSecret: string): DerivedKeys {
  const derive = (label: string) => Buffer.from(hkdfSync('sha256', masterSecret, '', `techdb/${label}`, 32));
  return {
    accessTokens: derive('access-tokens'),
    signedLinks: derive('signed-links'),
    webCookies: derive('web-cookies'),
    webCsrf: derive('web-csrf'),
    webhookSecrets: derive('webhook-secrets'),
  };
}

/**
 * The embedded installation's secret, kept in DATA_DIR beside its database and readable only by
 * the service's user. Made once, so tokens and mailed links outlive restarts.
 */
export function embeddedMasterSecret(dataDir: string): string {
  const path = join(dataDir, SECRET_FILE_NAME);
  const existing = readSecretFile(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  // Written whole under a temporary name, then linked into place: a link fails if the name exists,
  // so of two processes starting at once the second reads the first one's complete file.
  const draft = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(draft, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(draft);
  }
  const created = readSecretFile(path);
  if (!created) throw new Error(`${path} is empty: delete it to let the service make a new secret`);
  return created;
}

function readSecretFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim() || null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
