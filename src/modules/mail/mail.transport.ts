import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { createTransport } from 'nodemailer';
import type { AppConfig } from '../../config.js';

/** One fully rendered message, as it leaves the platform. */
export interface OutboundMessage {
  from: string;
  to: { address: string; name: string | null };
  subject: string;
  text: string;
  html: string;
  /** Fixed when the message was enqueued: every attempt sends the same Message-ID. */
  messageId: string;
  headers: Record<string, string>;
}

/** Where mail goes: an SMTP server in production, .eml files in development. */
export interface MailTransport {
  readonly kind: 'smtp' | 'file';
  /** Resolves once the message is handed over; throws when it was not accepted. */
  send(message: OutboundMessage): Promise<void>;
  close(): void;
}

// Bounds on one SMTP conversation. They keep a send well inside the sending lease of the mail
// service (and the job queue's stale-lock window), so a worker that is still talking to the server
// is never mistaken for one that died.
export const SMTP_TIMEOUTS = { connectionTimeout: 20_000, greetingTimeout: 20_000, socketTimeout: 60_000 };

export function createMailTransport(config: AppConfig['mail'], log: FastifyBaseLogger): MailTransport {
  return config.smtpUrl ? smtpTransport(config.smtpUrl) : emlFileTransport(config.outboxDir, log);
}

function toNodemailer(message: OutboundMessage) {
  return {
    from: message.from,
    to: { address: message.to.address, name: message.to.name ?? '' },
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: message.messageId,
    headers: message.headers,
  };
}

function smtpTransport(url: string): MailTransport {
  // One connection per message (no pool): nothing to keep alive between worker passes.
  const transporter = createTransport({ url, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    async send(message) {
      await transporter.sendMail(toNodemailer(message));
    },
    close: () => transporter.close(),
  };
}

/** Development default: each message as an RFC 822 file, so `npm start` needs no mail server. */
function emlFileTransport(outboxDir: string, log: FastifyBaseLogger): MailTransport {
  const transporter = createTransport({ streamTransport: true, buffer: true });
  return {
    kind: 'file',
    async send(message) {
      const info = await transporter.sendMail(toNodemailer(message));
      await mkdir(outboxDir, { recursive: true });
      // Named by Message-ID: sending the same message again rewrites the same file.
      const file = join(outboxDir, `${message.messageId.replace(/[^A-Za-z0-9.@-]/g, '')}.eml`);
      await writeFile(file, info.message as Buffer);
      log.info({ to: message.to.address, subject: message.subject, file }, 'mail written to the outbox folder');
    },
    close: () => transporter.close(),
  };
}
