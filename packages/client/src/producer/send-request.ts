// What goes on the wire for one send (DefaultMQProducerImpl.sendKernelImpl, reference §3.2.1,
// §4.5, §4.6): validation (Validators.checkMessage), the batch body, the UNIQ_KEY, body
// compression, sysFlag, and the SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE header. Built once per
// send and reused by every retry; only queueId/brokerName/bornTimestamp change per attempt.

import {
  InvalidArgumentError, Message, MessageConst, MessageSysFlag, ZLIB_COMPRESSED_SYS_FLAG, compressBody, createUniqueMessageId,
  encodeBatchBody, isRetryTopic, propertiesToString, validateTopicForSend,
} from '@apogee/common';
import {
  type RemotingCommand, RequestCode, SendMessageRequestHeaderV2, createRequestCommand, sendHeaderV2FromV1,
} from '@apogee/remoting';

/** Producer settings a send request depends on. */
export interface SendRequestSettings {
  readonly producerGroup: string;
  readonly createTopicKey: string;
  readonly defaultTopicQueueNums: number;
  readonly compressMsgBodyOverHowmuch: number;
  readonly compressLevel: number;
  readonly maxMessageSize: number;
}

/** A message (or batch) ready to send to any queue of its topic. */
export interface PreparedSend {
  /** Wire topic (namespace applied). */
  readonly topic: string;
  readonly body: Buffer;
  readonly sysFlag: number;
  readonly flag: number;
  readonly properties: string;
  readonly isBatch: boolean;
  readonly reconsumeTimes: number | undefined;
  readonly maxReconsumeTimes: number | undefined;
  /** UNIQ_KEY, or the batch's inner keys joined by ",". */
  readonly uniqMsgId: string;
}

/** Throws InvalidArgumentError when the message may not be sent (Validators.checkMessage). */
export function checkMessage(msg: Message, maxMessageSize: number, topic = msg.topic): void {
  const valid = validateTopicForSend(topic);
  if (!valid.ok) throw new InvalidArgumentError('topic', valid.reason);
  if (msg.body.length === 0) throw new InvalidArgumentError('body', 'the message body length is zero');
  if (msg.body.length > maxMessageSize) {
    throw new InvalidArgumentError('body', `the message body size over max value, MAX: ${maxMessageSize} (body is ${msg.body.length} bytes)`);
  }
}

/** Sets UNIQ_KEY when the message has none (MessageClientIDSetter.setUniqID); returns it. */
export function ensureUniqKey(msg: Message): string {
  const key = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX;
  let id = msg.getProperty(key);
  if (id === undefined) {
    id = createUniqueMessageId();
    msg.putProperty(key, id);
  }
  return id;
}

/** One message. Sets its UNIQ_KEY (and INSTANCE_ID with a namespace) as Java does. */
export function prepareSingle(msg: Message, wireTopic: string, settings: SendRequestSettings, namespace: string | undefined): PreparedSend {
  const uniqMsgId = ensureUniqKey(msg);
  if (namespace !== undefined) msg.setInstanceId(namespace);
  let sysFlag = 0;
  let body = msg.body;
  if (body.length >= settings.compressMsgBodyOverHowmuch) {
    body = compressBody(body, settings.compressLevel);
    sysFlag |= ZLIB_COMPRESSED_SYS_FLAG;
  }
  if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED)?.toLowerCase() === 'true') sysFlag |= MessageSysFlag.TRANSACTION_PREPARED_TYPE;
  // A retry send carries reconsume counts as header fields j/l, not as properties.
  const properties = new Map(msg.properties);
  let reconsumeTimes: number | undefined;
  let maxReconsumeTimes: number | undefined;
  if (isRetryTopic(wireTopic)) {
    reconsumeTimes = intOrUndefined(properties.get(MessageConst.PROPERTY_RECONSUME_TIME));
    maxReconsumeTimes = intOrUndefined(properties.get(MessageConst.PROPERTY_MAX_RECONSUME_TIMES));
    properties.delete(MessageConst.PROPERTY_RECONSUME_TIME);
    properties.delete(MessageConst.PROPERTY_MAX_RECONSUME_TIMES);
  }
  return {
    topic: wireTopic, body, sysFlag, flag: msg.flag, properties: propertiesToString(properties), isBatch: false,
    reconsumeTimes, maxReconsumeTimes, uniqMsgId,
  };
}

