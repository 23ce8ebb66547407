// Topic admin codes over the wire against a real NameServer and broker in this process:
// UPDATE_AND_CREATE_TOPIC (17, route visible when the answer arrives), DELETE_TOPIC_IN_BROKER
// (215), GET_ALL_TOPIC_CONFIG (21), GET_TOPIC_CONFIG (351), GET_TOPIC_STATS_INFO (202),
// QUERY_TOPIC_CONSUME_BY_WHO (300), QUERY_TOPICS_BY_CONSUMER (343),
// GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305). Bodies are compared as text: Java's fastjson decoders
// read them, so key order, object keys and number forms matter.

import { afterEach, describe, expect, it } from 'vitest';
import { TopicValidator } from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, CreateTopicRequestHeader, RequestCode, ResponseCode, createRequestCommand, parseLenientJson,
} from '@apogee/remoting';
import { randomId } from '@apogee/remoting/testing';
import { Fixture, heartbeat } from './helpers.js';
import { send, startBroker } from './message-wire.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

const TIMEOUT_MS = 5_000;

function call(client: RemotingClient, addr: string, code: number, ext: Record<string, string> = {}, body?: Buffer): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(code, ext, body), TIMEOUT_MS);
}

/** UPDATE_AND_CREATE_TOPIC as DefaultMQAdminExt.createAndUpdateTopicConfig sends it. */
function createTopicExt(topic: string, fields: Partial<CreateTopicRequestHeader> = {}): Record<string, string> {
  return CreateTopicRequestHeader.encode({
    topic, defaultTopic: 'TBW102', readQueueNums: 3, writeQueueNums: 3, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false,
    attributes: '', force: false, ...fields,
  });
}

function json(res: RemotingCommand): Record<string, unknown> {
  const parsed = parseLenientJson(res.body?.toString('utf8') ?? '');
  if (!parsed.ok) throw new Error(`body is not JSON: ${parsed.reason}`);
  return parsed.value as Record<string, unknown>;
}

describe('UPDATE_AND_CREATE_TOPIC (17)', () => {
  it('creates the topic, persists it and the NameServer routes it as soon as the answer arrives; an update changes queues and perm', async () => {
    const namesrv = await fixture.namesrv();
    const { broker, addr } = await startBroker(fixture, { namesrvAddr: namesrv.address });
    const client = fixture.client();
    const topic = `t-${randomId()}`;

    const created = await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic, { attributes: '+message.type=NORMAL' }));
    expect(created.code).toBe(ResponseCode.SUCCESS);
    expect(namesrv.routes.pickupTopicRouteData(topic)?.queueDatas).toEqual([
      { brokerName: broker.brokerConfig.brokerName, perm: 6, readQueueNums: 3, writeQueueNums: 3, topicSysFlag: 0 },
    ]);
    expect(broker.topicConfigManager.selectTopicConfig(topic)).toMatchObject({ readQueueNums: 3, attributes: { 'message.type': 'NORMAL' } });

    const updated = await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic, { readQueueNums: 5, writeQueueNums: 5, perm: 4 }));
    expect(updated.code).toBe(ResponseCode.SUCCESS);
    expect(namesrv.routes.pickupTopicRouteData(topic)?.queueDatas[0]).toMatchObject({ readQueueNums: 5, writeQueueNums: 5, perm: 4 });
    // an update without attribute changes keeps the attributes
    expect(broker.topicConfigManager.selectTopicConfig(topic)?.attributes).toEqual({ 'message.type': 'NORMAL' });

    // the same config again is a no-op: no new data version
    const version = broker.topicConfigManager.dataVersion;
    expect((await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic, { readQueueNums: 5, writeQueueNums: 5, perm: 4 }))).code).toBe(ResponseCode.SUCCESS);
    expect(broker.topicConfigManager.dataVersion).toEqual(version);
  });

  it('refuses bad names, system topics, bad queue counts and perms, and bad attribute changes with 29; a missing header field with 1', async () => {
    const { broker, addr } = await startBroker(fixture);
    const client = fixture.client();
    const cases: Array<[Record<string, string>, string]> = [
      [createTopicExt('bad topic'), 'characters outside'],
      [createTopicExt('x'.repeat(128)), 'more than the limit'],
      [createTopicExt(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC), 'conflict with system topic'],
      [createTopicExt(broker.brokerConfig.brokerClusterName), 'conflict with system topic'],
      [createTopicExt('rmq_sys_mine'), 'conflict with system topic'],
      [createTopicExt(`t-${randomId()}`, { readQueueNums: -1 }), 'readQueueNums -1'],
      [createTopicExt(`t-${randomId()}`, { perm: 9 }), 'perm 9'],
      [createTopicExt(`t-${randomId()}`, { attributes: '+unknown.key=1' }), 'unsupported topic attribute: unknown.key'],
      [createTopicExt(`t-${randomId()}`, { attributes: '-message.type' }), 'only add attribute is supported while creating topic'],
      [createTopicExt(`t-${randomId()}`, { attributes: '+message.type=WEIRD' }), 'not allowed for topic attribute message.type'],
    ];
    for (const [ext, remark] of cases) {
      const res = await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, ext);
      expect([res.code, res.remark], JSON.stringify(ext)).toEqual([ResponseCode.INVALID_PARAMETER, expect.stringContaining(remark)]);
    }
    const existing = `t-${randomId()}`;
    expect((await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(existing, { attributes: '+queue.type=SimpleCQ' }))).code).toBe(ResponseCode.SUCCESS);
    const unchangeable = await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(existing, { attributes: '+queue.type=BatchCQ' }));
    expect([unchangeable.code, unchangeable.remark]).toEqual([ResponseCode.INVALID_PARAMETER, expect.stringContaining('unchangeable attribute. key: queue.type')]);

    const { perm: _perm, ...withoutPerm } = createTopicExt(`t-${randomId()}`);
    const missing = await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, withoutPerm);
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SYSTEM_ERROR, expect.stringContaining('perm')]);
  });
});

