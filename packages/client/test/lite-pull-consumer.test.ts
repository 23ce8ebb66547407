// DefaultLitePullConsumer against a real in-process NameServer + broker: subscribe and tag
// filtering, assign with seek/seekToBegin/seekToEnd, pause/resume, commitSync and resuming from
// committed offsets, auto commit to the broker, clustering rebalance and broadcasting.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Message, type MessageExt, type MessageQueue } from '@apogee/common';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { DefaultLitePullConsumer, DefaultMQProducer, type LitePullConsumerOptions, LocalFileOffsetStore, MQClientError } from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function producerFor(c: Cluster): Promise<DefaultMQProducer> {
  const producer = c.track(new DefaultMQProducer({ ...c.clientOptions(), producerGroup: `pg-${randomId()}` }));
  await producer.start();
  return producer;
}

function consumerFor(c: Cluster, extra: Partial<LitePullConsumerOptions> = {}): DefaultLitePullConsumer {
  return c.track(new DefaultLitePullConsumer({ ...c.clientOptions(), consumerGroup: `cg-${randomId()}`, pollTimeoutMs: 200, ...extra }));
}

/** Polls until `count` messages arrived (fails on timeout or on more than `count`). */
async function pollCount(consumer: DefaultLitePullConsumer, count: number, timeoutMs = 10_000): Promise<MessageExt[]> {
  const got: MessageExt[] = [];
  await waitFor(async () => {
    got.push(...(await consumer.poll(100)));
    return got.length >= count;
  }, { timeoutMs, intervalMs: 1 });
  expect(got).toHaveLength(count);
  return got;
}

const bodies = (msgs: readonly MessageExt[]): string[] => msgs.map((m) => m.body.toString()).sort();

