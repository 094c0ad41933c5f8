import type { Clock } from '../../lib/clock.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { SEARCH_QUEUE } from '../search/search.service.js';

/**
 * "Ready" means searches see what was written before this process started: no search sync job
 * created up to the start line is still waiting or running. The start line is when the app was
 * built, moved forward by `catchUpTo` once start-up work (the demo seed) is written. Once ready,
 * a process stays ready: later changes reach the index within the usual lag, which /health reports.
 */
export class Readiness {
  private startLine: Date;
  private caughtUp = false;

  constructor(
    private readonly jobs: JobQueue,
    clock: Clock,
  ) {
    this.startLine = clock.now();
  }

  /** Start-up work written up to `now` must be searchable before the process is ready. */
  catchUpTo(now: Date) {
    this.startLine = now;
    this.caughtUp = false;
  }

  async check(): Promise<boolean> {
    if (this.caughtUp) return true;
    this.caughtUp = !(await this.jobs.hasOpenJobsCreatedBy(SEARCH_QUEUE, this.startLine));
    return this.caughtUp;
  }
}
