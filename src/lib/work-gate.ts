import { AppError } from './errors.js';

/** 503 with Retry-After: the service has as much expensive work under way and waiting as it takes. */
export class ServiceBusy extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('service_busy', 503, `The service is busy; try again in ${retryAfterSeconds} s`);
  }
}

export interface WorkGateOptions {
  /** How many pieces of work run at once. */
  concurrency: number;
  /** How many may wait for a turn; one more is refused at once. */
  queue: number;
  /** What a refused caller is told to wait (Retry-After). */
  retryAfterSeconds: number;
}

/**
 * A cap on concurrent expensive work (search, matching) in one process. Past the cap, work waits
 * in a short queue; past the queue it is refused with 503 at once, so a burst cannot pile up
 * requests whose database work would hold back everything else (health checks, log-ins).
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: WorkGateOptions) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.options.concurrency) this.running++;
    else if (this.waiting.length < this.options.queue) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else throw new ServiceBusy(this.options.retryAfterSeconds);
    try {
      return await work();
    } finally {
      // The slot passes straight to the next in line, so the count never dips between them.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  get stats() {
    return { running: this.running, waiting: this.waiting.length };
  }
}
