// TopicConfigManager and SubscriptionGroupManager on real temp dirs: system topics, creation
// paths, data versions, change events, and topics.json / subscriptionGroup.json in RocketMQ's
// shape, read back after a restart.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CLUSTER_NAME, ManualClock, PermName, TopicValidator } from '@apogee/common';
import { parseLenientJson } from '@apogee/remoting';
import { quietLogger, randomId } from '@apogee/remoting/testing';
import {
  type BrokerConfig, type TopicChangeKind, SubscriptionGroupManager, TopicConfigManager, brokerConfigForTest,
  newTopicConfig, subscriptionGroupPath, topicConfigPath,
} from '../src/index.js';
import { Fixture } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

function topics(dir: string, broker: BrokerConfig, clock = new ManualClock(1_700_000_000_000)): TopicConfigManager {
  return new TopicConfigManager({ broker, path: topicConfigPath(dir), clock, log: quietLogger('topics') });
}

function groups(dir: string, broker: BrokerConfig): SubscriptionGroupManager {
  return new SubscriptionGroupManager({ broker, path: subscriptionGroupPath(dir), clock: new ManualClock(1_700_000_000_000), log: quietLogger('groups') });
}

describe('topic table', () => {
  it('creates the system topics as RocketMQ does', () => {
    const broker = brokerConfigForTest(fixture.tempDir(), { brokerName: 'broker-x', brokerClusterName: 'ClusterX' }).broker;
    const table = topics(fixture.tempDir(), broker);
    const summary = (name: string): unknown => {
      const t = table.selectTopicConfig(name);
      return t === undefined ? undefined : [t.readQueueNums, t.writeQueueNums, t.perm];
    };
    expect(summary(TopicValidator.RMQ_SYS_SELF_TEST_TOPIC)).toEqual([1, 1, 6]);
    expect(summary(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC)).toEqual([8, 8, 7]);
    expect(summary(TopicValidator.RMQ_SYS_BENCHMARK_TOPIC)).toEqual([1024, 1024, 6]);
    expect(summary('ClusterX')).toEqual([16, 16, 7]);
    expect(summary('broker-x')).toEqual([1, 1, 7]);
    expect(summary(TopicValidator.RMQ_SYS_OFFSET_MOVED_EVENT)).toEqual([1, 1, 6]);
    expect(summary(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC)).toEqual([18, 18, 6]);
    expect(summary('ClusterX_REPLY_TOPIC')).toEqual([1, 1, 6]);
    expect(summary('rmq_sys_SYNC_BROKER_MEMBER_broker-x')).toEqual([1, 1, 1]);
    expect(summary(TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC)).toEqual([1, 1, 6]);
    expect(summary(TopicValidator.RMQ_SYS_TRANS_OP_HALF_TOPIC)).toEqual([1, 1, 6]);
    expect(summary(TopicValidator.RMQ_SYS_TRACE_TOPIC)).toBeUndefined();

    const noAuto = topics(fixture.tempDir(), brokerConfigForTest(fixture.tempDir(), { autoCreateTopicEnable: false, clusterTopicEnable: false }).broker);
    expect(noAuto.containsTopic(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC)).toBe(false);
    expect(noAuto.selectTopicConfig(DEFAULT_CLUSTER_NAME)?.perm).toBe(PermName.PERM_INHERIT);
  });

  it('auto-creates a topic on send from a template with INHERIT: min(client, template) queues, perm without INHERIT', () => {
    const table = topics(fixture.tempDir(), brokerConfigForTest(fixture.tempDir()).broker);
    const events: Array<[TopicChangeKind, string]> = [];
    table.onChange((kind, t) => events.push([kind, t.topicName]));
    const before = table.dataVersion;
    const topic = `t-${randomId()}`;
    const created = table.createTopicInSendMessageMethod(topic, 'TBW102', '127.0.0.1:5555', 4, 0);
    expect(created).toMatchObject({ topicName: topic, readQueueNums: 4, writeQueueNums: 4, perm: 6, topicFilterType: 'SINGLE_TAG' });
    expect(table.createTopicInSendMessageMethod(`big-${randomId()}`, 'TBW102', 'p', 100, 0)?.writeQueueNums).toBe(8);
    expect(table.createTopicInSendMessageMethod(topic, 'TBW102', 'p', 1, 0)).toBe(created); // existing: unchanged
    expect(table.createTopicInSendMessageMethod(`x-${randomId()}`, 'SELF_TEST_TOPIC', 'p', 4, 0)).toBeUndefined(); // no INHERIT
    expect(table.createTopicInSendMessageMethod(`x-${randomId()}`, 'NO_SUCH_TEMPLATE', 'p', 4, 0)).toBeUndefined();
    expect(events.map((e) => e[0])).toEqual(['create', 'create']);
    expect(table.dataVersion.counter).toBe(before.counter + 2);
  });

  it('creates retry/DLQ topics, updates and deletes topics, and refuses bad queue counts', () => {
    const table = topics(fixture.tempDir(), brokerConfigForTest(fixture.tempDir()).broker);
    const events: string[] = [];
    table.onChange((kind, t) => events.push(`${kind}:${t.topicName}`));
    const retry = `%RETRY%cg-${randomId()}`;
    expect(table.createTopicInSendMessageBackMethod(retry, 1, 6, false, 0)).toMatchObject({ readQueueNums: 1, perm: 6, order: false });
    expect(table.createTopicInSendMessageBackMethod(retry, 1, 6, true, 0)?.order).toBe(true);
    expect(table.createTopicOfTranCheckMaxTime(1, 6)?.topicName).toBe('TRANS_CHECK_MAX_TIME_TOPIC');
    const topic = `t-${randomId()}`;
    expect(table.updateTopicConfig(newTopicConfig(topic, { readQueueNums: 2, writeQueueNums: 2 }))).toMatchObject({ readQueueNums: 2 });
    expect(table.updateTopicConfig(newTopicConfig(topic, { readQueueNums: 2, writeQueueNums: 2 }))).toMatchObject({ readQueueNums: 2 }); // no change, no event
    expect(table.updateTopicConfig(newTopicConfig(topic, { readQueueNums: -1 }))).toMatch(/readQueueNums -1/);
    expect(table.updateTopicConfig(newTopicConfig(topic, { perm: 9 }))).toMatch(/perm 9/);
    expect(table.deleteTopicConfig(topic)).toBe(true);
    expect(table.deleteTopicConfig(topic)).toBe(false);
    expect(events).toEqual([`create:${retry}`, `update:${retry}`, 'create:TRANS_CHECK_MAX_TIME_TOPIC', `create:${topic}`, `delete:${topic}`]);
  });

  it('writes topics.json in RocketMQ shape and reads it back over the system topics', async () => {
    const dir = fixture.tempDir();
    const broker = brokerConfigForTest(dir).broker;
    const table = topics(dir, broker);
    const topic = `t-${randomId()}`;
    table.updateTopicConfig(newTopicConfig(topic, { readQueueNums: 3, writeQueueNums: 5, order: true, attributes: { '+message.type': 'FIFO' } }));
    await table.flush();
    const text = readFileSync(topicConfigPath(dir), 'utf8');
    const parsed = parseLenientJson(text);
    const root = parsed.ok ? (parsed.value as { dataVersion: unknown; topicConfigTable: Record<string, unknown> }) : undefined;
    expect(root?.dataVersion).toEqual(table.dataVersion);
    expect(root?.topicConfigTable[topic]).toEqual({
      attributes: { '+message.type': 'FIFO' }, order: true, perm: 6, readQueueNums: 3, topicFilterType: 'SINGLE_TAG',
      topicName: topic, topicSysFlag: 0, writeQueueNums: 5,
    });
    expect(Object.keys(root?.topicConfigTable ?? {})).toContain('TBW102');

    const reloaded = topics(dir, broker);
    await reloaded.load();
    expect(reloaded.selectTopicConfig(topic)).toMatchObject({ readQueueNums: 3, writeQueueNums: 5, order: true });
    expect(reloaded.dataVersion).toEqual(table.dataVersion);
  });

  it('loads a topics.json written by a Java broker (fastjson pretty format)', async () => {
    const dir = fixture.tempDir();
    const path = topicConfigPath(dir);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, '{\n\t"dataVersion":{\n\t\t"counter":7,\n\t\t"stateVersion":0,\n\t\t"timestamp":1700000000123\n\t},\n\t"topicConfigTable":{\n\t\t"JavaTopic":{\n\t\t\t"attributes":{},\n\t\t\t"order":false,\n\t\t\t"perm":6,\n\t\t\t"readQueueNums":4,\n\t\t\t"topicFilterType":"SINGLE_TAG",\n\t\t\t"topicName":"JavaTopic",\n\t\t\t"topicSysFlag":0,\n\t\t\t"writeQueueNums":4\n\t\t}\n\t}\n}');
    const table = topics(dir, brokerConfigForTest(dir).broker);
    await table.load();
    expect(table.selectTopicConfig('JavaTopic')).toMatchObject({ readQueueNums: 4, writeQueueNums: 4, perm: 6 });
    expect(table.dataVersion).toEqual({ counter: 7, stateVersion: 0, timestamp: 1700000000123 });
  });
});

