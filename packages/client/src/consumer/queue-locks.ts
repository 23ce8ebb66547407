// Broker-side queue locks of an orderly clustering consumer (RebalanceImpl.lock/lockAll/unlock,
// reference §3.3.8): LOCK_BATCH_MQ to the queue's master, per broker for renewal; a queue in the
// answer is ours (ProcessQueue.isLocked, stamped with monotonic time), one missing is not.

import { type MessageQueue, MASTER_ID } from '@apogee/common';
import { lockBatchMQ, unlockBatchMQ } from '../api/consumer-api.js';
import type { MQClientInstance } from '../factory/mq-client-instance.js';
import { mqKey } from '../message-queue.js';
import type { ProcessQueue } from './process-queue.js';

export class QueueLocks {
  constructor(
    private readonly instance: MQClientInstance,
    private readonly groupName: string,
    private readonly queues: () => ReadonlyMap<string, { mq: MessageQueue; pq: ProcessQueue }>,
  ) {}

  /** Locks one owned queue; true when this client holds it now. */
  async lock(mq: MessageQueue): Promise<boolean> {
    const entry = this.queues().get(mqKey(mq));
    return entry === undefined ? false : this.lockFor(mq, entry.pq);
  }

  /** Locks `mq` on behalf of `pq` (a queue about to be taken). */
  async lockFor(mq: MessageQueue, pq: ProcessQueue): Promise<boolean> {
    const addr = this.masterOf(mq.brokerName);
    if (addr === undefined) return false;
    try {
      const locked = await lockBatchMQ(this.instance.remoting, addr, this.groupName, this.instance.clientId, [mq]);
      const isLocked = locked.some((q) => mqKey(q) === mqKey(mq));
      pq.isLocked = isLocked;
      if (isLocked) pq.lastLockTimestampMs = this.instance.config.clock.monotonicMs();
      return isLocked;
    } catch (err) {
      this.instance.log.warn({ err, mq, group: this.groupName }, 'LOCK_BATCH_MQ failed');
      return false;
    }
  }

  /** Renews the locks of every owned queue, one request per broker. */
  async lockAll(): Promise<void> {
    const byBroker = new Map<string, Array<{ mq: MessageQueue; pq: ProcessQueue }>>();
    for (const entry of this.queues().values()) {
      const list = byBroker.get(entry.mq.brokerName) ?? [];
      list.push(entry);
      byBroker.set(entry.mq.brokerName, list);
    }
    await Promise.all([...byBroker].map(async ([brokerName, entries]) => {
      const addr = this.masterOf(brokerName);
      if (addr === undefined) return;
      try {
        const locked = new Set((await lockBatchMQ(this.instance.remoting, addr, this.groupName, this.instance.clientId, entries.map((e) => e.mq))).map(mqKey));
        const nowMs = this.instance.config.clock.monotonicMs();
        for (const { mq, pq } of entries) {
          pq.isLocked = locked.has(mqKey(mq));
          if (pq.isLocked) pq.lastLockTimestampMs = nowMs;
        }
      } catch (err) {
        this.instance.log.warn({ err, brokerName, group: this.groupName }, 'LOCK_BATCH_MQ renewal failed');
      }
    }));
  }

  async unlock(mq: MessageQueue, oneway: boolean): Promise<void> {
    const addr = this.masterOf(mq.brokerName);
    if (addr === undefined) return;
    await unlockBatchMQ(this.instance.remoting, addr, this.groupName, this.instance.clientId, [mq], oneway).catch((err: unknown) => {
      this.instance.log.warn({ err, mq, group: this.groupName }, 'UNLOCK_BATCH_MQ failed');
    });
  }

  async unlockAll(): Promise<void> {
    const byBroker = new Map<string, MessageQueue[]>();
    for (const { mq } of this.queues().values()) byBroker.set(mq.brokerName, [...(byBroker.get(mq.brokerName) ?? []), mq]);
    await Promise.all([...byBroker].map(async ([brokerName, mqs]) => {
      const addr = this.masterOf(brokerName);
      if (addr === undefined) return;
      await unlockBatchMQ(this.instance.remoting, addr, this.groupName, this.instance.clientId, mqs, false).catch((err: unknown) => {
        this.instance.log.warn({ err, brokerName, group: this.groupName }, 'UNLOCK_BATCH_MQ failed');
      });
    }));
  }

  private masterOf(brokerName: string): string | undefined {
    return this.instance.findBrokerAddressInSubscribe(brokerName, MASTER_ID, true)?.brokerAddr;
  }
}
