// PULL_MESSAGE / LITE_PULL_MESSAGE against a real broker: the checks and their codes, tag
// filtering, the offset -> status table row by row, and long polling.

import { ManualClock } from '@apogee/common';
import { type RemotingClient, type RemotingCommand, PullSysFlag, RequestCode, ResponseCode } from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { GetMessageStatus } from '@apogee/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullResponseCode } from '../src/pull/pull-status-mapping.js';
import { Fixture, heartbeat } from './helpers.js';
import { type RunningBroker, createTopic, dispatched, decodeBody, maxOffset, pull, pullCommand, send, sendBatch, startBroker } from './message-wire.js';

let f: Fixture;
let b: RunningBroker;
let client: RemotingClient;

beforeEach(async () => {
  f = new Fixture();
  b = await startBroker(f);
  client = f.client();
});

afterEach(async () => {
  await f.closeAll();
});

function header(res: RemotingCommand): { code: number; remark: string | undefined; next: number; min: number; max: number } {
  return {
    code: res.code,
    remark: res.remark,
    next: Number(res.extFields?.['nextBeginOffset']),
    min: Number(res.extFields?.['minOffset']),
    max: Number(res.extFields?.['maxOffset']),
  };
}

async function topicWith(count: number, queues = 1): Promise<string> {
  const topic = `t-${randomId()}`;
  createTopic(b.broker, topic, queues);
  for (let i = 0; i < count; i++) expect((await send(client, b.addr, topic, `m${i}`)).code).toBe(ResponseCode.SUCCESS);
  await dispatched(b);
  return topic;
}

