// The checks every send passes before anything is built or stored (RocketMQ 5.x msgCheck,
// reference §3.2.1 steps 1-3), in this order:
//   1. broker without write permission                 -> 16 NO_PERMISSION
//   2. topic name invalid (chars, length)              -> 29 INVALID_PARAMETER [5.x]
//   3. internal topic producers may not send to        -> 16 NO_PERMISSION
//   4. unknown topic: create it from the defaultTopic template (TBW102) when that carries INHERIT,
//      a %RETRY% topic falls back to 1 queue RW; otherwise -> 17 TOPIC_NOT_EXIST
//   5. topic without write permission                  -> 16 NO_PERMISSION
//   6. queueId >= max(readQueueNums, writeQueueNums)   -> 29 INVALID_PARAMETER [5.x]
// A topic created in step 4 is persisted and registered with the NameServers by the topic table
// itself (its change listener), so a fresh topic shows up in routes at once.

import { PermName, RETRY_GROUP_TOPIC_PREFIX, isNotAllowedSendTopic, validateTopic } from '@apogee/common';
import { ResponseCode, type TopicConfig } from '@apogee/remoting';

/** The topic table as the write side uses it (TopicConfigManager satisfies it). */
export interface SendTopicConfigs {
  selectTopicConfig(topic: string): Readonly<TopicConfig> | undefined;
  createTopicInSendMessageMethod(
    topic: string,
    defaultTopic: string,
    remoteAddress: string,
    clientDefaultTopicQueueNums: number,
    topicSysFlag: number,
  ): Readonly<TopicConfig> | undefined;
  createTopicInSendMessageBackMethod(topic: string, queueNums: number, perm: number, isOrder: boolean, topicSysFlag: number): Readonly<TopicConfig> | undefined;
}

/** TopicSysFlag bits (Java's TopicSysFlag.buildSysFlag(unit, hasUnitSub)). */
export const TopicSysFlag = { FLAG_UNIT: 0x1, FLAG_UNIT_SUB: 0x2 } as const;

export interface SendTarget {
  readonly topic: string;
  readonly defaultTopic: string;
  readonly defaultTopicQueueNums: number;
  readonly queueId: number;
  readonly isUnitMode: boolean;
}

export interface SendCheckContext {
  readonly brokerPermission: number;
  /** brokerIP1, named in remarks as Java does */
  readonly brokerIP: string;
  readonly topics: SendTopicConfigs;
  /** the producer, for logs of auto-created topics */
  readonly remoteAddress: string;
}

export type SendCheckResult =
  | { ok: true; topicConfig: Readonly<TopicConfig> }
  | { ok: false; code: number; remark: string };

export function checkSendTarget(target: SendTarget, ctx: SendCheckContext): SendCheckResult {
  const { topic } = target;
  if (!PermName.isWriteable(ctx.brokerPermission)) {
    return refuse(ResponseCode.NO_PERMISSION, `broker ${ctx.brokerIP} does not accept messages: its permission ${PermName.perm2String(ctx.brokerPermission)} has no write bit`);
  }
  const validation = validateTopic(topic);
  if (!validation.ok) return refuse(ResponseCode.INVALID_PARAMETER, `cannot send: ${validation.reason}`);
  if (isNotAllowedSendTopic(topic)) return refuse(ResponseCode.NO_PERMISSION, `topic ${topic} is internal to the broker; producers may not send to it`);

  let topicConfig = ctx.topics.selectTopicConfig(topic);
  if (topicConfig === undefined) {
    const isRetry = topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
    const topicSysFlag = target.isUnitMode ? (isRetry ? TopicSysFlag.FLAG_UNIT_SUB : TopicSysFlag.FLAG_UNIT) : 0;
    topicConfig = ctx.topics.createTopicInSendMessageMethod(topic, target.defaultTopic, ctx.remoteAddress, target.defaultTopicQueueNums, topicSysFlag);
    if (topicConfig === undefined && isRetry) {
      topicConfig = ctx.topics.createTopicInSendMessageBackMethod(topic, 1, PermName.PERM_READ | PermName.PERM_WRITE, false, topicSysFlag);
    }
    if (topicConfig === undefined) {
      return refuse(ResponseCode.TOPIC_NOT_EXIST, `topic ${topic} does not exist on this broker and cannot be created from ${target.defaultTopic}; create it first`);
    }
  }
  if (!PermName.isWriteable(topicConfig.perm)) {
    return refuse(ResponseCode.NO_PERMISSION, `topic ${topic} does not accept messages: its permission ${PermName.perm2String(topicConfig.perm)} has no write bit`);
  }
  const queueIdsMax = Math.max(topicConfig.readQueueNums, topicConfig.writeQueueNums);
  if (target.queueId >= queueIdsMax) {
    return refuse(ResponseCode.INVALID_PARAMETER, `queueId ${target.queueId} is out of range for topic ${topic}, which has ${queueIdsMax} queues`);
  }
  return { ok: true, topicConfig };
}

/** A queue id in [0, queueNums): RocketMQ's randomQueueId. */
export function randomQueueId(queueNums: number): number {
  return queueNums <= 0 ? 0 : Math.floor(Math.random() * queueNums);
}

function refuse(code: number, remark: string): SendCheckResult {
  return { ok: false, code, remark };
}
