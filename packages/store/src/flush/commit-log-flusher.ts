import type { MessageStoreConfig } from '../config/message-store-config.js';
import { STORED, type AppendItem, type AppendWaiter } from '../commitlog/append-types.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import { RunningFlag, type RunningFlags } from '../store/statuses.js';
import type { Clock } from '@apogee/common';
import type { StoreLogger } from '../util/store-logger.js';

// Commit-log durability (reference §5).
// SYNC_FLUSH is group commit: an append that waits is settled when an fdatasync that started
// after its write covers it; one fdatasync answers every append waiting on it, and appends that
// arrive during a flush are answered by the next one. An append not covered within
// syncFlushTimeout is answered FLUSH_DISK_TIMEOUT (it is stored, just not confirmed).
// ASYNC_FLUSH is FlushRealTimeService: every flushIntervalCommitLog, flush when at least
// flushCommitLogLeastPages dirty 4 KiB pages wait, and everything every
// flushCommitLogThoroughInterval. Under SYNC_FLUSH the same timer flushes what no one waits for.

export const OS_PAGE_BYTES = 4096;
/** Flush attempts at shutdown (RocketMQ retries its final flush 10 times). */
export const SHUTDOWN_FLUSH_ATTEMPTS_MAX = 10;

interface FlushWaiter {
  endOffset: number;
  deadlineMs: number;
  waiter: AppendWaiter | undefined;
  settled: boolean;
}

export class CommitLogFlusher {
  private waiters: FlushWaiter[] = [];
  private groupCommit: Promise<void> | undefined;
  private intervalTimer: NodeJS.Timeout | undefined;
  private deadlineTimer: NodeJS.Timeout | undefined;
  private intervalFlush: Promise<void> | undefined;
  private lastThoroughMs = 0;
  private running = false;

  constructor(
    private readonly commitLog: CommitLog,
    private readonly config: MessageStoreConfig,
    private readonly clock: Clock,
    private readonly flags: RunningFlags,
    private readonly log: StoreLogger,
  ) {}

  get isSync(): boolean {
    return this.config.flushDiskType === 'SYNC_FLUSH';
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lastThoroughMs = this.clock.monotonicMs();
    this.intervalTimer = setInterval(() => this.onInterval(), this.config.flushIntervalCommitLog);
    this.intervalTimer.unref();
  }

  /** Called with every written batch: settles the appends that don't wait, queues the others. */
  onWritten(batch: readonly AppendItem[]): void {
    let queued = false;
    for (const item of batch) {
      if (!item.waiter) continue;
      if (this.isSync && item.waitFlush) {
        this.waiters.push({
          endOffset: item.offset + item.span,
          deadlineMs: this.clock.monotonicMs() + this.config.syncFlushTimeout,
          waiter: item.waiter,
          settled: false,
        });
        queued = true;
      } else {
        item.waiter.settle(STORED);
      }
    }
    if (queued) {
      this.armDeadlineTimer();
      this.startGroupCommit();
    }
  }

  private startGroupCommit(): void {
    this.groupCommit ??= this.runGroupCommit().finally(() => {
      this.groupCommit = undefined;
      // Waiters queued after the loop's last check (and before this callback) need a flush too.
      if (this.waiters.length > 0 && this.running) this.startGroupCommit();
    });
  }

  /** Stops the timers, answers every waiter after a final flush. Idempotent. */
  async shutdown(): Promise<void> {
    this.running = false;
    if (this.intervalTimer) clearInterval(this.intervalTimer);
    this.intervalTimer = undefined;
    await this.intervalFlush;
    await this.groupCommit;
    for (let attempt = 1; attempt <= SHUTDOWN_FLUSH_ATTEMPTS_MAX && this.commitLog.unflushedBytes > 0; attempt++) {
      try {
        await this.commitLog.flush();
      } catch (err) {
        this.log.error({ err, attempt }, 'final commit-log flush failed');
      }
    }
    this.settleCovered();
    this.settleAll({ kind: 'flushTimeout' });
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
  }

  private async runGroupCommit(): Promise<void> {
    while (this.waiters.length > 0) {
      try {
        await this.commitLog.flush();
      } catch (err) {
        // fdatasync failed: whether the bytes are on disk is unknown (and retrying cannot tell).
        this.flags.set(RunningFlag.NOT_WRITEABLE);
        this.log.error({ err, flags: this.flags.describe() }, 'commit-log fdatasync failed; store is no longer writeable');
        this.settleAll({ kind: 'flushTimeout' });
        return;
      }
      this.settleCovered();
    }
  }

  private settleCovered(): void {
    const flushed = this.commitLog.flushedOffset;
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.endOffset <= flushed) {
      const w = this.waiters[n]!;
      if (!w.settled) {
        w.settled = true;
        w.waiter?.settle(STORED);
      }
      n++;
    }
    if (n > 0) this.waiters.splice(0, n);
    this.dropSettledHead();
  }

  private settleAll(outcome: { kind: 'flushTimeout' }): void {
    for (const w of this.waiters) {
      if (!w.settled) {
        w.settled = true;
        w.waiter?.settle(outcome);
      }
    }
    this.waiters = [];
  }

  /** FlushDiskWatcher: answers FLUSH_DISK_TIMEOUT to appends still waiting at their deadline. */
  private armDeadlineTimer(): void {
    if (this.deadlineTimer || this.waiters.length === 0) return;
    const front = this.waiters.find((w) => !w.settled);
    if (!front) return;
    const delayMs = Math.max(1, Math.ceil(front.deadlineMs - this.clock.monotonicMs()));
    this.deadlineTimer = setTimeout(() => {
      this.deadlineTimer = undefined;
      const now = this.clock.monotonicMs();
      for (const w of this.waiters) {
        if (w.deadlineMs > now) break;
        if (!w.settled) {
          w.settled = true;
          w.waiter?.settle({ kind: 'flushTimeout' });
        }
      }
      this.dropSettledHead();
      this.armDeadlineTimer();
    }, delayMs);
    this.deadlineTimer.unref();
  }

  private dropSettledHead(): void {
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.settled) n++;
    if (n > 0) this.waiters.splice(0, n);
  }

  private onInterval(): void {
    if (!this.running || this.intervalFlush) return;
    const now = this.clock.monotonicMs();
    let leastPages = this.isSync ? 0 : this.config.flushCommitLogLeastPages;
    if (now - this.lastThoroughMs >= this.config.flushCommitLogThoroughInterval) {
      leastPages = 0;
      this.lastThoroughMs = now;
    }
    const wrote = this.commitLog.maxOffset;
    const flushed = this.commitLog.flushedOffset;
    if (wrote <= flushed) return;
    const dirtyPages = Math.floor(wrote / OS_PAGE_BYTES) - Math.floor(flushed / OS_PAGE_BYTES);
    if (leastPages > 0 && dirtyPages < leastPages) return;
    this.intervalFlush = this.commitLog
      .flush()
      .catch((err: unknown) => {
        this.flags.set(RunningFlag.NOT_WRITEABLE);
        this.log.error({ err }, 'commit-log fdatasync failed; store is no longer writeable');
      })
      .finally(() => (this.intervalFlush = undefined));
  }
}
