// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361): request and response headers.
// Mirrors org.apache.rocketmq.remoting.protocol.header.PullMessageRequestHeader and
// PullMessageResponseHeader (reference §3.3.1). Field order is Java's.
// The response body (code SUCCESS only) is the stored messages back to back.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

/** PullSysFlag bits of the request's sysFlag. */
export const PullSysFlag = {
  /** the broker also stores commitOffset as the group's offset */
  COMMIT_OFFSET: 0x1,
  /** the broker may hold the request up to suspendTimeoutMillis */
  SUSPEND: 0x2,
  /** use the header's subscription/expressionType instead of heartbeat data */
  SUBSCRIPTION: 0x4,
  /** legacy filter-server mode */
  CLASS_FILTER: 0x8,
  /** [5.x] set by the lite pull consumer */
  LITE_PULL: 0x10,
} as const;

export const PullMessageRequestHeader = defineHeader('PullMessageRequestHeader', {
  consumerGroup: field.string().required(),
  topic: field.string().required(),
  queueId: field.int().required(),
  queueOffset: field.long().required(), // logical offset to start at
  maxMsgNums: field.int().required(), // push consumer default 32
  sysFlag: field.int().required(), // PullSysFlag bits
  commitOffset: field.long().required(), // committed if sysFlag has COMMIT_OFFSET
  suspendTimeoutMillis: field.long().required(), // wire name; the value is in ms (push: 15000)
  subscription: field.string().optional(), // present iff sysFlag has SUBSCRIPTION
  subVersion: field.long().required(), // subscription version, a ms timestamp
  expressionType: field.string().optional(), // 'TAG' (default) or 'SQL92'
  maxMsgBytes: field.int().optional(), // [5.x]
  requestSource: field.int().optional(), // [5.x] proxy
  proxyFrowardClientId: field.string().optional(), // [5.x] proxy; the typo is Java's
  ...TOPIC_REQUEST_FIELDS,
});
export type PullMessageRequestHeader = HeaderValue<typeof PullMessageRequestHeader>;

export const PullMessageResponseHeader = defineHeader('PullMessageResponseHeader', {
  suggestWhichBrokerId: field.long().required(), // 0 = master
  nextBeginOffset: field.long().required(),
  minOffset: field.long().required(),
  maxOffset: field.long().required(), // next offset to be written
  offsetDelta: field.long().optional(), // [5.x] static topics only; a client adds it to every queue offset
  topicSysFlag: field.int().optional(), // [5.x]
  groupSysFlag: field.int().optional(), // [5.x]
  forbiddenType: field.int().optional(), // [5.x] on NO_PERMISSION: 1 broker, 2 group, 3 topic, 4 broadcasting, 5 subscription
});
export type PullMessageResponseHeader = HeaderValue<typeof PullMessageResponseHeader>;
