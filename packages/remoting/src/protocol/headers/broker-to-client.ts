// Requests a broker sends to clients over their connection (reference §3.3.4, §3.3.4b), and the
// admin requests the broker relays that way:
//   NOTIFY_CONSUMER_IDS_CHANGED (40, oneway): NotifyConsumerIdsChangedRequestHeader
//   RESET_CONSUMER_CLIENT_OFFSET (220, oneway) and INVOKE_BROKER_TO_RESET_OFFSET (222):
//     ResetOffsetRequestHeader (body of 220: ResetOffsetBody)
//   GET_CONSUMER_STATUS_FROM_CLIENT (221) and INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223):
//     GetConsumerStatusRequestHeader
//   GET_CONSUMER_RUNNING_INFO (307): GetConsumerRunningInfoRequestHeader
//   CONSUME_MESSAGE_DIRECTLY (309): ConsumeMessageDirectlyResultRequestHeader (body: the message)

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { RPC_REQUEST_FIELDS, TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const NotifyConsumerIdsChangedRequestHeader = defineHeader('NotifyConsumerIdsChangedRequestHeader', {
  consumerGroup: field.string().required(),
  ...RPC_REQUEST_FIELDS,
});
export type NotifyConsumerIdsChangedRequestHeader = HeaderValue<typeof NotifyConsumerIdsChangedRequestHeader>;

export const ResetOffsetRequestHeader = defineHeader('ResetOffsetRequestHeader', {
  group: field.string().required(),
  topic: field.string().required(),
  queueId: field.int().default(-1), // [5.x] -1 = every queue
  offset: field.long().optional(), // [5.x] explicit target offset
  timestamp: field.longSaturating().required(), // ms; -1 = to the max offset
  isForce: field.bool().required(), // the wire name keeps Java's "is"
  ...TOPIC_REQUEST_FIELDS,
});
export type ResetOffsetRequestHeader = HeaderValue<typeof ResetOffsetRequestHeader>;

export const GetConsumerStatusRequestHeader = defineHeader('GetConsumerStatusRequestHeader', {
  topic: field.string().required(),
  group: field.string().required(),
  clientAddr: field.string().optional(),
  ...TOPIC_REQUEST_FIELDS,
});
export type GetConsumerStatusRequestHeader = HeaderValue<typeof GetConsumerStatusRequestHeader>;

export const GetConsumerRunningInfoRequestHeader = defineHeader('GetConsumerRunningInfoRequestHeader', {
  consumerGroup: field.string().required(),
  clientId: field.string().required(),
  jstackEnable: field.bool().default(false), // a Java primitive: always sent
  ...RPC_REQUEST_FIELDS,
});
export type GetConsumerRunningInfoRequestHeader = HeaderValue<typeof GetConsumerRunningInfoRequestHeader>;

export const ConsumeMessageDirectlyResultRequestHeader = defineHeader('ConsumeMessageDirectlyResultRequestHeader', {
  consumerGroup: field.string().required(),
  clientId: field.string().optional(),
  msgId: field.string().optional(),
  brokerName: field.string().optional(),
  topic: field.string().optional(), // [5.x]
  topicSysFlag: field.int().optional(), // [5.x]
  groupSysFlag: field.int().optional(), // [5.x]
  ...TOPIC_REQUEST_FIELDS,
});
export type ConsumeMessageDirectlyResultRequestHeader = HeaderValue<typeof ConsumeMessageDirectlyResultRequestHeader>;
