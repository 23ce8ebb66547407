// Queue offset lookups: GET_MAX_OFFSET (30), GET_MIN_OFFSET (31), SEARCH_OFFSET_BY_TIMESTAMP (29),
// GET_EARLIEST_MSG_STORETIME (32). Mirrors the Get{Max,Min}Offset, SearchOffset and
// GetEarliestMsgStoretime request/response headers (reference §3.3.9).

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const GetMaxOffsetRequestHeader = defineHeader('GetMaxOffsetRequestHeader', {
  topic: field.string().required(),
  queueId: field.int().required(),
  committed: field.bool().default(true), // [5.x] a primitive initialized to true: always sent
  ...TOPIC_REQUEST_FIELDS,
});
export type GetMaxOffsetRequestHeader = HeaderValue<typeof GetMaxOffsetRequestHeader>;

/** Response of GET_MAX_OFFSET: the next offset to be written (0 for an empty queue). */
export const GetMaxOffsetResponseHeader = defineHeader('GetMaxOffsetResponseHeader', {
  offset: field.long().required(),
});
export type GetMaxOffsetResponseHeader = HeaderValue<typeof GetMaxOffsetResponseHeader>;

export const GetMinOffsetRequestHeader = defineHeader('GetMinOffsetRequestHeader', {
  topic: field.string().required(),
  queueId: field.int().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type GetMinOffsetRequestHeader = HeaderValue<typeof GetMinOffsetRequestHeader>;

export const GetMinOffsetResponseHeader = defineHeader('GetMinOffsetResponseHeader', {
  offset: field.long().required(),
});
export type GetMinOffsetResponseHeader = HeaderValue<typeof GetMinOffsetResponseHeader>;

export const SearchOffsetRequestHeader = defineHeader('SearchOffsetRequestHeader', {
  topic: field.string().required(),
  queueId: field.int().required(),
  timestamp: field.longSaturating().required(), // ms, store time
  boundaryType: field.enumOf(['LOWER', 'UPPER']).optional(), // [5.x] absent = LOWER
  ...TOPIC_REQUEST_FIELDS,
});
export type SearchOffsetRequestHeader = HeaderValue<typeof SearchOffsetRequestHeader>;

export const SearchOffsetResponseHeader = defineHeader('SearchOffsetResponseHeader', {
  offset: field.long().required(),
});
export type SearchOffsetResponseHeader = HeaderValue<typeof SearchOffsetResponseHeader>;

export const GetEarliestMsgStoretimeRequestHeader = defineHeader('GetEarliestMsgStoretimeRequestHeader', {
  topic: field.string().required(),
  queueId: field.int().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type GetEarliestMsgStoretimeRequestHeader = HeaderValue<typeof GetEarliestMsgStoretimeRequestHeader>;

/** Store time (ms) of the queue's first message; -1 when the queue is missing or empty. */
export const GetEarliestMsgStoretimeResponseHeader = defineHeader('GetEarliestMsgStoretimeResponseHeader', {
  timestamp: field.long().required(),
});
export type GetEarliestMsgStoretimeResponseHeader = HeaderValue<typeof GetEarliestMsgStoretimeResponseHeader>;
