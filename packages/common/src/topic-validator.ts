// System topics and the naming rules for topics and groups (TopicValidator and the client's
// Validators in RocketMQ). Rules, in the order they are checked:
//   - not blank;
//   - only the characters % | - _ 0-9 A-Z a-z (regex ^[%|a-zA-Z0-9_-]+$);
//   - topic: at most 127 chars, except %RETRY% / %DLQ% topics (group name inside), at most 255;
//   - group: at most 255 chars (client Validators in 4.9.x and 5.3.x; RocketMQ after 5.3.3
//     lowers it to 120 so that pop-retry topic names stay short).
// Sending is further refused to TBW102 and to the internal topics in NOT_ALLOWED_SEND_TOPICS.

import { DLQ_GROUP_TOPIC_PREFIX, RETRY_GROUP_TOPIC_PREFIX } from './mix-all.js';

export const TopicValidator = {
  AUTO_CREATE_TOPIC_KEY_TOPIC: 'TBW102',
  RMQ_SYS_SCHEDULE_TOPIC: 'SCHEDULE_TOPIC_XXXX',
  RMQ_SYS_BENCHMARK_TOPIC: 'BenchmarkTest',
  RMQ_SYS_TRANS_HALF_TOPIC: 'RMQ_SYS_TRANS_HALF_TOPIC',
  RMQ_SYS_TRACE_TOPIC: 'RMQ_SYS_TRACE_TOPIC',
  RMQ_SYS_TRANS_OP_HALF_TOPIC: 'RMQ_SYS_TRANS_OP_HALF_TOPIC',
  RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC: 'TRANS_CHECK_MAX_TIME_TOPIC',
  RMQ_SYS_SELF_TEST_TOPIC: 'SELF_TEST_TOPIC',
  RMQ_SYS_OFFSET_MOVED_EVENT: 'OFFSET_MOVED_EVENT',
  RMQ_SYS_ROCKSDB_OFFSET_TOPIC: 'CHECKPOINT_TOPIC',
  SYSTEM_TOPIC_PREFIX: 'rmq_sys_',
  SYNC_BROKER_MEMBER_GROUP_PREFIX: 'rmq_sys_SYNC_BROKER_MEMBER_',
} as const;

export const TOPIC_NAME_CHARS_MAX = 127;
export const RETRY_OR_DLQ_TOPIC_NAME_CHARS_MAX = 255;
export const GROUP_NAME_CHARS_MAX = 255;

export const SYSTEM_TOPICS: ReadonlySet<string> = new Set<string>([
  TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC,
  TopicValidator.RMQ_SYS_SCHEDULE_TOPIC,
  TopicValidator.RMQ_SYS_BENCHMARK_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRACE_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  TopicValidator.RMQ_SYS_SELF_TEST_TOPIC,
  TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT,
  TopicValidator.RMQ_SYS_ROCKSDB_OFFSET_TOPIC,
]);

/** Internal topics that producers may not send to. */
export const NOT_ALLOWED_SEND_TOPICS: ReadonlySet<string> = new Set<string>([
  TopicValidator.RMQ_SYS_SCHEDULE_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC,
  TopicValidator.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC,
  TopicValidator.RMQ_SYS_SELF_TEST_TOPIC,
  TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT,
]);

export type NameValidation = { ok: true } | { ok: false; reason: string };

const VALID = { ok: true } as const;

export function isSystemTopic(topic: string): boolean {
  return SYSTEM_TOPICS.has(topic) || topic.startsWith(TopicValidator.SYSTEM_TOPIC_PREFIX);
}

export function isNotAllowedSendTopic(topic: string): boolean {
  return NOT_ALLOWED_SEND_TOPICS.has(topic);
}

/** True when some char is outside ^[%|a-zA-Z0-9_-]$. */
export function isTopicOrGroupIllegal(name: string): boolean {
  for (let i = 0; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return true;
  return false;
}

export function validateTopic(topic: string): NameValidation {
  if (topic.trim() === '') return { ok: false, reason: 'topic name is blank' };
  if (isTopicOrGroupIllegal(topic)) {
    return { ok: false, reason: `topic ${JSON.stringify(topic)} has characters outside [%|a-zA-Z0-9_-]` };
  }
  const isRetryOrDLQ = topic.startsWith(RETRY_GROUP_TOPIC_PREFIX) || topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
  const charsMax = isRetryOrDLQ ? RETRY_OR_DLQ_TOPIC_NAME_CHARS_MAX : TOPIC_NAME_CHARS_MAX;
  if (topic.length > charsMax) {
    const kind = isRetryOrDLQ ? 'retry/DLQ topic' : 'topic';
    return { ok: false, reason: `${kind} ${topic} is ${topic.length} chars, more than the limit of ${charsMax}` };
  }
  return VALID;
}

/** validateTopic plus the producer's extra rules: not TBW102, not an internal-only topic. */
export function validateTopicForSend(topic: string): NameValidation {
  const base = validateTopic(topic);
  if (!base.ok) return base;
  if (topic === TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC) {
    return { ok: false, reason: `topic ${topic} is the auto-create template and cannot take messages` };
  }
  if (isNotAllowedSendTopic(topic)) return { ok: false, reason: `sending to the internal topic ${topic} is not allowed` };
  return VALID;
}

export function validateGroup(group: string): NameValidation {
  if (group.trim() === '') return { ok: false, reason: 'group name is blank' };
  if (isTopicOrGroupIllegal(group)) {
    return { ok: false, reason: `group ${JSON.stringify(group)} has characters outside [%|a-zA-Z0-9_-]` };
  }
  if (group.length > GROUP_NAME_CHARS_MAX) {
    return { ok: false, reason: `group ${group} is ${group.length} chars, more than the limit of ${GROUP_NAME_CHARS_MAX}` };
  }
  return VALID;
}

function isNameChar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 37 || // %
    c === 124 || // |
    c === 45 || // -
    c === 95 // _
  );
}
