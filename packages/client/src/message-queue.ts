// MessageQueue helpers: a string key for maps (MessageQueue is a plain object, so two equal
// queues are different Map keys) and Java's ordering (topic, then brokerName, then queueId).

import type { MessageQueue } from '@apogee/common';

/** `topic@brokerName@queueId`; equal queues give equal keys. */
export function mqKey(mq: MessageQueue): string {
  return `${mq.topic}@${mq.brokerName}@${mq.queueId}`;
}

/** MessageQueue.compareTo: topic, then brokerName, then queueId. */
export function compareMessageQueue(a: MessageQueue, b: MessageQueue): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  if (a.brokerName !== b.brokerName) return a.brokerName < b.brokerName ? -1 : 1;
  return a.queueId - b.queueId;
}

export function sameMessageQueue(a: MessageQueue, b: MessageQueue): boolean {
  return a.topic === b.topic && a.brokerName === b.brokerName && a.queueId === b.queueId;
}

/** A copy holding only the three MessageQueue fields (what goes into JSON bodies). */
export function copyMessageQueue(mq: MessageQueue): MessageQueue {
  return { topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId };
}

/** "MessageQueue [topic=T, brokerName=B, queueId=N]", Java's MessageQueue.toString (hashed by consistent-hash allocation). */
export function messageQueueToString(mq: MessageQueue): string {
  return `MessageQueue [topic=${mq.topic}, brokerName=${mq.brokerName}, queueId=${mq.queueId}]`;
}
