// Helpers of the message command tests: a push consumer on the harness's cluster, and sends
// with chosen tags/keys.

import { Message } from '@apogee/common';
import { DefaultMQPushConsumer, type SendResult } from '@apogee/client';
import { quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import type { Harness } from './harness.js';

/**
 * A started push consumer of `topic` in `group` (from the first offset) that records the bodies
 * it consumes; resolves once it owns all `queueNums` queues of the topic.
 */
export async function startPushConsumer(h: Harness, group: string, topic: string, queueNums: number, seen: string[], subExpression = '*'): Promise<DefaultMQPushConsumer> {
  const consumer = h.track(new DefaultMQPushConsumer({
    namesrvAddr: h.namesrvAddr, logger: quietLogger('consumer'), pollNameServerIntervalMs: 200, persistConsumerOffsetIntervalMs: 100,
    consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  }));
  consumer.subscribe(topic, subExpression);
  consumer.registerMessageListener({ consumeMessage: (msgs) => (seen.push(...msgs.map((m) => m.body.toString())), 'CONSUME_SUCCESS') });
  await consumer.start();
  await waitFor(() => consumer.assignment().filter((q) => q.topic === topic).length === queueNums, { timeoutMs: 10_000 });
  return consumer;
}

/** A new topic `t-<random>` with `queueNums` queues, routed. */
export async function createRandomTopic(h: Harness, queueNums: number): Promise<string> {
  const topic = `t-${randomId()}`;
  await h.createTopic(topic, queueNums);
  return topic;
}

/** Sends one message with these tags and keys. */
export async function sendOne(h: Harness, topic: string, body: string, options: { tags?: string; keys?: string } = {}): Promise<SendResult> {
  const msg = new Message(topic, Buffer.from(body));
  if (options.tags !== undefined) msg.setTags(options.tags);
  if (options.keys !== undefined) msg.setKeys(options.keys);
  return (await h.producer()).send(msg);
}

/** The lines of `text` matching `re`. */
export function linesMatching(text: string, re: RegExp): string[] {
  return text.split('\n').filter((l) => re.test(l));
}

/** `text` made safe to put in a RegExp. */
export function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export { waitFor };
