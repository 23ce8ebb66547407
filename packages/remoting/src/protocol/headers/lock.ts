// LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42): orderly consumers' queue locks (reference §3.3.8).
// The headers carry only the 5.x optional RPC fields; the request is in the JSON body:
//   LockBatchRequestBody / UnlockBatchRequestBody:
//     {"clientId":"...","consumerGroup":"cg1","mqSet":[{"brokerName":"b","queueId":0,"topic":"T"}],"onlyThisBroker":false}
//   LockBatchResponseBody: {"lockOKMQSet":[<MessageQueue>...]}  (the queues now locked by clientId)

import type { MessageQueue } from '@apogee/common';
import { defineHeader, type HeaderValue } from '../header-def.js';
import { toFastjsonBuffer } from '@apogee/common';
import {
  arrayMember, boolMember, isReason, messageQueueList, parseBodyObject, stringMember, type BodyResult,
} from '../body-shape.js';
import { RPC_REQUEST_FIELDS } from './rpc-fields.js';

export const LockBatchMqRequestHeader = defineHeader('LockBatchMqRequestHeader', { ...RPC_REQUEST_FIELDS });
export type LockBatchMqRequestHeader = HeaderValue<typeof LockBatchMqRequestHeader>;

export const UnlockBatchMqRequestHeader = defineHeader('UnlockBatchMqRequestHeader', { ...RPC_REQUEST_FIELDS });
export type UnlockBatchMqRequestHeader = HeaderValue<typeof UnlockBatchMqRequestHeader>;

/** Body of LOCK_BATCH_MQ and of UNLOCK_BATCH_MQ (same fields). */
export interface LockBatchRequestBody {
  clientId: string;
  consumerGroup: string;
  mqSet: MessageQueue[];
  onlyThisBroker: boolean;
}
export type UnlockBatchRequestBody = LockBatchRequestBody;

export interface LockBatchResponseBody {
  lockOKMQSet: MessageQueue[];
}

export function encodeLockBatchRequestBody(body: LockBatchRequestBody): Buffer {
  return toFastjsonBuffer({
    clientId: body.clientId,
    consumerGroup: body.consumerGroup,
    mqSet: body.mqSet.map(messageQueueJson),
    onlyThisBroker: body.onlyThisBroker,
  });
}

export function decodeLockBatchRequestBody(body: Buffer | undefined): BodyResult<LockBatchRequestBody> {
  const parsed = parseBodyObject(body, 'LockBatchRequestBody');
  if (!parsed.ok) return parsed;
  const obj = parsed.value;
  const path = 'LockBatchRequestBody';
  const clientId = stringMember(obj, 'clientId', path);
  if (isReason(clientId)) return { ok: false, reason: clientId.reason };
  const consumerGroup = stringMember(obj, 'consumerGroup', path);
  if (isReason(consumerGroup)) return { ok: false, reason: consumerGroup.reason };
  const rawSet = arrayMember(obj, 'mqSet', path);
  if (isReason(rawSet)) return { ok: false, reason: rawSet.reason };
  const mqSet = messageQueueList(rawSet, `${path}.mqSet`);
  if (isReason(mqSet)) return { ok: false, reason: mqSet.reason };
  const onlyThisBroker = boolMember(obj, 'onlyThisBroker', path, false);
  if (isReason(onlyThisBroker)) return { ok: false, reason: onlyThisBroker.reason };
  return { ok: true, value: { clientId, consumerGroup, mqSet, onlyThisBroker } };
}

export const encodeUnlockBatchRequestBody: (body: UnlockBatchRequestBody) => Buffer = encodeLockBatchRequestBody;
export const decodeUnlockBatchRequestBody: (body: Buffer | undefined) => BodyResult<UnlockBatchRequestBody> = decodeLockBatchRequestBody;

export function encodeLockBatchResponseBody(body: LockBatchResponseBody): Buffer {
  return toFastjsonBuffer({ lockOKMQSet: body.lockOKMQSet.map(messageQueueJson) });
}

export function decodeLockBatchResponseBody(body: Buffer | undefined): BodyResult<LockBatchResponseBody> {
  const parsed = parseBodyObject(body, 'LockBatchResponseBody');
  if (!parsed.ok) return parsed;
  const raw = arrayMember(parsed.value, 'lockOKMQSet', 'LockBatchResponseBody');
  if (isReason(raw)) return { ok: false, reason: raw.reason };
  const lockOKMQSet = messageQueueList(raw, 'LockBatchResponseBody.lockOKMQSet');
  if (isReason(lockOKMQSet)) return { ok: false, reason: lockOKMQSet.reason };
  return { ok: true, value: { lockOKMQSet } };
}

/** A MessageQueue with only its three wire fields, whatever else the object carries. */
function messageQueueJson(mq: MessageQueue): MessageQueue {
  return { brokerName: mq.brokerName, queueId: mq.queueId, topic: mq.topic };
}
