// RocketMQ's own mqadmin (rocketmq-tools 5.3.3) against a cluster: create a topic, send and
// consume through it with the Java client, then check what clusterList, topicList, topicRoute,
// topicStatus, consumerProgress, queryMsgById (by offset id and by client id) and queryMsgByKey
// report against what the producer and consumer saw. Run against RocketMQ 5.3.3 (control) and
// Apogee.
import path from 'node:path';
import { expect } from 'vitest';
import { mqadmin, produce, startPushConsumer } from './interop-programs.js';
import { AUTO_CREATED_QUEUES, names, type ScenarioContext } from './interop-scenarios.js';
import type { JavaEvent } from './java-program.js';
import type { JavaRunResult } from './run-java-main.js';
import {
  parseClusterList, parseConsumerProgress, parseMessageView, parseQueryMsgByKey, parseTopicList, parseTopicRoute, parseTopicStatus,
} from './mqadmin-output.js';

export const MQADMIN_VERSION = '5.3.3';
const QUEUES = 3;
const MESSAGES = 6;

/** mqadmin exits 0 even when a sub-command fails (it prints the exception): check the output too. */
function ok(run: JavaRunResult, what: string): string {
  expect(run.exitCode, `mqadmin ${what} exit code; log ${run.logFile}\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-1500)}`).toBe(0);
  const exceptions = exceptionSummary(run.stdout + run.stderr);
  if (exceptions !== '') throw new Error(`mqadmin ${what} printed: ${exceptions}; log ${run.logFile}`);
  return run.stdout;
}

/** The exception lines mqadmin printed (class and "CODE: n DESC: ..." of each cause), or ''. */
export function exceptionSummary(output: string): string {
  return output.split('\n').filter((l) => /^(Caused by: )?[\w.$]+(Exception|Error)\b/.test(l.trim())).map((l) => l.trim()).join(' | ');
}

/**
 * Runs `fn` (plain expects) and records its failure as a soft one, so that one run reports every
 * command that disagrees instead of stopping at the first.
 */
function check(what: string, fn: () => void): void {
  let failure: unknown;
  try {
    fn();
  } catch (err) {
    failure = err;
  }
  expect.soft(failure === undefined ? 'ok' : `${what}: ${failure instanceof Error ? failure.message : String(failure)}`, what).toBe('ok');
}

