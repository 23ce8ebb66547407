// SubscriptionData: one topic a consumer group subscribes to (reference §3.5, §5).
// JSON (fastjson): {"classFilterMode":false,"codeSet":[2598919],"expressionType":"TAG",
//   "subString":"TagA","subVersion":1730000000000,"tagsSet":["TagA"],"topic":"T1"}
// TAG expressions: "*" or empty = everything; otherwise tags split on "||", trimmed, empties
// dropped; codeSet holds Java String.hashCode of each tag.

import { tagsHashCode } from '@apogee/common';
import { asObject, boolMember, isReason, stringMember, type JsonObject } from '@apogee/remoting';

export const SUB_ALL = '*';
export const EXPRESSION_TYPE_TAG = 'TAG';
export const EXPRESSION_TYPE_SQL92 = 'SQL92';

export interface SubscriptionData {
  readonly topic: string;
  readonly subString: string;
  readonly tagsSet: readonly string[];
  readonly codeSet: readonly number[];
  /** ms timestamp the client sets when its subscription (or assignment) changes */
  readonly subVersion: number;
  readonly expressionType: string;
  readonly classFilterMode: boolean;
}

/** True for a TAG (or untyped) expression; SQL92 and others are property filters. */
export function isTagType(expressionType: string | undefined): boolean {
  return expressionType === undefined || expressionType === '' || expressionType === EXPRESSION_TYPE_TAG;
}

/** What the broker builds from a pull request's expression (FilterAPI.build in RocketMQ). */
export function buildSubscriptionData(topic: string, subString: string, expressionType: string, subVersion: number): SubscriptionData {
  const expression = subString.trim();
  if (!isTagType(expressionType)) {
    return { topic, subString: expression, tagsSet: [], codeSet: [], subVersion, expressionType, classFilterMode: false };
  }
  if (expression === '' || expression === SUB_ALL) {
    return { topic, subString: SUB_ALL, tagsSet: [], codeSet: [], subVersion, expressionType: EXPRESSION_TYPE_TAG, classFilterMode: false };
  }
  const tags = expression.split('||').map((t) => t.trim()).filter((t) => t !== '');
  return {
    topic, subString: expression, tagsSet: tags, codeSet: tags.map(tagsHashCode), subVersion,
    expressionType: EXPRESSION_TYPE_TAG, classFilterMode: false,
  };
}

/** A SubscriptionData from its JSON object, or the reason it is unusable. */
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

/** The JSON object Java writes for a SubscriptionData (keys sorted by the fastjson writer). */
export function subscriptionDataJson(sub: SubscriptionData): JsonObject {
  return {
    classFilterMode: sub.classFilterMode, codeSet: [...sub.codeSet], expressionType: sub.expressionType,
    subString: sub.subString, subVersion: sub.subVersion, tagsSet: [...sub.tagsSet], topic: sub.topic,
  };
}

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
