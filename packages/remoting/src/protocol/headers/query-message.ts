// QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33): request and response headers.
// Mirrors QueryMessageRequestHeader, QueryMessageResponseHeader and ViewMessageRequestHeader
// (reference §3.3.9). Both answer with stored messages as the body; VIEW_MESSAGE_BY_ID has no
// response header.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const QueryMessageRequestHeader = defineHeader('QueryMessageRequestHeader', {
  topic: field.string().required(),
  key: field.string().required(), // a KEYS entry, or a UNIQ_KEY when _UNIQUE_KEY_QUERY is true
  maxNum: field.int().required(),
  beginTimestamp: field.longSaturating().required(), // ms, store time (Long.MIN_VALUE allowed)
  endTimestamp: field.longSaturating().required(), // ms, store time (mqadmin sends Long.MAX_VALUE)
  // Raw ext field (MixAll.UNIQUE_MSG_QUERY_FLAG) the client adds beside the header.
  _UNIQUE_KEY_QUERY: field.bool().optional(),
  ...TOPIC_REQUEST_FIELDS,
});
export type QueryMessageRequestHeader = HeaderValue<typeof QueryMessageRequestHeader>;

export const QueryMessageResponseHeader = defineHeader('QueryMessageResponseHeader', {
  indexLastUpdateTimestamp: field.long().required(),
  indexLastUpdatePhyoffset: field.long().required(),
});
export type QueryMessageResponseHeader = HeaderValue<typeof QueryMessageResponseHeader>;

export const ViewMessageRequestHeader = defineHeader('ViewMessageRequestHeader', {
  topic: field.string().optional(), // [5.x]
  offset: field.long().required(), // commit-log (physical) offset
});
export type ViewMessageRequestHeader = HeaderValue<typeof ViewMessageRequestHeader>;
