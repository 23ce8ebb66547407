import { tagsHashCode } from '@apogee/common';

// Pull-side filtering (RocketMQ's MessageFilter / ExpressionMessageFilter for TAG).
// isMatchedByConsumeQueue sees only the 20-byte unit's tags code; isMatchedByCommitLog, when
// present, sees the raw record (SQL92 property filters would live there).

export interface MessageFilter {
  isMatchedByConsumeQueue(tagsCode: number): boolean;
  isMatchedByCommitLog?(record: Buffer): boolean;
}

/** Most tags in one subscription expression. */
export const SUBSCRIPTION_TAGS_MAX = 1024;

/**
 * A TAG filter from a subscription expression: `*` (or empty) matches everything, otherwise
 * `a || b || c`. Matching compares tags codes as Java ints, as RocketMQ's codeSet does.
 */
export function tagMessageFilter(subExpression: string): MessageFilter {
  const expr = subExpression.trim();
  if (expr === '' || expr === '*') return { isMatchedByConsumeQueue: () => true };
  const codes = new Set<number>();
  for (const tag of expr.split('||').slice(0, SUBSCRIPTION_TAGS_MAX)) {
    const t = tag.trim();
    if (t.length > 0) codes.add(tagsHashCode(t));
  }
  return { isMatchedByConsumeQueue: (tagsCode: number) => codes.has(tagsCode | 0) };
}
