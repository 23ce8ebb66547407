// Broker admin, topics (reference §3.4): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER
// (215), GET_TOPIC_STATS_INFO (202), GET_TOPIC_CONFIG (351), GET_ALL_TOPIC_CONFIG (21),
// QUERY_TOPIC_CONSUME_BY_WHO (300), QUERY_TOPICS_BY_CONSUMER (343). Mirrors the Java headers of
// the same names. Answers are JSON bodies (TopicStatsTable, TopicConfig, GroupList, TopicList).

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { RPC_REQUEST_FIELDS, TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const CreateTopicRequestHeader = defineHeader('CreateTopicRequestHeader', {
  topic: field.string().required(),
  defaultTopic: field.string().required(),
  readQueueNums: field.int().required(),
  writeQueueNums: field.int().required(),
  perm: field.int().required(), // PermName bits
  topicFilterType: field.enumOf(['SINGLE_TAG', 'MULTI_TAG']).required(),
  topicSysFlag: field.int().optional(),
  order: field.bool().required(),
  attributes: field.string().optional(), // [5.x] '+key=value,+key2=value2'; '-key' deletes
  force: field.bool().default(false), // [5.x]
  ...TOPIC_REQUEST_FIELDS,
});
export type CreateTopicRequestHeader = HeaderValue<typeof CreateTopicRequestHeader>;

export const DeleteTopicRequestHeader = defineHeader('DeleteTopicRequestHeader', {
  topic: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type DeleteTopicRequestHeader = HeaderValue<typeof DeleteTopicRequestHeader>;

/** GET_TOPIC_STATS_INFO (202): answered with a TopicStatsTable body; unknown topic -> TOPIC_NOT_EXIST. */
export const GetTopicStatsInfoRequestHeader = defineHeader('GetTopicStatsInfoRequestHeader', {
  topic: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type GetTopicStatsInfoRequestHeader = HeaderValue<typeof GetTopicStatsInfoRequestHeader>;

/** GET_TOPIC_CONFIG (351) [5.x]. */
export const GetTopicConfigRequestHeader = defineHeader('GetTopicConfigRequestHeader', {
  topic: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type GetTopicConfigRequestHeader = HeaderValue<typeof GetTopicConfigRequestHeader>;

/**
 * GET_ALL_TOPIC_CONFIG (21). Up to 5.3.3 the request has no header; later versions page with
 * these fields (Java marks topicSeq required there). Optional here so both are read.
 */
export const GetAllTopicConfigRequestHeader = defineHeader('GetAllTopicConfigRequestHeader', {
  topicSeq: field.int().optional(),
  dataVersion: field.string().optional(),
  maxTopicNum: field.int().optional(),
});
export type GetAllTopicConfigRequestHeader = HeaderValue<typeof GetAllTopicConfigRequestHeader>;

export const GetAllTopicConfigResponseHeader = defineHeader('GetAllTopicConfigResponseHeader', {
  totalTopicNum: field.int().optional(),
});
export type GetAllTopicConfigResponseHeader = HeaderValue<typeof GetAllTopicConfigResponseHeader>;

/** QUERY_TOPIC_CONSUME_BY_WHO (300): answered with a GroupList body. */
export const QueryTopicConsumeByWhoRequestHeader = defineHeader('QueryTopicConsumeByWhoRequestHeader', {
  topic: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type QueryTopicConsumeByWhoRequestHeader = HeaderValue<typeof QueryTopicConsumeByWhoRequestHeader>;

/** QUERY_TOPICS_BY_CONSUMER (343) [5.x]: answered with a TopicList body. */
export const QueryTopicsByConsumerRequestHeader = defineHeader('QueryTopicsByConsumerRequestHeader', {
  group: field.string().required(),
  ...RPC_REQUEST_FIELDS,
});
export type QueryTopicsByConsumerRequestHeader = HeaderValue<typeof QueryTopicsByConsumerRequestHeader>;
