// DefaultMQAdminExt against a real in-process NameServer + broker. NameServer questions, message
// lookups (view by offset id, query by key and unique key) and queue offsets are answered by
// Apogee today. Broker admin codes the Apogee broker does not answer yet are probed first; their
// tests are skipped (with the code named) until it does, and test-e2e/test/sdk-rocketmq.test.ts
// runs them against Apache RocketMQ 5.3.3. Then the offset, group and broker-table calls: reset
// by timestamp (server-side with a consumer online; client-side with a consumer online, then the
// 206 answer with nobody online and the old fallback that commits the offsets itself),
// updateConsumeOffset, clone offsets to another group, consume stats of every group on a broker,
// broker stats data, the whole subscription-group and topic tables, and the typed error of
// examineConsumeStats for a group with no progress and nobody online.

import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { Message, type MessageQueue } from '@apogee/common';
import { RequestCode, ResponseCode } from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { DefaultLitePullConsumer, DefaultMQAdminExt, DefaultMQProducer, DefaultMQPushConsumer, MQBrokerError, MQClientError } from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

async function setup(brokerOverrides: Record<string, boolean> = {}): Promise<{ c: Cluster; admin: DefaultMQAdminExt; producer: DefaultMQProducer }> {
  const c = await Cluster.start(1, brokerOverrides);
  cluster = c;
  const admin = c.track(new DefaultMQAdminExt(c.clientOptions()));
  await admin.start();
  const producer = c.track(new DefaultMQProducer({ ...c.clientOptions(), producerGroup: `pg-${randomId()}` }));
  await producer.start();
  return { c, admin, producer };
}

/** Skips the test (saying why) when the Apogee broker does not answer `code` yet. */
async function requireBrokerCode(c: Cluster, ctx: TestContext, code: number, name: string): Promise<void> {
  if (await c.brokerSupports(code)) return;
  console.warn(`SKIPPED: the Apogee broker answers REQUEST_CODE_NOT_SUPPORTED to ${name} (${code})`);
  ctx.skip(`Apogee broker lacks ${name} (${code})`);
}

describe('DefaultMQAdminExt, NameServer', () => {
  it('examines cluster info, routes and the topic list; KV config round trip; deletes a topic from the NameServer', async () => {
    const { c, admin } = await setup();
    const broker = c.brokers[0]!;
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 2);
    const info = await admin.examineBrokerClusterInfo();
    const brokerName = broker.brokerConfig.brokerName;
    expect(info.brokerAddrTable.get(brokerName)?.brokerAddrs.get(0)).toBe(broker.brokerAddr);
    expect(info.clusterAddrTable.get(broker.brokerConfig.brokerClusterName)).toContain(brokerName);
    const route = await admin.examineTopicRouteInfo(topic);
    expect(route.queueDatas).toEqual([{ brokerName, readQueueNums: 2, writeQueueNums: 2, perm: 6, topicSysFlag: 0 }]);
    expect(await admin.fetchAllTopicList()).toContain(topic);
    expect(await admin.fetchTopicsByCluster(broker.brokerConfig.brokerClusterName)).toContain(topic);

    const ns = `ns-${randomId()}`;
    expect(await admin.getKVConfig(ns, 'k')).toBeUndefined();
    await admin.putKVConfig(ns, 'k', 'v1');
    expect(await admin.getKVConfig(ns, 'k')).toBe('v1');
    await admin.deleteKVConfig(ns, 'k');
    expect(await admin.getKVConfig(ns, 'k')).toBeUndefined();

    await admin.deleteTopicInNameServer(topic);
    const err = await admin.examineTopicRouteInfo(topic).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQBrokerError);
    expect(err).toMatchObject({ responseCode: ResponseCode.TOPIC_NOT_EXIST });
  });
});

