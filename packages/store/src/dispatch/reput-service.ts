import type { MessageStoreConfig } from '../config/message-store-config.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import type { StoreLogger } from '../util/store-logger.js';
import { type CommitLogDispatcher, DispatchRequestReader, type TagsCodeHook, preparedDispatchRequest } from './dispatch-request.js';
import type { PreparedDispatches } from './prepared-dispatches.js';

// ReputMessageService (reference §9): reads the commit log from `reputFromOffset` up to a bound
// (the flushed offset under SYNC_FLUSH, the written offset otherwise), parses records without CRC
// and without touching bodies, and hands each to every dispatcher in order. A record a local put
// has handed over (prepared-dispatches.ts) is not parsed: its request is built from what the put
// encoded, to the same result. It is woken when data arrives instead of polling every
// millisecond (after a write, one turn later: see wakeAfterNextWrite). Just-written records are taken from the commit log's in-memory window,
// older ones read back. A round is synchronous after its read and bounded by
// dispatchReadBytesMax, so the event loop is never held for long.
//
// A dispatcher that throws (ENOSPC writing a ConsumeQueue, say) leaves reputFromOffset where it
// was; the round is retried later, and because ConsumeQueue and index writes skip what they
// already hold, repeating a round is harmless.

export const DISPATCH_RETRY_DELAY_MS = 1000;

export interface DispatcherEntry {
  dispatcher: CommitLogDispatcher;
  /** Internal dispatchers stop dispatch on failure; listeners' failures are logged and skipped. */
  isCritical: boolean;
  onFailure?: (err: unknown) => void;
  onSuccess?: () => void;
}

export class ReputService {
  private reputFrom = 0;
  private loop: Promise<void> | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly advanceListeners = new Set<(offset: number) => void>();
  private readBytesOverride = 0;
  private readonly reader = new DispatchRequestReader();
  private wokenWhileRunning = false;
  private wakeImmediate: NodeJS.Immediate | undefined;

  constructor(
    private readonly commitLog: CommitLog,
    private readonly config: MessageStoreConfig,
    private readonly dispatchers: () => readonly DispatcherEntry[],
    private readonly bound: () => number,
    private readonly log: StoreLogger,
    private readonly tagsCodeHook: () => TagsCodeHook | undefined,
    private readonly prepared: PreparedDispatches,
  ) {}

  get reputFromOffset(): number {
    return this.reputFrom;
  }

  /** Bytes the commit log holds that dispatch has not reached (RocketMQ's dispatchBehindBytes). */
  get behindBytes(): number {
    return Math.max(0, this.bound() - this.reputFrom);
  }

  setReputFrom(offset: number): void {
    this.reputFrom = offset;
  }

  onAdvance(listener: (offset: number) => void): () => void {
    this.advanceListeners.add(listener);
    return () => this.advanceListeners.delete(listener);
  }

  /** Starts (or keeps) dispatching up to the current bound. */
  wake(): void {
    if (this.stopped || this.retryTimer) return;
    if (this.loop) {
      // The loop may have seen its last bound already and be about to end: look again after it.
      this.wokenWhileRunning = true;
      return;
    }
    this.wokenWhileRunning = false;
    this.loop = this.run().finally(() => {
      this.loop = undefined;
      if (this.wokenWhileRunning) this.wake();
    });
  }

  /**
   * wake(), one event-loop turn later. Called when a write completes: the appends answered by it
   * make the next appends at once, and their write is issued from this turn's setImmediate; a
   * round started now would hold the loop before that write is on its way, while a round one
   * turn later runs while it is in flight.
   */
  wakeAfterNextWrite(): void {
    if (this.stopped || this.wakeImmediate) return;
    this.wakeImmediate = setImmediate(() => {
      this.wakeImmediate = setImmediate(() => {
        this.wakeImmediate = undefined;
        this.wake();
      });
    });
  }

