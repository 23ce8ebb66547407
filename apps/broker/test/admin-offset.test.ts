// Offset admin codes over the wire, with a manual clock so that store times and rates are exact:
// GET_CONSUME_STATS (208) numbers against what was sent, committed and pulled;
// GET_BROKER_CONSUME_STATS (317); GET_ALL_CONSUMER_OFFSET (43); GET_ALL_DELAY_OFFSET (45);
// CLONE_GROUP_OFFSET (314); INVOKE_BROKER_TO_RESET_OFFSET (222) in 5.x (server-side) and 4.9
// (client-side) mode, with a connected client that receives RESET_CONSUMER_CLIENT_OFFSET (220).

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, CloneGroupOffsetRequestHeader, GetConsumeStatsRequestHeader, RequestCode, ResetOffsetRequestHeader,
  ResponseCode, UpdateConsumerOffsetRequestHeader, createRequestCommand, parseLenientJson,
} from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { adminProcessorsOf } from '../src/processor/admin-processors.js';
import { Fixture, heartbeat } from './helpers.js';
import { type RunningBroker, createTopic, pull, send, startBroker } from './message-wire.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

function call(client: RemotingClient, addr: string, code: number, ext: Record<string, string> = {}): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(code, ext), 5_000);
}

function commit(client: RemotingClient, addr: string, consumerGroup: string, topic: string, queueId: number, commitOffset: number): Promise<RemotingCommand> {
  return call(client, addr, RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader.encode({ consumerGroup, topic, queueId, commitOffset }));
}

function mq(b: RunningBroker, topic: string, queueId: number): string {
  return `{"brokerName":"${b.broker.brokerConfig.brokerName}","queueId":${queueId},"topic":"${topic}"}`;
}

/** Sends `count` messages to one queue, each stored at the clock's current time. */
async function sendTo(client: RemotingClient, b: RunningBroker, topic: string, queueId: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) expect((await send(client, b.addr, topic, `m-${queueId}-${i}`, { queueId })).code).toBe(ResponseCode.SUCCESS);
  await b.broker.messageStore.waitForDispatch();
}

/** A client connection that records what the broker sends it (220). */
function recordingClient(): { client: RemotingClient; received: RemotingCommand[] } {
  const client = fixture.client();
  const received: RemotingCommand[] = [];
  client.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, { process: (_ctx, request) => { received.push(request); return null; } });
  return { client, received };
}

describe('GET_CONSUME_STATS (208)', () => {
  it('reports per read queue the max offset, the committed offset, where the last pull ended (pullOffset), the store time of the last consumed message, and the pull rate', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const b = await startBroker(fixture, {}, { clock });
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    createTopic(b.broker, topic, 2);
    await heartbeat(client, b.addr, 'c1', [{ group, topics: [topic] }]);
    await sendTo(client, b, topic, 0, 3);
    clock.advanceMs(1_000);
    await sendTo(client, b, topic, 1, 2);
    const stored0 = await b.broker.messageStore.getMessageStoreTimeStamp(topic, 0, 1);
    expect(stored0).toBe(1_700_000_000_000);

    // the group pulls 3 + 2 messages and commits 2 on queue 0, nothing on queue 1
    expect((await pull(client, b.addr, group, topic, { queueId: 0 })).code).toBe(ResponseCode.SUCCESS);
    expect((await pull(client, b.addr, group, topic, { queueId: 1 })).code).toBe(ResponseCode.SUCCESS);
    expect((await commit(client, b.addr, group, topic, 0, 2)).code).toBe(ResponseCode.SUCCESS);
    clock.advanceMs(10_000);
    adminProcessorsOf(b.broker)!.stats.sample();

    const res = await call(client, b.addr, RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader.encode({ consumerGroup: group, topic }));
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(res.body?.toString()).toBe(
      `{"consumeTps":0.5,"offsetTable":{${mq(b, topic, 0)}:{"brokerOffset":3,"consumerOffset":2,"lastTimestamp":${stored0},"pullOffset":3},` +
      `${mq(b, topic, 1)}:{"brokerOffset":2,"consumerOffset":0,"lastTimestamp":0,"pullOffset":2}}}`,
    );

    // without a topic: every topic the group has offsets on and subscribes to (the online group
    // does not subscribe to `other`, so it is left out)
    const other = `t-${randomId()}`;
    createTopic(b.broker, other, 1);
    b.broker.consumerOffsetManager.commitOffset('test', group, other, 0, 0);
    const all = await call(client, b.addr, RequestCode.GET_CONSUME_STATS, { consumerGroup: group });
    const table = (parseLenientJson(all.body!.toString()) as { ok: true; value: { offsetTable: Record<string, unknown> } }).value.offsetTable;
    expect(Object.keys(table).map((k) => (JSON.parse(k) as { topic: string }).topic)).toEqual([topic, topic]);
    // a ';' list is taken as given
    const listed = await call(client, b.addr, RequestCode.GET_CONSUME_STATS, { consumerGroup: group, topicList: `${other};${topic}` });
    expect(listed.body?.toString()).toContain(mq(b, other, 0));
  });

  it('answers an empty ConsumeStats for a group without offsets', async () => {
    const b = await startBroker(fixture);
    const res = await call(fixture.client(), b.addr, RequestCode.GET_CONSUME_STATS, { consumerGroup: `cg-${randomId()}` });
    expect([res.code, res.body?.toString()]).toEqual([ResponseCode.SUCCESS, '{"consumeTps":0,"offsetTable":{}}']);
  });
});

