// The Apogee SDK (@apogee/client) against the REAL Apache RocketMQ 5.3.3 NameServer + Broker from
// the Maven jars: producer sends of every kind (delayed ones too), the lite pull consumer, and the admin client.
// This is the reference for what the SDK expects of a broker; packages/client's own tests run the
// same features against an in-process Apogee cluster. Port slot 12 (see src/ports.ts).
//
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  DefaultLitePullConsumer, DefaultMQAdminExt, DefaultMQProducer, DefaultMQPushConsumer, MQClientError, SelectMessageQueueByHash, javaHashCode,
} from '@apogee/client';
import { Message, type MessageExt, type MessageQueue } from '@apogee/common';
import { SerializeType } from '@apogee/remoting';
import { quietLogger } from '@apogee/remoting/testing';
import { JAVA_WORK_DIR, peerPorts, startJavaBroker, startJavaNamesrv, type JavaBroker, type JavaNamesrv } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED sdk-rocketmq.test.ts: ${availability.reason}`);

const SDK_PORT_SLOT = 12;

describe.skipIf(!availability.ok)('Apogee SDK against Apache RocketMQ 5.3.3', () => {
  const ports = peerPorts(SDK_PORT_SLOT);
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `sdk-rocketmq-${runId}`);
  let namesrv: JavaNamesrv | undefined;
  let broker: JavaBroker | undefined;
  const closables: Array<{ shutdown(): Promise<void> }> = [];
  let hasFailed = false;
  let seq = 0;
  const unique = (prefix: string): string => `${prefix}_${runId}_${++seq}`;

  beforeAll(async () => {
    namesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: path.join(root, 'namesrv') });
    broker = await startJavaBroker({ version: '5.3.3', namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(root, 'broker') });
  }, 180_000);

  afterAll(async () => {
    for (const c of closables.reverse()) await c.shutdown().catch(() => undefined);
    await broker?.stop();
    await namesrv?.stop();
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`sdk-rocketmq.test.ts${hasFailed ? ' failed' : ''}: JVM logs kept under ${root}`);
  });

  const options = (): { namesrvAddr: string; logger: ReturnType<typeof quietLogger> } => ({ namesrvAddr: namesrv!.addr, logger: quietLogger('sdk') });
  function track<T extends { shutdown(): Promise<void> }>(c: T): T {
    closables.push(c);
    return c;
  }
  async function admin(): Promise<DefaultMQAdminExt> {
    const a = track(new DefaultMQAdminExt(options()));
    await a.start();
    return a;
  }
  async function producer(extra: Record<string, unknown> = {}): Promise<DefaultMQProducer> {
    const p = track(new DefaultMQProducer({ ...options(), producerGroup: unique('pg'), ...extra }));
    await p.start();
    return p;
  }
  async function createTopic(a: DefaultMQAdminExt, topic: string, queueNums: number): Promise<void> {
    await a.createTopic(topic, { brokerAddrs: [broker!.addr], readQueueNums: queueNums, writeQueueNums: queueNums });
    await waitUntil(async () => (await a.examineTopicRouteInfo(topic).catch(() => undefined))?.queueDatas[0]?.writeQueueNums === queueNums);
  }
  async function pollCount(c: DefaultLitePullConsumer, count: number): Promise<MessageExt[]> {
    const got: MessageExt[] = [];
    await waitUntil(async () => {
      got.push(...(await c.poll(200)));
      return got.length >= count;
    }, 30_000);
    expect(got).toHaveLength(count);
    return got;
  }
  const failed = (): void => {
    hasFailed = true;
  };

  it('producer: sync, batch, oneway, callback, chosen queue, hash selector, compression; results as RocketMQ reports them', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const topic = unique('SdkSend');
    await createTopic(a, topic, 4);
    const p = await producer();
    const one = await p.send(new Message(topic, 'hello', { tags: 'TagA', keys: 'k1' }));
    expect(one).toMatchObject({ sendStatus: 'SEND_OK', regionId: 'DefaultRegion', messageQueue: { topic, brokerName: broker!.brokerName } });
    expect(one.offsetMsgId).toMatch(/^7F000001[0-9A-F]{24}$/);
    const viewed = await a.viewMessage(one.offsetMsgId);
    expect([viewed.body.toString(), viewed.msgId, viewed.getTags(), viewed.getKeys()]).toEqual(['hello', one.msgId, 'TagA', 'k1']);

    const batch = ['b0', 'b1', 'b2'].map((b) => new Message(topic, b));
    const batchResult = await p.send(batch);
    expect(batchResult.msgId.split(',')).toEqual(batch.map((m) => m.getProperty('UNIQ_KEY')));
    const ids = batchResult.offsetMsgId.split(',');
    const viewedBatch = await Promise.all(ids.map((id) => a.viewMessage(id)));
    expect(viewedBatch.map((m) => [m.body.toString(), m.msgId, m.queueOffset])).toEqual(
      batch.map((m, i) => [`b${i}`, m.getProperty('UNIQ_KEY'), batchResult.queueOffset + i]),
    );

    const mq: MessageQueue = { topic, brokerName: broker!.brokerName, queueId: 2 };
    expect((await p.sendToQueue(new Message(topic, 'q2'), mq)).messageQueue.queueId).toBe(2);
    const selected = await p.sendWithSelector(new Message(topic, 'ordered'), new SelectMessageQueueByHash(), 'order-42');
    expect(selected.messageQueue.queueId).toBe(Math.abs(javaHashCode('order-42') % 4));
    const viaCallback = await new Promise<unknown>((resolve, reject) => p.sendWithCallback(new Message(topic, 'cb'), { onSuccess: resolve, onException: reject }));
    expect(viaCallback).toMatchObject({ sendStatus: 'SEND_OK' });
    await p.sendOneway(new Message(topic, 'oneway'));

    const big = Buffer.alloc(64 * 1024, 'rocketmq');
    const compressed = await p.send(new Message(topic, big));
    const viewedBig = await a.viewMessage(compressed.offsetMsgId);
    expect(viewedBig.body.equals(big)).toBe(true);
  });

  it('producer: auto-creates a topic through TBW102 with defaultTopicQueueNums queues; JSON headers work too', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const topic = unique('SdkAuto');
    const p = await producer({ defaultTopicQueueNums: 3, serializeType: SerializeType.JSON });
    expect((await p.send(new Message(topic, 'created by send'))).sendStatus).toBe('SEND_OK');
    await waitUntil(async () => (await a.examineTopicRouteInfo(topic).catch(() => undefined)) !== undefined);
    const route = await a.examineTopicRouteInfo(topic);
    expect(route.queueDatas.map((q) => [q.readQueueNums, q.writeQueueNums])).toEqual([[3, 3]]);
  });

  it('producer: refuses bodies over maxMessageSize before sending; a read-only topic has no publish queues', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const p = await producer({ maxMessageSize: 1024 });
    const tooBig = await p.send(new Message(unique('SdkBig'), Buffer.alloc(2048))).catch((e: unknown) => e);
    expect(tooBig).toMatchObject({ argumentName: 'body' });
    const readOnly = unique('SdkReadOnly');
    await a.createTopic(readOnly, { brokerAddrs: [broker!.addr], readQueueNums: 1, writeQueueNums: 1, perm: 4 });
    await waitUntil(async () => (await a.examineTopicRouteInfo(readOnly).catch(() => undefined))?.queueDatas[0]?.perm === 4);
    const noQueues = await p.send(new Message(readOnly, 'x')).catch((e: unknown) => e);
    expect(noQueues).toBeInstanceOf(MQClientError);
    expect(noQueues).toMatchObject({ clientErrorCode: 10005, message: `No route info of this topic: ${readOnly}` });
  });

  it('lite pull consumer: subscribe with tags, poll exactly the matching messages, commitSync, resume in a new consumer, seek', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const topic = unique('SdkPull');
    await createTopic(a, topic, 2);
    const p = await producer();
    const sent = [];
    for (let i = 0; i < 12; i++) sent.push(await p.send(new Message(topic, `m${i}`, { tags: i % 2 === 0 ? 'Even' : 'Odd' })));
    const group = unique('cg');
    const first = track(new DefaultLitePullConsumer({ ...options(), consumerGroup: group, autoCommit: false, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' }));
    await first.subscribe(topic, 'Even');
    await first.start();
    const evens = await pollCount(first, 6);
    expect(evens.map((m) => m.body.toString()).sort()).toEqual(['m0', 'm10', 'm2', 'm4', 'm6', 'm8']);
    expect(evens.every((m) => m.getTags() === 'Even')).toBe(true);
    // the queue holding only Odd messages is committed once its pull (all filtered out) has come back
    const maxOffsets = await Promise.all([0, 1].map((queueId) => a.maxOffset({ topic, brokerName: broker!.brokerName, queueId })));
    await waitUntil(async () => {
      await first.commitSync();
      const committed = await Promise.all([0, 1].map((queueId) => first.committed({ topic, brokerName: broker!.brokerName, queueId })));
      return committed.every((offset, i) => offset === maxOffsets[i]);
    });
    await first.shutdown();

    // consume stats and connection info from the broker while a second consumer of the group runs
    const second = track(new DefaultLitePullConsumer({ ...options(), consumerGroup: group, autoCommit: false }));
    await second.subscribe(topic, '*');
    await second.start();
    expect(await second.poll(1_000)).toEqual([]);
    sent.push(await p.send(new Message(topic, 'after', { tags: 'Odd' })));
    expect((await pollCount(second, 1)).map((m) => m.body.toString())).toEqual(['after']);

    const assigned = second.assignment();
    expect(assigned).toHaveLength(2);
    const mq0 = assigned.find((q) => q.queueId === 0)!;
    await second.seek(mq0, 0);
    const replay = await pollCount(second, sent.filter((s) => s.messageQueue.queueId === 0).length);
    expect(replay.map((m) => m.queueOffset)).toEqual(replay.map((_, i) => i));
    const err = await second.seek(mq0, 10_000).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQClientError);
    await second.shutdown();
  });

  it('producer: delayed messages (levels 1 and 2) go through SCHEDULE_TOPIC_XXXX and reach the topic only after their delay', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const topic = unique('SdkDelay');
    await createTopic(a, topic, 2);
    const p = await producer();
    const delayed = (body: string, level: number): Message => {
      const m = new Message(topic, body);
      m.setDelayTimeLevel(level);
      return m;
    };
    const sent = new Map([
      ['now', await p.send(new Message(topic, 'now'))],
      ['level1', await p.send(delayed('level1', 1))],
      ['level2', await p.send(delayed('level2', 2))],
    ]);
    expect([...sent.values()].map((r) => r.sendStatus)).toEqual(['SEND_OK', 'SEND_OK', 'SEND_OK']);
    const c = track(new DefaultLitePullConsumer({ ...options(), consumerGroup: unique('cg'), consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' }));
    await c.subscribe(topic, '*');
    await c.start();
    const got = await pollCount(c, 3);
    const byBody = new Map(got.map((m) => [m.body.toString(), m]));
    expect([...byBody.keys()].sort()).toEqual(['level1', 'level2', 'now']);
    for (const [body, result] of sent) expect([body, byBody.get(body)!.msgId, byBody.get(body)!.topic]).toEqual([body, result.msgId, topic]);
    // default messageDelayLevel "1s 5s ...": the broker stores the delayed copy in the topic no
    // earlier than born + delay (its own timestamps, not this test's timing)
    const lagMs = (body: string): number => byBody.get(body)!.storeTimestamp - byBody.get(body)!.bornTimestamp;
    expect(lagMs('level1')).toBeGreaterThanOrEqual(1_000);
    expect(lagMs('level2')).toBeGreaterThanOrEqual(5_000);
    expect(lagMs('now')).toBeLessThan(1_000);
    expect([byBody.get('level1')!.getProperty('REAL_TOPIC'), byBody.get('level2')!.getProperty('REAL_TOPIC'), byBody.get('now')!.getProperty('REAL_TOPIC')]).toEqual([topic, topic, undefined]);
  });

  it('push consumer: concurrently with a retry through the broker and the DLQ; orderly in queue order under a broker lock', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const topic = unique('SdkPush');
    await createTopic(a, topic, 2);
    const p = await producer();
    const group = unique('cg');
    const pushOptions = { ...options(), pollNameServerIntervalMs: 500, persistConsumerOffsetIntervalMs: 200 };
    const seen: Array<[string, string, string, number]> = [];
    const c = track(new DefaultMQPushConsumer({ ...pushOptions, consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', maxReconsumeTimes: 1 }));
    c.subscribe(topic, '*');
    c.registerMessageListener({
      consumeMessage: (msgs, ctx) => {
        const m = msgs[0]!;
        seen.push([m.body.toString(), m.msgId, m.topic, m.reconsumeTimes]);
        ctx.delayLevelWhenNextConsume = 1;
        if (m.body.toString() === 'ok') return 'CONSUME_SUCCESS';
        if (m.body.toString() === 'retry-once') return m.reconsumeTimes === 0 ? 'RECONSUME_LATER' : 'CONSUME_SUCCESS';
        return 'RECONSUME_LATER';
      },
    });
    await c.start();
    const ok = await p.send(new Message(topic, 'ok'));
    const once = await p.send(new Message(topic, 'retry-once'));
    const doomed = await p.send(new Message(topic, 'doomed'));
    await waitUntil(() => seen.length >= 5, 40_000);
    const view = (body: string): unknown[] => seen.filter((x) => x[0] === body).map((x) => [x[1], x[2], x[3]]);
    expect(view('ok')).toEqual([[ok.msgId, topic, 0]]);
    expect(view('retry-once')).toEqual([[once.msgId, topic, 0], [once.msgId, topic, 1]]);
    expect(view('doomed')).toEqual([[doomed.msgId, topic, 0], [doomed.msgId, topic, 1]]);
    await waitUntil(async () => (await a.examineTopicRouteInfo(`%DLQ%${group}`).catch(() => undefined)) !== undefined, 20_000);
    const dead = await a.queryMessageByUniqKey(`%DLQ%${group}`, doomed.msgId);
    expect(dead.body.toString()).toBe('doomed');
    // mqadmin consumerStatus / consumeMessage: the broker relays to this client and back
    const info = await a.getConsumerRunningInfo(group, c.clientInstance!.clientId);
    expect(info.properties.get('PROP_CONSUME_TYPE')).toBe('CONSUME_PASSIVELY');
    expect(info.subscriptions.get(topic)).toBe('*');
    expect(info.mqTable.filter((e) => e.messageQueue.topic === topic).map((e) => e.messageQueue.queueId)).toEqual([0, 1]);
    const direct = await a.consumeMessageDirectly(group, c.clientInstance!.clientId, topic, ok.offsetMsgId);
    expect(direct.consumeResult).toBe('CR_SUCCESS');
    expect(view('ok')).toEqual([[ok.msgId, topic, 0], [ok.msgId, topic, 0]]);
    await c.shutdown();

    // a fresh topic: a new group on a young queue starts at offset 0 whatever consumeFromWhere says
    const orderlyTopic = unique('SdkOrderly');
    await createTopic(a, orderlyTopic, 2);
    const orderlyGroup = unique('og');
    const order: string[] = [];
    let suspended = false;
    const o = track(new DefaultMQPushConsumer({ ...pushOptions, consumerGroup: orderlyGroup, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', suspendCurrentQueueTimeMillis: 100 }));
    o.subscribe(orderlyTopic, '*');
    o.registerMessageListenerOrderly({
      consumeMessage: (msgs) => {
        const body = msgs[0]!.body.toString();
        order.push(body);
        if (body === 'o2' && !suspended) {
          suspended = true;
          return 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
        }
        return 'SUCCESS';
      },
    });
    await o.start();
    await waitUntil(() => o.assignment().filter((q) => q.topic === orderlyTopic).length === 2, 20_000);
    for (let i = 0; i < 5; i++) await p.sendWithSelector(new Message(orderlyTopic, `o${i}`), new SelectMessageQueueByHash(), 'same-key');
    await waitUntil(() => order.length >= 6, 20_000);
    expect(order).toEqual(['o0', 'o1', 'o2', 'o2', 'o3', 'o4']);
    await o.shutdown();
  });

  it('admin: cluster info, routes, topic list, topic stats, consume stats, connections, query by key and unique key, broker config and runtime, delete topic', async ({ onTestFailed }) => {
    onTestFailed(failed);
    const a = await admin();
    const info = await a.examineBrokerClusterInfo();
    expect(info.brokerAddrTable.get(broker!.brokerName)?.brokerAddrs.get(0)).toBe(broker!.addr);
    expect(info.clusterAddrTable.get(broker!.clusterName)).toEqual([broker!.brokerName]);
    const topic = unique('SdkAdmin');
    await createTopic(a, topic, 3);
    expect(await a.fetchAllTopicList()).toContain(topic);
    const p = await producer();
    const key = unique('key');
    const sent = await p.send(new Message(topic, 'keyed', { keys: key }));
    const stats = await a.examineTopicStats(topic);
    expect(stats.offsetTable.map((o) => o.messageQueue.queueId)).toEqual([0, 1, 2]);
    expect(stats.offsetTable.reduce((n, o) => n + o.maxOffset, 0)).toBe(1);

    await waitUntil(async () => (await a.queryMessage(topic, key, 32, Date.now() - 60_000, Date.now() + 60_000).catch(() => undefined)) !== undefined);
    const byKey = await a.queryMessage(topic, key, 32, Date.now() - 60_000, Date.now() + 60_000);
    expect(byKey.messageList.map((m) => m.msgId)).toEqual([sent.msgId]);
    expect((await a.queryMessageByUniqKey(topic, sent.msgId)).body.toString()).toBe('keyed');

    const group = unique('cg');
    const c = track(new DefaultLitePullConsumer({ ...options(), consumerGroup: group, autoCommit: false, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' }));
    await c.subscribe(topic);
    await c.start();
    await pollCount(c, 1);
    await c.commitSync();
    const connection = await a.examineConsumerConnectionInfo(group);
    expect(connection.connectionSet.map((x) => x.clientId)).toEqual([c.clientInstance!.clientId]);
    expect(connection).toMatchObject({ consumeType: 'CONSUME_ACTIVELY', messageModel: 'CLUSTERING' });
    expect(connection.subscriptionTable.get(topic)).toBe('*');
    const consumeStats = await a.examineConsumeStats(group, topic);
    expect(consumeStats.offsetTable.map((o) => [o.messageQueue.queueId, o.brokerOffset - o.consumerOffset])).toEqual([[0, 0], [1, 0], [2, 0]]);
    await c.shutdown();

    const config = await a.getBrokerConfig(broker!.addr);
    expect(config.get('brokerName')).toBe(broker!.brokerName);
    const runtime = await a.fetchBrokerRuntimeStats(broker!.addr);
    expect(runtime.get('brokerVersionDesc')).toBe('V5_3_3');

    await a.deleteTopic(topic, broker!.clusterName);
    const gone = await a.examineTopicRouteInfo(topic).catch((e: unknown) => e);
    expect(gone).toMatchObject({ responseCode: 17 });
  });
});

async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
