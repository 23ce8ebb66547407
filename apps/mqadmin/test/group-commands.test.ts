// updateSubGroup, deleteSubGroup, consumerProgress, consumerConnection and producerConnection
// against an in-process Apogee NameServer + broker: RocketMQ's lines and tables, --json, the
// exit statuses of success and of the clear failures, and the 80-column fit.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { ExitStatus } from '../src/index.js';
import type { ConsumerConnectionJson } from '../src/commands/group/consumer-connection.js';
import type { ConsumerGroupSummaryRow, ConsumerProgressJson } from '../src/commands/group/consumer-progress.js';
import type { DeleteSubGroupJson } from '../src/commands/group/delete-sub-group.js';
import type { ProducerConnectionJson } from '../src/commands/group/producer-connection.js';
import type { UpdateSubGroupJson } from '../src/commands/group/update-sub-group.js';
import { versionDesc } from '../src/commands/group/group-support.js';
import { brokerOutcomes, eachBroker } from '../src/commands/broker-targets.js';
import { BufferedOutput, CommandContext } from '../src/index.js';
import { Harness } from './harness.js';
import { consumedTopic, expectFits, re, startConsumer, startProducer, waitCommitted, withAdmin } from './group-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.shutdown();
});

const subGroupConfig = (group: string) => withAdmin(h, (admin) => admin.examineSubscriptionGroupConfig(h.brokerAddr, group));

