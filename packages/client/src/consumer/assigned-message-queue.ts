// The lite pull consumer's per-queue state (AssignedMessageQueue + its ProcessQueue): where the
// next pull starts, what poll() handed out (the consumed offset to commit), a pending seek,
// pause, and what is cached in memory for flow control. Pulled batches of one queue are handed
// out in order, so the consumed offset after a batch is the next cached batch's first offset, or
// the last handed-out offset + 1 when nothing of the queue is cached.

import type { MessageExt, MessageQueue } from '@apogee/common';
import { copyMessageQueue, mqKey } from '../message-queue.js';

export class QueueState {
  readonly mq: MessageQueue;
  /** Next offset to pull from; -1 = ask the offset store. */
  pullOffset = -1;
  /** Offset up to which poll() handed messages out (what a commit stores); -1 = none yet. */
  consumeOffset = -1;
  /** A seek waiting for the pull task; -1 = none. */
  seekOffset = -1;
  isPaused = false;
  isDropped = false;
  /** Batches pulled and not yet handed out: [first offset, last offset, bytes]. */
  private readonly cached: Array<{ first: number; last: number; count: number; bytes: number }> = [];
  cachedCount = 0;
  cachedBytes = 0;

  constructor(mq: MessageQueue) {
    this.mq = copyMessageQueue(mq);
  }

  /** Offsets between the oldest and newest cached message (ProcessQueue.getMaxSpan). */
  get maxSpan(): number {
    const first = this.cached[0];
    const last = this.cached[this.cached.length - 1];
    return first === undefined || last === undefined ? 0 : last.last - first.first;
  }

  putMessages(messages: readonly MessageExt[]): void {
    const first = messages[0];
    const last = messages[messages.length - 1];
    if (first === undefined || last === undefined) return;
    const bytes = messages.reduce((n, m) => n + m.body.length, 0);
    this.cached.push({ first: first.queueOffset, last: last.queueOffset, count: messages.length, bytes });
    this.cachedCount += messages.length;
    this.cachedBytes += bytes;
  }

  /** Removes the oldest cached batch (the one just handed out); returns the new consumed offset. */
  takeBatch(lastOffset: number): number {
    const batch = this.cached.shift();
    if (batch !== undefined) {
      this.cachedCount -= batch.count;
      this.cachedBytes -= batch.bytes;
    }
    const next = this.cached[0];
    this.consumeOffset = next === undefined ? lastOffset + 1 : next.first;
    return this.consumeOffset;
  }

  clearCache(): void {
    this.cached.length = 0;
    this.cachedCount = 0;
    this.cachedBytes = 0;
  }
}

export class AssignedMessageQueue {
  private readonly queues = new Map<string, QueueState>();

  get size(): number {
    return this.queues.size;
  }

  get(mq: MessageQueue): QueueState | undefined {
    return this.queues.get(mqKey(mq));
  }

  has(mq: MessageQueue): boolean {
    return this.queues.has(mqKey(mq));
  }

  messageQueues(topic?: string): MessageQueue[] {
    return [...this.queues.values()].filter((s) => topic === undefined || s.mq.topic === topic).map((s) => s.mq);
  }

  states(): QueueState[] {
    return [...this.queues.values()];
  }

  /**
   * Makes `mqs` the assigned queues (of `topic` only, when given; others are kept). Returns the
   * states added and the states removed (marked dropped).
   */
  update(mqs: readonly MessageQueue[], topic?: string): { added: QueueState[]; removed: QueueState[] } {
    const wanted = new Map(mqs.map((mq) => [mqKey(mq), mq]));
    const removed: QueueState[] = [];
    for (const [key, state] of this.queues) {
      if (topic !== undefined && state.mq.topic !== topic) continue;
      if (!wanted.has(key)) {
        state.isDropped = true;
        this.queues.delete(key);
        removed.push(state);
      }
    }
    const added: QueueState[] = [];
    for (const [key, mq] of wanted) {
      if (this.queues.has(key)) continue;
      const state = new QueueState(mq);
      this.queues.set(key, state);
      added.push(state);
    }
    return { added, removed };
  }
}
