// SubscriptionData: one topic a consumer group subscribes to (reference §3.5, §5), as it travels in
// HEART_BEAT bodies (HeartbeatData.consumerDataSet[].subscriptionDataSet), CHECK_CLIENT_CONFIG and
// the admin bodies that list a group's subscriptions. fastjson writes it with sorted keys:
//   {"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG",
//    "subString":"TagA","subVersion":1730000000000,"tagsSet":["TagA"],"topic":"T1"}
// codeSet holds the Java String.hashCode of each tag in tagsSet. Building a subscription from an
// expression and filtering with it are not wire concerns: the client and the broker do those.

import { asObject, boolMember, isReason, stringMember, type JsonObject } from '../protocol/body-shape.js';

/** The TAG expression that matches every message; also what an absent subString reads as. */
export const SUB_ALL = '*';
export const EXPRESSION_TYPE_TAG = 'TAG';
export const EXPRESSION_TYPE_SQL92 = 'SQL92';
/** The expression types RocketMQ defines; on the wire expressionType is any string. */
export type ExpressionType = typeof EXPRESSION_TYPE_TAG | typeof EXPRESSION_TYPE_SQL92;

export interface SubscriptionData {
  readonly topic: string;
  readonly subString: string;
  readonly tagsSet: readonly string[];
  readonly codeSet: readonly number[];
  /**
   * A ms timestamp the client sets when its subscription (or its queue assignment) changes; a
   * newer version replaces the broker's copy. Writable: the client bumps it in place, as Java does.
   */
  subVersion: number;
  /** "TAG" (also what an absent value reads as), "SQL92", or whatever else a client sent. */
  readonly expressionType: string;
  readonly classFilterMode: boolean;
}

/** A SubscriptionData from its JSON object, or the reason (naming `path`) it is unusable. */
export function readSubscriptionData(value: unknown, path: string): SubscriptionData | { reason: string } {
  const obj = asObject(value, path);
  if (typeof obj === 'string') return { reason: obj };
  const topic = stringMember(obj, 'topic', path);
  if (isReason(topic)) return topic;
  const subString = obj['subString'] === undefined || obj['subString'] === null ? SUB_ALL : stringMember(obj, 'subString', path);
  if (isReason(subString)) return subString;
  const expressionType = obj['expressionType'] === undefined || obj['expressionType'] === null ? EXPRESSION_TYPE_TAG : stringMember(obj, 'expressionType', path);
  if (isReason(expressionType)) return expressionType;
  const classFilterMode = boolMember(obj, 'classFilterMode', path, false);
  if (isReason(classFilterMode)) return classFilterMode;
  const subVersion = longMember(obj, 'subVersion', path);
  if (isReason(subVersion)) return subVersion;
  const tagsSet = listOf(obj, 'tagsSet', path, (v): v is string => typeof v === 'string');
  if (isReason(tagsSet)) return tagsSet;
  const codeSet = listOf(obj, 'codeSet', path, (v): v is number => typeof v === 'number' && Number.isInteger(v));
  if (isReason(codeSet)) return codeSet;
  return { topic, subString, tagsSet, codeSet, subVersion, expressionType, classFilterMode };
}

/** The JSON object Java writes for a SubscriptionData, to nest in a body (keys sorted by the fastjson writer). */
export function subscriptionDataJson(sub: SubscriptionData): JsonObject {
  return {
    classFilterMode: sub.classFilterMode,
    codeSet: [...sub.codeSet],
    expressionType: sub.expressionType,
    subString: sub.subString,
    subVersion: sub.subVersion,
    tagsSet: [...sub.tagsSet],
    topic: sub.topic,
  };
}

/** A long member: a safe integer, or a numeric string as fastjson accepts; absent reads as 0. */
function longMember(obj: JsonObject, key: string, path: string): number | { reason: string } {
  const v = obj[key];
  if (v === undefined || v === null) return 0;
  const n = typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : { reason: `${path}.${key} is not a long` };
}

function listOf<T>(obj: JsonObject, key: string, path: string, isItem: (v: unknown) => v is T): T[] | { reason: string } {
  const v = obj[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every(isItem)) return { reason: `${path}.${key} is not a list of the expected items` };
  return v;
}
