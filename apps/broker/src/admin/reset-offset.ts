// The offsets INVOKE_BROKER_TO_RESET_OFFSET (222) moves a group to, per queue of this broker:
//   5.x (useServerSideResetOffset): every read queue, or one queue (queueId >= 0) with an explicit
//     offset in [min, max + 1] or found by time; timestamp -1 = the queue's max offset.
//   4.9 (Broker2Client.resetOffset): every write queue; the group must have a committed offset on
//     each; the time's offset replaces it when isForce or when it is smaller.
// The result is the queue → offset table, or a refusal with RocketMQ's code and our remark.

import type { MessageQueue } from '@apogee/common';
import { ResponseCode, type TopicConfig } from '@apogee/remoting';
import { mqKey } from './admin-bodies.js';
import type { AdminStore } from './admin-store.js';

export interface ResetTarget {
  readonly topic: string;
  readonly group: string;
  /** ms; -1 = the max offset */
  readonly timestamp: number;
  readonly isForce: boolean;
  /** [5.x] -1 = every queue */
  readonly queueId: number;
  /** [5.x] explicit offset for `queueId` (-1 or absent: by time) */
  readonly offset: number | undefined;
}

export type ResetPlan = { ok: true; offsets: Map<MessageQueue, number> } | { ok: false; code: number; remark: string };

export interface ResetSources {
  readonly store: Pick<AdminStore, 'getMinOffsetInQueue' | 'getMaxOffsetInQueue' | 'getOffsetInQueueByTime'>;
  readonly committedOffset: (group: string, topic: string, queueId: number) => number;
  readonly brokerName: string;
}

/** The queue's offset at `timestamp` (-1: its max offset), never negative. */
export async function offsetAtTime(store: ResetSources['store'], topic: string, queueId: number, timestamp: number): Promise<number> {
  const offset = timestamp < 0 ? store.getMaxOffsetInQueue(topic, queueId) : await store.getOffsetInQueueByTime(topic, queueId, timestamp);
  return Math.max(0, offset);
}

/** 5.x server-side reset. */
export async function planServerSideReset(src: ResetSources, config: Readonly<TopicConfig>, target: ResetTarget): Promise<ResetPlan> {
  const offsets = new Map<MessageQueue, number>();
  const { topic } = target;
  if (target.queueId >= 0) {
    let offset = target.offset;
    if (offset !== undefined && offset !== -1) {
      const min = src.store.getMinOffsetInQueue(topic, target.queueId);
      const max = src.store.getMaxOffsetInQueue(topic, target.queueId);
      if ((min >= 0 && offset < min) || offset > max + 1) {
        return { ok: false, code: ResponseCode.SYSTEM_ERROR, remark: `Target offset ${offset} not in consume queue range [${min}-${max}] of ${topic}:${target.queueId}` };
      }
    } else {
      offset = await offsetAtTime(src.store, topic, target.queueId, target.timestamp);
    }
    offsets.set(mqKey(topic, src.brokerName, target.queueId), offset);
  } else {
    for (let queueId = 0; queueId < config.readQueueNums; queueId++) {
      offsets.set(mqKey(topic, src.brokerName, queueId), await offsetAtTime(src.store, topic, queueId, target.timestamp));
    }
  }
  if (offsets.size === 0) return { ok: false, code: ResponseCode.SYSTEM_ERROR, remark: `No queues to reset: topic ${topic} has no read queues` };
  return { ok: true, offsets };
}

/** 4.9 client-side reset: what the clients are told to move to. */
export async function planClientSideReset(src: ResetSources, config: Readonly<TopicConfig>, target: ResetTarget): Promise<ResetPlan> {
  const offsets = new Map<MessageQueue, number>();
  const { topic, group } = target;
  for (let queueId = 0; queueId < config.writeQueueNums; queueId++) {
    const committed = src.committedOffset(group, topic, queueId);
    if (committed === -1) {
      return { ok: false, code: ResponseCode.SYSTEM_ERROR, remark: `THe consumer group <${group}> not exist: it has no offset on ${topic}:${queueId}` };
    }
    const atTime = await offsetAtTime(src.store, topic, queueId, target.timestamp);
    offsets.set(mqKey(topic, src.brokerName, queueId), target.isForce || atTime < committed ? atTime : committed);
  }
  return { ok: true, offsets };
}