export async function mqadminFacts(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'admin');
  const { cluster } = ctx;
  const runDir = path.join(ctx.client.runDir, 'mqadmin');
  const admin = (command: string, args: readonly string[]): Promise<JavaRunResult> => mqadmin(MQADMIN_VERSION, runDir, cluster.namesrvAddr, command, args);

  // updateTopic -c: GET_BROKER_CLUSTER_INFO, then UPDATE_AND_CREATE_TOPIC on every master. If it
  // fails, the producer auto-creates the topic (4 queues) and the other commands are still checked.
  const update = await admin('updateTopic', ['-t', topic, '-c', cluster.clusterName, '-r', String(QUEUES), '-w', String(QUEUES)]);
  const isCreated = update.exitCode === 0 && update.stdout.includes(`create topic to ${cluster.brokerAddr} success.`);
  check('updateTopic', () => {
    ok(update, 'updateTopic');
    expect(update.stdout, `updateTopic output; log ${update.logFile}`).toContain(`create topic to ${cluster.brokerAddr} success.`);
  });
  const queues = isCreated ? QUEUES : AUTO_CREATED_QUEUES;

  const shape = { tags: ['TagA', 'TagB'], keyPrefix: `key-${ctx.uid}`, bodyPrefix: 'admin' };
  const run = await produce(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', MESSAGES]] });
  expect(run.failed, `send failures ${JSON.stringify(run.failed.slice(0, 3))}; log ${run.logFile}`).toEqual([]);
  const sent = run.sent;
  expect(sent.map((e) => e.status)).toEqual(Array<string>(MESSAGES).fill('SEND_OK'));
  expect(new Set(sent.map((e) => e.queueId)).size, `the producer spreads over the ${queues} queues`).toBe(Math.min(queues, MESSAGES));
  const sentAt = (i: number): JavaEvent => sent.find((e) => e.index === i) as JavaEvent;

  // consume everything; the grace period spans a few offset commits (every 1 s), so the
  // broker's consumer offsets are final before the consumer shuts down
  const consumer = await startPushConsumer(ctx.client, { topic, group, name: 'admin-consumer', expect: MESSAGES, graceMs: 2_500, timeoutMs: 45_000 });
  const consumed = await consumer.finish(70_000);
  expect(consumed.code, consumer.diagnostics()).toBe(0);

  const byOffsetId = sentAt(2);
  const byClientId = sentAt(3);
  const byKey = sentAt(4);
  const [clusterList, topicList, topicRoute, topicStatus, progress, viewById, viewByUniq, queryByKey] = await Promise.all([
    admin('clusterList', []),
    admin('topicList', []),
    admin('topicRoute', ['-t', topic]),
    admin('topicStatus', ['-t', topic]),
    admin('consumerProgress', ['-g', group]),
    admin('queryMsgById', ['-t', topic, '-i', String(byOffsetId.offsetMsgId)]),
    admin('queryMsgById', ['-t', topic, '-i', String(byClientId.msgId)]),
    admin('queryMsgByKey', ['-t', topic, '-k', String(byKey.keys)]),
  ]);

  check('clusterList', () => {
    expect(parseClusterList(ok(clusterList, 'clusterList')).map((r) => [r.clusterName, r.brokerName, r.brokerId, r.addr])).toEqual([
      [cluster.clusterName, cluster.brokerName, 0, cluster.brokerAddr],
    ]);
  });

  check('topicList', () => {
    const topics = parseTopicList(ok(topicList, 'topicList'));
    expect(topics).toContain(topic);
    expect(topics, 'the consumer group got its retry topic').toContain(`%RETRY%${group}`);
  });

  check('topicRoute', () => {
    const route = parseTopicRoute(ok(topicRoute, 'topicRoute'));
    expect(route.brokerDatas.map((b) => ({ brokerName: b.brokerName, cluster: b.cluster, brokerAddrs: b.brokerAddrs }))).toEqual([
      { brokerName: cluster.brokerName, cluster: cluster.clusterName, brokerAddrs: { 0: cluster.brokerAddr } },
    ]);
    expect(route.queueDatas.map((q) => ({ brokerName: q.brokerName, perm: q.perm, readQueueNums: q.readQueueNums, writeQueueNums: q.writeQueueNums, topicSysFlag: q.topicSysFlag }))).toEqual([
      { brokerName: cluster.brokerName, perm: 6, readQueueNums: queues, writeQueueNums: queues, topicSysFlag: 0 },
    ]);
  });

  // per queue: min offset 0, max offset = what the producer put there
  const perQueue = (q: number): number => sent.filter((e) => e.queueId === q).length;
  check('topicStatus', () => {
    const status = parseTopicStatus(ok(topicStatus, 'topicStatus')).sort((a, b) => a.queueId - b.queueId);
    expect(status).toEqual(Array.from({ length: queues }, (_, q) => ({ brokerName: cluster.brokerName, queueId: q, minOffset: 0, maxOffset: perQueue(q) })));
  });

  check('consumerProgress', () => {
    const { rows, diffTotal } = parseConsumerProgress(ok(progress, 'consumerProgress'));
    expect(rows.filter((r) => r.topic === topic).sort((a, b) => a.queueId - b.queueId).map((r) => [r.brokerName, r.queueId, r.brokerOffset, r.consumerOffset, r.diff])).toEqual(
      Array.from({ length: queues }, (_, q) => [cluster.brokerName, q, perQueue(q), perQueue(q), 0]),
    );
    expect(diffTotal).toBe(0);
  });

  for (const [view, s, how] of [[viewById, byOffsetId, 'offset id'], [viewByUniq, byClientId, 'client id']] as const) {
    check(`queryMsgById by ${how}`, () => {
      const { fields, properties } = parseMessageView(ok(view, `queryMsgById by ${how}`));
      expect({
        OffsetID: fields['OffsetID'], Topic: fields['Topic'], Tags: fields['Tags'], Keys: fields['Keys'], 'Queue ID': fields['Queue ID'],
        'Queue Offset': fields['Queue Offset'], 'Store Host': fields['Store Host'], UNIQ_KEY: properties['UNIQ_KEY'], idx: properties['idx'],
      }, `queryMsgById by ${how}; output:\n${view.stdout.slice(0, 1500)}\n${view.stderr.slice(-1500)}`).toEqual({
        OffsetID: s.offsetMsgId, Topic: topic, Tags: `[${String(s.tags)}]`, Keys: `[${String(s.keys)}]`, 'Queue ID': String(s.queueId),
        'Queue Offset': String(s.queueOffset), 'Store Host': cluster.brokerAddr, UNIQ_KEY: s.msgId, idx: String(s.index),
      });
    });
  }

  check('queryMsgByKey', () => {
    expect(parseQueryMsgByKey(ok(queryByKey, 'queryMsgByKey')), `queryMsgByKey output:\n${queryByKey.stdout}\n${queryByKey.stderr.slice(-1500)}`).toEqual([
      { msgId: byKey.msgId, queueId: byKey.queueId, queueOffset: byKey.queueOffset },
    ]);
  });
}
