import { createHmac, timingSafeEqual } from 'node:crypto';

// Links in mails that act without logging in (one-click unsubscribe) carry their own permission:
// `<subject>.<HMAC of purpose and subject>`. Nothing is stored, so a link in a years-old mail still
// works, and nobody can forge one for someone else. The key is derived for links alone (see
// secrets.ts), and each purpose is part of what is signed, so a token for one purpose is no good
// for another.

export class LinkSigner {
  constructor(private readonly key: Buffer) {}

  sign(purpose: string, subject: string): string {
    return `${subject}.${this.mac(purpose, subject)}`;
  }

  /** The subject a token was signed for under `purpose`, or null when this server did not sign it. */
  verify(purpose: string, token: string): string | null {
    const cut = token.lastIndexOf('.');
    if (cut <= 0) return null;
    const subject = token.slice(0, cut);
    const expected = Buffer.from(this.mac(purpose, subject));
    const given = Buffer.from(token.slice(cut + 1));
    return given.length === expected.length && timingSafeEqual(given, expected) ? subject : null;
  }

  private mac(purpose: string, subject: string) {
    return createHmac('sha256', this.key).update(`${purpose}:${subject}`).digest('base64url');
  }
}
