import { Presets, SingleBar } from 'cli-progress';
import type { FastifyInstance } from 'fastify';
import type { DeliveryProgress } from '../modules/techmonitor/techmonitor.schemas.js';

export interface SendIssueOptions {
  /** Where the progress bar is drawn (a terminal, or lines of text when it is not one). */
  stream?: NodeJS.WritableStream;
  /** Waits between worker passes that found nothing due (mail retries wait for their backoff). */
  sleep?: (ms: number) => Promise<void>;
  idleWaitMs?: number;
}

const settled = (progress: DeliveryProgress) => progress.sent + progress.failed + progress.skipped;
const details = (progress: DeliveryProgress) => ({ sent: progress.sent, failed: progress.failed, skipped: progress.skipped });

/**
 * Starts the send of a published issue unless it is done, then runs the job worker in this process
 * until every delivery is settled, drawing the progress. Safe to interrupt and run again: the send
 * resumes where it stopped and nobody is mailed twice.
 */
export async function runSendIssue(app: FastifyInstance, issueId: string, options: SendIssueOptions = {}): Promise<DeliveryProgress> {
  const { newsletter, jobs } = app.services;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let progress = await newsletter.progressOf(issueId);
  if (progress.state !== 'done') {
    await newsletter.beginSend(issueId);
    progress = await newsletter.progressOf(issueId);
  }
  const bar = new SingleBar(
    {
      format: 'Sending {bar} {percentage}% | {value}/{total} | sent {sent} · failed {failed} · skipped {skipped}',
      stream: options.stream ?? process.stderr,
      noTTYOutput: true,
      notTTYSchedule: 5000,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(progress.total, settled(progress), details(progress));
  try {
    while (progress.state !== 'done') {
      const handled = await jobs.runOnce();
      progress = await newsletter.progressOf(issueId);
      bar.setTotal(progress.total);
      bar.update(settled(progress), details(progress));
      if (handled === 0 && progress.state !== 'done') await sleep(options.idleWaitMs ?? app.config.worker.pollMs);
    }
  } finally {
    bar.stop();
  }
  return progress;
}
