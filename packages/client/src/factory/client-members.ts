// What an MQClientInstance needs from the producers and consumers registered on it
// (MQProducerInner / MQConsumerInner). Group names here are the wire names (namespace applied).

import type { MessageExt, MessageQueue } from '@apogee/common';
import type { CheckTransactionStateRequestHeader, ConsumerData, SubscriptionData } from '@apogee/remoting';
import type { TopicPublishInfo } from '../producer/topic-publish-info.js';

export interface ProducerMember {
  readonly groupName: string;
  /** Topics this producer sends to (their routes are refreshed periodically). */
  publishTopics(): Iterable<string>;
  /** New publish info for a topic it sends to (called on every route change). */
  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void;
  /** True when it wants the topic's queues even if the route did not change (it has none yet). */
  isPublishTopicNeedUpdate?(topic: string): boolean;
  /** A broker asks about a half message (CHECK_TRANSACTION_STATE); only transactional producers answer. */
  checkTransactionState?(brokerAddr: string, msg: MessageExt, header: CheckTransactionStateRequestHeader): void;
}

export interface ConsumerMember {
  readonly groupName: string;
  /** What goes into the heartbeat for this group. */
  consumerData(): ConsumerData;
  /** Topics whose routes it needs (subscriptions, retry topic, assigned queues' topics). */
  subscribeTopics(): Iterable<string>;
  /** New readable queues of a topic (called on every route change). */
  updateTopicSubscribeInfo(topic: string, queues: readonly MessageQueue[]): void;
  /** True when it wants the topic's queues even if the route did not change (it has none yet). */
  isSubscribeTopicNeedUpdate?(topic: string): boolean;
  /** Re-allocate queues; resolves true when the allocation is settled. */
  doRebalance(): Promise<boolean>;
  /** Store consumed offsets in the broker (or locally). */
  persistConsumerOffset(): Promise<void>;
  /** RESET_CONSUMER_CLIENT_OFFSET from a broker: move these queues to these offsets. */
  resetOffset?(topic: string, offsets: ReadonlyMap<string, { mq: MessageQueue; offset: number }>): Promise<void>;
  /** Offsets in use (GET_CONSUMER_STATUS_FROM_CLIENT). */
  consumeOffsets?(topic: string): Promise<Array<{ mq: MessageQueue; offset: number }>>;
  /** What GET_CONSUMER_RUNNING_INFO reports (mqadmin consumerStatus). */
  runningInfo?(): Promise<ConsumerRunningInfo>;
  /** CONSUME_MESSAGE_DIRECTLY: hand this message to the listener now (push consumers). */
  consumeMessageDirectly?(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult>;
}

/** ProcessQueueInfo of one owned queue. */
export interface ProcessQueueInfo {
  readonly commitOffset: number;
  readonly cachedMsgMinOffset: number;
  readonly cachedMsgMaxOffset: number;
  readonly cachedMsgCount: number;
  readonly cachedMsgSizeInMiB: number;
  readonly locked: boolean;
  readonly lastLockTimestamp: number;
  readonly droped: boolean; // Java's spelling
  readonly lastPullTimestamp: number;
}

/** ConsumerRunningInfo (properties PROP_*, subscriptions, owned queues). */
export interface ConsumerRunningInfo {
  readonly properties: Record<string, string>;
  readonly subscriptionSet: readonly SubscriptionData[];
  readonly mqTable: ReadonlyArray<readonly [MessageQueue, ProcessQueueInfo]>;
}

export type CMResult = 'CR_SUCCESS' | 'CR_LATER' | 'CR_ROLLBACK' | 'CR_COMMIT' | 'CR_THROW_EXCEPTION' | 'CR_RETURN_NULL';

export interface ConsumeMessageDirectlyResult {
  readonly order: boolean;
  readonly autoCommit: boolean;
  readonly consumeResult: CMResult;
  readonly remark: string;
  readonly spentTimeMills: number;
}
