// A group's consume progress on this broker (RocketMQ's getConsumeStats and
// fetchAllConsumeStatsInBroker): per queue the queue's max offset, the committed offset and the
// store time of the last consumed message, plus the group's pull rate.
//   topics: the given list; else the given topic; else every topic the group has offsets on;
//   without a list, a topic the online group does not subscribe to is left out (when the group
//   is online with subscriptions at all), as RocketMQ does.

import type { TopicConfig } from '@apogee/remoting';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import { type ConsumeStats, type OffsetWrapper, mqKey } from './admin-bodies.js';
import type { AdminStore } from './admin-store.js';

export interface ConsumeStatsDeps {
  readonly topics: { selectTopicConfig(topic: string): Readonly<TopicConfig> | undefined };
  readonly offsets: Pick<ConsumerOffsetManager, 'queryOffset' | 'queryPullOffset' | 'whichTopicByConsumer'>;
  readonly consumers: Pick<ConsumerManager, 'getConsumerGroupInfo'>;
  readonly store: Pick<AdminStore, 'getMaxOffsetInQueue' | 'getMessageStoreTimeStamp'>;
  /** the group's pull rate on a topic over the last minute */
  readonly consumeTps: (group: string, topic: string) => number;
  readonly brokerName: () => string;
}

/** Which topics a GET_CONSUME_STATS request covers. */
export function topicsForConsumeStats(deps: ConsumeStatsDeps, group: string, topic: string | undefined, topicList: string | undefined): string[] {
  const listed = (topicList ?? '').split(';').map((t) => t.trim()).filter((t) => t !== '');
  if (listed.length > 0) return [...new Set(listed)];
  const candidates = topic === undefined || topic.trim() === '' ? [...deps.offsets.whichTopicByConsumer(group)] : [topic];
  return candidates.filter((t) => isSubscribedOrUnknown(deps, group, t)).sort();
}

/** True unless the group is online with subscriptions and `topic` is not one of them. */
export function isSubscribedOrUnknown(deps: Pick<ConsumeStatsDeps, 'consumers'>, group: string, topic: string): boolean {
  const info = deps.consumers.getConsumerGroupInfo(group);
  if (info === undefined || info.subscriptionTable.size === 0) return true;
  return info.subscriptionTable.has(topic);
}

/**
 * ConsumeStats of `group` over `topics` (unknown topics are skipped). `queues` picks the queue
 * count: GET_CONSUME_STATS walks the read queues, GET_BROKER_CONSUME_STATS the write queues.
 */
export async function collectConsumeStats(deps: ConsumeStatsDeps, group: string, topics: Iterable<string>, queues: 'read' | 'write'): Promise<ConsumeStats> {
  const stats: ConsumeStats = { consumeTps: 0, offsetTable: new Map() };
  const brokerName = deps.brokerName();
  for (const topic of topics) {
    const config = deps.topics.selectTopicConfig(topic);
    if (config === undefined) continue;
    const queueNums = queues === 'read' ? config.readQueueNums : config.writeQueueNums;
    for (let queueId = 0; queueId < queueNums; queueId++) {
      stats.offsetTable.set(mqKey(topic, brokerName, queueId), await offsetWrapper(deps, group, topic, queueId));
    }
    stats.consumeTps += deps.consumeTps(group, topic);
  }
  return stats;
}

async function offsetWrapper(deps: ConsumeStatsDeps, group: string, topic: string, queueId: number): Promise<OffsetWrapper> {
  const brokerOffset = Math.max(0, deps.store.getMaxOffsetInQueue(topic, queueId));
  const consumerOffset = Math.max(0, deps.offsets.queryOffset(group, topic, queueId));
  let lastTimestamp = 0;
  if (consumerOffset > 0) {
    const storeMs = await deps.store.getMessageStoreTimeStamp(topic, queueId, consumerOffset - 1);
    if (storeMs > 0) lastTimestamp = storeMs;
  }
  const pullOffset = Math.max(consumerOffset, deps.offsets.queryPullOffset(group, topic, queueId));
  return { brokerOffset, consumerOffset, lastTimestamp, pullOffset };
}
