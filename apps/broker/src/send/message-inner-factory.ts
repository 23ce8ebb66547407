// Builds what the store appends (MessageInner) from a send request, as RocketMQ's sendMessage /
// sendBatchMessage do (reference §3.2.1 step 4, §4.6):
//   - properties from the header's properties string, POP_CK removed (a client may not set it);
//   - UNIQ_KEY created when the message has none;
//   - CLUSTER = the broker's cluster name, MSG_REGION = regionId, TRACE_ON = traceOn (what a
//     5.3.3 broker stores on every message, seen in interop runs);
//   - sysFlag from the header, plus MULTI_TAGS_FLAG when the topic's filter type is MULTI_TAG.
// A batch body holds one record per message; each is stored as its own message with its own
// properties, plus the batch-level properties (WAIT, ...) except the batch's own UNIQ_KEY: an
// inner message keeps its UNIQ_KEY (see the caution in reference §3.2.1).

import {
  type SocketAddress, MessageConst, MessageSysFlag, createUniqueMessageId, decodeBatchBody, propertiesToString, stringToProperties,
} from '@apogee/common';
import type { MessageInner } from '@apogee/store';

const UNIQ_KEY = MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX;

/** What every message of one send request shares. */
export interface SendEnvelope {
  readonly topic: string;
  readonly queueId: number;
  readonly sysFlag: number;
  readonly bornTimestamp: number;
  readonly bornHost: SocketAddress;
  readonly storeHost: SocketAddress;
  readonly reconsumeTimes: number;
  readonly clusterName: string;
  readonly regionId: string;
  readonly traceOn: boolean;
}

/** The header's properties as a map, without the properties a producer may not set. */
export function sendProperties(propertiesText: string | undefined): Map<string, string> {
  const properties = stringToProperties(propertiesText ?? '');
  properties.delete(MessageConst.PROPERTY_POP_CK);
  return properties;
}

/** sysFlag as stored: MULTI_TAGS_FLAG added for MULTI_TAG topics. */
export function storedSysFlag(headerSysFlag: number, topicFilterType: string): number {
  return topicFilterType === 'MULTI_TAG' ? headerSysFlag | MessageSysFlag.MULTI_TAGS_FLAG : headerSysFlag;
}

/** One message. `properties` is taken over (UNIQ_KEY, CLUSTER, MSG_REGION and TRACE_ON are added to it). */
export function buildMessageInner(envelope: SendEnvelope, flag: number, body: Buffer, properties: Map<string, string>): MessageInner {
  const uniqKey = properties.get(UNIQ_KEY);
  if (uniqKey === undefined || uniqKey === '') properties.set(UNIQ_KEY, createUniqueMessageId());
  properties.set(MessageConst.PROPERTY_CLUSTER, envelope.clusterName);
  properties.set(MessageConst.PROPERTY_MSG_REGION, envelope.regionId);
  properties.set(MessageConst.PROPERTY_TRACE_SWITCH, String(envelope.traceOn));
  return {
    topic: envelope.topic,
    queueId: envelope.queueId,
    flag,
    body,
    properties,
    propertiesString: propertiesToString(properties),
    sysFlag: envelope.sysFlag,
    bornTimestamp: envelope.bornTimestamp,
    bornHost: envelope.bornHost,
    storeHost: envelope.storeHost,
    reconsumeTimes: envelope.reconsumeTimes,
    preparedTransactionOffset: 0,
  };
}

export type BatchBuildResult = { ok: true; messages: MessageInner[] } | { ok: false; reason: string };

/** The messages of a batch body; bodies stay views into `body`. */
export function buildBatchMessageInners(envelope: SendEnvelope, body: Buffer, batchProperties: ReadonlyMap<string, string>): BatchBuildResult {
  const decoded = decodeBatchBody(body);
  if (!decoded.ok) return { ok: false, reason: `batch body is malformed: ${decoded.reason}` };
  if (decoded.messages.length === 0) return { ok: false, reason: 'batch body holds no message' };
  const messages: MessageInner[] = [];
  for (const inner of decoded.messages) {
    const properties = inner.properties;
    properties.delete(MessageConst.PROPERTY_POP_CK);
    for (const [name, value] of batchProperties) {
      if (name !== UNIQ_KEY) properties.set(name, value);
    }
    messages.push(buildMessageInner(envelope, inner.flag, inner.body, properties));
  }
  return { ok: true, messages };
}
