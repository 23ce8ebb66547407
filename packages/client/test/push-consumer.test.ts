// DefaultMQPushConsumer against a real in-process NameServer + broker: clustering consumption with
// offsets committed to the broker, retries through CONSUMER_SEND_MSG_BACK and the retry topic,
// the DLQ after maxReconsumeTimes, two clustering consumers sharing queues, broadcasting, and
// orderly consumption with broker queue locks and a suspended batch; consumeTimeout (a listener
// call that runs too long gets its message sent back, as cleanExpireMsg does).

import { afterEach, describe, expect, it } from 'vitest';
import { Message, type MessageExt } from '@apogee/common';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { DefaultMQProducer, DefaultMQPushConsumer, type PushConsumerOptions, SelectMessageQueueByHash } from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

async function producerFor(c: Cluster): Promise<DefaultMQProducer> {
  const producer = c.track(new DefaultMQProducer({ ...c.clientOptions(), producerGroup: `pg-${randomId()}` }));
  await producer.start();
  return producer;
}

function consumerFor(c: Cluster, extra: Partial<PushConsumerOptions> = {}): DefaultMQPushConsumer {
  return c.track(new DefaultMQPushConsumer({
    ...c.clientOptions({ pollNameServerIntervalMs: 200, persistConsumerOffsetIntervalMs: 100 }),
    consumerGroup: `cg-${randomId()}`, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', ...extra,
  }));
}

interface Seen {
  body: string;
  topic: string;
  msgId: string;
  reconsumeTimes: number;
  queueId: number;
}

function record(into: Seen[], msgs: readonly MessageExt[]): void {
  for (const m of msgs) into.push({ body: m.body.toString(), topic: m.topic, msgId: m.msgId, reconsumeTimes: m.reconsumeTimes, queueId: m.queueId });
}

describe('DefaultMQPushConsumer, concurrently', () => {
  it('consumes every message once and commits the offsets to the broker', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const producer = await producerFor(cluster);
    const bodies = Array.from({ length: 20 }, (_, i) => `m${String(i).padStart(2, '0')}`);
    for (const body of bodies) await producer.send(new Message(topic, body));
    const group = `cg-${randomId()}`;
    const consumer = consumerFor(cluster, { consumerGroup: group });
    const seen: Seen[] = [];
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener({ consumeMessage: (msgs) => (record(seen, msgs), 'CONSUME_SUCCESS') });
    await consumer.start();
    await waitFor(() => seen.length >= 20, { timeoutMs: 15_000 });
    expect(seen.map((s) => s.body).sort()).toEqual(bodies);
    expect(new Set(seen.map((s) => s.topic))).toEqual(new Set([topic]));
    const perQueue = [0, 1, 2, 3].map((q) => seen.filter((s) => s.queueId === q).length);
    await waitFor(() => [0, 1, 2, 3].every((q) => broker.consumerOffsetManager.queryOffset(group, topic, q) === perQueue[q]), { timeoutMs: 10_000 });
    expect(seen).toHaveLength(20);
  });

  it('retries a RECONSUME_LATER message through the broker (same msgId, original topic, reconsumeTimes 1) and sends it to the DLQ after maxReconsumeTimes', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const producer = await producerFor(cluster);
    const group = `cg-${randomId()}`;
    const consumer = consumerFor(cluster, { consumerGroup: group, maxReconsumeTimes: 1 });
    const seen: Seen[] = [];
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener({
      consumeMessage: (msgs, context) => {
        record(seen, msgs);
        const body = msgs[0]!.body.toString();
        if (body === 'ok') return 'CONSUME_SUCCESS';
        context.delayLevelWhenNextConsume = 1; // 1 s instead of 10 s
        if (body === 'retry-once') return msgs[0]!.reconsumeTimes === 0 ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS';
        throw new Error('always fails'); // 'doomed'
      },
    });
    await consumer.start();
    const ok = await producer.send(new Message(topic, 'ok'));
    const once = await producer.send(new Message(topic, 'retry-once'));
    const doomed = await producer.send(new Message(topic, 'doomed'));
    await waitFor(() => seen.filter((s) => s.body !== 'ok').length >= 4, { timeoutMs: 20_000 });
    const view = (body: string): Array<[string, string, number]> => seen.filter((s) => s.body === body).map((s) => [s.msgId, s.topic, s.reconsumeTimes]);
    expect(view('ok')).toEqual([[ok.msgId, topic, 0]]);
    expect(view('retry-once')).toEqual([[once.msgId, topic, 0], [once.msgId, topic, 1]]);
    expect(view('doomed')).toEqual([[doomed.msgId, topic, 0], [doomed.msgId, topic, 1]]);
    await waitFor(async () => (await cluster!.readQueue(broker.brokerAddr, `%DLQ%${group}`, 0)).length === 1, { timeoutMs: 10_000 });
    const [dead] = await cluster.readQueue(broker.brokerAddr, `%DLQ%${group}`, 0);
    expect([dead?.body.toString(), dead?.getUniqKey(), dead?.getProperty('RETRY_TOPIC')]).toEqual(['doomed', doomed.msgId, topic]);
  });

  it('shares the queues between two consumers of a group (each message once), and broadcasting gives every consumer everything', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const group = `cg-${randomId()}`;
    const seenA: Seen[] = [];
    const seenB: Seen[] = [];
    const a = consumerFor(cluster, { consumerGroup: group });
    const b = consumerFor(cluster, { consumerGroup: group });
    for (const [c, seen] of [[a, seenA], [b, seenB]] as const) {
      c.subscribe(topic);
      c.registerMessageListener({ consumeMessage: (msgs) => (record(seen, msgs), 'CONSUME_SUCCESS') });
      await c.start();
    }
    // each also owns a share of %RETRY%<group> (one queue): count the topic's queues only
    const owned = (c: DefaultMQPushConsumer): number => c.assignment().filter((q) => q.topic === topic).length;
    await waitFor(() => owned(a) === 2 && owned(b) === 2, { timeoutMs: 15_000 });
    expect(a.assignment().length + b.assignment().length).toBe(5);
    const producer = await producerFor(cluster);
    const bodies = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    for (const body of bodies) await producer.send(new Message(topic, body));
    await waitFor(() => seenA.length + seenB.length >= 12, { timeoutMs: 15_000 });
    expect([...seenA, ...seenB].map((s) => s.body).sort()).toEqual(bodies);
    expect(seenA.length).toBeGreaterThan(0);
    expect(seenB.length).toBeGreaterThan(0);

    const dir = cluster.tempDir('apogee-offsets-');
    const bgroup = `bg-${randomId()}`;
    const seenX: Seen[] = [];
    const seenY: Seen[] = [];
    for (const seen of [seenX, seenY]) {
      const c = consumerFor(cluster, { consumerGroup: bgroup, messageModel: 'BROADCASTING', localOffsetStoreDir: dir, consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET' });
      c.subscribe(topic);
      c.registerMessageListener({ consumeMessage: (msgs) => (record(seen, msgs), 'CONSUME_SUCCESS') });
      await c.start();
      await waitFor(() => c.assignment().length === 4, { timeoutMs: 10_000 });
    }
    await producer.send(new Message(topic, 'everyone'));
    await waitFor(() => seenX.some((s) => s.body === 'everyone') && seenY.some((s) => s.body === 'everyone'), { timeoutMs: 15_000 });
  });
  it('sends a message back for retry when its listener call runs longer than consumeTimeout; the queue offset moves past it meanwhile', async () => {
    // delay level 3 (the one cleanExpireMsg uses) is 1 s here instead of 10 s
    cluster = await Cluster.start(1, { messageDelayLevel: '1s 1s 1s 1s 1s' });
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const producer = await producerFor(cluster);
    const group = `cg-${randomId()}`;
    const consumer = consumerFor(cluster, { consumerGroup: group, consumeTimeout: 0.005 }); // 300 ms
    const seen: Seen[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener({
      consumeMessage: async (msgs) => {
        record(seen, msgs);
        // the first call for 'stuck' outlives consumeTimeout until the test lets it go
        if (msgs[0]!.body.toString() === 'stuck' && msgs[0]!.reconsumeTimes === 0) await released;
        return 'CONSUME_SUCCESS' as const;
      },
    });
    await consumer.start();
    const stuck = await producer.send(new Message(topic, 'stuck'));
    const after = await producer.send(new Message(topic, 'after'));
    expect([stuck.queueOffset, after.queueOffset]).toEqual([0, 1]);
    try {
      await waitFor(() => seen.filter((s) => s.body === 'stuck').length === 2, { timeoutMs: 20_000 });
      // the first call still runs, yet the group's offset is past both messages
      await waitFor(() => broker.consumerOffsetManager.queryOffset(group, topic, 0) === 2, { timeoutMs: 10_000 });
    } finally {
      release(); // shutdown awaits the listener call
    }
    const view = seen.filter((s) => s.body === 'stuck').map((s) => [s.msgId, s.topic, s.reconsumeTimes]);
    expect(view).toEqual([[stuck.msgId, topic, 0], [stuck.msgId, topic, 1]]);
    expect(seen.filter((s) => s.body === 'after').map((s) => s.reconsumeTimes)).toEqual([0]);
  });
});

