// Subscriptions (FilterAPI.buildSubscriptionData; reference §5). A TAG expression is "*"
// (everything) or tags joined by "||"; each tag also goes into codeSet as its Java
// String.hashCode, which is what the broker compares against the ConsumeQueue tag hash.
// The client re-checks the exact tag string after a pull to drop hash collisions.
// The wire shape (SubscriptionData and its JSON form) is @apogee/remoting's body/subscription-data.ts.

import { InvalidArgumentError, type MessageExt, tagsHashCode } from '@apogee/common';
import { type ExpressionType, type SubscriptionData, EXPRESSION_TYPE_SQL92, EXPRESSION_TYPE_TAG, SUB_ALL } from '@apogee/remoting';

/** More tags than this in one expression is almost certainly a mistake. */
export const TAGS_PER_SUBSCRIPTION_MAX = 1024;

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

/** Client-side tag filter (PullAPIWrapper.processPullResult): exact tag membership for TAG subscriptions with tags. */
export function matchesSubscription(sub: SubscriptionData, msg: MessageExt): boolean {
  if (sub.expressionType !== EXPRESSION_TYPE_TAG || sub.classFilterMode || sub.tagsSet.length === 0) return true;
  const tags = msg.getTags();
  return tags !== undefined && sub.tagsSet.includes(tags);
}