describe('updateSubGroup', () => {
  it('-b writes the whole config to the broker and prints RocketMQ\'s line and the config', async () => {
    const group = `cg-${randomId()}`;
    const result = await h.run(['updateSubGroup', '-b', h.brokerAddr, '-g', group, '-o', 'true', '-q', '2', '-r', '5', '-a', 'false']);
    expect(result.status).toBe(ExitStatus.OK);
    const [line, config] = result.stdout.trimEnd().split('\n');
    expect(line).toBe(`create subscription group to ${h.brokerAddr} success.`);
    expect(config).toBe(
      `SubscriptionGroupConfig{groupName=${group}, consumeEnable=true, consumeFromMinEnable=false, consumeBroadcastEnable=false, consumeMessageOrderly=true, `
      + 'retryQueueNums=2, retryMaxTimes=5, brokerId=0, whichBrokerWhenConsumeSlowly=1, notifyConsumerIdsChangedEnable=false, groupSysFlag=0, consumeTimeoutMinute=15}',
    );
    expect(await subGroupConfig(group)).toMatchObject({
      groupName: group, consumeEnable: true, consumeFromMinEnable: false, consumeBroadcastEnable: false, consumeMessageOrderly: true,
      retryQueueNums: 2, retryMaxTimes: 5, notifyConsumerIdsChangedEnable: false,
    });
  });

  it('-c writes to every master of the cluster; --json reports each broker and the config; options left out go back to the defaults', async () => {
    const group = `cg-${randomId()}`;
    await h.run(['updateSubGroup', '-b', h.brokerAddr, '-g', group, '-o', 'true', '-s', 'false']);
    const json = await h.json<UpdateSubGroupJson>(['updateSubGroup', '-c', 'DefaultCluster', '-g', group, '-m', 'true', '-d', 'true', '-i', '1', '-w', '0']);
    expect(json.clusterName).toBe('DefaultCluster');
    expect(json.brokers).toEqual([{ brokerAddr: h.brokerAddr, ok: true }]);
    expect(json.config).toMatchObject({ groupName: group, consumeEnable: true, consumeFromMinEnable: true, consumeBroadcastEnable: true, consumeMessageOrderly: false, brokerId: 1, whichBrokerWhenConsumeSlowly: 0 });
    expect(await subGroupConfig(group)).toMatchObject({ consumeEnable: true, consumeFromMinEnable: true, consumeBroadcastEnable: true, consumeMessageOrderly: false, brokerId: 1, whichBrokerWhenConsumeSlowly: 0 });
  });

  it('breaks the config line to fit an 80-column terminal', async () => {
    const result = await h.run(['updateSubGroup', '-c', 'DefaultCluster', '-g', `cg-${randomId()}`], { ttyColumns: 80 });
    expect(result.status).toBe(ExitStatus.OK);
    expectFits(result.stdout);
    expect(result.stdout).toMatch(/^SubscriptionGroupConfig\{groupName=cg-\w+, /m);
    expect(result.stdout).toMatch(/^ {4}\S.*consumeTimeoutMinute=15\}$/m);
  });

  it('usage errors exit 2: neither -b nor -c, a bad boolean or number, a name RocketMQ refuses', async () => {
    for (const argv of [
      ['updateSubGroup', '-g', 'g1'],
      ['updateSubGroup', '-c', 'DefaultCluster', '-g', 'g1', '-s', 'yes'],
      ['updateSubGroup', '-c', 'DefaultCluster', '-g', 'g1', '-q', 'two'],
      ['updateSubGroup', '-c', 'DefaultCluster', '-g', 'bad name'],
      ['updateSubGroup', '-c', 'DefaultCluster'],
    ]) {
      const result = await h.run(argv);
      expect(result.status, argv.join(' ')).toBe(ExitStatus.USAGE);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    expect((await h.run(['updateSubGroup', '-g', 'g1'])).stderr).toContain('one of -b/--brokerAddr <host:port> or -c/--clusterName <cluster> is required');
    expect((await h.run(['updateSubGroup', '-c', 'DefaultCluster', '-g', 'bad name'])).stderr).toContain('has characters outside');
  });

  it('an unknown cluster or an unreachable broker exits 1 with one line', async () => {
    const cluster = await h.run(['updateSubGroup', '-c', 'NoSuchCluster', '-g', 'g1']);
    expect(cluster.status).toBe(ExitStatus.FAILED);
    expect(cluster.stderr).toBe('mqadmin: cluster "NoSuchCluster" not found; the NameServer knows DefaultCluster\n');
    const broker = await h.run(['updateSubGroup', '-b', '127.0.0.1:1', '-g', 'g1']);
    expect(broker.status).toBe(ExitStatus.FAILED);
    expect(broker.stdout).toMatch(/^create subscription group to 127\.0\.0\.1:1 failed: .*127\.0\.0\.1:1/);
    expect(broker.stderr).toBe('');
  });
});

describe('a -c command over several brokers', () => {
  it('records a broker that fails and goes on with the others', async () => {
    const group = `cg-${randomId()}`;
    const ctx = new CommandContext({ stdout: new BufferedOutput(), stderr: new BufferedOutput(), env: {} }, { namesrvAddr: h.namesrvAddr, json: false, verbose: false });
    try {
      const admin = await ctx.admin();
      const results = await eachBroker(ctx, 'updateSubGroup', ['127.0.0.1:1', h.brokerAddr], (addr) => admin.createAndUpdateSubscriptionGroupConfig(addr, { groupName: group }));
      expect(brokerOutcomes(results)).toEqual([{ brokerAddr: '127.0.0.1:1', ok: false, error: expect.stringContaining('127.0.0.1:1') }, { brokerAddr: h.brokerAddr, ok: true }]);
    } finally {
      await ctx.close();
    }
    expect(await subGroupConfig(group)).toMatchObject({ groupName: group });
  });
});

describe('deleteSubGroup', () => {
  it('-b deletes the group from the broker', async () => {
    const group = `cg-${randomId()}`;
    await h.run(['updateSubGroup', '-b', h.brokerAddr, '-g', group]);
    const result = await h.run(['deleteSubGroup', '-b', h.brokerAddr, '-g', group]);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`delete subscription group [${group}] from broker [${h.brokerAddr}] success.\n`);
    expect(await subGroupConfig(group)).toBeUndefined();
  });

  it('-c deletes the group from every master and its %RETRY% topic from the cluster; --json says what was done', async () => {
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    await h.createTopic(topic, 2);
    const { consumer } = await startConsumer(h, group, topic);
    await waitFor(async () => (await h.json<string[]>(['topicList'])).includes(`%RETRY%${group}`), { timeoutMs: 10_000 });
    await consumer.shutdown();
    const json = await h.json<DeleteSubGroupJson>(['deleteSubGroup', '-c', 'DefaultCluster', '-g', group, '-r', 'true']);
    expect(json).toEqual({
      groupName: group, clusterName: 'DefaultCluster', removeOffset: true, brokers: [{ brokerAddr: h.brokerAddr, ok: true }],
      topics: [{ topic: `%RETRY%${group}`, ok: true }, { topic: `%DLQ%${group}`, ok: true }],
    });
    expect(await subGroupConfig(group)).toBeUndefined();
    expect(await h.json<string[]>(['topicList'])).not.toContain(`%RETRY%${group}`);
    await h.run(['updateSubGroup', '-b', h.brokerAddr, '-g', group]);
    const text = await h.run(['deleteSubGroup', '-c', 'DefaultCluster', '-g', group]);
    expect(text.stdout).toBe(`delete subscription group [${group}] from broker [${h.brokerAddr}] in cluster [DefaultCluster] success.\n`);
  });

  it('a group no broker has exits 1; a bad -r exits 2', async () => {
    const group = `missing-${randomId()}`;
    const missing = await h.run(['deleteSubGroup', '-b', h.brokerAddr, '-g', group]);
    expect(missing.status).toBe(ExitStatus.FAILED);
    expect(missing.stderr).toBe(`mqadmin: subscription group ${group} not found on broker ${h.brokerAddr}\n`);
    const inCluster = await h.run(['deleteSubGroup', '-c', 'DefaultCluster', '-g', group]);
    expect(inCluster.stderr).toBe(`mqadmin: subscription group ${group} not found on any master of cluster DefaultCluster\n`);
    expect((await h.run(['deleteSubGroup', '-b', h.brokerAddr, '-g', group, '-r', 'maybe'])).status).toBe(ExitStatus.USAGE);
  });
});

