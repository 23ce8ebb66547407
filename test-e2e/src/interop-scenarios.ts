// The interop scenarios, written once and run against the real Apache RocketMQ 5.3.3 (the control,
// interop-reference.test.ts) and against Apogee (interop-apogee.test.ts), each with the 4.9.8 and
// the 5.3.3 Java client. Every scenario names the exact set of messages it expects and says where
// RocketMQ's at-least-once delivery allows a duplicate.
import { setTimeout as delay } from 'node:timers/promises';
import { expect } from 'vitest';
import {
  expectedBody, expectedKeys, expectedTag, produce, pullAll, startProducer, startPushConsumer,
  type InteropClient, type MessageShape,
} from './interop-programs.js';
import type { JavaEvent, JavaProgram } from './java-program.js';

/** What a scenario needs to know about the cluster under test. */
export interface ClusterUnderTest {
  /** for messages: "RocketMQ 5.3.3" or "Apogee" */
  label: string;
  namesrvAddr: string;
  brokerName: string;
  /** "127.0.0.1:<listenPort>", what the broker registers and stamps into messages */
  brokerAddr: string;
  clusterName: string;
}

export interface ScenarioContext {
  cluster: ClusterUnderTest;
  client: InteropClient;
  /** makes topic and group names unique per run */
  uid: string;
  /** names a second run of the same scenario and client in one cluster, e.g. "bin" */
  variant?: string;
  /** observations worth printing (behaviour that differs between servers but is allowed) */
  notes: string[];
}

/** Queues of a topic the producer auto-creates: DefaultMQProducer.defaultTopicQueueNums. */
export const AUTO_CREATED_QUEUES = 4;
/** After the expected set arrived, how long to keep listening so that a duplicate would show. */
export const DUPLICATE_WATCH_MS = 1_500;
const SETTLE_TIMEOUT_MS = 40_000;
const RECEIVE_TIMEOUT_MS = 45_000;

export function names(ctx: ScenarioContext, scenario: string): { topic: string; group: string; producerGroup: string } {
  const variant = ctx.variant === undefined ? '' : `_${ctx.variant}`;
  const base = `${scenario}_${ctx.client.version.replaceAll('.', '')}${variant}_${ctx.uid}`;
  return { topic: `T_${base}`, group: `CG_${base}`, producerGroup: `PG_${base}` };
}

function range(from: number, toExclusive: number): number[] {
  return Array.from({ length: toExclusive - from }, (_, i) => from + i);
}

function num(e: JavaEvent, key: string): number {
  const v = e[key];
  if (typeof v !== 'number') throw new Error(`event field ${key} is not a number: ${JSON.stringify(e)}`);
  return v;
}

function str(e: JavaEvent, key: string): string {
  const v = e[key];
  if (typeof v !== 'string') throw new Error(`event field ${key} is not a string: ${JSON.stringify(e)}`);
  return v;
}

function sortedIdx(events: readonly JavaEvent[]): number[] {
  return events.map((e) => num(e, 'idx')).sort((a, b) => a - b);
}

/** Hex of the broker's socket address as it starts an offset message id (IPv4 + port). */
export function storeHostHex(brokerAddr: string): string {
  const [host = '', port = ''] = brokerAddr.split(':');
  const ip = host.split('.').map((o) => Number(o).toString(16).padStart(2, '0')).join('');
  return (ip + Number(port).toString(16).padStart(8, '0')).toUpperCase();
}

function describeFailures(sent: { failed: JavaEvent[]; logFile: string }): string {
  return `send failures: ${JSON.stringify(sent.failed.slice(0, 5))}; log ${sent.logFile}`;
}

/** The latest queue set a consumer reported for `topic` ("assigned" lines). */
export function latestAssigned(program: JavaProgram, topic: string): number[] | undefined {
  const lines = program.eventsNamed('assigned').filter((e) => e.topic === topic);
  const last = lines[lines.length - 1];
  return last === undefined ? undefined : (last.queues as number[]);
}

function deliveries(program: JavaProgram, topic?: string): JavaEvent[] {
  return program.eventsNamed('received').filter((e) => topic === undefined || e.topic === topic);
}

function label(ctx: ScenarioContext): string {
  return `${ctx.cluster.label}, client ${ctx.client.version}${ctx.variant === undefined ? '' : ` (${ctx.variant})`}`;
}

