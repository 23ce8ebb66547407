// The broker's side of subscriptions (reference §3.5, §5): which expressions are tag filters, and
// the SubscriptionData a pull request's own expression makes. The wire shape (SubscriptionData,
// its reader and JSON form) is @apogee/remoting's body/subscription-data.ts.
// TAG expressions: "*" or empty = everything; otherwise tags split on "||", trimmed, empties
// dropped; codeSet holds Java String.hashCode of each tag.

import { tagsHashCode } from '@apogee/common';
import { type SubscriptionData, EXPRESSION_TYPE_TAG, SUB_ALL } from '@apogee/remoting';

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