describe('consumerProgress, consumerConnection and producerConnection', () => {
  const topic = `t-${randomId()}`;
  const group = `cg-${randomId()}`;

  beforeAll(async () => {
    await h.createTopic(topic, 4);
    await h.send(topic, 8);
    await startConsumer(h, group, topic, { subExpression: 'TagA || TagB' });
    await h.send(topic, 4, { tag: 'TagA' });
    await waitCommitted(h, group, topic, 12);
  });

  it('consumerProgress -g -t prints each queue with RocketMQ 5\'s columns, then TPS and totals; --json has the same queues', async () => {
    const result = await h.run(['consumerProgress', '-g', group, '-t', topic]);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#Topic +#Broker Name +#QID +#Broker Offset +#Consumer Offset +#Diff +#Inflight +#LastTime$/);
    for (const queueId of [0, 1, 2, 3]) {
      expect(result.stdout).toMatch(new RegExp(`^${re(topic)} +${re(h.brokerName)} +${queueId} +3 +3 +0 +0 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`, 'm'));
    }
    expect(lines.slice(-4)).toEqual(['', expect.stringMatching(/^Consume TPS: \d+\.\d\d$/), 'Consume Diff Total: 0', 'Consume Inflight Total: 0']);
    const json = await h.json<ConsumerProgressJson>(['consumerProgress', '-g', group, '-t', topic]);
    expect(json).toMatchObject({ group, topic, diffTotal: 0, inflightTotal: 0 });
    expect(json.queues.map((q) => [q.queueId, q.brokerOffset, q.consumerOffset, q.diff])).toEqual([[0, 3, 3, 0], [1, 3, 3, 0], [2, 3, 3, 0], [3, 3, 3, 0]]);
    expect(json.queues.every((q) => q.lastTimestamp > 0 && q.clientIp === undefined)).toBe(true);
  });

  it('consumerProgress -g without -t covers every topic the group consumes; a backlog shows in #Diff', async () => {
    const { topic: backlogTopic, group: backlogGroup, consumer } = await consumedTopic(h, 2, 4);
    await consumer.shutdown();
    await h.send(backlogTopic, 6);
    const json = await h.json<ConsumerProgressJson>(['consumerProgress', '-g', backlogGroup]);
    expect(json.queues.filter((q) => q.topic === backlogTopic).map((q) => [q.queueId, q.brokerOffset, q.consumerOffset, q.diff])).toEqual([[0, 5, 2, 3], [1, 5, 2, 3]]);
    expect(json.queues.every((q) => q.topic === backlogTopic || q.topic === `%RETRY%${backlogGroup}`)).toBe(true);
    expect(json.diffTotal).toBe(6);
    const text = await h.run(['consumerProgress', '-g', backlogGroup]);
    expect(text.stdout).toContain('Consume Diff Total: 6\n');
    expect(text.stdout).toMatch(new RegExp(`^${re(backlogTopic)} +${re(h.brokerName)} +1 +5 +2 +3 +0 +\\d{4}-`, 'm'));
  });

  it('consumerProgress -s true adds the client IP each queue is assigned to', async () => {
    const json = await h.json<ConsumerProgressJson>(['consumerProgress', '-g', group, '-t', topic, '-s', 'true']);
    const ip = json.queues[0]!.clientIp;
    expect(ip).toMatch(/^[\d.]+$|^[\da-f:]+$/);
    expect(json.queues.every((q) => q.clientIp === ip)).toBe(true);
    const text = await h.run(['consumerProgress', '-g', group, '-t', topic, '-s', 'true']);
    expect(text.stdout).toMatch(/^#Topic +#Broker Name +#QID +#Broker Offset +#Consumer Offset +#Client IP +#Diff +#Inflight +#LastTime$/m);
    expect(text.stdout).toMatch(new RegExp(`^${re(topic)} +${re(h.brokerName)} +0 +3 +3 +${re(ip!)} +0 +0 +\\d{4}-`, 'm'));
  });

  it('consumerProgress tables fit 80 columns (#Inflight gives way and says so)', async () => {
    for (const argv of [['consumerProgress', '-g', group, '-t', topic], ['consumerProgress', '-g', group, '-t', topic, '-s', 'true'], ['consumerProgress']]) {
      const result = await h.run(argv, { ttyColumns: 80 });
      expect(result.status).toBe(ExitStatus.OK);
      expectFits(result.stdout);
    }
    const narrow = await h.run(['consumerProgress', '-g', group, '-t', topic], { ttyColumns: 80 });
    expect(narrow.stdout).toMatch(/^#Topic +#Broker N\S* +#QID .*#LastTime$/m);
    expect(narrow.stdout).toContain('(#Inflight hidden to fit 80 columns');
    expect(narrow.stdout).toMatch(/ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
  });

  it('consumerProgress without -g sums up every group with a retry topic (progress on a terminal only)', async () => {
    const result = await h.run(['consumerProgress']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stderr).toBe('');
    expect((await h.run(['consumerProgress'], { ttyColumns: 80 })).stderr).toMatch(/consumerProgress \[#+-*\] +\d+% \d+\/\d+/);
    expect(result.stdout.split('\n')[0]).toMatch(/^#Group +#Count +#Version +#Type +#Model +#TPS +#Diff Total$/);
    expect(result.stdout).toMatch(new RegExp(`^${re(group)} +1 +V5_3_3 +PUSH +CLUSTERING +\\d+ +0$`, 'm'));
    const rows = await h.json<ConsumerGroupSummaryRow[]>(['consumerProgress']);
    expect(rows.find((r) => r.group === group)).toEqual({ group, count: 1, version: 479, versionDesc: 'V5_3_3', type: 'PUSH', model: 'CLUSTERING', consumeTps: expect.any(Number), diffTotal: 0 });
    expect(rows.map((r) => r.group)).toEqual([...rows.map((r) => r.group)].sort());
  });

  it('consumerProgress of an unknown group or topic exits 1 naming it; a bad -s exits 2', async () => {
    const unknown = await h.run(['consumerProgress', '-g', 'no-such-group']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toBe('mqadmin: consumer group no-such-group not found: the NameServer has no route for %RETRY%no-such-group (it never had a consumer online)\n');
    const topicUnknown = await h.run(['consumerProgress', '-g', group, '-t', 'no-such-topic']);
    expect(topicUnknown.status).toBe(ExitStatus.FAILED);
    expect(topicUnknown.stderr).toMatch(/^mqadmin: topic no-such-topic not found \(.*TOPIC_NOT_EXIST \(17\).*\)\n$/);
    expect((await h.run(['consumerProgress', '-g', group, '-s', 'on'])).status).toBe(ExitStatus.USAGE);
  });

  it('consumerConnection prints the clients, the subscriptions and the consume settings', async () => {
    const result = await h.run(['consumerConnection', '-g', group]);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#ClientId +#ClientAddr +#Language +#Version$/);
    expect(lines[1]).toMatch(/^\S+@\S+ +127\.0\.0\.1:\d+ +JAVA +V5_3_3$/);
    expect(lines.slice(2, 4)).toEqual(['', 'Below is subscription:']);
    expect(lines[4]).toMatch(/^#Topic +#SubExpression$/);
    expect(result.stdout).toMatch(new RegExp(`^${re(topic)} +TagA \\|\\| TagB$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^%RETRY%${re(group)} +\\*$`, 'm'));
    expect(lines.slice(-4)).toEqual(['', 'ConsumeType: CONSUME_PASSIVELY', 'MessageModel: CLUSTERING', 'ConsumeFromWhere: CONSUME_FROM_FIRST_OFFSET']);
    const json = await h.json<ConsumerConnectionJson>(['consumerConnection', '-g', group]);
    expect(json.connections).toEqual([{ clientId: expect.stringContaining('@'), clientAddr: expect.stringMatching(/^127\.0\.0\.1:\d+$/), language: 'JAVA', version: 479, versionDesc: 'V5_3_3' }]);
    expect(json.subscriptions).toContainEqual({ topic, subExpression: 'TagA || TagB' });
    expect(json).toMatchObject({ group, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET' });
    expectFits((await h.run(['consumerConnection', '-g', group], { ttyColumns: 80 })).stdout);
  });

  it('consumerConnection of an unknown group, or of one nobody is online for, exits 1 naming it', async () => {
    const unknown = await h.run(['consumerConnection', '-g', 'no-such-group']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('consumer group no-such-group not found');
    const offlineGroup = `cg-${randomId()}`;
    const { consumer } = await startConsumer(h, offlineGroup, topic);
    await waitFor(async () => (await h.run(['consumerConnection', '-g', offlineGroup])).status === 0, { timeoutMs: 10_000 });
    await consumer.shutdown();
    const offline = await h.run(['consumerConnection', '-g', offlineGroup]);
    expect(offline.status).toBe(ExitStatus.FAILED);
    expect(offline.stderr).toBe(`mqadmin: consumer group ${offlineGroup} has no consumer online\n`);
  });

  it('producerConnection numbers the group\'s producers as RocketMQ does', async () => {
    const producerGroup = `pg-${randomId()}`;
    await startProducer(h, producerGroup, topic);
    await waitFor(async () => (await h.run(['producerConnection', '-g', producerGroup, '-t', topic])).status === 0, { timeoutMs: 10_000 });
    const result = await h.run(['producerConnection', '-g', producerGroup, '-t', topic]);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#No +#ClientId +#ClientAddr +#Language +#Version$/);
    expect(lines[1]).toMatch(/^0001 +\S+@\S+ +127\.0\.0\.1:\d+ +JAVA +V5_3_3$/);
    expect(lines).toHaveLength(2);
    const json = await h.json<ProducerConnectionJson>(['producerConnection', '-g', producerGroup, '-t', topic]);
    expect(json).toEqual({ group: producerGroup, topic, connections: [{ clientId: expect.stringContaining('@'), clientAddr: expect.stringMatching(/^127\.0\.0\.1:\d+$/), language: 'JAVA', version: 479, versionDesc: 'V5_3_3' }] });
  });

  it('producerConnection of a group with no producer, or of an unknown topic, exits 1 naming it', async () => {
    const none = await h.run(['producerConnection', '-g', 'no-such-pg', '-t', topic]);
    expect(none.status).toBe(ExitStatus.FAILED);
    expect(none.stderr).toMatch(new RegExp(`^mqadmin: producer group no-such-pg has no producer connected to the broker of topic ${re(topic)} \\(.*SYSTEM_ERROR \\(1\\).*\\)\\n$`));
    const unknownTopic = await h.run(['producerConnection', '-g', 'no-such-pg', '-t', 'no-such-topic']);
    expect(unknownTopic.status).toBe(ExitStatus.FAILED);
    expect(unknownTopic.stderr).toMatch(/^mqadmin: topic no-such-topic not found \(/);
    expect((await h.run(['producerConnection', '-g', 'no-such-pg'])).status).toBe(ExitStatus.USAGE);
  });
});

describe('versionDesc', () => {
  it('names MQVersion ordinals as RocketMQ\'s enum does', () => {
    expect([0, 15, 16, 45, 46, 85, 86, 104, 211, 212, 213, 399, 413, 479, 611, 612, 700].map(versionDesc)).toEqual([
      'V3_0_0_SNAPSHOT', 'V3_0_0_FINAL', 'V3_0_1_SNAPSHOT', 'V3_0_15', 'V3_1_0_SNAPSHOT', 'V3_2_9', 'V3_3_1_SNAPSHOT', 'V3_4_1_SNAPSHOT', 'V3_9_9',
      'V4_0_0_SNAPSHOT', 'V4_0_0', 'V4_9_3', 'V5_0_0', 'V5_3_3', 'V5_9_9', 'HIGHER_VERSION', 'HIGHER_VERSION',
    ]);
  });
});