describe('DELETE_TOPIC_IN_BROKER (215)', () => {
  it('drops the config, every group offset on the topic and its consume queues', async () => {
    const { broker, addr } = await startBroker(fixture);
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    expect((await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic, { readQueueNums: 1, writeQueueNums: 1 }))).code).toBe(0);
    for (let i = 0; i < 3; i++) expect((await send(client, addr, topic, `m${i}`)).code).toBe(ResponseCode.SUCCESS);
    await broker.messageStore.waitForDispatch();
    broker.consumerOffsetManager.commitOffset('test', 'g1', topic, 0, 2);
    broker.consumerOffsetManager.commitOffset('test', 'g2', topic, 0, 1);
    expect(broker.messageStore.getMaxOffsetInQueue(topic, 0)).toBe(3);

    const res = await call(client, addr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(broker.topicConfigManager.containsTopic(topic)).toBe(false);
    expect(broker.consumerOffsetManager.whichGroupByTopic(topic).size).toBe(0);
    expect(broker.messageStore.getMaxOffsetInQueue(topic, 0)).toBe(0);

    // deleting again is still SUCCESS (as in RocketMQ); system topics are refused
    expect((await call(client, addr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic })).code).toBe(ResponseCode.SUCCESS);
    const system = await call(client, addr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic: TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC });
    expect([system.code, system.remark]).toEqual([ResponseCode.INVALID_PARAMETER, 'The topic[TBW102] is conflict with system topic.']);
    expect(broker.topicConfigManager.containsTopic(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC)).toBe(true);
  });
});

