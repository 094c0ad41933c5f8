import type { FastifyBaseLogger } from 'fastify';

interface Task {
  name: string;
  intervalMs: number;
  run: () => Promise<unknown>;
}

/**
 * Periodic tasks of the worker (expiry sweep, daily digests). Each task is safe to run from
 * several processes at once, so no leader election is needed.
 */
export class Scheduler {
  private readonly tasks: Task[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly log: FastifyBaseLogger) {}

  every(name: string, intervalMs: number, run: () => Promise<unknown>) {
    this.tasks.push({ name, intervalMs, run });
  }

  start() {
    for (const task of this.tasks) {
      const tick = () => {
        const running = task
          .run()
          .then((result) => this.log.debug({ task: task.name, result }, 'scheduled task done'))
          .catch((error: unknown) => this.log.error({ err: error, task: task.name }, 'scheduled task failed'))
          .finally(() => this.inFlight.delete(running));
        this.inFlight.add(running);
      };
      setTimeout(tick, 1000).unref();
      this.timers.push(setInterval(tick, task.intervalMs));
    }
  }

  async stop() {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.allSettled([...this.inFlight]);
  }
}
