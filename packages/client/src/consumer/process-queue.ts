// A push consumer's in-memory window of one queue (ProcessQueue): messages pulled and not yet
// consumed, in queue-offset order. Concurrent consumption removes messages in any order; the
// offset safe to commit is the smallest offset still held (or the largest pulled + 1 when none).
// Orderly consumption takes messages from the head into a "consuming" set and either commits
// them or puts them back. Also holds the broker lock state of an orderly queue.

import { type MessageExt, MiB } from '@apogee/common';
import type { ProcessQueueInfo } from '../factory/client-members.js';

/** A queue's broker lock counts as lost this long after it was last renewed (client side), ms. */
export const REBALANCE_LOCK_MAX_LIVE_TIME_MS = 30_000;

export class ProcessQueue {
  /** offset -> message; insertion order is offset order (pulls append increasing offsets). */
  private msgMap = new Map<number, MessageExt>();
  private readonly consumingOrderly = new Map<number, MessageExt>();
  msgCount = 0;
  msgSizeBytes = 0;
  queueOffsetMax = 0;
  isDropped = false;
  /** Orderly: a consume loop runs (or is scheduled) for this queue. */
  isConsuming = false;
  isLocked = false;
  lastLockTimestampMs = 0;
  lastPullTimestampMs = 0;

  /** Adds pulled messages; true when an orderly consume loop should start (none was running). */
  putMessage(msgs: readonly MessageExt[]): boolean {
    for (const msg of msgs) {
      if (this.msgMap.has(msg.queueOffset)) continue;
      this.msgMap.set(msg.queueOffset, msg);
      this.queueOffsetMax = msg.queueOffset;
      this.msgCount++;
      this.msgSizeBytes += msg.body.length;
    }
    if (this.msgMap.size > 0 && !this.isConsuming) {
      this.isConsuming = true;
      return true;
    }
    return false;
  }

  /** Offsets between the oldest and newest held message. */
  get maxSpan(): number {
    if (this.msgMap.size === 0) return 0;
    return this.queueOffsetMax - (this.msgMap.keys().next().value as number);
  }

  /** Removes consumed messages; the offset to commit now, or -1 when nothing was held. */
  removeMessage(msgs: readonly MessageExt[]): number {
    if (this.msgMap.size === 0) return -1;
    for (const msg of msgs) {
      if (this.msgMap.delete(msg.queueOffset)) {
        this.msgCount--;
        this.msgSizeBytes -= msg.body.length;
      }
    }
    if (this.msgCount === 0) this.msgSizeBytes = 0;
    return this.msgMap.size === 0 ? this.queueOffsetMax + 1 : (this.msgMap.keys().next().value as number);
  }

  /** The held message with the smallest offset (concurrently: the one holding the commit offset back). */
  firstMessage(): MessageExt | undefined {
    return this.msgMap.values().next().value;
  }

  /** Orderly: up to `batchSize` messages from the head, moved to the consuming set. */
  takeMessages(batchSize: number): MessageExt[] {
    const taken: MessageExt[] = [];
    for (const [offset, msg] of this.msgMap) {
      if (taken.length >= batchSize) break;
      taken.push(msg);
      this.consumingOrderly.set(offset, msg);
    }
    for (const msg of taken) this.msgMap.delete(msg.queueOffset);
    if (taken.length === 0) this.isConsuming = false;
    return taken;
  }

  /** Orderly: the consuming set is done; the offset after it (or -1). */
  commit(): number {
    let last = -1;
    for (const [offset, msg] of this.consumingOrderly) {
      last = Math.max(last, offset);
      this.msgCount--;
      this.msgSizeBytes -= msg.body.length;
    }
    if (this.msgCount === 0) this.msgSizeBytes = 0;
    this.consumingOrderly.clear();
    return last < 0 ? -1 : last + 1;
  }

  /** Orderly: puts messages back at the head, to be consumed again. */
  makeMessageToConsumeAgain(msgs: readonly MessageExt[]): void {
    for (const msg of msgs) this.consumingOrderly.delete(msg.queueOffset);
    const merged = [...msgs, ...this.msgMap.values()].sort((a, b) => a.queueOffset - b.queueOffset);
    this.msgMap = new Map(merged.map((m) => [m.queueOffset, m]));
  }

  isLockExpired(nowMs: number): boolean {
    return nowMs - this.lastLockTimestampMs > REBALANCE_LOCK_MAX_LIVE_TIME_MS;
  }

  /** ProcessQueueInfo for GET_CONSUMER_RUNNING_INFO. */
  info(commitOffset: number): ProcessQueueInfo {
    const first = this.msgMap.keys().next();
    return {
      commitOffset,
      cachedMsgMinOffset: first.done === true ? 0 : first.value,
      cachedMsgMaxOffset: this.msgMap.size === 0 ? 0 : this.queueOffsetMax,
      cachedMsgCount: this.msgCount,
      cachedMsgSizeInMiB: Math.floor(this.msgSizeBytes / MiB),
      locked: this.isLocked,
      lastLockTimestamp: this.lastLockTimestampMs,
      droped: this.isDropped,
      lastPullTimestamp: this.lastPullTimestampMs,
    };
  }

  /** Forget everything held (the queue was dropped or re-seeked). */
  clear(): void {
    this.msgMap.clear();
    this.consumingOrderly.clear();
    this.msgCount = 0;
    this.msgSizeBytes = 0;
  }
}
