// Subscriptions (SubscriptionData, FilterAPI.buildSubscriptionData; reference §5). A TAG
// expression is "*" (everything) or tags joined by "||"; each tag also goes into codeSet as its
// Java String.hashCode, which is what the broker compares against the ConsumeQueue tag hash.
// The client re-checks the exact tag string after a pull to drop hash collisions.

import { InvalidArgumentError, type MessageExt, tagsHashCode } from '@apogee/common';

export const SUB_ALL = '*';
export const EXPRESSION_TYPE_TAG = 'TAG';
export const EXPRESSION_TYPE_SQL92 = 'SQL92';
export type ExpressionType = typeof EXPRESSION_TYPE_TAG | typeof EXPRESSION_TYPE_SQL92;

/** More tags than this in one expression is almost certainly a mistake. */
export const TAGS_PER_SUBSCRIPTION_MAX = 1024;

export interface SubscriptionData {
  readonly topic: string;
  readonly subString: string;
  readonly tagsSet: readonly string[];
  readonly codeSet: readonly number[];
  /** A ms timestamp; a newer version replaces the broker's copy. */
  subVersion: number;
  readonly expressionType: ExpressionType;
  readonly classFilterMode: boolean;
}

/** The subscription for `expression` (default "*"); `nowMs` becomes its subVersion. */
export function buildSubscriptionData(topic: string, expression: string | undefined, nowMs: number, expressionType: ExpressionType = EXPRESSION_TYPE_TAG): SubscriptionData {
  if (expressionType === EXPRESSION_TYPE_SQL92) {
    if (expression === undefined || expression.trim() === '') throw new InvalidArgumentError('expression', 'an SQL92 subscription needs an expression');
    return { topic, subString: expression, tagsSet: [], codeSet: [], subVersion: nowMs, expressionType, classFilterMode: false };
  }
  const text = expression?.trim() ?? '';
  if (text === '' || text === SUB_ALL) {
    return { topic, subString: SUB_ALL, tagsSet: [], codeSet: [], subVersion: nowMs, expressionType, classFilterMode: false };
  }
  const tags = [...new Set(text.split('||').map((t) => t.trim()).filter((t) => t.length > 0))];
  if (tags.length > TAGS_PER_SUBSCRIPTION_MAX) throw new InvalidArgumentError('expression', `${tags.length} tags, more than ${TAGS_PER_SUBSCRIPTION_MAX}`);
  return { topic, subString: text, tagsSet: tags, codeSet: tags.map(tagsHashCode), subVersion: nowMs, expressionType, classFilterMode: false };
}

/** The JSON shape Java writes (keys in fastjson order) for HEART_BEAT bodies. */
export function subscriptionDataJson(sub: SubscriptionData): Record<string, unknown> {
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

/** Client-side tag filter (PullAPIWrapper.processPullResult): exact tag membership for TAG subscriptions with tags. */
export function matchesSubscription(sub: SubscriptionData, msg: MessageExt): boolean {
  if (sub.expressionType !== EXPRESSION_TYPE_TAG || sub.classFilterMode || sub.tagsSet.length === 0) return true;
  const tags = msg.getTags();
  return tags !== undefined && sub.tagsSet.includes(tags);
}
