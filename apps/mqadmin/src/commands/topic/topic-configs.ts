// What the topic commands share: the topic-name check RocketMQ's broker applies (done before
// anything is sent, so a bad name is a usage error), TopicConfig printed as RocketMQ's
// TopicConfig.toString, a TopicConfig read back from the broker's GET_TOPIC_CONFIG answer, and
// recognising "topic does not exist" answers.

import { PermName, validateTopic } from '@apogee/common';
import { MQBrokerError } from '@apogee/client';
import { ResponseCode, type QueueData, type TopicConfig } from '@apogee/remoting';
import { UsageError } from '../../errors.js';
import type { CommandOptions } from '../../options.js';

/** -t, checked against RocketMQ's topic naming rules. */
export function topicOption(options: CommandOptions): string {
  const topic = options.text('topic');
  const validation = validateTopic(topic);
  if (!validation.ok) throw new UsageError(`option --topic: ${validation.reason}`);
  return topic;
}

/**
 * `TopicConfig [topicName=…, readQueueNums=…, writeQueueNums=…, perm=RW-, topicFilterType=…,
 * topicSysFlag=…, order=…, attributes={…}]`. `attributes` as given (updateTopic passes the `+key`
 * changes it sent, as RocketMQ prints them).
 */
export function formatTopicConfig(config: TopicConfig, attributes: Readonly<Record<string, string>> = config.attributes): string {
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}=${v}`).join(', ');
  return `TopicConfig [topicName=${config.topicName}, readQueueNums=${config.readQueueNums}, writeQueueNums=${config.writeQueueNums}, `
    + `perm=${PermName.perm2String(config.perm)}, topicFilterType=${config.topicFilterType}, topicSysFlag=${config.topicSysFlag}, `
    + `order=${config.order}, attributes={${attrs}}]`;
}

/**
 * The TopicConfig in a GET_TOPIC_CONFIG answer (Java field names); fields it lacks come from the
 * route's queue data, as RocketMQ's updateTopicPerm takes them. Attributes are left out: an
 * update that sends none keeps the broker's (sending them again would be refused for the ones
 * that cannot change).
 */
export function topicConfigOf(topic: string, answer: Readonly<Record<string, unknown>> | undefined, queueData: QueueData | undefined): TopicConfig {
  const int = (key: string, fallback: number): number => {
    const value = answer?.[key];
    return typeof value === 'number' && Number.isInteger(value) ? value : fallback;
  };
  const filterType = answer?.['topicFilterType'];
  return {
    topicName: topic,
    readQueueNums: int('readQueueNums', queueData?.readQueueNums ?? 0),
    writeQueueNums: int('writeQueueNums', queueData?.writeQueueNums ?? 0),
    perm: int('perm', queueData?.perm ?? PermName.PERM_READ | PermName.PERM_WRITE),
    topicFilterType: filterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: int('topicSysFlag', queueData?.topicSysFlag ?? 0),
    order: answer?.['order'] === true,
    attributes: {},
  };
}

/** The NameServer (or a broker) answered TOPIC_NOT_EXIST. */
export function isTopicNotExist(err: unknown): boolean {
  return err instanceof MQBrokerError && err.responseCode === ResponseCode.TOPIC_NOT_EXIST;
}
