// Broker admin, consumer and producer groups (reference §3.4): DELETE_SUBSCRIPTIONGROUP (207),
// GET_SUBSCRIPTIONGROUP_CONFIG (352), GET_CONSUMER_CONNECTION_LIST (203),
// GET_PRODUCER_CONNECTION_LIST (204), GET_CONSUME_STATS (208), CLONE_GROUP_OFFSET (314),
// QUERY_SUBSCRIPTION_BY_CONSUMER (345), QUERY_CONSUME_TIME_SPAN (303), QUERY_CORRECTION_OFFSET
// (308). UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200) has no header (SubscriptionGroupConfig body).
// INVOKE_BROKER_TO_RESET_OFFSET (222) and INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223) use the
// headers in broker-to-client.ts, which the broker relays as 220 and 221.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { RPC_REQUEST_FIELDS, TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const DeleteSubscriptionGroupRequestHeader = defineHeader('DeleteSubscriptionGroupRequestHeader', {
  groupName: field.string().required(),
  cleanOffset: field.bool().default(false), // [5.x] a Java primitive: always sent
  removeOffset: field.bool().optional(), // [4.9] name of the same switch
  ...RPC_REQUEST_FIELDS,
});
export type DeleteSubscriptionGroupRequestHeader = HeaderValue<typeof DeleteSubscriptionGroupRequestHeader>;

/** GET_SUBSCRIPTIONGROUP_CONFIG (352) [5.x]. */
export const GetSubscriptionGroupConfigRequestHeader = defineHeader('GetSubscriptionGroupConfigRequestHeader', {
  group: field.string().required(),
  ...RPC_REQUEST_FIELDS,
});
export type GetSubscriptionGroupConfigRequestHeader = HeaderValue<typeof GetSubscriptionGroupConfigRequestHeader>;

/** Answered with a ConsumerConnection body; an offline group gets CONSUMER_NOT_ONLINE (206). */
export const GetConsumerConnectionListRequestHeader = defineHeader('GetConsumerConnectionListRequestHeader', {
  consumerGroup: field.string().required(),
  ...RPC_REQUEST_FIELDS,
});
export type GetConsumerConnectionListRequestHeader = HeaderValue<typeof GetConsumerConnectionListRequestHeader>;

export const GetProducerConnectionListRequestHeader = defineHeader('GetProducerConnectionListRequestHeader', {
  producerGroup: field.string().required(),
  ...RPC_REQUEST_FIELDS,
});
export type GetProducerConnectionListRequestHeader = HeaderValue<typeof GetProducerConnectionListRequestHeader>;

/** Answered with a ConsumeStats body (MessageQueue object keys). */
export const GetConsumeStatsRequestHeader = defineHeader('GetConsumeStatsRequestHeader', {
  consumerGroup: field.string().required(),
  topic: field.string().optional(),
  topicList: field.string().optional(), // [5.x] ';'-separated
  ...TOPIC_REQUEST_FIELDS,
});
export type GetConsumeStatsRequestHeader = HeaderValue<typeof GetConsumeStatsRequestHeader>;

export const CloneGroupOffsetRequestHeader = defineHeader('CloneGroupOffsetRequestHeader', {
  srcGroup: field.string().required(),
  destGroup: field.string().required(),
  topic: field.string().optional(),
  offline: field.bool().default(false), // a Java primitive: always sent
  ...RPC_REQUEST_FIELDS,
});
export type CloneGroupOffsetRequestHeader = HeaderValue<typeof CloneGroupOffsetRequestHeader>;

/** QUERY_SUBSCRIPTION_BY_CONSUMER (345) [5.x]. */
export const QuerySubscriptionByConsumerRequestHeader = defineHeader('QuerySubscriptionByConsumerRequestHeader', {
  group: field.string().required(),
  topic: field.string().optional(),
  ...TOPIC_REQUEST_FIELDS,
});
export type QuerySubscriptionByConsumerRequestHeader = HeaderValue<typeof QuerySubscriptionByConsumerRequestHeader>;

export const QueryConsumeTimeSpanRequestHeader = defineHeader('QueryConsumeTimeSpanRequestHeader', {
  topic: field.string().required(),
  group: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type QueryConsumeTimeSpanRequestHeader = HeaderValue<typeof QueryConsumeTimeSpanRequestHeader>;

export const QueryCorrectionOffsetHeader = defineHeader('QueryCorrectionOffsetHeader', {
  filterGroups: field.string().optional(), // ','-separated
  compareGroup: field.string().required(),
  topic: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type QueryCorrectionOffsetHeader = HeaderValue<typeof QueryCorrectionOffsetHeader>;