describe('DefaultMQPushConsumer, orderly', () => {
  it('consumes one queue in order while holding its broker lock; a suspended batch comes again before the next one', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const producer = await producerFor(cluster);
    const group = `cg-${randomId()}`;
    const consumer = consumerFor(cluster, { consumerGroup: group, suspendCurrentQueueTimeMillis: 100 });
    const order: string[] = [];
    let suspended = false;
    consumer.subscribe(topic);
    consumer.registerMessageListenerOrderly({
      consumeMessage: (msgs) => {
        const body = msgs[0]!.body.toString();
        order.push(body);
        if (body === 'o3' && !suspended) {
          suspended = true;
          return 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        }
        return 'SUCCESS';
      },
    });
    await consumer.start();
    await waitFor(() => consumer.assignment().filter((q) => q.topic === topic).length === 2, { timeoutMs: 10_000 });
    const selector = new SelectMessageQueueByHash();
    const sent = [];
    for (let i = 0; i < 6; i++) sent.push(await producer.sendWithSelector(new Message(topic, `o${i}`), selector, 'one-key'));
    expect(new Set(sent.map((r) => r.messageQueue.queueId)).size).toBe(1);
    await waitFor(() => order.length >= 7, { timeoutMs: 15_000 });
    expect(order).toEqual(['o0', 'o1', 'o2', 'o3', 'o3', 'o4', 'o5']);
    const queueId = sent[0]!.messageQueue.queueId;
    const mq = { topic, brokerName: broker.brokerConfig.brokerName, queueId };
    expect(broker.rebalanceLockManager.lockHolder(group, mq)).toBe(consumer.clientInstance!.clientId);
    await waitFor(() => broker.consumerOffsetManager.queryOffset(group, topic, queueId) === 6, { timeoutMs: 10_000 });
  });
});
