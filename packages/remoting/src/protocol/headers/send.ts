// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320): request and response headers.
// Mirrors org.apache.rocketmq.remoting.protocol.header.SendMessageRequestHeader, ...V2 and
// SendMessageResponseHeader (reference §3.2.1).
//
// Java clients send the V2 form by default: the same fields under single-letter keys a..n, in
// this order: a producerGroup, b topic, c defaultTopic, d defaultTopicQueueNums, e queueId,
// f sysFlag, g bornTimestamp, h flag, i properties, j reconsumeTimes, k unitMode,
// l maxReconsumeTimes, m batch, n brokerName. The broker decides "batch" from m, not from the code.

import { RequestCode } from '../request-code.js';
import { defineHeader, field, type HeaderInputOf, type HeaderResult, type HeaderValue } from '../header-def.js';
import { TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const SendMessageRequestHeader = defineHeader('SendMessageRequestHeader', {
  producerGroup: field.string().required(),
  topic: field.string().required(),
  defaultTopic: field.string().required(), // 'TBW102', the auto-create template
  defaultTopicQueueNums: field.int().required(),
  queueId: field.int().required(), // < 0: the broker picks one
  sysFlag: field.int().required(), // MessageSysFlag bits
  bornTimestamp: field.long().required(), // ms
  flag: field.int().required(), // the message's user flag
  properties: field.string().optional(),
  reconsumeTimes: field.int().optional(),
  unitMode: field.bool().optional(),
  batch: field.bool().optional(),
  maxReconsumeTimes: field.int().optional(),
  ...TOPIC_REQUEST_FIELDS, // bname carries V2's n (brokerName)
});
export type SendMessageRequestHeader = HeaderValue<typeof SendMessageRequestHeader>;

export const SendMessageRequestHeaderV2 = defineHeader('SendMessageRequestHeaderV2', {
  a: field.string().required(),
  b: field.string().required(),
  c: field.string().required(),
  d: field.int().required(),
  e: field.int().required(),
  f: field.int().required(),
  g: field.long().required(),
  h: field.int().required(),
  i: field.string().optional(),
  j: field.int().optional(),
  k: field.bool().optional(),
  l: field.int().optional(),
  m: field.bool().optional(),
  n: field.string().optional(),
  ...TOPIC_REQUEST_FIELDS,
});
export type SendMessageRequestHeaderV2 = HeaderValue<typeof SendMessageRequestHeaderV2>;

/** The V2 (single-letter) form of a send header; V1's bname becomes n. */
export function sendHeaderV2FromV1(v1: HeaderInputOf<typeof SendMessageRequestHeader>): SendMessageRequestHeaderV2 {
  const v2: SendMessageRequestHeaderV2 = {
    a: v1.producerGroup, b: v1.topic, c: v1.defaultTopic, d: v1.defaultTopicQueueNums,
    e: v1.queueId, f: v1.sysFlag, g: v1.bornTimestamp, h: v1.flag,
  };
  if (v1.properties !== undefined) v2.i = v1.properties;
  if (v1.reconsumeTimes !== undefined) v2.j = v1.reconsumeTimes;
  if (v1.unitMode !== undefined) v2.k = v1.unitMode;
  if (v1.maxReconsumeTimes !== undefined) v2.l = v1.maxReconsumeTimes;
  if (v1.batch !== undefined) v2.m = v1.batch;
  if (v1.bname !== undefined) v2.n = v1.bname;
  copyRpcFields(v1, v2);
  return v2;
}

/** The V1 (named) form of a V2 header; n becomes bname, as Java's createSendMessageRequestHeaderV1 does. */
export function sendHeaderV1FromV2(v2: SendMessageRequestHeaderV2): SendMessageRequestHeader {
  const v1: SendMessageRequestHeader = {
    producerGroup: v2.a, topic: v2.b, defaultTopic: v2.c, defaultTopicQueueNums: v2.d,
    queueId: v2.e, sysFlag: v2.f, bornTimestamp: v2.g, flag: v2.h,
  };
  if (v2.i !== undefined) v1.properties = v2.i;
  if (v2.j !== undefined) v1.reconsumeTimes = v2.j;
  if (v2.k !== undefined) v1.unitMode = v2.k;
  if (v2.m !== undefined) v1.batch = v2.m;
  if (v2.l !== undefined) v1.maxReconsumeTimes = v2.l;
  copyRpcFields(v2, v1);
  if (v2.n !== undefined) v1.bname = v2.n;
  return v1;
}

interface RpcFieldValues {
  ns?: string;
  nsd?: boolean;
  bname?: string;
  oway?: boolean;
  lo?: boolean;
}

function copyRpcFields(from: RpcFieldValues, to: RpcFieldValues): void {
  if (from.ns !== undefined) to.ns = from.ns;
  if (from.nsd !== undefined) to.nsd = from.nsd;
  if (from.bname !== undefined) to.bname = from.bname;
  if (from.oway !== undefined) to.oway = from.oway;
  if (from.lo !== undefined) to.lo = from.lo;
}

/** Codes whose send header comes in the V2 form. */
const V2_SEND_CODES: ReadonlySet<number> = new Set([
  RequestCode.SEND_MESSAGE_V2, RequestCode.SEND_BATCH_MESSAGE, RequestCode.SEND_REPLY_MESSAGE_V2,
]);

/**
 * The send header of a request in its named form, whichever form the code uses (Java's
 * SendMessageRequestHeader.parseRequestHeader).
 */
export function decodeSendMessageRequestHeader(request: { code: number; extFields?: Record<string, string> }): HeaderResult<SendMessageRequestHeader> {
  if (!V2_SEND_CODES.has(request.code)) return SendMessageRequestHeader.decode(request.extFields);
  const v2 = SendMessageRequestHeaderV2.decode(request.extFields);
  return v2.ok ? { ok: true, value: sendHeaderV1FromV2(v2.value) } : v2;
}

export const SendMessageResponseHeader = defineHeader('SendMessageResponseHeader', {
  msgId: field.string().required(), // offset message id; a batch's ids joined by ','
  queueId: field.int().required(), // the queue written (a half message: its real queue)
  queueOffset: field.long().required(),
  transactionId: field.string().optional(), // the message's UNIQ_KEY
  batchUniqId: field.string().optional(), // [5.x]
  recallHandle: field.string().optional(), // [5.x] timer messages
  // Raw ext fields the Java client reads after every successful send: always written.
  MSG_REGION: field.string().default('DefaultRegion'),
  TRACE_ON: field.bool().default(true),
});
export type SendMessageResponseHeader = HeaderValue<typeof SendMessageResponseHeader>;