describe('subscription group table', () => {
  it('auto-creates groups with the defaults and persists subscriptionGroup.json in RocketMQ shape', async () => {
    const dir = fixture.tempDir();
    const broker = brokerConfigForTest(dir).broker;
    const table = groups(dir, broker);
    expect(table.containsSubscriptionGroup('TOOLS_CONSUMER')).toBe(true);
    const group = `cg-${randomId()}`;
    expect(table.findSubscriptionGroupConfig(group)).toMatchObject({ groupName: group, retryQueueNums: 1, retryMaxTimes: 16, consumeEnable: true });
    expect(table.findSubscriptionGroupConfig('bad group name')).toBeUndefined();
    await table.flush();
    const parsed = parseLenientJson(readFileSync(subscriptionGroupPath(dir), 'utf8'));
    const root = parsed.ok ? (parsed.value as { subscriptionGroupTable: Record<string, unknown>; forbiddenTable: unknown; dataVersion: { counter: number } }) : undefined;
    expect(root?.subscriptionGroupTable[group]).toEqual({
      attributes: {}, brokerId: 0, consumeBroadcastEnable: true, consumeEnable: true, consumeFromMinEnable: true,
      consumeMessageOrderly: false, consumeTimeoutMinute: 15, groupName: group, groupRetryPolicy: { type: 'CUSTOMIZED' },
      groupSysFlag: 0, notifyConsumerIdsChangedEnable: true, retryMaxTimes: 16, retryQueueNums: 1, whichBrokerWhenConsumeSlowly: 1,
    });
    expect(root?.forbiddenTable).toEqual({});
    expect(root?.dataVersion.counter).toBe(1);

    const reloaded = groups(dir, broker);
    await reloaded.load();
    expect(reloaded.selectSubscriptionGroupConfig(group)?.retryMaxTimes).toBe(16);
  });

  it('does not create groups when autoCreateSubscriptionGroup is off, except CID_RMQ_SYS_ ones', () => {
    const table = groups(fixture.tempDir(), brokerConfigForTest(fixture.tempDir(), { autoCreateSubscriptionGroup: false }).broker);
    expect(table.findSubscriptionGroupConfig(`cg-${randomId()}`)).toBeUndefined();
    expect(table.findSubscriptionGroupConfig(`CID_RMQ_SYS_${randomId()}`)).toBeDefined();
    const updated = table.updateSubscriptionGroupConfig({ ...table.findSubscriptionGroupConfig('TOOLS_CONSUMER')!, groupName: 'g1', retryMaxTimes: 3 });
    expect(updated).toMatchObject({ groupName: 'g1', retryMaxTimes: 3 });
    expect(table.disableConsume('g1')).toBe(true);
    expect(table.selectSubscriptionGroupConfig('g1')?.consumeEnable).toBe(false);
    expect(table.deleteSubscriptionGroupConfig('g1')).toBe(true);
    expect(table.containsSubscriptionGroup('g1')).toBe(false);
  });
});
