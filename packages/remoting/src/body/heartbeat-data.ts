// HEART_BEAT (34) body: HeartbeatData JSON (reference §3.3.2), as fastjson writes it (keys sorted):
//   {"clientID":"ip@pid#nanos",
//    "consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY",
//       "groupName":"cg1","messageModel":"CLUSTERING","subscriptionDataSet":[<SubscriptionData>],"unitMode":false}],
//    "heartbeatFingerprint":0,"producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"},{"groupName":"pg1"}],
//    "withoutSub":false}
// heartbeatFingerprint and withoutSub are 5.x (4.9 clients omit them; "isWithoutSub" is read too).
// The decoder is total: a reason naming the bad path instead of an exception, and a bound on the
// groups and subscriptions one body may name.

import { toFastjsonBuffer } from '@apogee/common';
import {
  arrayMember, asObject, boolMember, isReason, parseBodyObject, stringMember, type BodyResult, type JsonObject,
} from '../protocol/body-shape.js';
import { readSubscriptionData, subscriptionDataJson, type SubscriptionData } from './subscription-data.js';

/** Consumer and producer groups one HeartbeatData may name, together. */
export const GROUPS_PER_HEARTBEAT_MAX = 10_000;
/** Subscriptions one ConsumerData may carry (topics one consumer group subscribes to). */
export const SUBSCRIPTIONS_PER_GROUP_MAX = 10_000;

/** CONSUME_PASSIVELY = push; CONSUME_ACTIVELY = pull and lite pull; CONSUME_POP = 5.x pop. */
export const CONSUME_TYPES = ['CONSUME_ACTIVELY', 'CONSUME_PASSIVELY', 'CONSUME_POP'] as const;
export type ConsumeType = (typeof CONSUME_TYPES)[number];

export const MESSAGE_MODELS = ['BROADCASTING', 'CLUSTERING'] as const;
export type MessageModel = (typeof MESSAGE_MODELS)[number];

/** Every ConsumeFromWhere Java defines, the deprecated ones included (a heartbeat may carry any). */
export const CONSUME_FROM_WHERES = [
  'CONSUME_FROM_LAST_OFFSET', 'CONSUME_FROM_LAST_OFFSET_AND_FROM_MIN_WHEN_BOOT_FIRST', 'CONSUME_FROM_MIN_OFFSET',
  'CONSUME_FROM_MAX_OFFSET', 'CONSUME_FROM_FIRST_OFFSET', 'CONSUME_FROM_TIMESTAMP',
] as const;
export type ConsumeFromWhere = (typeof CONSUME_FROM_WHERES)[number];

export interface ConsumerData {
  readonly groupName: string;
  readonly consumeType: ConsumeType;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly subscriptionDataSet: readonly SubscriptionData[];
  readonly unitMode: boolean;
}

export interface ProducerData {
  readonly groupName: string;
}

export interface HeartbeatData {
  readonly clientID: string;
  readonly consumerDataSet: readonly ConsumerData[];
  readonly producerDataSet: readonly ProducerData[];
  /** [5.x] the client's hash of its consumer data; 0 from clients that do not compute it. */
  readonly heartbeatFingerprint: number;
  /** [5.x] true when the client left the subscriptions out because they did not change. */
  readonly withoutSub: boolean;
}

export function encodeHeartbeatData(data: HeartbeatData): Buffer {
  return toFastjsonBuffer({
    clientID: data.clientID,
    consumerDataSet: data.consumerDataSet.map((c) => ({
      consumeFromWhere: c.consumeFromWhere,
      consumeType: c.consumeType,
      groupName: c.groupName,
      messageModel: c.messageModel,
      subscriptionDataSet: c.subscriptionDataSet.map(subscriptionDataJson),
      unitMode: c.unitMode,
    })),
    heartbeatFingerprint: data.heartbeatFingerprint,
    producerDataSet: data.producerDataSet.map((p) => ({ groupName: p.groupName })),
    withoutSub: data.withoutSub,
  });
}

