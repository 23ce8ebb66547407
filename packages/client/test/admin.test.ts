// DefaultMQAdminExt against a real in-process NameServer + broker. NameServer questions, message
// lookups (view by offset id, query by key and unique key) and queue offsets are answered by
// Apogee today. Broker admin codes the Apogee broker does not answer yet are probed first; their
// tests are skipped (with the code named) until it does, and test-e2e/test/sdk-rocketmq.test.ts
// runs them against Apache RocketMQ 5.3.3.

import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { Message } from '@apogee/common';
import { RequestCode, ResponseCode } from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { DefaultLitePullConsumer, DefaultMQAdminExt, DefaultMQProducer, DefaultMQPushConsumer, MQBrokerError, MQClientError } from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

async function setup(): Promise<{ c: Cluster; admin: DefaultMQAdminExt; producer: DefaultMQProducer }> {
  const c = await Cluster.start(1);
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