  /** Dispatches everything up to the bound and resolves when done (startup, tests, shutdown). */
  async catchUp(): Promise<void> {
    for (;;) {
      if (this.loop) await this.loop;
      if (this.stopped || this.retryTimer || this.reputFrom >= this.bound()) return;
      this.wake();
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.wakeImmediate) clearImmediate(this.wakeImmediate);
    this.wakeImmediate = undefined;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const end = this.bound();
      if (this.reputFrom < this.commitLog.minOffset) this.reputFrom = this.commitLog.minOffset;
      if (this.reputFrom >= end) return;
      const progressed = await this.round(end);
      if (!progressed) return;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** One read-and-dispatch round. Returns false when it could not progress. */
  private async round(end: number): Promise<boolean> {
    const from = this.reputFrom;
    const segEnd = this.commitLog.rollNextFile(from);
    const want = Math.max(this.config.dispatchReadBytesMax, this.readBytesOverride);
    const len = Math.min(want, segEnd - from, end - from);
    // Just-written records are usually still in memory; otherwise read them back.
    const buf = this.commitLog.writtenView(from, len) ?? (await this.commitLog.read(from, len));
    if (!buf) {
      if (from < this.commitLog.minOffset) return true; // retention removed it meanwhile
      this.scheduleRetry(new Error(`could not read ${len} commit-log bytes at ${from}`));
      return false;
    }
    this.readBytesOverride = 0;
    const entries = this.dispatchers();
    const hook = this.tagsCodeHook();
    let pos = 0;
    for (const e of entries) e.dispatcher.beginRound?.();
    try {
      while (pos < buf.length) {
        const encoded = this.prepared.take(from + pos, buf.length - pos);
        if (encoded !== undefined) {
          const req = preparedDispatchRequest(encoded);
          if (hook) req.tagsCode = hook(req.topic, req.properties, req.storeTimestamp, req.tagsCode);
          for (const e of entries) this.dispatchOne(e, req);
          pos += req.msgSize;
          continue;
        }
        const r = this.reader.frameAt(buf, pos, from + pos);
        if (r.kind === 'message') {
          const req = this.reader.request(buf, hook);
          for (const e of entries) this.dispatchOne(e, req);
          pos += this.reader.size;
        } else if (r.kind === 'blank') {
          pos = segEnd - from;
          break;
        } else if (r.kind === 'needMore') {
          // A record longer than one read: read it whole next time, if it is all there.
          if (pos === 0 && r.size > len && from + r.size <= Math.min(segEnd, end)) this.readBytesOverride = r.size;
          break;
        } else {
          this.log.error({ offset: from + pos, reason: r.reason }, '[BUG] dispatch met an invalid record: skipping the rest of its segment');
          pos = segEnd - from;
          break;
        }
      }
      for (const e of entries) {
        if (e.isCritical && e.dispatcher.commitRound) runCritical(e, () => e.dispatcher.commitRound!());
      }
    } catch (err) {
      this.scheduleRetry(err);
      return false;
    }
    for (const e of entries) e.onSuccess?.();
    if (pos === 0 && this.readBytesOverride === 0) return false;
    this.reputFrom = from + pos;
    this.commitLog.dispatchedTo(this.reputFrom);
    for (const l of this.advanceListeners) l(this.reputFrom);
    return true;
  }

  private dispatchOne(e: DispatcherEntry, req: Parameters<CommitLogDispatcher['dispatch']>[0]): void {
    if (e.isCritical) {
      // runCritical without a closure per record.
      try {
        e.dispatcher.dispatch(req);
      } catch (err) {
        e.onFailure?.(err);
        throw err;
      }
      return;
    }
    try {
      e.dispatcher.dispatch(req);
    } catch (err) {
      this.log.error({ err, dispatcher: e.dispatcher.name, offset: req.commitLogOffset }, 'a dispatch listener failed');
    }
  }

  private scheduleRetry(err: unknown): void {
    this.log.error({ err, reputFromOffset: this.reputFrom }, `dispatch failed; retrying in ${DISPATCH_RETRY_DELAY_MS} ms`);
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.wake();
    }, DISPATCH_RETRY_DELAY_MS);
    this.retryTimer.unref();
  }
}

function runCritical(e: DispatcherEntry, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    e.onFailure?.(err);
    throw err;
  }
}
