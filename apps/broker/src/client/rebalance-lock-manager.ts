// Per-group queue locks of orderly consumers (RocketMQ's RebalanceLockManager, reference §3.3.8):
// a queue is granted to a client when it is unlocked, its lock expired (no renewal for
// rebalanceLockMaxLiveTimeMs, default 60 s), or the client already holds it — which renews it.
// Unlock releases only queues the client holds. While a group holds an unexpired lock, retry
// messages from it go straight to the DLQ (isLockAllExpired, used by the send path).

import type { Clock, Logger, MessageQueue } from '@apogee/common';
import { LOCK_GROUPS_MAX, LOCKED_QUEUES_PER_GROUP_MAX } from '../limits.js';

interface LockEntry {
  clientId: string;
  /** monotonic ms of the last lock or renewal */
  lastUpdateMs: number;
}

export interface RebalanceLockManagerOptions {
  /** rebalanceLockMaxLiveTimeMs */
  readonly lockMaxLiveTimeMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

/** Lock-table key of a queue: brokerName and topic cannot contain NUL. */
function queueKey(mq: MessageQueue): string {
  return `${mq.topic}\u0000${mq.brokerName}\u0000${mq.queueId}`;
}

export class RebalanceLockManager {
  private readonly table = new Map<string, Map<string, LockEntry>>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly lockMaxLiveTimeMs: number;

  constructor(options: RebalanceLockManagerOptions) {
    this.clock = options.clock;
    this.log = options.log;
    this.lockMaxLiveTimeMs = options.lockMaxLiveTimeMs;
  }

  /** The queues of `mqs` now locked by `clientId` (granted or renewed), in request order. */
  tryLockBatch(group: string, mqs: readonly MessageQueue[], clientId: string): MessageQueue[] {
    const nowMs = this.clock.monotonicMs();
    let locks = this.table.get(group);
    if (locks === undefined) {
      if (this.table.size >= LOCK_GROUPS_MAX) this.pruneExpired(nowMs);
      if (this.table.size >= LOCK_GROUPS_MAX) {
        this.log.warn({ group, limit: LOCK_GROUPS_MAX }, 'lock refused: too many groups hold locks');
        return [];
      }
      locks = new Map();
      this.table.set(group, locks);
    }
    const granted: MessageQueue[] = [];
    for (const mq of mqs) {
      const key = queueKey(mq);
      const entry = locks.get(key);
      if (entry === undefined) {
        if (locks.size >= LOCKED_QUEUES_PER_GROUP_MAX) this.pruneGroup(locks, nowMs);
        if (locks.size >= LOCKED_QUEUES_PER_GROUP_MAX) {
          this.log.warn({ group, clientId, limit: LOCKED_QUEUES_PER_GROUP_MAX }, 'lock refused: group lock table is full');
          continue;
        }
        locks.set(key, { clientId, lastUpdateMs: nowMs });
        granted.push(mq);
      } else if (entry.clientId === clientId || this.isExpired(entry, nowMs)) {
        if (entry.clientId !== clientId) this.log.info({ group, mq, from: entry.clientId, to: clientId }, 'expired queue lock taken over');
        entry.clientId = clientId;
        entry.lastUpdateMs = nowMs;
        granted.push(mq);
      }
    }
    if (locks.size === 0) this.table.delete(group);
    return granted;
  }

  /** Releases the queues of `mqs` held by `clientId`; others' locks stay. */
  unlockBatch(group: string, mqs: readonly MessageQueue[], clientId: string): number {
    const locks = this.table.get(group);
    if (locks === undefined) return 0;
    let released = 0;
    for (const mq of mqs) {
      const key = queueKey(mq);
      const entry = locks.get(key);
      if (entry === undefined) continue;
      if (entry.clientId !== clientId) {
        this.log.warn({ group, mq, holder: entry.clientId, clientId }, 'unlock ignored: queue locked by another client');
        continue;
      }
      locks.delete(key);
      released++;
    }
    if (locks.size === 0) this.table.delete(group);
    return released;
  }

  /** True when the queue has an unexpired lock held by `clientId`. */
  isLocked(group: string, mq: MessageQueue, clientId: string): boolean {
    const entry = this.table.get(group)?.get(queueKey(mq));
    return entry !== undefined && entry.clientId === clientId && !this.isExpired(entry, this.clock.monotonicMs());
  }

  /** The client holding an unexpired lock on the queue, if any. */
  lockHolder(group: string, mq: MessageQueue): string | undefined {
    const entry = this.table.get(group)?.get(queueKey(mq));
    return entry !== undefined && !this.isExpired(entry, this.clock.monotonicMs()) ? entry.clientId : undefined;
  }

  /** True when no queue of the group has an unexpired lock. */
  isLockAllExpired(group: string): boolean {
    const locks = this.table.get(group);
    if (locks === undefined) return true;
    const nowMs = this.clock.monotonicMs();
    for (const entry of locks.values()) if (!this.isExpired(entry, nowMs)) return false;
    return true;
  }

  /** Expired entries are kept (as in RocketMQ) until a table is full; then they make room. */
  private pruneExpired(nowMs: number): void {
    for (const [group, locks] of this.table) {
      this.pruneGroup(locks, nowMs);
      if (locks.size === 0) this.table.delete(group);
    }
  }

  private pruneGroup(locks: Map<string, LockEntry>, nowMs: number): void {
    for (const [key, entry] of locks) if (this.isExpired(entry, nowMs)) locks.delete(key);
  }

  private isExpired(entry: LockEntry, nowMs: number): boolean {
    return nowMs - entry.lastUpdateMs > this.lockMaxLiveTimeMs;
  }
}