/** Notes the property names a delivered message of one flavour carries (they differ by server). */
function noteProperties(ctx: ScenarioContext, flavour: string, event: JavaEvent | undefined): void {
  const keys = Object.keys((event?.properties as Record<string, string> | undefined) ?? {}).sort();
  ctx.notes.push(`${label(ctx)}: ${flavour} message properties [${keys.join(' ')}]`);
}

async function stopAll(programs: readonly JavaProgram[]): Promise<void> {
  await Promise.all(programs.map((p) => p.stop().catch(() => p.kill())));
}

/**
 * sync, async, oneway, batch and delayed sends (tags TagA/TagB/TagC), read back by a "*" consumer
 * (exactly every message once, with the fields the producer was told) and by a "TagA || TagB"
 * consumer (exactly the TagA/TagB messages once).
 */
export async function sendModesAndTagFilter(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'sends');
  const shape: MessageShape = { tags: ['TagA', 'TagB', 'TagC'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'sends' };
  const modes = [['sync', 3], ['async', 3], ['oneway', 3], ['batch', 3], ['delayed', 2]] as const;
  const total = modes.reduce((n, [, c]) => n + c, 0);
  const run = await produce(ctx.client, { ...shape, topic, group: producerGroup, plan: modes, delayLevel: 1 });
  expect(run.failed, describeFailures(run)).toEqual([]);
  expect(run.exitCode, `producer log ${run.logFile}`).toBe(0);
  const sent = new Map(run.sent.map((e) => [num(e, 'index'), e]));
  expect([...sent.keys()].sort((a, b) => a - b)).toEqual(range(0, total));
  const hostHex = storeHostHex(ctx.cluster.brokerAddr);
  for (const e of run.sent) {
    expect(e.msgId, JSON.stringify(e)).toMatch(/^[0-9A-F]{32}$/);
    if (e.mode === 'oneway') {
      expect(e.status).toBe('ONEWAY');
      continue;
    }
    expect(e.status, JSON.stringify(e)).toBe('SEND_OK');
    expect(e.brokerName).toBe(ctx.cluster.brokerName);
    expect(str(e, 'offsetMsgId').slice(0, 16), `offsetMsgId of ${JSON.stringify(e)} starts with the broker address`).toBe(hostHex);
    expect(num(e, 'queueId')).toBeGreaterThanOrEqual(0);
    expect(num(e, 'queueId')).toBeLessThan(AUTO_CREATED_QUEUES);
  }
  expect(new Set(run.sent.map((e) => e.msgId)).size, 'client message ids are unique').toBe(total);
  // the 3 messages of one batch go to one queue at consecutive offsets
  const batch = run.sent.filter((e) => e.mode === 'batch');
  expect(new Set(batch.map((e) => e.queueId)).size).toBe(1);

  const tagFiltered = range(0, total).filter((i) => expectedTag(shape, i) !== 'TagC');
  const [all, filtered] = await Promise.all([
    startPushConsumer(ctx.client, { topic, group, name: 'all', expect: total, graceMs: DUPLICATE_WATCH_MS, timeoutMs: RECEIVE_TIMEOUT_MS }),
    startPushConsumer(ctx.client, {
      topic, group: `${group}_f`, name: 'tagfilter', subscription: 'TagA || TagB', expect: tagFiltered.length, graceMs: DUPLICATE_WATCH_MS, timeoutMs: RECEIVE_TIMEOUT_MS,
    }),
  ]);
  const [allExit, filteredExit] = await Promise.all([all.finish(RECEIVE_TIMEOUT_MS + 20_000), filtered.finish(RECEIVE_TIMEOUT_MS + 20_000)]);

  // A single, stable consumer that acknowledges everything gets each message exactly once.
  const got = deliveries(all);
  expect(sortedIdx(got), `"*" consumer deliveries; ${all.diagnostics()}`).toEqual(range(0, total));
  expect(allExit.code, all.diagnostics()).toBe(0);
  const batchIds = new Set<string>();
  for (const r of got) {
    const i = num(r, 'idx');
    const s = sent.get(i);
    if (s === undefined) throw new Error(`received unknown idx ${i}`);
    expect({ topic: r.topic, tags: r.tags, keys: r.keys, body: r.body, reconsumeTimes: r.reconsumeTimes, storeHost: r.storeHost }, `message ${i}`).toEqual({
      topic, tags: expectedTag(shape, i), keys: expectedKeys(shape, i), body: expectedBody(shape, i), reconsumeTimes: 0, storeHost: `/${ctx.cluster.brokerAddr}`,
    });
    const props = r.properties as Record<string, string>;
    expect(props.UNIQ_KEY, `message ${i} UNIQ_KEY`).toBe(r.msgId);
    if (s.mode === 'batch') {
      batchIds.add(str(r, 'msgId'));
    } else {
      expect(r.msgId, `message ${i} msgId`).toBe(s.msgId);
    }
    if (s.mode === 'sync' || s.mode === 'async' || s.mode === 'batch') {
      expect({ offsetMsgId: r.offsetMsgId, queueId: r.queueId, queueOffset: r.queueOffset }, `message ${i} position`).toEqual({
        offsetMsgId: s.offsetMsgId, queueId: s.queueId, queueOffset: s.queueOffset,
      });
    }
    if (s.mode === 'delayed') {
      // delay level 1 = 1 s; the consumable copy is stored when the delay ran out
      expect(num(r, 'storeTimestamp') - num(r, 'bornTimestamp'), `delayed message ${i} stored ~1 s after its birth`).toBeGreaterThanOrEqual(900);
    }
  }
  // RocketMQ 5.3.3 gives every message of a batch the batch's own UNIQ_KEY (the broker appends
  // the batch properties to each message); the 4.9 line and newer brokers keep each message's id.
  const ownIds = new Set(batch.map((e) => str(e, 'msgId')));
  const batchIdsAreOwn = [...batchIds].every((id) => ownIds.has(id)) && batchIds.size === batch.length;
  expect(batchIdsAreOwn || batchIds.size === 1, `batch message ids on delivery: ${[...batchIds].join(',')}`).toBe(true);
  ctx.notes.push(`${label(ctx)}: batch messages are delivered with ${batchIdsAreOwn ? 'their own' : 'one shared'} UNIQ_KEY`);
  const flavourOf = (mode: string): JavaEvent | undefined => got.find((r) => sent.get(num(r, 'idx'))?.mode === mode);
  for (const mode of ['sync', 'batch', 'delayed']) noteProperties(ctx, mode, flavourOf(mode));
  const delayedSent = run.sent.find((e) => e.mode === 'delayed');
  ctx.notes.push(`${label(ctx)}: SendResult of a delayed message: queueId ${String(delayedSent?.queueId)} queueOffset ${String(delayedSent?.queueOffset)} (received at queueOffset ${String(got.find((r) => r.idx === delayedSent?.index)?.queueOffset)})`);
  // every queue holds offsets 0..n-1 without a gap: nothing else was stored in the topic
  const perQueue = new Map<number, number[]>();
  for (const r of got) perQueue.set(num(r, 'queueId'), [...(perQueue.get(num(r, 'queueId')) ?? []), num(r, 'queueOffset')]);
  for (const [queueId, offsets] of perQueue) expect(offsets.sort((a, b) => a - b), `offsets in queue ${queueId}`).toEqual(range(0, offsets.length));

  expect(sortedIdx(deliveries(filtered)), `"TagA || TagB" consumer deliveries; ${filtered.diagnostics()}`).toEqual(tagFiltered);
  expect(filteredExit.code, filtered.diagnostics()).toBe(0);
}