describe('pull checks', () => {
  it('answers each refused pull with the RocketMQ code, in the documented order', async () => {
    const topic = await topicWith(1, 2);
    const group = `g-${randomId()}`;
    expect((await pull(client, b.addr, group, `missing-${randomId()}`)).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect((await pull(client, b.addr, group, topic, { queueId: 2 })).code).toBe(ResponseCode.INVALID_PARAMETER);
    expect((await pull(client, b.addr, group, topic, { queueId: -1 })).code).toBe(ResponseCode.INVALID_PARAMETER);
    const readless = `t-${randomId()}`;
    createTopic(b.broker, readless, 1, 2);
    const noRead = await pull(client, b.addr, group, readless);
    expect([noRead.code, noRead.extFields?.['forbiddenType']]).toEqual([ResponseCode.NO_PERMISSION, '3']);
    // Without the SUBSCRIPTION flag the group's heartbeat data is needed.
    expect((await pull(client, b.addr, group, topic, { sysFlag: 0 })).code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST);
    expect((await heartbeat(client, b.addr, `c-${randomId()}`, [{ group, topics: [`other-${randomId()}`], subVersion: 100 }])).code).toBe(0);
    expect((await pull(client, b.addr, group, topic, { sysFlag: 0 })).code).toBe(ResponseCode.SUBSCRIPTION_NOT_EXIST);
    expect((await heartbeat(client, b.addr, `c-${randomId()}`, [{ group, topics: [topic], subVersion: 100 }])).code).toBe(0);
    expect((await pull(client, b.addr, group, topic, { sysFlag: 0, subVersion: 101 })).code).toBe(ResponseCode.SUBSCRIPTION_NOT_LATEST);
    const pushPull = await pull(client, b.addr, group, topic, { sysFlag: 0, subVersion: 100 });
    expect(pushPull.code).toBe(ResponseCode.SUCCESS);
    expect(decodeBody(pushPull.body)).toHaveLength(1);
    const sql = await client.invokeSync(b.addr, pullCommand(group, topic, { expressionType: 'SQL92', subscription: 'a > 1' }), 5_000);
    expect(sql.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(sql.remark).toMatch(/SQL92/);
    b.broker.subscriptionGroupManager.disableConsume(group);
    const disabled = await pull(client, b.addr, group, topic);
    expect([disabled.code, disabled.extFields?.['forbiddenType']]).toEqual([ResponseCode.NO_PERMISSION, '2']);
  });

  it('answers 26 for an unknown group when groups are not auto-created, and 16 on a broker without read permission', async () => {
    const strict = await startBroker(f, { autoCreateSubscriptionGroup: false });
    createTopic(strict.broker, 'T-strict', 1);
    expect((await pull(client, strict.addr, `g-${randomId()}`, 'T-strict')).code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    const writeOnly = await startBroker(f, { brokerPermission: 2 });
    const res = await pull(client, writeOnly.addr, `g-${randomId()}`, 'T');
    expect([res.code, res.extFields?.['forbiddenType']]).toEqual([ResponseCode.NO_PERMISSION, '1']);
  });

  it('serves LITE_PULL_MESSAGE like PULL_MESSAGE', async () => {
    const topic = await topicWith(2);
    const res = await pull(client, b.addr, `g-${randomId()}`, topic, { code: RequestCode.LITE_PULL_MESSAGE, sysFlag: PullSysFlag.SUBSCRIPTION | PullSysFlag.LITE_PULL });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(decodeBody(res.body).map((m) => m.body.toString())).toEqual(['m0', 'm1']);
  });
});

describe('tag filtering', () => {
  it('returns only messages whose tag is in "TagA || TagB" and retries immediately past a range without matches', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    for (const tags of ['TagA', 'TagC', 'TagB', undefined, 'TagC']) {
      expect((await send(client, b.addr, topic, `body-${tags ?? 'none'}`, tags === undefined ? {} : { tags })).code).toBe(0);
    }
    await dispatched(b);
    const group = `g-${randomId()}`;
    const found = await pull(client, b.addr, group, topic, { subscription: 'TagA || TagB' });
    expect(header(found)).toMatchObject({ code: ResponseCode.SUCCESS, next: 5, max: 5 });
    expect(decodeBody(found.body).map((m) => m.body.toString())).toEqual(['body-TagA', 'body-TagB']);
    const none = await pull(client, b.addr, group, topic, { subscription: 'TagA || TagB', offset: 3 });
    expect(header(none)).toMatchObject({ code: ResponseCode.PULL_RETRY_IMMEDIATELY, remark: 'NO_MATCHED_MESSAGE', next: 5 });
    expect(none.body).toBeUndefined();
    const all = await pull(client, b.addr, group, topic, { subscription: '*' });
    expect(decodeBody(all.body)).toHaveLength(5);
  });
});

describe('offset -> status table', () => {
  it('maps every row over the wire', async () => {
    const group = `g-${randomId()}`;
    const empty = `t-${randomId()}`;
    createTopic(b.broker, empty, 1);
    expect(header(await pull(client, b.addr, group, empty, { offset: 0 }))).toMatchObject({ code: ResponseCode.PULL_NOT_FOUND, remark: 'NO_MATCHED_LOGIC_QUEUE', next: 0 });
    expect(header(await pull(client, b.addr, group, empty, { offset: 5 }))).toMatchObject({ code: ResponseCode.PULL_OFFSET_MOVED, remark: 'NO_MATCHED_LOGIC_QUEUE', next: 0 });

    const topic = await topicWith(3);
    expect(header(await pull(client, b.addr, group, topic, { offset: 1, maxMsgNums: 1 }))).toMatchObject({ code: ResponseCode.SUCCESS, remark: 'FOUND', next: 2, min: 0, max: 3 });
    expect(header(await pull(client, b.addr, group, topic, { offset: 3 }))).toMatchObject({ code: ResponseCode.PULL_NOT_FOUND, remark: 'OFFSET_OVERFLOW_ONE', next: 3 });
    expect(header(await pull(client, b.addr, group, topic, { offset: 9 }))).toMatchObject({ code: ResponseCode.PULL_OFFSET_MOVED, remark: 'OFFSET_OVERFLOW_BADLY', next: 3 });

    expect(b.broker.consumerOffsetManager.assignResetOffset(topic, group, 0, 1)).toBe(true);
    expect(header(await pull(client, b.addr, group, topic, { offset: 3 }))).toMatchObject({ code: ResponseCode.PULL_OFFSET_MOVED, remark: 'OFFSET_RESET', next: 1, max: 3 });
    // The reset is answered once; the next pull reads normally.
    expect(header(await pull(client, b.addr, group, topic, { offset: 1 }))).toMatchObject({ code: ResponseCode.SUCCESS, next: 3 });
  });

  it('answers OFFSET_TOO_SMALL with the queue min after retention removed the head', async () => {
    const HOUR_MS = 3_600_000;
    const start = Date.now();
    const later = start + 72 * HOUR_MS + 60_000;
    const clock = new ManualClock(start);
    const aged = await startBroker(f, { deleteWhen: String(new Date(later).getHours()).padStart(2, '0'), fileReservedTime: 72 }, { clock });
    const topic = `t-${randomId()}`;
    createTopic(aged.broker, topic, 1);
    const body = 'x'.repeat(900);
    for (let i = 0; i < 30; i++) expect((await sendBatch(client, aged.addr, topic, Array.from({ length: 10 }, () => body))).code).toBe(0);
    await dispatched(aged);
    clock.advanceMs(later - start);
    expect((await aged.broker.messageStore.cleanOnce()).deletedSegments).toBeGreaterThan(0);
    const min = aged.broker.messageStore.getMinOffsetInQueue(topic, 0);
    expect(min).toBeGreaterThan(0);
    expect(header(await pull(client, aged.addr, `g-${randomId()}`, topic, { offset: 0 }))).toMatchObject({ code: ResponseCode.PULL_OFFSET_MOVED, remark: 'OFFSET_TOO_SMALL', next: min, min, max: 300 });
  });

  it('maps the statuses the wire cannot produce on demand', () => {
    expect(pullResponseCode(GetMessageStatus.NO_MESSAGE_IN_QUEUE, 0)).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(pullResponseCode(GetMessageStatus.NO_MESSAGE_IN_QUEUE, 4)).toBe(ResponseCode.PULL_OFFSET_MOVED);
    expect(pullResponseCode(GetMessageStatus.OFFSET_FOUND_NULL, 4)).toBe(ResponseCode.PULL_NOT_FOUND);
    expect(pullResponseCode(GetMessageStatus.MESSAGE_WAS_REMOVING, 4)).toBe(ResponseCode.PULL_RETRY_IMMEDIATELY);
  });
});

describe('long polling', () => {
  const SUSPEND = PullSysFlag.SUBSCRIPTION | PullSysFlag.SUSPEND;

  it('holds a pull that finds nothing and answers it when a message arrives', async () => {
    const topic = await topicWith(1);
    const group = `g-${randomId()}`;
    // The RPC times out long before the hold would: only an arrival can answer it in time.
    const held = pull(client, b.addr, group, topic, { offset: 1, sysFlag: SUSPEND, suspendTimeoutMillis: 60_000, timeoutMs: 10_000 });
    await waitFor(() => b.path.pull.holdService.size === 1, { message: 'pull held' });
    expect((await send(client, b.addr, topic, 'late')).code).toBe(0);
    const res = await held;
    expect(header(res)).toMatchObject({ code: ResponseCode.SUCCESS, next: 2 });
    expect(decodeBody(res.body).map((m) => m.body.toString())).toEqual(['late']);
    expect(b.path.pull.holdService.size).toBe(0);
  });

  it('is not woken by a message its tag filter rejects', async () => {
    const topic = await topicWith(0);
    const group = `g-${randomId()}`;
    const held = pull(client, b.addr, group, topic, { offset: 0, sysFlag: SUSPEND, subscription: 'TagA', suspendTimeoutMillis: 60_000, timeoutMs: 10_000 });
    await waitFor(() => b.path.pull.holdService.size === 1, { message: 'pull held' });
    expect((await send(client, b.addr, topic, 'b', { tags: 'TagB' })).code).toBe(0);
    await dispatched(b);
    expect(b.path.pull.holdService.size).toBe(1);
    expect((await send(client, b.addr, topic, 'a', { tags: 'TagA' })).code).toBe(0);
    const res = await held;
    expect(header(res)).toMatchObject({ code: ResponseCode.SUCCESS, next: 2 });
    expect(decodeBody(res.body).map((m) => m.body.toString())).toEqual(['a']);
  });

  it('answers 19 with the same offset when the suspend time passes', async () => {
    const topic = await topicWith(2);
    const res = await pull(client, b.addr, `g-${randomId()}`, topic, { offset: 2, sysFlag: SUSPEND, suspendTimeoutMillis: 200 });
    expect(header(res)).toMatchObject({ code: ResponseCode.PULL_NOT_FOUND, remark: 'OFFSET_OVERFLOW_ONE', next: 2 });
    expect(b.path.pull.holdService.size).toBe(0);
  });

  it('commits commitOffset on first arrival only, not when the held pull runs again', async () => {
    const topic = await topicWith(1);
    const group = `g-${randomId()}`;
    const held = pull(client, b.addr, group, topic, {
      offset: 1, sysFlag: SUSPEND | PullSysFlag.COMMIT_OFFSET, commitOffset: 1, suspendTimeoutMillis: 60_000, timeoutMs: 10_000,
    });
    await waitFor(() => b.path.pull.holdService.size === 1, { message: 'pull held' });
    expect(b.broker.consumerOffsetManager.queryOffset(group, topic, 0)).toBe(1);
    b.broker.consumerOffsetManager.commitOffset('test', group, topic, 0, 0);
    expect((await send(client, b.addr, topic, 'wake')).code).toBe(0);
    expect((await held).code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.consumerOffsetManager.queryOffset(group, topic, 0)).toBe(0);
  });

  it('drops a held pull whose connection closed', async () => {
    const topic = await topicWith(0);
    const other = f.client();
    const held = pull(other, b.addr, `g-${randomId()}`, topic, { sysFlag: SUSPEND, suspendTimeoutMillis: 60_000, timeoutMs: 10_000 }).catch((err: unknown) => err);
    await waitFor(() => b.path.pull.holdService.size === 1, { message: 'pull held' });
    await other.closeChannel(b.addr);
    await held;
    await waitFor(() => {
      b.path.pull.holdService.checkHoldRequests();
      return b.path.pull.holdService.size === 0;
    }, { message: 'dead pull dropped' });
  });

  it('answers held pulls when the broker shuts down', async () => {
    const topic = await topicWith(0);
    const held = pull(client, b.addr, `g-${randomId()}`, topic, { sysFlag: SUSPEND, suspendTimeoutMillis: 60_000, timeoutMs: 10_000 });
    await waitFor(() => b.path.pull.holdService.size === 1, { message: 'pull held' });
    const stopping = b.broker.shutdown();
    const res = await held;
    expect(header(res)).toMatchObject({ code: ResponseCode.PULL_NOT_FOUND, next: 0 });
    await stopping;
    expect(await maxOffset(client, b.addr, topic).catch(() => 'down')).toBe('down');
  });
});