describe('DefaultLitePullConsumer', () => {
  it('subscribes and polls every message of every queue; a tag expression filters exactly', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const producer = await producerFor(cluster);
    const tags = ['TagA', 'TagB', 'TagC'];
    const sent = Array.from({ length: 18 }, (_, i) => new Message(topic, `m${String(i).padStart(2, '0')}`, { tags: tags[i % 3]! }));
    for (const msg of sent) await producer.send(msg);

    const all = consumerFor(cluster, { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    await all.subscribe(topic, '*');
    await all.start();
    const got = await pollCount(all, 18);
    expect(bodies(got)).toEqual(sent.map((m) => m.body.toString()).sort());
    expect(new Set(got.map((m) => m.topic))).toEqual(new Set([topic]));
    expect(got.every((m) => m.getProperty('MIN_OFFSET') === '0' && Number(m.getProperty('MAX_OFFSET')) > 0)).toBe(true);
    expect(all.assignment()).toHaveLength(4);

    const tagged = consumerFor(cluster, { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    await tagged.subscribe(topic, 'TagA || TagC');
    await tagged.start();
    const filtered = await pollCount(tagged, 12);
    expect(bodies(filtered)).toEqual(sent.filter((_, i) => i % 3 !== 1).map((m) => m.body.toString()).sort());
    expect(await tagged.poll(300)).toEqual([]);
  });

  it('assigns one queue and seeks: to an offset, to the beginning, to the end; refuses offsets outside the queue', async () => {
    cluster = await Cluster.start(1);
    const brokerName = cluster.brokers[0]!.brokerConfig.brokerName;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const mq: MessageQueue = { topic, brokerName, queueId: 1 };
    const producer = await producerFor(cluster);
    for (let i = 0; i < 5; i++) await producer.sendToQueue(new Message(topic, `q1-${i}`), mq);
    await producer.sendToQueue(new Message(topic, 'q0-only'), { ...mq, queueId: 0 });

    const consumer = consumerFor(cluster, { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false });
    consumer.assign([mq]);
    await consumer.start();
    expect((await pollCount(consumer, 5)).map((m) => m.queueOffset)).toEqual([0, 1, 2, 3, 4]);

    await consumer.seek(mq, 2);
    expect((await pollCount(consumer, 3)).map((m) => m.body.toString())).toEqual(['q1-2', 'q1-3', 'q1-4']);
    await consumer.seekToBegin(mq);
    expect((await pollCount(consumer, 5)).map((m) => m.queueOffset)).toEqual([0, 1, 2, 3, 4]);
    await consumer.seekToEnd(mq);
    expect(await consumer.poll(300)).toEqual([]);
    await producer.sendToQueue(new Message(topic, 'q1-5'), mq);
    expect((await pollCount(consumer, 1)).map((m) => m.body.toString())).toEqual(['q1-5']);

    const err = await consumer.seek(mq, 99).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQClientError);
    expect((err as Error).message).toBe('Seek offset illegal, seek offset = 99, min offset = 0, max offset = 6');
    const notAssigned = await consumer.seek({ ...mq, queueId: 0 }, 0).catch((e: unknown) => e);
    expect(notAssigned).toBeInstanceOf(MQClientError);
  });

  it('pause stops a queue until resume', async () => {
    cluster = await Cluster.start(1);
    const brokerName = cluster.brokers[0]!.brokerConfig.brokerName;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const [q0, q1] = [0, 1].map((queueId) => ({ topic, brokerName, queueId })) as [MessageQueue, MessageQueue];
    const consumer = consumerFor(cluster, { consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    consumer.assign([q0, q1]);
    consumer.pause([q1]);
    await consumer.start();
    expect(consumer.isPaused(q1)).toBe(true);
    const producer = await producerFor(cluster);
    await producer.sendToQueue(new Message(topic, 'zero'), q0);
    await producer.sendToQueue(new Message(topic, 'one'), q1);
    expect((await pollCount(consumer, 1)).map((m) => m.body.toString())).toEqual(['zero']);
    expect(await consumer.poll(1_500)).toEqual([]); // a paused queue is looked at again only after 1 s
    consumer.resume([q1]);
    expect((await pollCount(consumer, 1)).map((m) => m.body.toString())).toEqual(['one']);
  });

  it('commitSync stores the polled position in the broker; the next consumer of the group resumes there', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const brokerName = broker.brokerConfig.brokerName;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const mq = { topic, brokerName, queueId: 0 };
    const producer = await producerFor(cluster);
    for (let i = 0; i < 10; i++) await producer.send(new Message(topic, `m${i}`));
    const group = `cg-${randomId()}`;

    const first = consumerFor(cluster, { consumerGroup: group, autoCommit: false, pullBatchSize: 4, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    await first.subscribe(topic);
    await first.start();
    const firstBatch = await pollCount(first, 4);
    expect(firstBatch.map((m) => m.queueOffset)).toEqual([0, 1, 2, 3]);
    await first.commitSync();
    expect(broker.consumerOffsetManager.queryOffset(group, topic, 0)).toBe(4);
    expect(await first.committed(mq)).toBe(4);
    await first.shutdown();

    const second = consumerFor(cluster, { consumerGroup: group, autoCommit: false, pullBatchSize: 32 });
    await second.subscribe(topic);
    await second.start();
    expect((await pollCount(second, 6)).map((m) => m.body.toString())).toEqual(['m4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });

  it('auto-commits polled offsets and the client instance persists them to the broker', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const producer = await producerFor(cluster);
    for (let i = 0; i < 3; i++) await producer.send(new Message(topic, `m${i}`));
    const group = `cg-${randomId()}`;
    const consumer = consumerFor(cluster, { consumerGroup: group, autoCommitIntervalMs: 1_000, persistConsumerOffsetIntervalMs: 100, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    await consumer.subscribe(topic);
    await consumer.start();
    await pollCount(consumer, 3);
    // the commit happens in a poll() at least autoCommitIntervalMs after the last one
    await waitFor(async () => {
      await consumer.poll(50);
      return broker.consumerOffsetManager.queryOffset(group, topic, 0) === 3;
    }, { timeoutMs: 10_000 });
  });

  it('shares queues among the clustering consumers of a group, and gives every broadcasting consumer all of them', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const group = `cg-${randomId()}`;
    const a = consumerFor(cluster, { consumerGroup: group });
    const b = consumerFor(cluster, { consumerGroup: group });
    for (const c of [a, b]) {
      await c.subscribe(topic);
      await c.start();
    }
    await waitFor(() => a.assignment().length === 2 && b.assignment().length === 2, { timeoutMs: 10_000 });
    const ids = (c: DefaultLitePullConsumer): number[] => c.assignment().map((q) => q.queueId).sort();
    expect([...ids(a), ...ids(b)].sort()).toEqual([0, 1, 2, 3]);

    const dir = mkdtempSync(join(tmpdir(), 'apogee-offsets-'));
    dirs.push(dir);
    const bgroup = `bg-${randomId()}`;
    const x = consumerFor(cluster, { consumerGroup: bgroup, messageModel: 'BROADCASTING', localOffsetStoreDir: dir, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false });
    const y = consumerFor(cluster, { consumerGroup: bgroup, messageModel: 'BROADCASTING', localOffsetStoreDir: dir, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false });
    for (const c of [x, y]) {
      await c.subscribe(topic);
      await c.start();
    }
    await waitFor(() => x.assignment().length === 4 && y.assignment().length === 4);
    const producer = await producerFor(cluster);
    await producer.send(new Message(topic, 'to everyone'));
    const [seenByX] = await pollCount(x, 1);
    expect(seenByX?.body.toString()).toBe('to everyone');
    expect(bodies(await pollCount(y, 1))).toEqual(['to everyone']);
    await x.commitSync();
    // broadcasting offsets live in a local file per client id and group, not in the broker
    const stored = new LocalFileOffsetStore(dir, x.clientInstance!.clientId, bgroup);
    const mq = { topic, brokerName: cluster.brokers[0]!.brokerConfig.brokerName, queueId: seenByX!.queueId };
    expect(await stored.readOffset(mq, 'READ_FROM_STORE')).toBe(1);
    expect(readFileSync(stored.path, 'utf8')).toContain(`"topic":"${topic}"`);
    expect(cluster.brokers[0]!.consumerOffsetManager.queryOffset(bgroup, topic, mq.queueId)).toBe(-1);
  });
});
