// The topics a broker creates at start-up, as RocketMQ 5.x's TopicConfigManager.init() does.
// Counts not listed are Java's TopicConfig defaults (16/16, perm 6):
//   SELF_TEST_TOPIC 1/1; TBW102 (only with autoCreateTopicEnable) defaultTopicQueueNums, perm 7;
//   BenchmarkTest 1024/1024; <clusterName> 16/16, perm 1 (+6 if clusterTopicEnable);
//   <brokerName> 1/1, perm 1 (+6 if brokerTopicEnable); OFFSET_MOVED_EVENT 1/1;
//   SCHEDULE_TOPIC_XXXX 18/18; trace topic 1/1 (only with traceTopicEnable);
//   <clusterName>_REPLY_TOPIC 1/1; rmq_sys_SYNC_BROKER_MEMBER_<brokerName> 1/1, perm 1;
//   RMQ_SYS_TRANS_HALF_TOPIC 1/1; RMQ_SYS_TRANS_OP_HALF_TOPIC 1/1.
// Left out: the POP revive topic and the timer-wheel topic (features Apogee does not have yet).

import { PermName, TopicValidator, getReplyTopic } from '@apogee/common';
import type { TopicConfig } from '@apogee/remoting';
import type { BrokerConfig } from '../config/broker-config.js';
import { newTopicConfig } from './topic-config.js';

/** SCHEDULE_TOPIC_XXXX has one queue per delay level of the default table. */
export const SCHEDULE_TOPIC_QUEUE_NUMS = 18;
export const BENCHMARK_TOPIC_QUEUE_NUMS = 1024;

const RW = PermName.PERM_READ | PermName.PERM_WRITE;

export function systemTopicConfigs(broker: BrokerConfig): Array<Readonly<TopicConfig>> {
  const one = { readQueueNums: 1, writeQueueNums: 1 };
  const topics: Array<Readonly<TopicConfig>> = [newTopicConfig(TopicValidator.RMQ_SYS_SELF_TEST_TOPIC, one)];
  if (broker.autoCreateTopicEnable) {
    topics.push(newTopicConfig(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, {
      readQueueNums: broker.defaultTopicQueueNums,
      writeQueueNums: broker.defaultTopicQueueNums,
      perm: PermName.PERM_INHERIT | RW,
    }));
  }
  topics.push(
    newTopicConfig(TopicValidator.RMQ_SYS_BENCHMARK_TOPIC, { readQueueNums: BENCHMARK_TOPIC_QUEUE_NUMS, writeQueueNums: BENCHMARK_TOPIC_QUEUE_NUMS }),
    newTopicConfig(broker.brokerClusterName, { perm: PermName.PERM_INHERIT | (broker.clusterTopicEnable ? RW : 0) }),
    newTopicConfig(broker.brokerName, { ...one, perm: PermName.PERM_INHERIT | (broker.brokerTopicEnable ? RW : 0) }),
    newTopicConfig(TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT, one),
    newTopicConfig(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, { readQueueNums: SCHEDULE_TOPIC_QUEUE_NUMS, writeQueueNums: SCHEDULE_TOPIC_QUEUE_NUMS }),
  );
  if (broker.traceTopicEnable) topics.push(newTopicConfig(broker.msgTraceTopicName, one));
  topics.push(
    newTopicConfig(getReplyTopic(broker.brokerClusterName), one),
    newTopicConfig(TopicValidator.SYNC_BROKER_MEMBER_GROUP_PREFIX + broker.brokerName, { ...one, perm: PermName.PERM_INHERIT }),
    newTopicConfig(TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC, one),
    newTopicConfig(TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC, one),
  );
  return topics;
}