export function decodeHeartbeatData(body: Buffer | undefined): BodyResult<HeartbeatData> {
  const parsed = parseBodyObject(body, 'HeartbeatData');
  if (!parsed.ok) return parsed;
  const obj = parsed.value;
  const clientID = stringMember(obj, 'clientID', 'HeartbeatData');
  if (isReason(clientID)) return { ok: false, reason: clientID.reason };
  const rawConsumers = arrayMember(obj, 'consumerDataSet', 'HeartbeatData');
  if (isReason(rawConsumers)) return { ok: false, reason: rawConsumers.reason };
  const rawProducers = arrayMember(obj, 'producerDataSet', 'HeartbeatData');
  if (isReason(rawProducers)) return { ok: false, reason: rawProducers.reason };
  if (rawConsumers.length + rawProducers.length > GROUPS_PER_HEARTBEAT_MAX) {
    return { ok: false, reason: `HeartbeatData names ${rawConsumers.length + rawProducers.length} groups, more than the limit of ${GROUPS_PER_HEARTBEAT_MAX}` };
  }
  const consumerDataSet: ConsumerData[] = [];
  for (let i = 0; i < rawConsumers.length; i++) {
    const consumer = readConsumerData(rawConsumers[i], `HeartbeatData.consumerDataSet[${i}]`);
    if (isReason(consumer)) return { ok: false, reason: consumer.reason };
    consumerDataSet.push(consumer);
  }
  const producerDataSet: ProducerData[] = [];
  for (let i = 0; i < rawProducers.length; i++) {
    const path = `HeartbeatData.producerDataSet[${i}]`;
    const producer = asObject(rawProducers[i], path);
    if (typeof producer === 'string') return { ok: false, reason: producer };
    const groupName = stringMember(producer, 'groupName', path);
    if (isReason(groupName)) return { ok: false, reason: groupName.reason };
    producerDataSet.push({ groupName });
  }
  const fingerprint = obj['heartbeatFingerprint'];
  const heartbeatFingerprint = typeof fingerprint === 'number' && Number.isFinite(fingerprint) ? fingerprint : 0;
  const withoutSub = boolMember(obj, obj['withoutSub'] === undefined ? 'isWithoutSub' : 'withoutSub', 'HeartbeatData', false);
  if (isReason(withoutSub)) return { ok: false, reason: withoutSub.reason };
  return { ok: true, value: { clientID, consumerDataSet, producerDataSet, heartbeatFingerprint, withoutSub } };
}

function readConsumerData(value: unknown, path: string): ConsumerData | { reason: string } {
  const obj = asObject(value, path);
  if (typeof obj === 'string') return { reason: obj };
  const groupName = stringMember(obj, 'groupName', path);
  if (isReason(groupName)) return groupName;
  const consumeType = enumMember(obj, 'consumeType', path, CONSUME_TYPES, 'CONSUME_PASSIVELY');
  if (isReason(consumeType)) return consumeType;
  const messageModel = enumMember(obj, 'messageModel', path, MESSAGE_MODELS, 'CLUSTERING');
  if (isReason(messageModel)) return messageModel;
  const consumeFromWhere = enumMember(obj, 'consumeFromWhere', path, CONSUME_FROM_WHERES, 'CONSUME_FROM_LAST_OFFSET');
  if (isReason(consumeFromWhere)) return consumeFromWhere;
  const unitMode = boolMember(obj, 'unitMode', path, false);
  if (isReason(unitMode)) return unitMode;
  const rawSubs = arrayMember(obj, 'subscriptionDataSet', path);
  if (isReason(rawSubs)) return rawSubs;
  if (rawSubs.length > SUBSCRIPTIONS_PER_GROUP_MAX) {
    return { reason: `${path} subscribes to ${rawSubs.length} topics, more than the limit of ${SUBSCRIPTIONS_PER_GROUP_MAX}` };
  }
  const subscriptionDataSet: SubscriptionData[] = [];
  for (let i = 0; i < rawSubs.length; i++) {
    const sub = readSubscriptionData(rawSubs[i], `${path}.subscriptionDataSet[${i}]`);
    if (isReason(sub)) return sub;
    subscriptionDataSet.push(sub);
  }
  return { groupName, consumeType, messageModel, consumeFromWhere, subscriptionDataSet, unitMode };
}

/** An enum member by Java name; absent or null reads as `absent`. */
function enumMember<V extends string>(obj: JsonObject, key: string, path: string, values: readonly V[], absent: V): V | { reason: string } {
  const v = obj[key];
  if (v === undefined || v === null) return absent;
  if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as V;
  return { reason: `${path}.${key} ${JSON.stringify(v)} is not one of ${values.join('|')}` };
}
