import {
  InvalidArgumentError,
  MessageConst,
  encodeMessageRecord,
  getTransactionValue,
  isRetryTopic,
  MessageSysFlag,
  propertiesToString,
  MAX_PROPERTIES_BYTES,
  RECORD_V1_TOPIC_BYTES_MAX,
  RECORD_TOPIC_BYTES_MAX,
} from '@apogee/common';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import { recordBytesMax } from '../config/message-store-config.js';
import type { MessageInner } from './message-inner.js';
import { PutMessageStatus } from './statuses.js';

// Checks and encodes messages for the commit log (RocketMQ's checkMessage, checkBeforePutMessage
// and the encoder's size checks). The store-assigned fields are zero here and patched at append.

export type EncodeResult =
  | { ok: true; record: Buffer; recordCount: number; queueKey: string | undefined; waitFlush: boolean }
  | { ok: false; status: PutMessageStatus; remark: string };

export function queueKeyOf(topic: string, queueId: number): string {
  return `${topic}-${queueId}`;
}

/** Transaction types that take a queue offset and enter a ConsumeQueue: NOT_TYPE and COMMIT. */
export function takesQueueOffset(sysFlag: number): boolean {
  const t = getTransactionValue(sysFlag);
  return t === MessageSysFlag.TRANSACTION_NOT_TYPE || t === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

export function encodeOne(msg: MessageInner, config: MessageStoreConfig): EncodeResult {
  const checked = checkMessage(msg, config);
  if (!checked.ok) return checked;
  const encoded = encodeRecord(msg, checked.properties, config);
  if (!encoded.ok) return encoded;
  return {
    ok: true,
    record: encoded.record,
    recordCount: 1,
    queueKey: takesQueueOffset(msg.sysFlag) ? queueKeyOf(msg.topic, msg.queueId) : undefined,
    waitFlush: msg.properties.get(MessageConst.PROPERTY_WAIT_STORE_MSG_OK) !== 'false',
  };
}

/** A batch: one topic and queue, no transaction type, no delay level (RocketMQ's rules). */
export function encodeBatch(batch: readonly MessageInner[], config: MessageStoreConfig): EncodeResult {
  const first = batch[0];
  if (!first) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'empty batch');
  const records: Buffer[] = [];
  let bytes = 0;
  let waitFlush = true;
  for (const msg of batch) {
    if (msg.topic !== first.topic || msg.queueId !== first.queueId) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'every message of a batch must have the same topic and queue');
    }
    if (getTransactionValue(msg.sysFlag) !== MessageSysFlag.TRANSACTION_NOT_TYPE) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'batch messages cannot be transaction messages');
    }
    if (msg.properties.has(MessageConst.PROPERTY_DELAY_TIME_LEVEL)) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'batch messages cannot have a delay level');
    }
    const one = encodeOne(msg, config);
    if (!one.ok) return one;
    waitFlush &&= one.waitFlush;
    records.push(one.record);
    bytes += one.record.length;
  }
  if (bytes > recordBytesMax(config)) {
    return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `batch of ${bytes} bytes is over the ${recordBytesMax(config)}-byte limit`);
  }
  return {
    ok: true,
    record: records.length === 1 ? records[0]! : Buffer.concat(records, bytes),
    recordCount: records.length,
    queueKey: queueKeyOf(first.topic, first.queueId),
    waitFlush,
  };
}

function checkMessage(
  msg: MessageInner,
  config: MessageStoreConfig,
): { ok: true; properties: string } | { ok: false; status: PutMessageStatus; remark: string } {
  const topicBytes = Buffer.byteLength(msg.topic, 'utf8');
  if (topicBytes === 0) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'topic is empty');
  const topicMax = isRetryTopic(msg.topic) ? RECORD_TOPIC_BYTES_MAX : RECORD_V1_TOPIC_BYTES_MAX;
  if (topicBytes > topicMax) {
    return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `topic ${msg.topic.slice(0, 64)}... is ${topicBytes} bytes, over ${topicMax}`);
  }
  if (!Number.isInteger(msg.queueId) || msg.queueId < 0 || msg.queueId > 0x7fffffff) {
    return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `queueId ${msg.queueId} is not a non-negative int`);
  }
  if (msg.body.length > config.maxMessageSize) {
    return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `body of ${msg.body.length} bytes is over maxMessageSize ${config.maxMessageSize}`);
  }
  const properties = msg.propertiesString ?? propertiesToString(msg.properties);
  const propertiesBytes = Buffer.byteLength(properties, 'utf8');
  if (propertiesBytes > MAX_PROPERTIES_BYTES) {
    return illegal(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED, `properties of ${propertiesBytes} bytes are over ${MAX_PROPERTIES_BYTES}`);
  }
  return { ok: true, properties };
}

function encodeRecord(
  msg: MessageInner,
  properties: string,
  config: MessageStoreConfig,
): { ok: true; record: Buffer } | { ok: false; status: PutMessageStatus; remark: string } {
  let record: Buffer;
  try {
    record = encodeMessageRecord({
      topic: msg.topic,
      queueId: msg.queueId,
      flag: msg.flag,
      sysFlag: msg.sysFlag,
      bornTimestamp: msg.bornTimestamp,
      bornHost: msg.bornHost,
      storeTimestamp: 0,
      storeHost: msg.storeHost,
      reconsumeTimes: msg.reconsumeTimes,
      preparedTransactionOffset: msg.preparedTransactionOffset,
      queueOffset: 0,
      physicalOffset: 0,
      body: msg.body,
      properties,
      ...(msg.bodyCRC === undefined ? {} : { bodyCRC: msg.bodyCRC }),
    });
  } catch (err) {
    if (err instanceof InvalidArgumentError) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, err.message);
    throw err;
  }
  if (record.length > recordBytesMax(config)) {
    return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `record of ${record.length} bytes is over the ${recordBytesMax(config)}-byte limit`);
  }
  return { ok: true, record };
}

function illegal(status: PutMessageStatus, remark: string): { ok: false; status: PutMessageStatus; remark: string } {
  return { ok: false, status, remark };
}
