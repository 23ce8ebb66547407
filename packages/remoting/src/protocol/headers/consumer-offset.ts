// QUERY_CONSUMER_OFFSET (14) and UPDATE_CONSUMER_OFFSET (15): a group's committed offset.
// Mirrors QueryConsumerOffsetRequestHeader/ResponseHeader and UpdateConsumerOffsetRequestHeader
// (reference §3.3.6, §3.3.7). No offset committed yet: QUERY_NOT_FOUND (22), not SYSTEM_ERROR.
// UPDATE_CONSUMER_OFFSET is usually oneway; its sync response has no header.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const QueryConsumerOffsetRequestHeader = defineHeader('QueryConsumerOffsetRequestHeader', {
  consumerGroup: field.string().required(),
  topic: field.string().required(),
  queueId: field.int().required(),
  setZeroIfNotFound: field.bool().optional(), // [5.x]
  ...TOPIC_REQUEST_FIELDS,
});
export type QueryConsumerOffsetRequestHeader = HeaderValue<typeof QueryConsumerOffsetRequestHeader>;

export const QueryConsumerOffsetResponseHeader = defineHeader('QueryConsumerOffsetResponseHeader', {
  offset: field.long().required(),
});
export type QueryConsumerOffsetResponseHeader = HeaderValue<typeof QueryConsumerOffsetResponseHeader>;

export const UpdateConsumerOffsetRequestHeader = defineHeader('UpdateConsumerOffsetRequestHeader', {
  consumerGroup: field.string().required(),
  topic: field.string().required(),
  queueId: field.int().required(),
  commitOffset: field.long().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type UpdateConsumerOffsetRequestHeader = HeaderValue<typeof UpdateConsumerOffsetRequestHeader>;