/**
 * Two consumers of one group (CLUSTERING) share the queues: each pulls a disjoint half, together
 * they receive every message exactly once. A warm-up message creates the topic first; it is
 * excluded from the exactly-once check because the group is still rebalancing while it is
 * consumed (a queue handover may redeliver it, which RocketMQ allows).
 */
export async function clusteringShare(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'clustering');
  const shape: MessageShape = { tags: ['TagA'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'clustering' };
  const count = 20;
  const producer = await startProducer(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', 1], ['await', 1], ['sync', count]] });
  const consumers: JavaProgram[] = [];
  try {
    await producer.waitFor((ev) => ev.some((e) => e.event === 'awaiting'), 30_000, 'warm-up message sent');
    expect(producer.eventsNamed('sent').map((e) => e.status)).toEqual(['SEND_OK']);
    consumers.push(
      ...(await Promise.all(['c1', 'c2'].map((name) => startPushConsumer(ctx.client, { topic, group, name, timeoutMs: 120_000 })))),
    );
    const [c1, c2] = consumers as [JavaProgram, JavaProgram];
    // settled: both pull, disjoint queue sets that together cover the topic
    const settled = (): boolean => {
      const a = latestAssigned(c1, topic) ?? [];
      const b = latestAssigned(c2, topic) ?? [];
      // all AUTO_CREATED_QUEUES covered: mid-rebalance both can briefly hold disjoint sets that leave one queue out
      return a.length > 0 && b.length > 0 && a.every((q) => !b.includes(q)) && [...a, ...b].sort((x, y) => x - y).join() === range(0, AUTO_CREATED_QUEUES).join();
    };
    await Promise.race([
      c1.waitFor(settled, SETTLE_TIMEOUT_MS, 'a settled group (c1 and c2 with disjoint queue sets covering the topic)'),
      c2.waitFor(settled, SETTLE_TIMEOUT_MS, 'a settled group'),
    ]);
    const q1 = latestAssigned(c1, topic) ?? [];
    const q2 = latestAssigned(c2, topic) ?? [];
    expect(q1.length + q2.length, 'queues of an auto-created topic').toBe(AUTO_CREATED_QUEUES);

    producer.writeLine('go');
    const prodExit = await producer.finish(60_000);
    const sent = producer.eventsNamed('sent');
    expect(producer.eventsNamed('send-failed'), producer.diagnostics()).toEqual([]);
    expect(prodExit.code).toBe(0);
    expect(sent.map((e) => e.status)).toEqual(Array<string>(count + 1).fill('SEND_OK'));
    const measured = range(1, count + 1);
    const union = (): Set<number> => new Set([...deliveries(c1, topic), ...deliveries(c2, topic)].map((e) => num(e, 'idx')));
    await Promise.race([c1, c2].map((c) => c.waitFor(() => measured.every((i) => union().has(i)), RECEIVE_TIMEOUT_MS, `all ${count} messages across c1+c2`)));
    await delay(DUPLICATE_WATCH_MS);
    await stopAll(consumers);

    expect(latestAssigned(c1, topic), 'c1 kept its queues').toEqual(q1);
    expect(latestAssigned(c2, topic), 'c2 kept its queues').toEqual(q2);
    const d1 = deliveries(c1, topic).filter((e) => num(e, 'idx') > 0);
    const d2 = deliveries(c2, topic).filter((e) => num(e, 'idx') > 0);
    expect(sortedIdx([...d1, ...d2]), 'every message exactly once across the group').toEqual(measured);
    expect(d1.every((e) => q1.includes(num(e, 'queueId'))), 'c1 only got messages of its queues').toBe(true);
    expect(d2.every((e) => q2.includes(num(e, 'queueId'))), 'c2 only got messages of its queues').toBe(true);
    // the producer round-robins over 4 queues, so both halves get messages
    const expectedFor = (qs: number[]): number[] => sent.filter((e) => num(e, 'index') > 0 && qs.includes(num(e, 'queueId'))).map((e) => num(e, 'index')).sort((a, b) => a - b);
    expect(sortedIdx(d1)).toEqual(expectedFor(q1));
    expect(sortedIdx(d2)).toEqual(expectedFor(q2));
    expect(d1.length).toBeGreaterThan(0);
    expect(d2.length).toBeGreaterThan(0);
    const warmup = [...deliveries(c1, topic), ...deliveries(c2, topic)].filter((e) => num(e, 'idx') === 0).length;
    expect(warmup, 'warm-up message delivered (once, or twice across a rebalance)').toBeGreaterThanOrEqual(1);
    expect(warmup).toBeLessThanOrEqual(2);
  } finally {
    await stopAll([producer, ...consumers]);
  }
}

/** Two BROADCASTING consumers of one group: each receives every message exactly once. */
export async function broadcasting(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'broadcast');
  const shape: MessageShape = { tags: ['TagA', 'TagB'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'broadcast' };
  const count = 10;
  const producer = await startProducer(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', 1], ['await', 1], ['sync', count]] });
  const consumers: JavaProgram[] = [];
  try {
    await producer.waitFor((ev) => ev.some((e) => e.event === 'awaiting'), 30_000, 'warm-up message sent');
    consumers.push(
      ...(await Promise.all(['b1', 'b2'].map((name) => startPushConsumer(ctx.client, { topic, group, name, model: 'broadcasting', timeoutMs: 120_000 })))),
    );
    const all = range(0, AUTO_CREATED_QUEUES).join();
    await Promise.all(consumers.map((c) => c.waitFor(() => latestAssigned(c, topic)?.join() === all, SETTLE_TIMEOUT_MS, `all ${AUTO_CREATED_QUEUES} queues assigned`)));
    producer.writeLine('go');
    const prodExit = await producer.finish(60_000);
    expect(producer.eventsNamed('send-failed'), producer.diagnostics()).toEqual([]);
    expect(prodExit.code).toBe(0);
    const expected = range(0, count + 1);
    await Promise.all(consumers.map((c) => c.waitFor(() => {
      const got = new Set(deliveries(c, topic).map((e) => num(e, 'idx')));
      return expected.every((i) => got.has(i));
    }, RECEIVE_TIMEOUT_MS, `all ${count + 1} messages`)));
    await delay(DUPLICATE_WATCH_MS);
    await stopAll(consumers);
    // offsets are local in broadcasting and each client starts from the first offset, so the
    // warm-up message is included: every consumer, every message, once
    for (const c of consumers) expect(sortedIdx(deliveries(c, topic)), `${c.name} got everything once; ${c.diagnostics()}`).toEqual(expected);
  } finally {
    await stopAll([producer, ...consumers]);
  }
}

/**
 * Ordered messages: a MessageQueueSelector puts order id o on queue o % 4; an orderly listener
 * (LOCK_BATCH_MQ, one thread per queue) sees each order's steps in sending order.
 */
export async function orderedPerOrderId(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'ordered');
  const shape: MessageShape = { tags: ['TagA', 'TagB'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'ordered' };
  const orders = 4;
  const steps = 6;
  const total = orders * steps;
  const run = await produce(ctx.client, { ...shape, topic, group: producerGroup, plan: [['ordered', total]], orders });
  expect(run.failed, describeFailures(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  for (const e of run.sent) expect(num(e, 'queueId'), `order ${num(e, 'orderId')} goes to queue orderId % 4`).toBe(num(e, 'orderId') % AUTO_CREATED_QUEUES);
  const consumer = await startPushConsumer(ctx.client, { topic, group, name: 'orderly', listener: 'orderly', expect: total, graceMs: DUPLICATE_WATCH_MS, timeoutMs: RECEIVE_TIMEOUT_MS });
  const exit = await consumer.finish(RECEIVE_TIMEOUT_MS + 20_000);
  const got = deliveries(consumer);
  expect(sortedIdx(got), consumer.diagnostics()).toEqual(range(0, total));
  expect(exit.code).toBe(0);
  for (let o = 0; o < orders; o++) {
    const ofOrder = got.filter((e) => num(e, 'idx') % orders === o);
    expect(ofOrder.map((e) => Number((e.properties as Record<string, string>).step)), `steps of order ${o} in delivery order`).toEqual(range(0, steps));
    expect(new Set(ofOrder.map((e) => e.queueId)), `order ${o} on one queue`).toEqual(new Set([o % AUTO_CREATED_QUEUES]));
  }
}

/**
 * A listener that fails: message 1 fails twice then succeeds, message 4 always fails. Failed
 * messages come back through %RETRY%<group> (delay level 1, reconsumeTimes 1, 2); with
 * maxReconsumeTimes 2, message 4's third failure sends it to %DLQ%<group>, where a pull consumer
 * finds exactly it.
 */
export async function retryThenDlq(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'retry');
  const shape: MessageShape = { tags: ['TagA'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'retry' };
  const run = await produce(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', 6]] });
  expect(run.failed, describeFailures(run)).toEqual([]);
  expect(run.exitCode).toBe(0);
  const sent = new Map(run.sent.map((e) => [num(e, 'index'), e]));
  const expected = [
    [0, 0, 'CONSUME_SUCCESS'], [1, 0, 'RECONSUME_LATER'], [1, 1, 'RECONSUME_LATER'], [1, 2, 'CONSUME_SUCCESS'],
    [2, 0, 'CONSUME_SUCCESS'], [3, 0, 'CONSUME_SUCCESS'], [4, 0, 'RECONSUME_LATER'], [4, 1, 'RECONSUME_LATER'],
    [4, 2, 'RECONSUME_LATER'], [5, 0, 'CONSUME_SUCCESS'],
  ];
  const consumer = await startPushConsumer(ctx.client, {
    topic, group, name: 'failing', fail: { 1: 2, 4: 99 }, maxReconsumeTimes: 2, retryDelayLevel: 1,
    expect: expected.length, graceMs: 2_500, timeoutMs: 60_000,
  });
  const exit = await consumer.finish(80_000);
  const got = deliveries(consumer);
  const key = (e: readonly unknown[]): string => e.join('/');
  expect(got.map((e) => key([e.idx, e.reconsumeTimes, e.result])).sort(), `deliveries (idx/reconsumeTimes/result); ${consumer.diagnostics()}`).toEqual(expected.map(key).sort());
  expect(exit.code).toBe(0);
  for (const r of got) {
    const s = sent.get(num(r, 'idx'));
    // the client restores the original topic of a %RETRY% message; the id stays the producer's
    expect({ topic: r.topic, msgId: r.msgId, body: r.body, keys: r.keys }, `delivery ${JSON.stringify([r.idx, r.reconsumeTimes])}`).toEqual({
      topic, msgId: s?.msgId, body: expectedBody(shape, num(r, 'idx')), keys: expectedKeys(shape, num(r, 'idx')),
    });
    if (num(r, 'reconsumeTimes') > 0) expect((r.properties as Record<string, string>).RETRY_TOPIC).toBe(topic);
  }

  noteProperties(ctx, 'retried', got.find((r) => num(r, 'reconsumeTimes') > 0));
  const dlqTopic = `%DLQ%${group}`;
  const dlq = await pullAll(ctx.client, { topic: dlqTopic, group: `${group}_dlqcheck`, expect: 1, timeoutMs: 30_000 });
  expect(dlq.pulled.map((e) => e.idx), `DLQ content; pull errors ${JSON.stringify(dlq.errors.slice(0, 3))}; log ${dlq.logFile}`).toEqual([4]);
  expect(dlq.exitCode).toBe(0);
  const dead = dlq.pulled[0] as JavaEvent;
  noteProperties(ctx, 'DLQ', dead);
  const props = dead.properties as Record<string, string>;
  expect({ topic: dead.topic, body: dead.body, reconsumeTimes: dead.reconsumeTimes, uniqKey: props.UNIQ_KEY, retryTopic: props.RETRY_TOPIC, originMessageId: props.ORIGIN_MESSAGE_ID }).toEqual({
    topic: dlqTopic, body: expectedBody(shape, 4), reconsumeTimes: 3, uniqKey: sent.get(4)?.msgId, retryTopic: topic, originMessageId: sent.get(4)?.offsetMsgId,
  });
}

/**
 * Offsets survive a consumer restart: a consumer reads 5 messages and shuts down cleanly (its
 * offsets are committed: with each pull, every second, and at shutdown); 5 more are sent; a new
 * consumer process of the same group gets exactly those 5 and none of the first 5 again.
 */
export async function resumeFromCommittedOffset(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'resume');
  const shape: MessageShape = { tags: ['TagA'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'resume' };
  const first = await produce(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', 5]] });
  expect(first.failed, describeFailures(first)).toEqual([]);
  const c1 = await startPushConsumer(ctx.client, { topic, group, name: 'before-restart', expect: 5, graceMs: 2_000, timeoutMs: RECEIVE_TIMEOUT_MS });
  const e1 = await c1.finish(RECEIVE_TIMEOUT_MS + 20_000);
  expect(sortedIdx(deliveries(c1)), c1.diagnostics()).toEqual(range(0, 5));
  expect(e1.code).toBe(0);
  const second = await produce(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', 5]], firstIndex: 5 });
  expect(second.failed, describeFailures(second)).toEqual([]);
  const c2 = await startPushConsumer(ctx.client, { topic, group, name: 'after-restart', expect: 5, graceMs: DUPLICATE_WATCH_MS, timeoutMs: RECEIVE_TIMEOUT_MS });
  const e2 = await c2.finish(RECEIVE_TIMEOUT_MS + 20_000);
  const got = sortedIdx(deliveries(c2));
  if (ctx.cluster.label === 'Apogee') {
    expect(got, `the restarted consumer resumes at the committed offsets; ${c2.diagnostics()}`).toEqual(range(5, 10));
  } else {
    // The control: RocketMQ only promises at-least-once here. In one CI run under load a 4.9.8
    // client's last offset of one queue did not reach the 5.3.3 broker before shutdown and one
    // message of the first batch came again; record that instead of failing the control.
    expect(got.filter((i) => i >= 5), `the restarted consumer gets the second batch; ${c2.diagnostics()}`).toEqual(range(5, 10));
    const again = got.filter((i) => i < 5);
    if (again.length > 0) ctx.notes.push(`${ctx.cluster.label} redelivered [${again.join(', ')}] after a clean consumer restart (at-least-once)`);
  }
  expect(e2.code).toBe(0);
}

/**
 * A new group with CONSUME_FROM_LAST_OFFSET on a young topic: RocketMQ's broker answers
 * QUERY_CONSUMER_OFFSET with 0 for a queue whose first message is still in memory (so the
 * group reads what is already there) and QUERY_NOT_FOUND for an empty queue (the client then
 * starts at the max offset). With 3 messages on 3 of 4 queues, then 2 more once the consumer
 * pulls: exactly all 5.
 */
export async function newGroupFromLastOffset(ctx: ScenarioContext): Promise<void> {
  const { topic, group, producerGroup } = names(ctx, 'fromlast');
  const shape: MessageShape = { tags: ['TagA'], keyPrefix: `k-${ctx.uid}`, bodyPrefix: 'fromlast' };
  const producer = await startProducer(ctx.client, { ...shape, topic, group: producerGroup, plan: [['sync', 3], ['await', 1], ['sync', 2]] });
  const programs: JavaProgram[] = [producer];
  try {
    await producer.waitFor((ev) => ev.some((e) => e.event === 'awaiting'), 30_000, 'the first 3 messages sent');
    expect(new Set(producer.eventsNamed('sent').map((e) => e.queueId)).size, 'first messages on 3 distinct queues').toBe(3);
    const consumer = await startPushConsumer(ctx.client, { topic, group, name: 'from-last', from: 'last', timeoutMs: 60_000 });
    programs.push(consumer);
    const all = range(0, AUTO_CREATED_QUEUES).join();
    await consumer.waitFor(() => latestAssigned(consumer, topic)?.join() === all, SETTLE_TIMEOUT_MS, 'all queues assigned');
    producer.writeLine('go');
    expect((await producer.finish(60_000)).code, producer.diagnostics()).toBe(0);
    // the two new messages arrive either way; the first three tell which offset the group got
    await consumer.waitFor(() => {
      const got = new Set(deliveries(consumer, topic).map((e) => num(e, 'idx')));
      return got.has(3) && got.has(4);
    }, RECEIVE_TIMEOUT_MS, 'the 2 messages sent after the consumer started');
    await delay(DUPLICATE_WATCH_MS);
    await consumer.stop();
    expect(sortedIdx(deliveries(consumer, topic)), consumer.diagnostics()).toEqual(range(0, 5));
  } finally {
    await stopAll(programs);
  }
}

export type Scenario = (ctx: ScenarioContext) => Promise<void>;

/**
 * Runs one scenario for several clients at once (they use distinct topics and groups) and fails
 * with every failure, each labelled; used by the control file to stay within its time budget.
 */
export async function runSideBySide(runs: ReadonlyArray<{ label: string; run: () => Promise<void> }>): Promise<void> {
  const results = await Promise.allSettled(runs.map((r) => r.run()));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${runs[i]?.label ?? i}: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`] : []));
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

/** What interop-reference and interop-apogee run with each client version (default JSON headers). */
export const INTEROP_SCENARIOS: Readonly<Record<string, Scenario>> = {
  sendModesAndTagFilter, clusteringShare, broadcasting, orderedPerOrderId, retryThenDlq, resumeFromCommittedOffset, newGroupFromLastOffset,
};

/** Re-run with ROCKETMQ binary headers (-Drocketmq.serialize.type=ROCKETMQ): sends, batch, pulls, send-back, DLQ. */
export const BINARY_HEADER_SCENARIOS: Readonly<Record<string, Scenario>> = { sendModesAndTagFilter, retryThenDlq };
