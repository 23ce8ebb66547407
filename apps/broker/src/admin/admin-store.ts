// What the admin codes need of the message store: queue bounds and store times (topic stats,
// consume stats, resets by time), commit-log positions (runtime info), topic deletion, raw
// records (CONSUME_MESSAGE_DIRECTLY) and the arrival events the put counters listen to.
// The real MessageStore has all of it; a test double of the core may not, and then the admin
// processors are not registered.

import type { MessageArrivingListener } from '@apogee/store';
import type { BrokerMessageStore } from '../store/broker-store.js';

export interface AdminStore extends BrokerMessageStore {
  /** Store time of the message at a queue offset, -1 when there is none. */
  getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): Promise<number>;
  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number): Promise<number>;
  getMinPhyOffset(): number;
  getMaxPhyOffset(): number;
  dispatchBehindBytes(): number;
  selectOneMessageByOffset(commitLogOffset: number, size?: number): Promise<Buffer | undefined>;
  /** Drops the topic's ConsumeQueues and queue offsets. */
  deleteTopic(topic: string): void;
  addMessageArrivingListener(listener: MessageArrivingListener): () => void;
}

const ADMIN_STORE_METHODS = [
  'getMessageStoreTimeStamp', 'getOffsetInQueueByTime', 'getMinPhyOffset', 'getMaxPhyOffset', 'dispatchBehindBytes',
  'selectOneMessageByOffset', 'deleteTopic', 'addMessageArrivingListener',
] as const;

export function isAdminStore(store: BrokerMessageStore): store is AdminStore {
  const candidate = store as unknown as Record<string, unknown>;
  return ADMIN_STORE_METHODS.every((name) => typeof candidate[name] === 'function');
}