describe('offset tables', () => {
  it('GET_ALL_CONSUMER_OFFSET (43) answers topic@group with unquoted queue ids; GET_ALL_DELAY_OFFSET (45) the delay levels', async () => {
    const b = await startBroker(fixture);
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 2);
    await heartbeat(client, b.addr, 'c1', [{ group, topics: [topic] }]);
    await commit(client, b.addr, group, topic, 1, 7);
    await commit(client, b.addr, group, topic, 0, 12);
    const all = await call(client, b.addr, RequestCode.GET_ALL_CONSUMER_OFFSET);
    expect(all.code).toBe(ResponseCode.SUCCESS);
    expect(all.body?.toString()).toMatch(new RegExp(`^\\{"dataVersion":\\{"counter":\\d+,"stateVersion":0,"timestamp":\\d+\\},"offsetTable":\\{.*"${topic}@${group}":\\{0:12,1:7\\}`));

    const delay = await call(client, b.addr, RequestCode.GET_ALL_DELAY_OFFSET);
    expect(delay.code).toBe(ResponseCode.SUCCESS);
    const parsed = parseLenientJson(delay.body!.toString());
    expect(parsed.ok && (parsed.value as { offsetTable: object }).offsetTable).toBeTypeOf('object');
  });

  it('CLONE_GROUP_OFFSET (314) copies committed offsets of one topic or of every topic of the source group', async () => {
    const b = await startBroker(fixture);
    const client = fixture.client();
    const src = `cg-${randomId()}`;
    const [t1, t2] = [`t-${randomId()}`, `t-${randomId()}`];
    createTopic(b.broker, t1, 2);
    createTopic(b.broker, t2, 1);
    b.broker.consumerOffsetManager.commitOffset('test', src, t1, 0, 4);
    b.broker.consumerOffsetManager.commitOffset('test', src, t1, 1, 5);
    b.broker.consumerOffsetManager.commitOffset('test', src, t2, 0, 6);
    const one = `cg-${randomId()}`;
    const ext = (destGroup: string, topic?: string): Record<string, string> =>
      CloneGroupOffsetRequestHeader.encode({ srcGroup: src, destGroup, offline: false, ...(topic === undefined ? {} : { topic }) });
    expect((await call(client, b.addr, RequestCode.CLONE_GROUP_OFFSET, ext(one, t1))).code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.consumerOffsetManager.queryOffsets(one, t1)).toEqual(new Map([[0, 4], [1, 5]]));
    expect(b.broker.consumerOffsetManager.queryOffsets(one, t2)).toBeUndefined();
    const every = `cg-${randomId()}`;
    expect((await call(client, b.addr, RequestCode.CLONE_GROUP_OFFSET, ext(every))).code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.consumerOffsetManager.whichTopicByConsumer(every)).toEqual(new Set([t1, t2]));
  });

  it('GET_BROKER_CONSUME_STATS (317) lists every subscription group with its ConsumeStats per topic and the total backlog', async () => {
    const b = await startBroker(fixture);
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    await heartbeat(client, b.addr, 'c1', [{ group, topics: [topic] }]);
    await sendTo(client, b, topic, 0, 4);
    await commit(client, b.addr, group, topic, 0, 1);
    const res = await call(client, b.addr, RequestCode.GET_BROKER_CONSUME_STATS, { isOrder: 'false' });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const text = res.body!.toString();
    expect(text).toMatch(new RegExp(`^\\{"brokerAddr":"${b.addr}","consumeStatsList":\\[.*\\],"totalDiff":3,"totalInflightDiff":0\\}$`));
    expect(text).toContain(`{"${group}":[{"consumeTps":0,"offsetTable":{${mq(b, topic, 0)}:{"brokerOffset":4,"consumerOffset":1,`);
  });
});

