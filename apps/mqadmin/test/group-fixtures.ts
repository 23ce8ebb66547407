// Helpers of the group, offset and connection command tests: online push consumers and producers
// of a named group (shut down by the harness), a group's committed offsets, broker config changes
// through the admin client, and output checks.

import { expect } from 'vitest';
import { Message, type MessageQueue } from '@apogee/common';
import { DefaultMQAdminExt, DefaultMQProducer, DefaultMQPushConsumer } from '@apogee/client';
import type { MessageModel } from '@apogee/client';
import { quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import type { Harness } from './harness.js';

/** `text` as a literal inside a RegExp. */
export function re(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every line of `text` fits `width` columns. */
export function expectFits(text: string, width = 80): void {
  for (const line of text.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
}

export interface OnlineConsumer {
  readonly consumer: DefaultMQPushConsumer;
  /** bodies received so far */
  readonly received: string[];
}

/** A started push consumer of `group` on `topic` (from the first offset), tracked by the harness. */
export async function startConsumer(h: Harness, group: string, topic: string, options: { subExpression?: string; messageModel?: MessageModel } = {}): Promise<OnlineConsumer> {
  const received: string[] = [];
  const consumer = h.track(new DefaultMQPushConsumer({
    namesrvAddr: h.namesrvAddr, logger: quietLogger('consumer'), instanceName: `c-${randomId()}`, consumerGroup: group,
    consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', persistConsumerOffsetIntervalMs: 200, pollNameServerIntervalMs: 500,
    ...(options.messageModel === undefined ? {} : { messageModel: options.messageModel }),
  }));
  consumer.subscribe(topic, options.subExpression ?? '*');
  consumer.registerMessageListener({ consumeMessage: (msgs) => (received.push(...msgs.map((m) => m.body.toString())), 'CONSUME_SUCCESS') });
  await consumer.start();
  return { consumer, received };
}

/** A started producer of `group` that heartbeats often, tracked by the harness; it has sent one message to `topic`. */
export async function startProducer(h: Harness, group: string, topic: string): Promise<DefaultMQProducer> {
  const producer = h.track(new DefaultMQProducer({
    namesrvAddr: h.namesrvAddr, logger: quietLogger('producer'), instanceName: `p-${randomId()}`, producerGroup: group, heartbeatBrokerIntervalMs: 200,
  }));
  await producer.start();
  await producer.send(new Message(topic, Buffer.from('hello')));
  return producer;
}

/** A new topic of `queueNums` queues with `messages` sent to it, and a new group online that has consumed them all. */
export async function consumedTopic(h: Harness, queueNums: number, messages: number): Promise<OnlineConsumer & { topic: string; group: string }> {
  const topic = `t-${randomId()}`;
  const group = `cg-${randomId()}`;
  await h.createTopic(topic, queueNums);
  await h.send(topic, messages);
  const online = await startConsumer(h, group, topic);
  await waitCommitted(h, group, topic, messages);
  return { ...online, topic, group };
}

/** Runs `use` with a started admin client of the harness's cluster. */
export async function withAdmin<T>(h: Harness, use: (admin: DefaultMQAdminExt) => Promise<T>): Promise<T> {
  const admin = new DefaultMQAdminExt({ namesrvAddr: h.namesrvAddr, logger: quietLogger('admin'), instanceName: `a-${randomId()}` });
  await admin.start();
  try {
    return await use(admin);
  } finally {
    await admin.shutdown();
  }
}

/** queueId -> the group's committed offset on `topic`, as consumerProgress --json reports it. */
export async function committedOffsets(h: Harness, group: string, topic: string): Promise<Map<number, number>> {
  const progress = await h.json<{ queues: Array<{ topic: string; queueId: number; consumerOffset: number }> }>(['consumerProgress', '-g', group, '-t', topic]);
  return new Map(progress.queues.filter((q) => q.topic === topic).map((q) => [q.queueId, q.consumerOffset]));
}

export function sum(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Waits until the group has committed `total` messages of `topic` in all. */
export async function waitCommitted(h: Harness, group: string, topic: string, total: number): Promise<void> {
  await waitFor(async () => sum((await committedOffsets(h, group, topic).catch(() => new Map<number, number>())).values()) === total, { timeoutMs: 20_000 });
}

/** Creates `group` (updateSubGroup) and commits `offset` for it on every queue of `topic` (ids 0..queueNums-1) through the admin client. */
export async function commitOffsets(h: Harness, group: string, topic: string, queueNums: number, offset: number): Promise<void> {
  const created = await h.run(['updateSubGroup', '-b', h.brokerAddr, '-g', group]);
  if (created.status !== 0) throw new Error(`updateSubGroup failed: ${created.stderr}`);
  await withAdmin(h, async (admin) => {
    for (let queueId = 0; queueId < queueNums; queueId++) {
      const mq: MessageQueue = { topic, brokerName: h.brokerName, queueId };
      await admin.updateConsumeOffset(h.brokerAddr, group, mq, offset);
    }
  });
}

/** Sets one broker config key through the admin client (UPDATE_BROKER_CONFIG). */
export async function setBrokerConfig(h: Harness, key: string, value: string): Promise<void> {
  await withAdmin(h, (admin) => admin.updateBrokerConfig(h.brokerAddr, new Map([[key, value]])));
}

export const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