describe('DefaultMQAdminExt, messages and offsets', () => {
  it('views a message by offset id, queries by key and by unique key, and reads queue offsets', async () => {
    const { c, admin, producer } = await setup();
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 1);
    const beforeMs = Date.now();
    const key = `order-${randomId()}`;
    const sent = await producer.send(new Message(topic, 'findme', { keys: [key, 'other'] }));
    await producer.send(new Message(topic, 'not me', { keys: 'unrelated' }));
    const mq = sent.messageQueue;

    const viewed = await admin.viewMessage(sent.offsetMsgId);
    expect([viewed.body.toString(), viewed.msgId, viewed.offsetMsgId]).toEqual(['findme', sent.msgId, sent.offsetMsgId]);

    await waitFor(async () => (await admin.queryMessage(topic, key, 32, beforeMs - 1000, Date.now() + 1000).catch(() => undefined)) !== undefined);
    const byKey = await admin.queryMessage(topic, key, 32, beforeMs - 1000, Date.now() + 1000);
    expect(byKey.messageList.map((m) => m.body.toString())).toEqual(['findme']);
    const byUniq = await admin.queryMessageByUniqKey(topic, sent.msgId);
    expect(byUniq.body.toString()).toBe('findme');
    const none = await admin.queryMessage(topic, `absent-${randomId()}`, 32, beforeMs - 1000, Date.now() + 1000).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(MQClientError);
    expect(none).toMatchObject({ clientErrorCode: 208 });

    expect(await admin.minOffset(mq)).toBe(0);
    expect(await admin.maxOffset(mq)).toBe(2);
    expect(await admin.earliestMsgStoreTime(mq)).toBeGreaterThanOrEqual(beforeMs - 1000);
    expect(await admin.searchOffset(mq, beforeMs - 60_000)).toBe(0);
  });
});

describe('DefaultMQAdminExt, broker admin', () => {
  it('creates a topic on the cluster masters, reads its stats and config, deletes it', async (ctx) => {
    const { c, admin, producer } = await setup();
    await requireBrokerCode(c, ctx, RequestCode.UPDATE_AND_CREATE_TOPIC, 'UPDATE_AND_CREATE_TOPIC');
    const broker = c.brokers[0]!;
    const topic = `t-${randomId()}`;
    expect(await admin.createTopic(topic, { readQueueNums: 3, writeQueueNums: 3 })).toEqual([broker.brokerAddr]);
    await c.waitForRoute(topic, [{ brokerName: broker.brokerConfig.brokerName, queueNums: 3, perm: 6 }]);
    await producer.send(new Message(topic, 'x'));
    await requireBrokerCode(c, ctx, RequestCode.GET_TOPIC_STATS_INFO, 'GET_TOPIC_STATS_INFO');
    const stats = await admin.examineTopicStats(topic);
    expect(stats.offsetTable.map((o) => o.messageQueue.queueId)).toEqual([0, 1, 2]);
    expect(stats.offsetTable.reduce((n, o) => n + o.maxOffset, 0)).toBe(1);
    await requireBrokerCode(c, ctx, RequestCode.DELETE_TOPIC_IN_BROKER, 'DELETE_TOPIC_IN_BROKER');
    await admin.deleteTopic(topic);
    expect(broker.topicConfigManager.selectTopicConfig(topic)).toBeUndefined();
  });

  it('examines consume stats and consumer connections of a group', async (ctx) => {
    const { c, admin, producer } = await setup();
    await requireBrokerCode(c, ctx, RequestCode.GET_CONSUMER_CONNECTION_LIST, 'GET_CONSUMER_CONNECTION_LIST');
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 1);
    await producer.send(new Message(topic, 'one'));
    const group = `cg-${randomId()}`;
    const consumer = c.track(new DefaultLitePullConsumer({ ...c.clientOptions(), consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false }));
    await consumer.subscribe(topic);
    await consumer.start();
    await waitFor(async () => (await consumer.poll(100)).length === 1);
    await consumer.commitSync();
    const connection = await admin.examineConsumerConnectionInfo(group);
    expect(connection.connectionSet.map((x) => x.clientId)).toEqual([consumer.clientInstance!.clientId]);
    expect(connection.subscriptionTable.get(topic)).toBe('*');
    await requireBrokerCode(c, ctx, RequestCode.GET_CONSUME_STATS, 'GET_CONSUME_STATS');
    const stats = await admin.examineConsumeStats(group, topic);
    expect(stats.offsetTable.map((o) => [o.messageQueue.topic, o.brokerOffset, o.consumerOffset])).toEqual([[topic, 1, 1]]);
  });

  it('reads the broker config and runtime stats', async (ctx) => {
    const { c, admin } = await setup();
    await requireBrokerCode(c, ctx, RequestCode.GET_BROKER_CONFIG, 'GET_BROKER_CONFIG');
    const broker = c.brokers[0]!;
    const config = await admin.getBrokerConfig(broker.brokerAddr);
    expect(config.get('brokerName')).toBe(broker.brokerConfig.brokerName);
    await requireBrokerCode(c, ctx, RequestCode.GET_BROKER_RUNTIME_INFO, 'GET_BROKER_RUNTIME_INFO');
    const runtime = await admin.fetchBrokerRuntimeStats(broker.brokerAddr);
    expect(runtime.has('brokerVersionDesc')).toBe(true);
  });

  it('asks a push consumer for its running info and has it consume a message directly (relayed by the broker)', async (ctx) => {
    const { c, admin, producer } = await setup();
    await requireBrokerCode(c, ctx, RequestCode.GET_CONSUMER_RUNNING_INFO, 'GET_CONSUMER_RUNNING_INFO');
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 2);
    const group = `cg-${randomId()}`;
    const seen: string[] = [];
    const consumer = c.track(new DefaultMQPushConsumer({ ...c.clientOptions({ pollNameServerIntervalMs: 200 }), consumerGroup: group }));
    consumer.subscribe(topic, 'TagA');
    consumer.registerMessageListener({ consumeMessage: (msgs) => (seen.push(...msgs.map((m) => m.body.toString())), 'CONSUME_SUCCESS') });
    await consumer.start();
    await waitFor(() => consumer.assignment().filter((q) => q.topic === topic).length === 2, { timeoutMs: 10_000 });
    const clientId = consumer.clientInstance!.clientId;
    const info = await admin.getConsumerRunningInfo(group, clientId);
    expect(info.properties.get('PROP_CONSUME_TYPE')).toBe('CONSUME_PASSIVELY');
    expect(info.properties.get('PROP_CONSUMEORDERLY')).toBe('false');
    expect(info.subscriptions.get(topic)).toBe('TagA');
    expect(info.subscriptions.has(`%RETRY%${group}`)).toBe(true);
    expect(info.mqTable.filter((e) => e.messageQueue.topic === topic).map((e) => e.messageQueue.queueId)).toEqual([0, 1]);

    // a TagB message is filtered out of normal consumption, but can be pushed to the client directly
    const sent = await producer.send(new Message(topic, 'direct', { tags: 'TagB' }));
    await requireBrokerCode(c, ctx, RequestCode.CONSUME_MESSAGE_DIRECTLY, 'CONSUME_MESSAGE_DIRECTLY');
    const answer = await admin.consumeMessageDirectly(group, clientId, topic, sent.offsetMsgId);
    expect(answer).toMatchObject({ consumeResult: 'CR_SUCCESS', order: false, autoCommit: true });
    expect(seen).toEqual(['direct']);
  });
});

