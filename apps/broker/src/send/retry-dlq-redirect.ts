// Sends to a %RETRY%<group> topic (RocketMQ's handleRetryAndDLQ; reference §3.2.1 step 5 and
// rocketmq-store-ha.md §21.2). A consumer whose send-back failed re-sends the message itself
// with reconsumeTimes (header j) and maxReconsumeTimes (header l). The broker redirects it to
// %DLQ%<group> queue 0, without delay (DELAY=-1), when
//   reconsumeTimes > maxReconsumeTimes (strictly; l only from clients >= V3_4_9, else the
//   group's retryMaxTimes), or the group holds unexpired orderly locks.
// The DLQ topic is created with 1 queue and perm RW. An unknown, non-creatable group -> 26.

import { MessageConst, PermName, getDLQTopic, groupOfRetryTopic } from '@apogee/common';
import { ResponseCode, type TopicConfig } from '@apogee/remoting';
import type { SendTopicConfigs } from './send-message-check.js';

/** MQVersion.V3_4_9: clients from this version on send maxReconsumeTimes. */
export const MAX_RECONSUME_TIMES_VERSION_MIN = 121;
/** %DLQ% topics have one queue (Java's DLQ_NUMS_PER_GROUP). */
export const DLQ_QUEUE_NUMS = 1;

export interface RetryGroupConfigs {
  /** The group's config, auto-created when allowed; undefined when it does not exist. */
  findSubscriptionGroupConfig(group: string): { readonly retryMaxTimes: number } | undefined;
}

export interface OrderlyLocks {
  /** True when no client of the group holds an unexpired queue lock. */
  isLockAllExpired(group: string): boolean;
}

export interface RetrySend {
  readonly topic: string;
  readonly queueId: number;
  readonly topicConfig: Readonly<TopicConfig>;
  readonly reconsumeTimes: number;
  readonly maxReconsumeTimes: number | undefined;
  /** MQVersion ordinal of the request */
  readonly clientVersion: number;
}

export interface RetryRedirectDeps {
  readonly groups: RetryGroupConfigs;
  readonly locks: OrderlyLocks;
  readonly topics: SendTopicConfigs;
}

export type RetryRedirect =
  | { ok: true; topic: string; queueId: number; topicConfig: Readonly<TopicConfig>; isDLQ: boolean }
  | { ok: false; code: number; remark: string };

/**
 * Where a send really goes. Topics other than %RETRY% pass unchanged. For a DLQ redirect the
 * DELAY property of `properties` is set to -1 (stored without delay).
 */
export function redirectRetrySend(send: RetrySend, properties: Map<string, string>, deps: RetryRedirectDeps): RetryRedirect {
  const unchanged: RetryRedirect = { ok: true, topic: send.topic, queueId: send.queueId, topicConfig: send.topicConfig, isDLQ: false };
  const group = groupOfRetryTopic(send.topic);
  if (group === undefined) return unchanged;
  const groupConfig = deps.groups.findSubscriptionGroupConfig(group);
  if (groupConfig === undefined) {
    return { ok: false, code: ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, remark: `subscription group ${group} of retry topic ${send.topic} does not exist on this broker` };
  }
  let maxReconsumeTimes = groupConfig.retryMaxTimes;
  if (send.clientVersion >= MAX_RECONSUME_TIMES_VERSION_MIN && send.maxReconsumeTimes !== undefined) maxReconsumeTimes = send.maxReconsumeTimes;
  const isOrderlyLocked = !deps.locks.isLockAllExpired(group);
  if (send.reconsumeTimes <= maxReconsumeTimes && !isOrderlyLocked) return unchanged;

  const dlqTopic = getDLQTopic(group);
  const topicConfig = deps.topics.createTopicInSendMessageBackMethod(dlqTopic, DLQ_QUEUE_NUMS, PermName.PERM_READ | PermName.PERM_WRITE, false, 0);
  if (topicConfig === undefined) {
    return { ok: false, code: ResponseCode.SYSTEM_ERROR, remark: `dead-letter topic ${dlqTopic} could not be created` };
  }
  properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, '-1');
  return { ok: true, topic: dlqTopic, queueId: 0, topicConfig, isDLQ: true };
}
