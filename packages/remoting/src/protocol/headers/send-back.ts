// CONSUMER_SEND_MSG_BACK (36): a consumed message that failed goes to the retry topic or the DLQ.
// Mirrors ConsumerSendMsgBackRequestHeader (reference §3.2.2). The response has no header.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { RPC_REQUEST_FIELDS } from './rpc-fields.js';

export const ConsumerSendMsgBackRequestHeader = defineHeader('ConsumerSendMsgBackRequestHeader', {
  offset: field.long().required(), // commit-log (physical) offset of the consumed message
  group: field.string().required(),
  delayLevel: field.int().required(), // 0: broker uses 3 + reconsumeTimes; -1: straight to DLQ
  originMsgId: field.string().optional(),
  originTopic: field.string().optional(),
  unitMode: field.bool().default(false), // a Java primitive: always sent
  maxReconsumeTimes: field.int().optional(), // client default 16
  ...RPC_REQUEST_FIELDS,
});
export type ConsumerSendMsgBackRequestHeader = HeaderValue<typeof ConsumerSendMsgBackRequestHeader>;