describe('INVOKE_BROKER_TO_RESET_OFFSET (222)', () => {
  async function setUp(overrides: Record<string, boolean> = {}) {
    const clock = new ManualClock(1_700_000_000_000);
    const b = await startBroker(fixture, overrides, { clock });
    const { client, received } = recordingClient();
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    createTopic(b.broker, topic, 2);
    await sendTo(client, b, topic, 0, 3);
    await sendTo(client, b, topic, 1, 1);
    clock.advanceMs(5_000);
    await sendTo(client, b, topic, 0, 2);
    await sendTo(client, b, topic, 1, 4);
    await heartbeat(client, b.addr, 'consumer-1', [{ group, topics: [topic] }]);
    for (const [queueId, offset] of [[0, 5], [1, 5]] as const) expect((await commit(client, b.addr, group, topic, queueId, offset)).code).toBe(0);
    return { b, client, received, topic, group, secondBatchMs: clock.nowMs() };
  }

  const resetExt = (topic: string, group: string, timestamp: number, fields: Partial<ResetOffsetRequestHeader> = {}): Record<string, string> =>
    ResetOffsetRequestHeader.encode({ topic, group, timestamp, isForce: true, ...fields });

  it('5.x: commits the offsets at that time, keeps them pending for the next pull, pushes 220 to the online client and answers ResetOffsetBody', async () => {
    const { b, client, received, topic, group, secondBatchMs } = await setUp();
    const res = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, group, secondBatchMs));
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const body = `{"offsetTable":{${mq(b, topic, 0)}:3,${mq(b, topic, 1)}:1}}`;
    expect(res.body?.toString()).toBe(body);
    expect(b.broker.consumerOffsetManager.queryOffsets(group, topic)).toEqual(new Map([[0, 3], [1, 1]]));

    await waitFor(() => received.length === 1, { message: 'RESET_CONSUMER_CLIENT_OFFSET received' });
    expect(received[0]!.code).toBe(RequestCode.RESET_CONSUMER_CLIENT_OFFSET);
    expect(received[0]!.extFields).toMatchObject({ topic, group, timestamp: String(secondBatchMs), isForce: 'true' });
    expect(received[0]!.body?.toString()).toBe(body);

    // a stale commit from the client is ignored until the consumer pulled; the pull is told to move
    const stale = await commit(client, b.addr, group, topic, 0, 5);
    expect([stale.code, stale.remark]).toEqual([ResponseCode.SUCCESS, 'Offset has been previously reset']);
    expect(b.broker.consumerOffsetManager.queryOffset(group, topic, 0)).toBe(3);
    const moved = await pull(client, b.addr, group, topic, { queueId: 0, offset: 5 });
    expect([moved.code, moved.extFields?.['nextBeginOffset']]).toEqual([ResponseCode.PULL_OFFSET_MOVED, '3']);
    // queue 1's consumer already moved to the reset offset (220): its pull is served, not moved again
    const served = await pull(client, b.addr, group, topic, { queueId: 1, offset: 1 });
    expect(served.code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.consumerOffsetManager.hasOffsetReset(topic, group, 1)).toBe(false);
  });

  it('5.x: timestamp -1 moves to the max offsets; one queue with an explicit offset; refusals 17, 26 and an offset out of range', async () => {
    const { b, client, topic, group } = await setUp();
    const toMax = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, group, -1));
    expect(toMax.body?.toString()).toBe(`{"offsetTable":{${mq(b, topic, 0)}:5,${mq(b, topic, 1)}:5}}`);
    const oneQueue = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, group, 0, { queueId: 1, offset: 2 }));
    expect(oneQueue.body?.toString()).toBe(`{"offsetTable":{${mq(b, topic, 1)}:2}}`);
    expect(b.broker.consumerOffsetManager.queryOffsets(group, topic)).toEqual(new Map([[0, 5], [1, 2]]));

    const outOfRange = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, group, 0, { queueId: 1, offset: 7 }));
    expect([outOfRange.code, outOfRange.remark]).toEqual([ResponseCode.SYSTEM_ERROR, expect.stringContaining('Target offset 7 not in consume queue range [0-5]')]);
    const noTopic = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt('no-such-topic', group, -1));
    expect(noTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    const noGroup = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, 'no-such-group', -1));
    expect([noGroup.code, noGroup.remark]).toEqual([ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, 'Group no-such-group does not exist']);
  });

  it('4.9 mode (useServerSideResetOffset=false): tells the clients and leaves committing to them; 206 when no consumer is online', async () => {
    const { b, client, received, topic, group, secondBatchMs } = await setUp({ useServerSideResetOffset: false });
    const notForced = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, group, secondBatchMs, { isForce: false }));
    expect(notForced.code).toBe(ResponseCode.SUCCESS);
    expect(notForced.body?.toString()).toBe(`{"offsetTable":{${mq(b, topic, 0)}:3,${mq(b, topic, 1)}:1}}`);
    await waitFor(() => received.length === 1, { message: 'RESET_CONSUMER_CLIENT_OFFSET received' });
    expect(received[0]!.extFields).toMatchObject({ isForce: 'false' });
    expect(b.broker.consumerOffsetManager.queryOffsets(group, topic)).toEqual(new Map([[0, 5], [1, 5]]));
    expect(b.broker.consumerOffsetManager.hasOffsetReset(topic, group, 0)).toBe(false);

    const lonely = `cg-${randomId()}`;
    b.broker.consumerOffsetManager.commitOffset('test', lonely, topic, 0, 1);
    b.broker.consumerOffsetManager.commitOffset('test', lonely, topic, 1, 1);
    const offline = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, lonely, -1));
    expect([offline.code, offline.remark]).toEqual([ResponseCode.CONSUMER_NOT_ONLINE, expect.stringContaining(`Consumer not online, so can not reset offset, Group: ${lonely}`)]);
    const noOffsets = await call(client, b.addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, resetExt(topic, `cg-${randomId()}`, -1));
    expect(noOffsets.code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});
