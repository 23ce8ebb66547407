// Well-known names and limits (MixAll and friends in RocketMQ). Group and topic names that
// clients, brokers and mqadmin must agree on, so they stay verbatim.

import { MiB } from './units.js';

export const DEFAULT_PRODUCER_GROUP = 'DEFAULT_PRODUCER';
export const DEFAULT_CONSUMER_GROUP = 'DEFAULT_CONSUMER';
export const TOOLS_CONSUMER_GROUP = 'TOOLS_CONSUMER';
export const SCHEDULE_CONSUMER_GROUP = 'SCHEDULE_CONSUMER';
export const FILTERSRV_CONSUMER_GROUP = 'FILTERSRV_CONSUMER';
export const MONITOR_CONSUMER_GROUP = '__MONITOR_CONSUMER';
export const CLIENT_INNER_PRODUCER_GROUP = 'CLIENT_INNER_PRODUCER';
export const SELF_TEST_PRODUCER_GROUP = 'SELF_TEST_P_GROUP';
export const SELF_TEST_CONSUMER_GROUP = 'SELF_TEST_C_GROUP';
/** Consumer group of the broker's own transaction machinery. */
export const CID_SYS_RMQ_TRANS = 'CID_RMQ_SYS_TRANS';
export const CID_RMQ_SYS_PREFIX = 'CID_RMQ_SYS_';

export const RETRY_GROUP_TOPIC_PREFIX = '%RETRY%';
export const DLQ_GROUP_TOPIC_PREFIX = '%DLQ%';
export const LMQ_PREFIX = '%LMQ%';
export const REPLY_TOPIC_POSTFIX = 'REPLY_TOPIC';
/** ext-field flag of QUERY_MESSAGE asking for a UNIQ_KEY lookup. */
export const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY';
export const DEFAULT_TRACE_REGION_ID = 'DefaultRegion';
export const DEFAULT_CLUSTER_NAME = 'DefaultCluster';
export const MASTER_ID = 0;
export const FIRST_SLAVE_ID = 1;
export const IS_SUPPORT_HEART_BEAT_V2 = 'IS_SUPPORT_HEART_BEAT_V2';
export const IS_SUB_CHANGE = 'IS_SUB_CHANGE';
export const ZONE_NAME = '__ZONE_NAME';
export const ZONE_MODE = '__ZONE_MODE';
export const REPLY_MESSAGE_FLAG = 'reply';

/** maxMessageSize default, producer and broker: bodies above it are MESSAGE_ILLEGAL. */
export const MAX_MESSAGE_BODY_BYTES = 4 * MiB;
/** maxReconsumeTimes when a consumer leaves it at -1, and the group's retryMaxTimes default. */
export const DEFAULT_MAX_RECONSUME_TIMES = 16;

export function getRetryTopic(consumerGroup: string): string {
  return RETRY_GROUP_TOPIC_PREFIX + consumerGroup;
}

export function getDLQTopic(consumerGroup: string): string {
  return DLQ_GROUP_TOPIC_PREFIX + consumerGroup;
}

export function getReplyTopic(clusterName: string): string {
  return `${clusterName}_${REPLY_TOPIC_POSTFIX}`;
}

export function isRetryTopic(topic: string): boolean {
  return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
}

export function isDLQTopic(topic: string): boolean {
  return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
}

export function isLmqTopic(topic: string): boolean {
  return topic.startsWith(LMQ_PREFIX);
}

/** The consumer group a `%RETRY%<group>` topic belongs to; undefined for other topics. */
export function groupOfRetryTopic(topic: string): string | undefined {
  return isRetryTopic(topic) ? topic.slice(RETRY_GROUP_TOPIC_PREFIX.length) : undefined;
}

export function isSysConsumerGroup(consumerGroup: string): boolean {
  return consumerGroup.startsWith(CID_RMQ_SYS_PREFIX);
}