/** Messages more than this in one batch are refused before encoding. */
export const BATCH_MESSAGES_MAX = 65_536;

/**
 * A batch (DefaultMQProducer.batch): same topic, no delay level, not a retry topic, one WAIT
 * value. Each message gets its own UNIQ_KEY; the batch itself carries only WAIT (no batch-level
 * UNIQ_KEY, so that stored messages keep their own id on every broker).
 */
export function prepareBatch(msgs: readonly Message[], wireTopic: string, settings: SendRequestSettings, namespace: string | undefined): PreparedSend {
  const first = msgs[0];
  if (first === undefined) throw new InvalidArgumentError('msgs', 'a batch needs at least one message');
  if (msgs.length > BATCH_MESSAGES_MAX) throw new InvalidArgumentError('msgs', `${msgs.length} messages in one batch, more than ${BATCH_MESSAGES_MAX}`);
  const ids: string[] = [];
  for (const msg of msgs) {
    if (msg.topic !== first.topic) throw new InvalidArgumentError('msgs', 'the topic of the messages in one batch should be the same');
    if (msg.getDelayTimeLevel() > 0) throw new InvalidArgumentError('msgs', 'TimeDelayLevel is not supported for batching');
    if (isRetryTopic(msg.topic)) throw new InvalidArgumentError('msgs', 'Retry Group is not supported for batching');
    if (msg.isWaitStoreMsgOK() !== first.isWaitStoreMsgOK()) throw new InvalidArgumentError('msgs', 'The waitStoreMsgOK of the messages in one batch should the same');
    checkMessage(msg, settings.maxMessageSize, msg.topic);
    ids.push(ensureUniqKey(msg));
    if (namespace !== undefined) msg.setInstanceId(namespace);
  }
  const body = encodeBatchBody(msgs);
  if (body.length > settings.maxMessageSize) {
    throw new InvalidArgumentError('msgs', `the message body size over max value, MAX: ${settings.maxMessageSize} (batch is ${body.length} bytes)`);
  }
  const properties = new Map([[MessageConst.PROPERTY_WAIT_STORE_MSG_OK, String(first.isWaitStoreMsgOK())]]);
  return {
    topic: wireTopic, body, sysFlag: 0, flag: 0, properties: propertiesToString(properties), isBatch: true,
    reconsumeTimes: undefined, maxReconsumeTimes: undefined, uniqMsgId: ids.join(','),
  };
}

/** The SEND_MESSAGE_V2 (or SEND_BATCH_MESSAGE) request for one attempt. */
export function sendRequestCommand(prepared: PreparedSend, settings: SendRequestSettings, queueId: number, brokerName: string, bornTimestampMs: number): RemotingCommand {
  const v2 = sendHeaderV2FromV1({
    producerGroup: settings.producerGroup,
    topic: prepared.topic,
    defaultTopic: settings.createTopicKey,
    defaultTopicQueueNums: settings.defaultTopicQueueNums,
    queueId,
    sysFlag: prepared.sysFlag,
    bornTimestamp: bornTimestampMs,
    flag: prepared.flag,
    properties: prepared.properties,
    reconsumeTimes: prepared.reconsumeTimes ?? 0,
    unitMode: false,
    batch: prepared.isBatch,
    bname: brokerName,
    ...(prepared.maxReconsumeTimes === undefined ? {} : { maxReconsumeTimes: prepared.maxReconsumeTimes }),
  });
  const code = prepared.isBatch ? RequestCode.SEND_BATCH_MESSAGE : RequestCode.SEND_MESSAGE_V2;
  return createRequestCommand(code, SendMessageRequestHeaderV2.encode(v2), prepared.body);
}

function intOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d{1,10}$/.test(text)) return undefined;
  return Number(text);
}
