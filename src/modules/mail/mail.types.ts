import type { Executor } from '../../db/client.js';
import type { MailData, MailTemplateName } from './templates/index.js';

export interface MailRecipient {
  email: string;
  name?: string | null;
  /** The user behind the address, when there is one (for preferences and unsubscribes). */
  userId?: string | null;
  /**
   * The recipient gets the message because they act for this organisation (its member, or an
   * intermediary representing it): it goes out only if they still do when it is sent.
   */
  actingForOrganizationId?: string | null;
}

/** A message to send: which template, for whom, with what data. Rendering happens in the mail module. */
export type OutgoingMail = { [Name in MailTemplateName]: MailMessage<Name> }[MailTemplateName];

interface MailMessage<Name extends MailTemplateName> {
  to: MailRecipient;
  /** A key of MAIL_TEMPLATES (src/modules/mail/templates/index.ts). */
  template: Name;
  /**
   * What the template needs, checked against its schema at enqueue time. Mail people subscribed to
   * (alerts, the Tech Monitor) adds `unsubscribeUrl`: it becomes one-click List-Unsubscribe headers
   * (RFC 8058; the URL must accept a POST) and a link in the footer.
   */
  data: MailData<Name>;
  /**
   * Names the message, not the attempt: enqueueing twice with one key, or retrying a send, never
   * delivers two copies to the recipient.
   */
  idempotencyKey: string;
}

/** The port services use to send mail: enqueued in the caller's transaction, sent by the worker. */
export interface MailOutbox {
  enqueue(tx: Executor, message: OutgoingMail): Promise<void>;
}
