// Runs listener work with at most `concurrencyMax` jobs at once (Java's consume thread pool).
// Waiting jobs are bounded by what the pull side caches (pullThresholdForQueue per queue), so
// the wait list itself needs no separate cap; submitLater() timers are unref'd and cleared by
// shutdown(), which then waits for the running jobs.

import type { Logger } from '@apogee/common';

type Job = () => Promise<void>;

export class ConsumeExecutor {
  private readonly waiting: Job[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private isShutdown = false;

  constructor(
    private readonly concurrencyMax: number,
    private readonly log: Logger,
  ) {}

  get activeCount(): number {
    return this.running.size;
  }

  submit(job: Job): void {
    if (this.isShutdown) return;
    this.waiting.push(job);
    this.drain();
  }

  submitLater(job: Job, delayMs: number): void {
    if (this.isShutdown) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.submit(job);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** Drops waiting and delayed jobs and waits for the running ones. */
  async shutdown(): Promise<void> {
    this.isShutdown = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    await Promise.allSettled([...this.running]);
  }

  private drain(): void {
    while (this.running.size < this.concurrencyMax && this.waiting.length > 0) {
      const job = this.waiting.shift() as Job;
      const run = job()
        .catch((err: unknown) => this.log.error({ err }, 'consume job failed'))
        .finally(() => {
          this.running.delete(run);
          this.drain();
        });
      this.running.add(run);
    }
  }
}
