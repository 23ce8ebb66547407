// DefaultMQPushConsumer when the world moves under it, against a real in-process NameServer +
// broker: a consumer joins a group of two and one leaves (queues move, nothing is lost, a
// message comes twice only on a queue that moved), orderly consumption across the same moves
// (each order id's messages in sequence), broadcasting offsets kept in the local offset file and
// resumed by a restarted consumer, and a broker restarted on the same port and store under a
// producer with retries and a push consumer (every acknowledged message consumed).

import { afterEach, describe, expect, it } from 'vitest';
import { Message, type MessageExt } from '@apogee/common';
import { randomId, waitFor } from '@apogee/remoting/testing';
import {
  DefaultMQProducer, DefaultMQPushConsumer, LocalFileOffsetStore, type PushConsumerOptions, SelectMessageQueueByHash,
} from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

async function producerFor(c: Cluster, extra: { sendMsgTimeoutMs?: number } = {}): Promise<DefaultMQProducer> {
  const producer = c.track(new DefaultMQProducer({ ...c.clientOptions(), producerGroup: `pg-${randomId()}`, ...extra }));
  await producer.start();
  return producer;
}

function consumerFor(c: Cluster, extra: Partial<PushConsumerOptions> = {}): DefaultMQPushConsumer {
  return c.track(new DefaultMQPushConsumer({
    ...c.clientOptions({ pollNameServerIntervalMs: 200, persistConsumerOffsetIntervalMs: 100 }),
    consumerGroup: `cg-${randomId()}`, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', pullTimeDelayMsWhenException: 100, ...extra,
  }));
}

interface Delivery {
  consumer: string;
  body: string;
  queueId: number;
}

/** Queue id -> owner name, for the topic's queues. */
function owners(topic: string, consumers: ReadonlyArray<readonly [string, DefaultMQPushConsumer]>): Map<number, string> {
  const out = new Map<number, string>();
  for (const [name, c] of consumers) for (const q of c.assignment()) if (q.topic === topic) out.set(q.queueId, name);
  return out;
}

function ownedCount(topic: string, c: DefaultMQPushConsumer): number {
  return c.assignment().filter((q) => q.topic === topic).length;
}