/** A new topic with 2 queues holding `count` messages. */
async function topicWithMessages(c: Cluster, producer: DefaultMQProducer, count: number): Promise<string> {
  const topic = `t-${randomId()}`;
  await c.createTopic(topic, 2);
  for (let i = 0; i < count; i++) await producer.send(new Message(topic, `m${i}`));
  return topic;
}

const sleepMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends `before` messages, then `after` messages at least 50 ms later, over the topic's queues.
 * Returns the time between the two batches and, per queue id, how many of the first batch it holds.
 */
async function sendTwoBatches(producer: DefaultMQProducer, topic: string, before: number, after: number): Promise<{ midMs: number; beforeByQueue: Map<number, number>; queues: MessageQueue[] }> {
  const beforeByQueue = new Map<number, number>();
  const queues = new Map<number, MessageQueue>();
  for (let i = 0; i < before; i++) {
    const sent = await producer.send(new Message(topic, `before-${i}`));
    beforeByQueue.set(sent.messageQueue.queueId, (beforeByQueue.get(sent.messageQueue.queueId) ?? 0) + 1);
    queues.set(sent.messageQueue.queueId, sent.messageQueue);
  }
  await sleepMs(50);
  const midMs = Date.now();
  await sleepMs(50);
  for (let i = 0; i < after; i++) {
    const sent = await producer.send(new Message(topic, `after-${i}`));
    queues.set(sent.messageQueue.queueId, sent.messageQueue);
  }
  return { midMs, beforeByQueue, queues: [...queues.values()].sort((a, b) => a.queueId - b.queueId) };
}

