// Apogee's mqadmin (run in-process, output as an operator gets it) against a cluster: create a
// topic, send through `sendMessage`, look the messages up every way, consume with a push
// consumer and check progress, reset, clone, groups, broker status/config, perms and delete.
// Runs against Apache RocketMQ 5.3.3 (proves the commands work against the real thing) and
// against Apogee. `compareWithRocketMQ` then runs RocketMQ's own mqadmin beside ours on the same
// cluster and checks that both report the same facts.
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import { DefaultMQProducer, DefaultMQPushConsumer } from '@apogee/client';
import { Message } from '@apogee/common';
import { BufferedOutput, runMqadmin } from '@apogee/mqadmin';
import { quietLogger, waitFor } from '@apogee/remoting/testing';
import type { ClusterUnderTest } from './interop-scenarios.js';
import type { JavaRunResult } from './run-java-main.js';
import {
  parseClusterList, parseConsumerProgress, parseMessageView, parseQueryMsgByKey, parseTopicList, parseTopicRoute, parseTopicStatus,
} from './mqadmin-output.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

const QUEUES = 3;
const MESSAGES = 6;

/** Apogee's mqadmin against `namesrvAddr` (in this process, piped output). */
export async function ourMqadmin(namesrvAddr: string, args: readonly string[]): Promise<CliRun> {
  const stdout = new BufferedOutput();
  const stderr = new BufferedOutput();
  const status = await runMqadmin([...args, '-n', namesrvAddr], { stdout, stderr, env: {} });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

/** … with --json; a non-zero exit fails the test with the command and its stderr. */
export async function ourJson<T>(namesrvAddr: string, args: readonly string[]): Promise<T> {
  const run = await ourMqadmin(namesrvAddr, [...args, '--json']);
  expect(run.status, `mqadmin ${args.join(' ')} exited ${run.status}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as T;
}

interface SentRow { brokerName: string; queueId: number; sendStatus: string; msgId: string; offsetMsgId: string; queueOffset: number }
interface MessageJson { msgId: string; offsetMsgId: string; topic: string; tags: string | null; keys: string | null; queueId: number; queueOffset: number; body?: string; properties: Record<string, string> }
interface ProgressJson { queues: Array<{ topic: string; brokerName: string; queueId: number; brokerOffset: number; consumerOffset: number; diff: number }>; diffTotal: number }
interface StatusRow { brokerName: string; queueId: number; minOffset: number; maxOffset: number }

/** What the scenario left on the cluster for compareWithRocketMQ. */
export interface ScenarioFacts {
  topic: string;
  group: string;
  sent: SentRow[];
  keyPrefix: string;
}

export async function ourMqadminScenario(cluster: ClusterUnderTest, uid: string): Promise<ScenarioFacts> {
  const ns = cluster.namesrvAddr;
  const topic = `T_cli_${uid}`;
  const group = `CG_cli_${uid}`;
  const keyPrefix = `key-${uid}`;
  const json = <T>(args: readonly string[]): Promise<T> => ourJson<T>(ns, args);

  // cluster and brokers
  const clusterRows = await json<Array<{ clusterName: string; brokerName: string; brokerId: number; addr: string }>>(['clusterList']);
  expect(clusterRows).toContainEqual(expect.objectContaining({ clusterName: cluster.clusterName, brokerName: cluster.brokerName, brokerId: 0, addr: cluster.brokerAddr }));
  // RocketMQ's broker answers SYSTEM_ERROR to its runtime stats for a moment after boot
  await waitFor(async () => (await ourMqadmin(ns, ['brokerStatus', '-b', cluster.brokerAddr])).status === 0, { timeoutMs: 30_000, message: 'brokerStatus answers' });
  const status = await json<Array<{ brokerAddr: string; runtime: Record<string, string> }>>(['brokerStatus', '-b', cluster.brokerAddr]);
  expect(status[0]?.runtime['brokerVersionDesc']).toMatch(/^V\d+_\d+_\d+/);
  const config = await json<Array<{ brokerAddr: string; config: Record<string, string> }>>(['getBrokerConfig', '-b', cluster.brokerAddr]);
  expect(config[0]?.config['brokerName']).toBe(cluster.brokerName);
  expect((await ourMqadmin(ns, ['updateBrokerConfig', '-b', cluster.brokerAddr, '-k', 'shortPollingTimeMills', '-v', '1500'])).status).toBe(0);
  expect((await json<Array<{ config: Record<string, string> }>>(['getBrokerConfig', '-b', cluster.brokerAddr]))[0]?.config['shortPollingTimeMills']).toBe('1500');

  // a topic
  const created = await json<{ brokers: Array<{ brokerAddr: string; ok: boolean }> }>(['updateTopic', '-c', cluster.clusterName, '-t', topic, '-r', String(QUEUES), '-w', String(QUEUES)]);
  expect(created.brokers).toEqual([{ brokerAddr: cluster.brokerAddr, ok: true }]);
  await waitFor(async () => (await ourMqadmin(ns, ['topicRoute', '-t', topic])).status === 0, { timeoutMs: 30_000, message: `route of ${topic}` });
  const route = await json<{ queueDatas: Array<{ brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number }> }>(['topicRoute', '-t', topic]);
  expect(route.queueDatas).toEqual([expect.objectContaining({ brokerName: cluster.brokerName, readQueueNums: QUEUES, writeQueueNums: QUEUES, perm: 6 })]);
  expect(await json<string[]>(['topicList'])).toContain(topic);
  expect(await json<string[]>(['topicClusterList', '-t', topic])).toEqual([cluster.clusterName]);

  // send, then find each message again
  const startedAt = Date.now() - 1_000;
  const sent: SentRow[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const row = await json<SentRow>(['sendMessage', '-t', topic, '-p', `body-${i}`, '-k', `${keyPrefix}-${i}`, '-c', i % 2 === 0 ? 'TagA' : 'TagB']);
    expect(row.sendStatus).toBe('SEND_OK');
    sent.push(row);
  }
  const stats = await json<StatusRow[]>(['topicStatus', '-t', topic]);
  expect(stats.reduce((sum, r) => sum + r.maxOffset, 0)).toBe(MESSAGES);

  const byOffsetId = await json<Array<{ message?: MessageJson; error?: string }>>(['queryMsgById', '-t', topic, '-i', sent[2]!.offsetMsgId]);
  expect(byOffsetId[0]?.message).toMatchObject({ topic, keys: `${keyPrefix}-2`, tags: 'TagA', queueId: sent[2]!.queueId, queueOffset: sent[2]!.queueOffset, msgId: sent[2]!.msgId });
  const byUniq = await json<MessageJson[]>(['queryMsgByUniqueKey', '-t', topic, '-i', sent[3]!.msgId]);
  expect(byUniq[0]).toMatchObject({ topic, keys: `${keyPrefix}-3`, offsetMsgId: sent[3]!.offsetMsgId });
  const byKey = await json<Array<{ msgId: string; queueId: number; queueOffset: number }>>(['queryMsgByKey', '-t', topic, '-k', `${keyPrefix}-4`]);
  expect(byKey).toContainEqual(expect.objectContaining({ msgId: sent[4]!.msgId, queueId: sent[4]!.queueId, queueOffset: sent[4]!.queueOffset }));
  const byOffset = await json<MessageJson>(['queryMsgByOffset', '-t', topic, '-b', cluster.brokerName, '-i', String(sent[5]!.queueId), '-o', String(sent[5]!.queueOffset)]);
  expect(byOffset).toMatchObject({ msgId: sent[5]!.msgId, keys: `${keyPrefix}-5` });
  const printed = await json<Array<{ messages: MessageJson[] }>>(['printMsg', '-t', topic]);
  expect(printed.flatMap((q) => q.messages.map((m) => m.keys)).sort()).toEqual(sent.map((_, i) => `${keyPrefix}-${i}`).sort());
  const consumed = await json<{ queues: Array<{ messages: MessageJson[] }> }>(['consumeMessage', '-t', topic, '-c', String(MESSAGES)]);
  expect(consumed.queues.flatMap((q) => q.messages.map((m) => m.msgId)).sort()).toEqual(sent.map((r) => r.msgId).sort());

  // a producer online
  const producerGroup = `PG_cli_${uid}`;
  const producer = new DefaultMQProducer({ namesrvAddr: ns, producerGroup, logger: quietLogger('cli-producer'), heartbeatBrokerIntervalMs: 1_000 });
  await producer.start();
  try {
    await producer.send(new Message(topic, Buffer.from('from a producer that stays online')));
    // the broker learns of the producer from its next heartbeat
    await waitFor(async () => (await ourMqadmin(ns, ['producerConnection', '-g', producerGroup, '-t', topic])).status === 0, { timeoutMs: 20_000, message: 'producer heartbeat' });
    const producers = await json<{ connections: Array<{ clientId: string; language: string }> }>(['producerConnection', '-g', producerGroup, '-t', topic]);
    expect(producers.connections).toEqual([expect.objectContaining({ clientId: producer.clientInstance!.clientId })]);
  } finally {
    await producer.shutdown();
  }

  // consume everything, then progress and connection
  const consumer = new DefaultMQPushConsumer({ namesrvAddr: ns, consumerGroup: group, logger: quietLogger('cli-consumer'), persistConsumerOffsetIntervalMs: 500 });
  const seen = new Set<string>();
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener({
    consumeMessage: (msgs) => {
      for (const m of msgs) seen.add(m.msgId);
      return 'CONSUME_SUCCESS';
    },
  });
  await consumer.start();
  try {
    await waitFor(() => seen.size === MESSAGES + 1, { timeoutMs: 60_000, message: `consumer saw ${seen.size}/${MESSAGES + 1}` });
    await waitFor(async () => (await json<ProgressJson>(['consumerProgress', '-g', group])).diffTotal === 0, { timeoutMs: 30_000, message: 'offsets committed' });
    const connection = await json<{ connections: Array<{ clientId: string }>; subscriptions: Array<{ topic: string; subExpression: string }> }>(['consumerConnection', '-g', group]);
    expect(connection.connections).toHaveLength(1);
    expect(connection.subscriptions).toContainEqual({ topic, subExpression: '*' });
  } finally {
    await consumer.shutdown();
  }
  const progress = await json<ProgressJson>(['consumerProgress', '-g', group]);
  const statsNow = await json<StatusRow[]>(['topicStatus', '-t', topic]);
  expect(progress.queues.filter((q) => q.topic === topic).map((q) => [q.queueId, q.brokerOffset, q.consumerOffset]).sort())
    .toEqual(statsNow.map((s) => [s.queueId, s.maxOffset, s.maxOffset]).sort());

  // stats, reset to before the first send, clone, groups
  const statsAll = await json<{ rows: Array<{ topic: string; consumerGroup: string | null }> }>(['statsAll', '-t', topic]);
  expect(statsAll.rows).toContainEqual(expect.objectContaining({ topic, consumerGroup: group }));
  const reset = await json<{ method: string }>(['resetOffsetByTime', '-g', group, '-t', topic, '-s', String(startedAt)]);
  expect(['broker', 'old']).toContain(reset.method);
  await waitFor(async () => (await json<ProgressJson>(['consumerProgress', '-g', group, '-t', topic])).diffTotal === MESSAGES + 1, { timeoutMs: 20_000, message: 'reset took effect' });
  const cloneTo = `${group}_copy`;
  expect((await ourMqadmin(ns, ['updateSubGroup', '-c', cluster.clusterName, '-g', cloneTo])).status).toBe(0);
  const cloned = await json<{ offsets: Array<{ queueId: number; consumerOffset: number }> }>(['cloneGroupOffset', '-s', group, '-d', cloneTo, '-t', topic]);
  expect(cloned.offsets.map((o) => o.consumerOffset)).toEqual(cloned.offsets.map(() => 0));
  expect((await ourMqadmin(ns, ['deleteSubGroup', '-c', cluster.clusterName, '-g', cloneTo])).status).toBe(0);

  // clear failures
  const missing = await ourMqadmin(ns, ['topicRoute', '-t', `${topic}_missing`]);
  expect([missing.status, missing.stderr]).toEqual([1, expect.stringContaining('TOPIC_NOT_EXIST (17)')]);
  const noGroup = await ourMqadmin(ns, ['consumerProgress', '-g', `${group}_missing`]);
  expect(noGroup.status).toBe(1);
  expect(noGroup.stderr).not.toMatch(/\n\s+at /);

  return { topic, group, sent, keyPrefix };
}

/** Perm change and delete, after compareWithRocketMQ has read the topic. */
export async function permAndDelete(cluster: ClusterUnderTest, topic: string): Promise<void> {
  const ns = cluster.namesrvAddr;
  expect((await ourMqadmin(ns, ['updateTopicPerm', '-c', cluster.clusterName, '-t', topic, '-p', '4'])).status).toBe(0);
  await waitFor(async () => (await ourJson<{ queueDatas: Array<{ perm: number }> }>(ns, ['topicRoute', '-t', topic])).queueDatas[0]?.perm === 4, { timeoutMs: 40_000, message: 'perm 4 in the route' });
  expect((await ourMqadmin(ns, ['deleteTopic', '-c', cluster.clusterName, '-t', topic])).status).toBe(0);
  await waitFor(async () => (await ourMqadmin(ns, ['topicRoute', '-t', topic])).status === 1, { timeoutMs: 20_000, message: 'topic gone from the NameServer' });
}

/**
 * RocketMQ's mqadmin and ours on the same cluster, same questions: routes, queue offsets,
 * consumer progress, message lookups by offset id and by key, the broker list and the topics.
 */
export async function compareWithRocketMQ(cluster: ClusterUnderTest, facts: ScenarioFacts, theirs: (command: string, args: readonly string[]) => Promise<JavaRunResult>): Promise<void> {
  const ns = cluster.namesrvAddr;
  const { topic, group, sent } = facts;
  const [clusterList, topicList, topicRoute, topicStatus, progress, view, byKey] = await Promise.all([
    theirs('clusterList', []),
    theirs('topicList', []),
    theirs('topicRoute', ['-t', topic]),
    theirs('topicStatus', ['-t', topic]),
    theirs('consumerProgress', ['-g', group]),
    theirs('queryMsgById', ['-t', topic, '-i', sent[1]!.offsetMsgId]),
    theirs('queryMsgByKey', ['-t', topic, '-k', `${facts.keyPrefix}-1`]),
  ]);
  const soft = (what: string, a: unknown, b: unknown): void => {
    expect.soft(a, `${what}: RocketMQ's mqadmin (left) vs Apogee's`).toEqual(b);
  };

  const ourClusters = await ourJson<Array<{ clusterName: string; brokerName: string; brokerId: number; addr: string }>>(ns, ['clusterList']);
  soft('clusterList', parseClusterList(clusterList.stdout).map((r) => [r.clusterName, r.brokerName, r.brokerId, r.addr]),
    ourClusters.map((r) => [r.clusterName, r.brokerName, r.brokerId, r.addr]));
  soft('topicList', parseTopicList(topicList.stdout).includes(topic), (await ourJson<string[]>(ns, ['topicList'])).includes(topic));
  const ourRoute = await ourJson<{ queueDatas: unknown[]; brokerDatas: Array<{ brokerName: string; brokerAddrs: Record<string, string> }> }>(ns, ['topicRoute', '-t', topic]);
  const theirRoute = parseTopicRoute(topicRoute.stdout);
  soft('topicRoute queueDatas', theirRoute.queueDatas, ourRoute.queueDatas);
  soft('topicRoute brokerAddrs', theirRoute.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs]), ourRoute.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs]));
  const ourStatus = await ourJson<StatusRow[]>(ns, ['topicStatus', '-t', topic]);
  soft('topicStatus', parseTopicStatus(topicStatus.stdout).map((r) => [r.brokerName, r.queueId, r.minOffset, r.maxOffset]),
    ourStatus.map((r) => [r.brokerName, r.queueId, r.minOffset, r.maxOffset]));
  const ourProgress = await ourJson<ProgressJson>(ns, ['consumerProgress', '-g', group]);
  const theirProgress = parseConsumerProgress(progress.stdout);
  soft('consumerProgress rows', theirProgress.rows.map((r) => [r.topic, r.brokerName, r.queueId, r.brokerOffset, r.consumerOffset, r.diff]).sort(),
    ourProgress.queues.map((r) => [r.topic, r.brokerName, r.queueId, r.brokerOffset, r.consumerOffset, r.diff]).sort());
  soft('consumerProgress diff total', theirProgress.diffTotal, ourProgress.diffTotal);
  const ourView = (await ourJson<Array<{ message?: MessageJson }>>(ns, ['queryMsgById', '-t', topic, '-i', sent[1]!.offsetMsgId]))[0]?.message;
  const theirView = parseMessageView(view.stdout).fields;
  soft('queryMsgById', [theirView['Topic'], theirView['Keys'], theirView['Queue ID'], theirView['Queue Offset']],
    [ourView?.topic, `[${ourView?.keys ?? 'null'}]`, String(ourView?.queueId), String(ourView?.queueOffset)]);
  const ourByKey = await ourJson<Array<{ msgId: string; queueId: number; queueOffset: number }>>(ns, ['queryMsgByKey', '-t', topic, '-k', `${facts.keyPrefix}-1`]);
  soft('queryMsgByKey', parseQueryMsgByKey(byKey.stdout).map((r) => [r.msgId, r.queueId, r.queueOffset]), ourByKey.map((r) => [r.msgId, r.queueId, r.queueOffset]));
  await delay(0);
}