/** A background sender of `prefix-<n>` messages; `acked` holds the bodies the broker accepted. */
class SendLoop {
  readonly acked: string[] = [];
  readonly attempted: string[] = [];
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(producer: DefaultMQProducer, topic: string, prefix: string, send?: (msg: Message) => Promise<unknown>) {
    const sendOne = send ?? ((msg: Message) => producer.send(msg));
    this.done = (async () => {
      for (let n = 0; !this.stopped && n < 100_000; n++) {
        const body = `${prefix}-${n}`;
        this.attempted.push(body);
        try {
          await sendOne(new Message(topic, body));
          this.acked.push(body);
        } catch {
          // not acknowledged: may or may not be stored; only acked messages must be consumed
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

describe('DefaultMQPushConsumer, rebalance', () => {
  it('a third consumer joins a group of two, then one leaves: queues move, every message is consumed, duplicates only on moved queues', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 8);
    const group = `cg-${randomId()}`;
    const deliveries: Delivery[] = [];
    const start = async (name: string): Promise<DefaultMQPushConsumer> => {
      const c = consumerFor(cluster!, { consumerGroup: group });
      c.subscribe(topic);
      c.registerMessageListener({
        consumeMessage: (msgs) => {
          for (const m of msgs) deliveries.push({ consumer: name, body: m.body.toString(), queueId: m.queueId });
          return 'CONSUME_SUCCESS';
        },
      });
      await c.start();
      return c;
    };
    const a = await start('a');
    const b = await start('b');
    await waitFor(() => ownedCount(topic, a) === 4 && ownedCount(topic, b) === 4, { timeoutMs: 15_000 });
    const before = owners(topic, [['a', a], ['b', b]]);
    const producer = await producerFor(cluster);
    const load = new SendLoop(producer, topic, 'r');
    await waitFor(() => deliveries.length >= 50, { timeoutMs: 15_000 });

    const c = await start('c');
    await waitFor(() => [a, b, c].map((x) => ownedCount(topic, x)).sort().join() === '2,3,3', { timeoutMs: 15_000 });
    const withThree = owners(topic, [['a', a], ['b', b], ['c', c]]);
    expect(withThree.size).toBe(8);
    await waitFor(() => deliveries.some((d) => d.consumer === 'c'), { timeoutMs: 15_000 });

    await b.shutdown();
    await waitFor(() => ownedCount(topic, a) === 4 && ownedCount(topic, c) === 4, { timeoutMs: 15_000 });
    const after = owners(topic, [['a', a], ['c', c]]);
    const consumedAfterLeave = deliveries.length;
    await waitFor(() => deliveries.length >= consumedAfterLeave + 50, { timeoutMs: 15_000 });
    await load.stop();

    const seen = (): Set<string> => new Set(deliveries.map((d) => d.body));
    await waitFor(() => load.acked.every((body) => seen().has(body)), { timeoutMs: 20_000 });
    expect(load.acked.length).toBeGreaterThan(100);
    const attempted = new Set(load.attempted);
    expect(deliveries.filter((d) => !attempted.has(d.body))).toEqual([]);

    const moved = new Set<number>();
    for (let q = 0; q < 8; q++) if (before.get(q) !== withThree.get(q) || withThree.get(q) !== after.get(q)) moved.add(q);
    expect(moved.size).toBeGreaterThan(0);
    expect([...after.values()].every((o) => o === 'a' || o === 'c')).toBe(true);
    const count = new Map<string, number>();
    for (const d of deliveries) count.set(d.body, (count.get(d.body) ?? 0) + 1);
    const duplicatedOnQueues = new Set(deliveries.filter((d) => count.get(d.body)! > 1).map((d) => d.queueId));
    expect([...duplicatedOnQueues].filter((q) => !moved.has(q))).toEqual([]);
  });

  it('orderly: every order id is consumed in sequence across a join and a leave (a rewind only where the queue changed hands)', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const group = `cg-${randomId()}`;
    const events: Array<{ consumer: string; orderId: string; seq: number }> = [];
    const start = async (name: string): Promise<DefaultMQPushConsumer> => {
      const c = consumerFor(cluster!, { consumerGroup: group });
      c.subscribe(topic);
      c.registerMessageListenerOrderly({
        consumeMessage: (msgs) => {
          for (const m of msgs) {
            const [orderId, seq] = m.body.toString().split(':');
            events.push({ consumer: name, orderId: orderId!, seq: Number(seq) });
          }
          return 'SUCCESS';
        },
      });
      await c.start();
      return c;
    };
    const a = await start('a');
    const b = await start('b');
    await waitFor(() => ownedCount(topic, a) === 2 && ownedCount(topic, b) === 2, { timeoutMs: 15_000 });
    const producer = await producerFor(cluster);
    const orderIds = Array.from({ length: 8 }, (_, i) => `order${i}`);
    const selector = new SelectMessageQueueByHash();
    const sent = new Map(orderIds.map((id) => [id, 0]));
    let stopped = false;
    const sending = (async () => {
      for (let round = 0; !stopped && round < 10_000; round++) {
        for (const id of orderIds) {
          await producer.sendWithSelector(new Message(topic, `${id}:${sent.get(id)!}`), selector, id);
          sent.set(id, sent.get(id)! + 1);
        }
      }
    })();
    await waitFor(() => events.length >= 80, { timeoutMs: 15_000 });
    const c = await start('c');
    await waitFor(() => [a, b, c].map((x) => ownedCount(topic, x)).sort().join() === '1,1,2', { timeoutMs: 15_000 });
    await waitFor(() => events.some((e) => e.consumer === 'c'), { timeoutMs: 15_000 });
    await a.shutdown();
    await waitFor(() => ownedCount(topic, b) === 2 && ownedCount(topic, c) === 2, { timeoutMs: 15_000 });
    const mark = events.length;
    await waitFor(() => events.length >= mark + 80, { timeoutMs: 15_000 });
    stopped = true;
    await sending;
    const last = (id: string): number => Math.max(-1, ...events.filter((e) => e.orderId === id).map((e) => e.seq));
    await waitFor(() => orderIds.every((id) => last(id) === sent.get(id)! - 1), { timeoutMs: 20_000 });

    const broken: string[] = [];
    for (const id of orderIds) {
      const mine = events.filter((e) => e.orderId === id);
      if (mine[0]?.seq !== 0) broken.push(`${id} starts at ${mine[0]?.seq}`);
      for (let i = 1; i < mine.length; i++) {
        const prev = mine[i - 1]!;
        const cur = mine[i]!;
        const inSequence = cur.seq === prev.seq + 1;
        const rewindOnMove = cur.consumer !== prev.consumer && cur.seq <= prev.seq;
        if (!inSequence && !rewindOnMove) broken.push(`${id}: ${prev.consumer}@${prev.seq} then ${cur.consumer}@${cur.seq}`);
      }
    }
    expect(broken).toEqual([]);
    expect(new Set(events.map((e) => e.consumer))).toEqual(new Set(['a', 'b', 'c']));
  });
});

describe('DefaultMQPushConsumer, broadcasting offsets', () => {
  it('persists the offsets in the local offset file on shutdown; a restarted consumer resumes there, not at the first offset', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const producer = await producerFor(cluster);
    const dir = cluster.tempDir('apogee-offsets-');
    const group = `bg-${randomId()}`;
    const instanceName = `bc-${randomId()}`; // the offset file lives under the client id
    const run = async (into: string[]): Promise<DefaultMQPushConsumer> => {
      const c = consumerFor(cluster!, { consumerGroup: group, messageModel: 'BROADCASTING', localOffsetStoreDir: dir, instanceName });
      c.subscribe(topic);
      c.registerMessageListener({ consumeMessage: (msgs: readonly MessageExt[]) => (into.push(...msgs.map((m) => m.body.toString())), 'CONSUME_SUCCESS') });
      await c.start();
      return c;
    };
    const first = Array.from({ length: 10 }, (_, i) => `first-${i}`);
    const second = Array.from({ length: 10 }, (_, i) => `second-${i}`);
    const perQueue = new Map<number, number>();
    for (const body of first) {
      const r = await producer.send(new Message(topic, body));
      perQueue.set(r.messageQueue.queueId, (perQueue.get(r.messageQueue.queueId) ?? 0) + 1);
    }
    const got1: string[] = [];
    const c1 = await run(got1);
    await waitFor(() => got1.length >= 10, { timeoutMs: 15_000 });
    const clientId = c1.clientInstance!.clientId;
    await c1.shutdown();
    expect([...got1].sort()).toEqual([...first].sort());

    const file = new LocalFileOffsetStore(dir, clientId, group);
    await file.load();
    const brokerName = cluster.brokers[0]!.brokerConfig.brokerName;
    const stored = await Promise.all([0, 1].map((queueId) => file.readOffset({ topic, brokerName, queueId }, 'READ_FROM_STORE')));
    expect(stored).toEqual([perQueue.get(0) ?? 0, perQueue.get(1) ?? 0]);

    for (const body of second) await producer.send(new Message(topic, body));
    const got2: string[] = [];
    const c2 = await run(got2);
    expect(c2.clientInstance!.clientId).toBe(clientId);
    await waitFor(() => got2.length >= 10, { timeoutMs: 15_000 });
    // a message from before the restart would arrive in the same pulls; none did
    expect([...got2].sort()).toEqual([...second].sort());
  });
});

describe('DefaultMQPushConsumer, broker restart', () => {
  it('a broker shut down and started again on the same port and store under load: every acknowledged message is consumed', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const group = `cg-${randomId()}`;
    const producer = await producerFor(cluster, { sendMsgTimeoutMs: 2_000 });
    const consumed: string[] = [];
    const consumer = consumerFor(cluster, { consumerGroup: group });
    consumer.subscribe(topic);
    consumer.registerMessageListener({ consumeMessage: (msgs) => (consumed.push(...msgs.map((m) => m.body.toString())), 'CONSUME_SUCCESS') });
    await consumer.start();
    await waitFor(() => ownedCount(topic, consumer) === 4, { timeoutMs: 15_000 });
    const load = new SendLoop(producer, topic, 'k');
    await waitFor(() => load.acked.length >= 200 && consumed.length >= 100, { timeoutMs: 15_000 });

    const old = cluster.brokers[0]!;
    const restarted = await cluster.restartBroker(old);
    expect(restarted.brokerAddr).toBe(old.brokerAddr);
    const ackedAtRestart = load.acked.length;
    await waitFor(() => load.acked.length >= ackedAtRestart + 200, { timeoutMs: 30_000 });
    await load.stop();

    const seen = (): Set<string> => new Set(consumed);
    await waitFor(() => load.acked.every((body) => seen().has(body)), { timeoutMs: 30_000 });
    expect(load.acked.filter((body) => !seen().has(body))).toEqual([]);
    const attempted = new Set(load.attempted);
    expect(consumed.filter((body) => !attempted.has(body))).toEqual([]);
    // the restarted broker has the group's progress (the consumer committed to it)
    await waitFor(() => [0, 1, 2, 3].reduce((n, q) => n + Math.max(0, restarted.consumerOffsetManager.queryOffset(group, topic, q)), 0) >= load.acked.length, { timeoutMs: 10_000 });
  });
});