describe('topic config and stats reads', () => {
  it('GET_TOPIC_CONFIG (351) answers the TopicConfig text, 17 for an unknown topic; GET_ALL_TOPIC_CONFIG (21) the whole table', async () => {
    const { broker, addr } = await startBroker(fixture);
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic, { readQueueNums: 2, writeQueueNums: 4, perm: 6, order: true }));

    const one = await call(client, addr, RequestCode.GET_TOPIC_CONFIG, { topic, lo: 'true' });
    expect(one.code).toBe(ResponseCode.SUCCESS);
    expect(one.body?.toString()).toBe(
      `{"attributes":{},"order":true,"perm":6,"readQueueNums":2,"topicFilterType":"SINGLE_TAG","topicName":"${topic}","topicSysFlag":0,"writeQueueNums":4}`,
    );
    const unknown = await call(client, addr, RequestCode.GET_TOPIC_CONFIG, { topic: 'nope' });
    expect([unknown.code, unknown.remark]).toEqual([ResponseCode.TOPIC_NOT_EXIST, 'No topic in this broker. topic: nope']);

    const all = await call(client, addr, RequestCode.GET_ALL_TOPIC_CONFIG);
    expect(all.code).toBe(ResponseCode.SUCCESS);
    expect(all.extFields?.['totalTopicNum']).toBe(String(broker.topicConfigManager.size));
    const wrapper = json(all) as { dataVersion: { counter: number }; topicConfigTable: Record<string, unknown> };
    expect(wrapper.dataVersion.counter).toBe(broker.topicConfigManager.dataVersion.counter);
    expect(wrapper.topicConfigTable[topic]).toEqual(json(one));
    expect(Object.keys(wrapper.topicConfigTable)).toContain(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC);
  });

  it('GET_TOPIC_STATS_INFO (202) answers a TopicStatsTable with MessageQueue object keys; 17 for an unknown topic', async () => {
    const { broker, addr } = await startBroker(fixture);
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    const brokerName = broker.brokerConfig.brokerName;
    await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic, { readQueueNums: 2, writeQueueNums: 2 }));
    for (let i = 0; i < 3; i++) await send(client, addr, topic, `m${i}`, { queueId: 1 });
    await broker.messageStore.waitForDispatch();
    const lastStoreMs = await broker.messageStore.getMessageStoreTimeStamp(topic, 1, 2);
    expect(lastStoreMs).toBeGreaterThan(0);

    const res = await call(client, addr, RequestCode.GET_TOPIC_STATS_INFO, { topic });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const mq = (queueId: number): string => `{"brokerName":"${brokerName}","queueId":${queueId},"topic":"${topic}"}`;
    expect(res.body?.toString()).toBe(
      `{"offsetTable":{${mq(0)}:{"lastUpdateTimestamp":0,"maxOffset":0,"minOffset":0},` +
      `${mq(1)}:{"lastUpdateTimestamp":${lastStoreMs},"maxOffset":3,"minOffset":0}},"topicPutTps":0}`,
    );

    const unknown = await call(client, addr, RequestCode.GET_TOPIC_STATS_INFO, { topic: `t-${randomId()}` });
    expect([unknown.code, unknown.remark]).toEqual([ResponseCode.TOPIC_NOT_EXIST, expect.stringMatching(/^topic\[t-.*\] not exist$/)]);
  });

  it('QUERY_TOPIC_CONSUME_BY_WHO (300) joins online subscribers and groups with offsets; QUERY_TOPICS_BY_CONSUMER (343) lists a group\'s topics', async () => {
    const { broker, addr } = await startBroker(fixture);
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    const online = `cg-${randomId()}`;
    const offline = `cg-${randomId()}`;
    await call(client, addr, RequestCode.UPDATE_AND_CREATE_TOPIC, createTopicExt(topic));
    await heartbeat(client, addr, 'c1', [{ group: online, topics: [topic] }]);
    broker.consumerOffsetManager.commitOffset('test', offline, topic, 0, 1);
    broker.consumerOffsetManager.commitOffset('test', offline, 'other-topic', 0, 1);

    const who = await call(client, addr, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, { topic });
    expect(who.body?.toString()).toBe(`{"groupList":${JSON.stringify([online, offline].sort())}}`);

    const topics = await call(client, addr, RequestCode.QUERY_TOPICS_BY_CONSUMER, { group: offline });
    expect(topics.body?.toString()).toBe(`{"brokerAddr":"${addr}","topicList":${JSON.stringify(['other-topic', topic].sort())}}`);
  });

  it('GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305) lists the system topics including this broker\'s cluster and broker topics', async () => {
    const { broker, addr } = await startBroker(fixture);
    const res = await call(fixture.client(), addr, RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER);
    const list = (json(res) as { topicList: string[] }).topicList;
    expect(list).toEqual(expect.arrayContaining([
      TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC, broker.brokerConfig.brokerClusterName, broker.brokerConfig.brokerName,
    ]));
    expect(list).toEqual([...list].sort());
  });
});
