// Which messages a pull wants (RocketMQ's PullMessageProcessor subscription part, reference
// §3.3.1 and §5):
//   SUBSCRIPTION flag set: the expression comes with the request (pull and lite pull consumers);
//     more tags than SUBSCRIPTION_TAGS_MAX -> 23 SUBSCRIPTION_PARSE_FAILED.
//   otherwise: the group's heartbeat data (push consumers):
//     group not online -> 24; broadcasting while the group forbids it -> 16 (forbiddenType 4);
//     topic not subscribed -> 24; registered subVersion older than the request's -> 25.
//   a non-TAG expression (SQL92) -> 1: Apogee has no property filter.
// The TAG filter matches a ConsumeQueue unit's tags code against the subscription's code set
// (Java ints), or everything for "*" / class-filter mode.

import { type SubscriptionData, ResponseCode, SUB_ALL } from '@apogee/remoting';
import { type MessageFilter, SUBSCRIPTION_TAGS_MAX } from '@apogee/store';
import { buildSubscriptionData, isTagType } from '../client/subscription-data.js';
import { ForbiddenType } from './pull-status-mapping.js';

/** The online consumer groups as the pull path reads them (ConsumerManager satisfies it). */
export interface PullConsumerGroups {
  getConsumerGroupInfo(group: string): { readonly isBroadcasting: boolean; findSubscriptionData(topic: string): SubscriptionData | undefined } | undefined;
}

export interface PullSubscriptionRequest {
  readonly consumerGroup: string;
  readonly topic: string;
  readonly hasSubscriptionFlag: boolean;
  readonly subscription: string | undefined;
  readonly expressionType: string | undefined;
  readonly subVersion: number;
  /** the group's consumeBroadcastEnable */
  readonly isBroadcastAllowed: boolean;
}

export type PullSubscriptionResult =
  | { ok: true; subscription: SubscriptionData; filter: MessageFilter }
  | { ok: false; code: number; remark: string; forbiddenType?: number };

export function resolvePullSubscription(req: PullSubscriptionRequest, consumers: PullConsumerGroups): PullSubscriptionResult {
  let subscription: SubscriptionData;
  if (req.hasSubscriptionFlag) {
    subscription = buildSubscriptionData(req.topic, req.subscription ?? SUB_ALL, req.expressionType ?? 'TAG', req.subVersion);
    if (subscription.tagsSet.length > SUBSCRIPTION_TAGS_MAX) {
      return fail(ResponseCode.SUBSCRIPTION_PARSE_FAILED, `subscription of group ${req.consumerGroup} to ${req.topic} has ${subscription.tagsSet.length} tags, more than ${SUBSCRIPTION_TAGS_MAX}`);
    }
  } else {
    const info = consumers.getConsumerGroupInfo(req.consumerGroup);
    if (info === undefined) {
      return fail(ResponseCode.SUBSCRIPTION_NOT_EXIST, `consumer group ${req.consumerGroup} has no online consumer on this broker; send a heartbeat first`);
    }
    if (!req.isBroadcastAllowed && info.isBroadcasting) {
      return { ...fail(ResponseCode.NO_PERMISSION, `consumer group ${req.consumerGroup} may not consume by broadcasting`), forbiddenType: ForbiddenType.BROADCASTING_DISABLE_FORBIDDEN };
    }
    const registered = info.findSubscriptionData(req.topic);
    if (registered === undefined) {
      return fail(ResponseCode.SUBSCRIPTION_NOT_EXIST, `consumer group ${req.consumerGroup} does not subscribe to ${req.topic} in its heartbeat`);
    }
    if (registered.subVersion < req.subVersion) {
      return fail(ResponseCode.SUBSCRIPTION_NOT_LATEST, `the broker holds subscription version ${registered.subVersion} of group ${req.consumerGroup} to ${req.topic}, older than ${req.subVersion}`);
    }
    subscription = registered;
  }
  if (!isTagType(subscription.expressionType)) {
    return fail(ResponseCode.SYSTEM_ERROR, `this broker does not filter by ${subscription.expressionType}; subscribe with TAG expressions`);
  }
  return { ok: true, subscription, filter: tagCodeFilter(subscription) };
}

/** RocketMQ's ExpressionMessageFilter for TAG subscriptions. */
export function tagCodeFilter(subscription: SubscriptionData): MessageFilter {
  if (subscription.classFilterMode || subscription.subString === SUB_ALL) return MATCH_ALL;
  const codes = new Set(subscription.codeSet.map((code) => code | 0));
  return { isMatchedByConsumeQueue: (tagsCode) => codes.has(tagsCode | 0) };
}

const MATCH_ALL: MessageFilter = { isMatchedByConsumeQueue: () => true };

function fail(code: number, remark: string): { ok: false; code: number; remark: string } {
  return { ok: false, code, remark };
}
