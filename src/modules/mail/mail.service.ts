import type { Executor } from '../../db/client.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { MailOutbox, OutgoingMail } from './mail.types.js';

export const MAIL_QUEUE = 'mail';

/** Enqueues mail in the caller's transaction; the worker renders and sends it. */
export class MailService implements MailOutbox {
  constructor(private readonly jobs: JobQueue) {}

  async enqueue(tx: Executor, message: OutgoingMail) {
    await this.jobs.enqueue(tx, MAIL_QUEUE, message, { dedupeKey: message.idempotencyKey });
  }
}