/** queueId -> committed offset of the group on `topic`. */
async function committed(admin: DefaultMQAdminExt, group: string, topic: string): Promise<Map<number, number>> {
  const stats = await admin.examineConsumeStats(group, topic);
  return new Map(stats.offsetTable.map((o) => [o.messageQueue.queueId, o.consumerOffset]));
}

/** A push consumer of `topic` that records the bodies it consumes. */
async function startPushConsumer(c: Cluster, group: string, topic: string, seen: string[]): Promise<DefaultMQPushConsumer> {
  const consumer = c.track(new DefaultMQPushConsumer({
    ...c.clientOptions({ pollNameServerIntervalMs: 200, persistConsumerOffsetIntervalMs: 100 }), consumerGroup: group, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  }));
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener({ consumeMessage: (msgs) => (seen.push(...msgs.map((m) => m.body.toString())), 'CONSUME_SUCCESS') });
  await consumer.start();
  return consumer;
}

const sum = (offsets: Map<number, number>): number => [...offsets.values()].reduce((n, o) => n + o, 0);

describe('DefaultMQAdminExt, offset resets', () => {
  it('5.x broker (server-side reset), push consumer online: the broker answers and commits the offsets of the time', async () => {
    const { c, admin, producer } = await setup();
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 2);
    const { midMs, beforeByQueue } = await sendTwoBatches(producer, topic, 6, 4);
    const group = `cg-${randomId()}`;
    const seen: string[] = [];
    await startPushConsumer(c, group, topic, seen);
    await waitFor(() => seen.length === 10, { timeoutMs: 10_000 });
    await waitFor(async () => sum(await committed(admin, group, topic)) === 10, { timeoutMs: 10_000 });

    const reset = await admin.resetOffsetByTimestamp(topic, group, midMs, true);
    const brokerName = c.brokers[0]!.brokerConfig.brokerName;
    expect(reset).toEqual([0, 1].map((queueId) => ({ messageQueue: { topic, brokerName, queueId }, offset: beforeByQueue.get(queueId) ?? 0 })));
    expect(await committed(admin, group, topic)).toEqual(new Map([0, 1].map((q) => [q, beforeByQueue.get(q) ?? 0])));
  });

  it('client-side reset: an online push consumer re-consumes from the time; offline the broker answers 206 and the old fallback commits itself', async () => {
    const { c, admin, producer } = await setup({ useServerSideResetOffset: false });
    const broker = c.brokers[0]!;
    const brokerName = broker.brokerConfig.brokerName;
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 2);
    const { midMs, beforeByQueue, queues } = await sendTwoBatches(producer, topic, 5, 5);
    expect(queues.map((q) => q.queueId)).toEqual([0, 1]);
    const maxByQueue = new Map<number, number>();
    for (const mq of queues) maxByQueue.set(mq.queueId, await admin.maxOffset(mq));
    const beforeOffsets = new Map([0, 1].map((q) => [q, beforeByQueue.get(q) ?? 0]));
    const group = `cg-${randomId()}`;
    const seen: string[] = [];
    const consumer = await startPushConsumer(c, group, topic, seen);
    await waitFor(() => seen.length === 10, { timeoutMs: 10_000 });
    await waitFor(async () => sum(await committed(admin, group, topic)) === 10, { timeoutMs: 10_000 });

    // the broker tells the consumer (RESET_CONSUMER_CLIENT_OFFSET), which moves back and consumes the later batch again
    const reset = await admin.resetOffsetByTimestamp(topic, group, midMs, true);
    expect(reset).toEqual([0, 1].map((queueId) => ({ messageQueue: { topic, brokerName, queueId }, offset: beforeOffsets.get(queueId) })));
    await waitFor(() => seen.length === 15, { timeoutMs: 10_000 });
    expect(seen.slice(10).sort()).toEqual(['after-0', 'after-1', 'after-2', 'after-3', 'after-4']);
    await waitFor(async () => sum(await committed(admin, group, topic)) === 10, { timeoutMs: 10_000 });
    await consumer.shutdown();

    const err = await admin.resetOffsetByTimestamp(topic, group, midMs, false).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQBrokerError);
    expect(err).toMatchObject({ responseCode: ResponseCode.CONSUMER_NOT_ONLINE, brokerAddr: broker.brokerAddr });

    const rows = await admin.resetOffsetByTimestampOld(group, topic, midMs, false);
    expect(rows).toEqual([0, 1].map((queueId) => {
      const max = maxByQueue.get(queueId)!;
      const before = beforeOffsets.get(queueId)!;
      return { brokerName, queueId, brokerOffset: max, consumerOffset: max, timestampOffset: before, rollbackOffset: before };
    }));
    expect(await committed(admin, group, topic)).toEqual(beforeOffsets);

    // without force the group is never moved forwards (-1: to the max offset); with force it is
    const notForced = await admin.resetOffsetByTimestampOld(group, topic, -1, false);
    expect(notForced.map((r) => [r.timestampOffset, r.rollbackOffset])).toEqual([0, 1].map((q) => [maxByQueue.get(q), beforeOffsets.get(q)]));
    expect(await committed(admin, group, topic)).toEqual(beforeOffsets);
    const forced = await admin.resetOffsetByTimestampOld(group, topic, -1, true);
    expect(forced.map((r) => r.rollbackOffset)).toEqual([maxByQueue.get(0), maxByQueue.get(1)]);
    expect(await committed(admin, group, topic)).toEqual(maxByQueue);
  });

  it('updateConsumeOffset commits an offset; the old fallback starts a group without progress from the queues\' min offsets', async () => {
    const { c, admin, producer } = await setup();
    const broker = c.brokers[0]!;
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 2);
    const { midMs, beforeByQueue, queues } = await sendTwoBatches(producer, topic, 4, 4);
    const beforeOffsets = new Map([0, 1].map((q) => [q, beforeByQueue.get(q) ?? 0]));
    const group = `cg-${randomId()}`;
    // a 5.x broker takes offsets of existing groups only
    await admin.createAndUpdateSubscriptionGroupConfig(broker.brokerAddr, { groupName: group });

    const rows = await admin.resetOffsetByTimestampOld(group, topic, midMs, false);
    // consumerOffset is the min offset (0): the time's offset is ahead of it, so nothing is committed without force
    expect(rows.map((r) => [r.queueId, r.consumerOffset, r.timestampOffset, r.rollbackOffset])).toEqual([0, 1].map((q) => [q, 0, beforeOffsets.get(q), 0]));
    await admin.resetOffsetByTimestampOld(group, topic, midMs, true);
    expect(await committed(admin, group, topic)).toEqual(beforeOffsets);

    await admin.updateConsumeOffset(broker.brokerAddr, group, queues[1]!, 1);
    expect(await committed(admin, group, topic)).toEqual(new Map([[0, beforeOffsets.get(0)], [1, 1]]));
  });
});

