// A timer-driven job: first run after `initialDelayMs`, then `periodMs` after each run ends (so a
// slow run never overlaps the next). wakeup() runs it as soon as possible (once more after the
// current run when one is going). The timer is unref'd; stop() clears it and awaits the run in
// progress, so nothing outlives the owner's shutdown(). A failing run is logged, never thrown.

import type { Logger } from '@apogee/common';

export interface PeriodicTaskOptions {
  readonly initialDelayMs: number;
  readonly periodMs: number;
  /** When a run resolves `false`, the next one comes after this (shorter) delay instead, ms. */
  readonly periodMsAfterFalse?: number;
  readonly log: Logger;
}

export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private isWakeupPending = false;
  private isStopped = true;

  constructor(
    readonly name: string,
    private readonly run: () => Promise<unknown>,
    private readonly options: PeriodicTaskOptions,
  ) {}

  start(): void {
    if (!this.isStopped) return;
    this.isStopped = false;
    this.schedule(this.options.initialDelayMs);
  }

  /** Run now, or right after the run in progress. */
  wakeup(): void {
    if (this.isStopped) return;
    if (this.running !== undefined) {
      this.isWakeupPending = true;
      return;
    }
    this.schedule(0);
  }

  /** Resolves when the current run (if any) ended; no run starts afterwards. */
  async stop(): Promise<void> {
    this.isStopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), delayMs);
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    if (this.isStopped || this.running !== undefined) return;
    let isFalse = false;
    this.running = this.run()
      .then((result) => {
        isFalse = result === false;
      })
      .catch((err: unknown) => this.options.log.warn({ err, task: this.name }, 'periodic task failed'))
      .finally(() => {
        this.running = undefined;
        if (this.isStopped) return;
        const again = this.isWakeupPending;
        this.isWakeupPending = false;
        const periodMs = isFalse && this.options.periodMsAfterFalse !== undefined ? this.options.periodMsAfterFalse : this.options.periodMs;
        this.schedule(again ? 0 : periodMs);
      });
  }
}