describe('DefaultMQAdminExt, groups', () => {
  it('clones a group\'s offsets to a new group and lists both groups\' consume stats on the broker', async () => {
    const { c, admin, producer } = await setup();
    const broker = c.brokers[0]!;
    const topic = await topicWithMessages(c, producer, 5);
    const src = `cg-${randomId()}`;
    const consumer = c.track(new DefaultLitePullConsumer({ ...c.clientOptions(), consumerGroup: src, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', autoCommit: false }));
    await consumer.subscribe(topic);
    await consumer.start();
    let polled = 0;
    await waitFor(async () => (polled += (await consumer.poll(100)).length) === 5, { timeoutMs: 10_000 });
    await consumer.commitSync();
    const srcOffsets = await committed(admin, src, topic);
    expect([...srcOffsets.values()].reduce((n, o) => n + o, 0)).toBe(5);

    const dest = `cg-${randomId()}`;
    await admin.cloneGroupOffset(src, dest, topic, false);
    expect(await committed(admin, dest, topic)).toEqual(srcOffsets);

    await producer.send(new Message(topic, 'backlog'));
    const list = await admin.fetchConsumeStatsInBroker(broker.brokerAddr, false);
    expect(list.brokerAddr).toBe(broker.brokerAddr);
    const ofSrc = list.consumeStatsList.find((m) => m.has(src))?.get(src);
    expect(ofSrc?.flatMap((s) => s.offsetTable).map((o) => [o.messageQueue.topic, o.messageQueue.queueId, o.consumerOffset])).toEqual(
      [0, 1].map((q) => [topic, q, srcOffsets.get(q)]),
    );
    expect(list.totalDiff).toBeGreaterThanOrEqual(1);
    expect((await admin.fetchConsumeStatsInBroker(broker.brokerAddr, true)).consumeStatsList.find((m) => m.has(src))?.get(src)).toEqual([]);
  });

  it('reads every subscription group and one group\'s config', async () => {
    const { c, admin } = await setup();
    const broker = c.brokers[0]!;
    const group = `cg-${randomId()}`;
    await admin.createAndUpdateSubscriptionGroupConfig(broker.brokerAddr, { groupName: group, retryMaxTimes: 3, consumeMessageOrderly: true, consumeBroadcastEnable: false });
    const all = await admin.getAllSubscriptionGroup(broker.brokerAddr);
    const expected = {
      groupName: group, consumeEnable: true, consumeFromMinEnable: true, consumeBroadcastEnable: false, consumeMessageOrderly: true, retryQueueNums: 1,
      retryMaxTimes: 3, brokerId: 0, whichBrokerWhenConsumeSlowly: 1, notifyConsumerIdsChangedEnable: true, groupSysFlag: 0, consumeTimeoutMinute: 15,
    };
    expect(all.subscriptionGroupTable.get(group)).toMatchObject(expected);
    expect(all.dataVersion.counter).toBeGreaterThan(0);
    expect(await admin.examineSubscriptionGroupConfig(broker.brokerAddr, group)).toMatchObject(expected);
    expect(await admin.examineSubscriptionGroupConfig(broker.brokerAddr, `absent-${randomId()}`)).toBeUndefined();
  });

  it('examineConsumeStats of a group with no progress and nobody online is MQClientError 206', async () => {
    const { c, admin } = await setup();
    const topic = `t-${randomId()}`;
    await c.createTopic(topic, 1);
    const group = `cg-${randomId()}`;
    const consumer = c.track(new DefaultLitePullConsumer({ ...c.clientOptions(), consumerGroup: group, autoCommit: false }));
    await consumer.subscribe(topic);
    await consumer.start();
    // the heartbeat made the group's retry topic, which routes the question to the broker
    await waitFor(async () => (await admin.examineTopicRouteInfo(`%RETRY%${group}`).catch(() => undefined)) !== undefined, { timeoutMs: 10_000 });
    await consumer.shutdown();
    const err = await admin.examineConsumeStats(group).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQClientError);
    expect(err).toMatchObject({ clientErrorCode: ResponseCode.CONSUMER_NOT_ONLINE });
  });
});

describe('DefaultMQAdminExt, broker tables and stats', () => {
  it('reads every topic config of a broker', async () => {
    const { c, admin } = await setup();
    const broker = c.brokers[0]!;
    const topic = `t-${randomId()}`;
    await admin.createTopic(topic, { readQueueNums: 3, writeQueueNums: 2, perm: 4 });
    const all = await admin.getAllTopicConfig(broker.brokerAddr);
    expect(all.topicConfigTable.get(topic)).toMatchObject({ topicName: topic, readQueueNums: 3, writeQueueNums: 2, perm: 4, order: false });
    expect(all.topicConfigTable.has('TBW102')).toBe(true);
    expect(all.dataVersion.counter).toBeGreaterThan(0);
  });

  it('views TOPIC_PUT_NUMS of a topic after sends; an uncounted key is MQBrokerError SYSTEM_ERROR', async () => {
    const { c, admin, producer } = await setup();
    const broker = c.brokers[0]!;
    const topic = await topicWithMessages(c, producer, 7);
    // the broker samples its stats every 10 s: the minute view shows the sends after the next sample
    await waitFor(async () => (await admin.viewBrokerStatsData(broker.brokerAddr, 'TOPIC_PUT_NUMS', topic)).statsMinute.sum === 7, { timeoutMs: 15_000, intervalMs: 200 });
    const data = await admin.viewBrokerStatsData(broker.brokerAddr, 'TOPIC_PUT_NUMS', topic);
    expect(data.statsMinute.tps).toBeGreaterThan(0);
    expect(data.statsMinute.avgpt).toBe(1);
    const err = await admin.viewBrokerStatsData(broker.brokerAddr, 'TOPIC_PUT_NUMS', `absent-${randomId()}`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQBrokerError);
    expect(err).toMatchObject({ responseCode: ResponseCode.SYSTEM_ERROR });
  }, 30_000);
});
