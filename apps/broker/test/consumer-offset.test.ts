// QUERY_CONSUMER_OFFSET / UPDATE_CONSUMER_OFFSET over the wire, persistence of consumerOffset.json
// across a restart in RocketMQ's shape, and the min-offset-0 rule against a real store.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSocketAddress } from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, RequestCode, ResponseCode, createRequestCommand, parseLenientJson,
} from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { consumerOffsetPath } from '../src/index.js';
import { Fixture, heartbeat } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

function query(client: RemotingClient, addr: string, group: string, topic: string, queueId: number, extra: Record<string, string> = {}): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(RequestCode.QUERY_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: String(queueId), ...extra }), 3_000);
}

function update(client: RemotingClient, addr: string, group: string, topic: string, queueId: number, commitOffset: number): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: String(queueId), commitOffset: String(commitOffset) }), 3_000);
}

describe('consumer offsets', () => {
  it('answers 22 before a commit, then the committed value (sync and oneway updates), and keeps it across a restart', async () => {
    const dir = fixture.tempDir();
    const broker = fixture.broker({ brokerName: 'broker-offsets' }, { dir });
    await broker.start();
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const topic = `%RETRY%${group}`; // created by the heartbeat
    await heartbeat(client, broker.brokerAddr, 'c1', [{ group, topics: [topic] }]);

    const missing = await query(client, broker.brokerAddr, group, topic, 0);
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(missing.remark).toContain(group);

    expect((await update(client, broker.brokerAddr, group, topic, 0, 12)).code).toBe(ResponseCode.SUCCESS);
    const oneway = createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group, topic, queueId: '1', commitOffset: '7' });
    await client.invokeOneway(broker.brokerAddr, oneway, 3_000);
    await waitFor(() => broker.consumerOffsetManager.queryOffset(group, topic, 1) === 7, { message: 'oneway commit applied' });
    const found = await query(client, broker.brokerAddr, group, topic, 0);
    expect(found.code).toBe(ResponseCode.SUCCESS);
    expect(found.extFields).toMatchObject({ offset: '12' });

    await broker.shutdown();
    const text = readFileSync(consumerOffsetPath(dir), 'utf8');
    expect(text).toMatch(new RegExp(`"${topic}@${group}":\\{\\s*0:12,\\s*1:7\\s*\\}`));
    const parsed = parseLenientJson(text);
    expect(parsed.ok && (parsed.value as { offsetTable: unknown }).offsetTable).toEqual({ [`${topic}@${group}`]: { 0: 12, 1: 7 } });
    expect(parsed.ok && (parsed.value as { dataVersion: { counter: number } }).dataVersion.counter).toBeGreaterThan(0);

    const again = fixture.broker({ brokerName: 'broker-offsets' }, { dir });
    await again.start();
    const after = await query(fixture.client(), again.brokerAddr, group, topic, 1);
    expect(after.code).toBe(ResponseCode.SUCCESS);
    expect(after.extFields?.['offset']).toBe('7');
  });

  it('writes consumerOffset.json every flushConsumerOffsetInterval', async () => {
    const dir = fixture.tempDir();
    const broker = fixture.broker({ flushConsumerOffsetInterval: 100 }, { dir });
    await broker.start();
    const group = `cg-${randomId()}`;
    broker.consumerOffsetManager.commitOffset('test', group, 'T', 3, 42);
    await waitFor(() => {
      try {
        return readFileSync(consumerOffsetPath(dir), 'utf8').includes(`"T@${group}"`);
      } catch {
        return false;
      }
    }, { message: 'periodic offset persist' });
    expect(readFileSync(consumerOffsetPath(dir), 'utf8')).toMatch(/3:42/);
  });

  it('starts a new group at 0 on a queue that still holds its first message, and answers 22 on an empty one', async () => {
    const broker = fixture.broker();
    await broker.start();
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    const host = parseSocketAddress('127.0.0.1:12345');
    const put = await broker.messageStore.putMessage({
      topic, queueId: 0, flag: 0, body: Buffer.from('hello'), properties: new Map(), sysFlag: 0,
      bornTimestamp: Date.now(), bornHost: host, storeHost: host, reconsumeTimes: 0, preparedTransactionOffset: 0,
    });
    expect(put.status).toBe('PUT_OK');
    await broker.messageStore.waitForDispatch();

    const group = `cg-${randomId()}`;
    const young = await query(client, broker.brokerAddr, group, topic, 0);
    expect(young.code).toBe(ResponseCode.SUCCESS);
    expect(young.extFields?.['offset']).toBe('0');
    expect((await query(client, broker.brokerAddr, group, topic, 0, { setZeroIfNotFound: 'false' })).code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect((await query(client, broker.brokerAddr, group, topic, 1)).code).toBe(ResponseCode.QUERY_NOT_FOUND);
  });

  it('refuses updates for unknown groups (26), unknown topics (17) and bad headers, and ignores them while a reset is pending', async () => {
    const broker = fixture.broker({ autoCreateSubscriptionGroup: false });
    await broker.start();
    const client = fixture.client();
    const group = 'TOOLS_CONSUMER'; // built in
    expect((await update(client, broker.brokerAddr, `cg-${randomId()}`, 'SELF_TEST_TOPIC', 0, 1)).code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);
    const noTopic = await update(client, broker.brokerAddr, group, `t-${randomId()}`, 0, 1);
    expect(noTopic.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(noTopic.remark).toMatch(/topic t-\w+ does not exist/);
    const noHeader = await client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.UPDATE_CONSUMER_OFFSET, { consumerGroup: group }), 3_000);
    expect(noHeader.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(noHeader.remark).toContain('missing required field topic');

    broker.consumerOffsetManager.assignResetOffset('SELF_TEST_TOPIC', group, 0, 5);
    const ignored = await update(client, broker.brokerAddr, group, 'SELF_TEST_TOPIC', 0, 99);
    expect(ignored.code).toBe(ResponseCode.SUCCESS);
    expect(ignored.remark).toBe('Offset has been previously reset');
    expect(broker.consumerOffsetManager.queryOffset(group, 'SELF_TEST_TOPIC', 0)).toBe(5);
    expect(broker.consumerOffsetManager.queryThenEraseResetOffset('SELF_TEST_TOPIC', group, 0)).toBe(5);
    expect((await update(client, broker.brokerAddr, group, 'SELF_TEST_TOPIC', 0, 99)).remark).toBeUndefined();
    expect(broker.consumerOffsetManager.queryOffset(group, 'SELF_TEST_TOPIC', 0)).toBe(99);
  });

  it('lists, clones and removes offsets by group and topic', async () => {
    const broker = fixture.broker();
    const offsets = broker.consumerOffsetManager;
    offsets.commitOffset('h', 'g1', 'A', 0, 1);
    offsets.commitOffset('h', 'g1', 'B', 0, 2);
    offsets.commitOffset('h', 'g2', 'A', 1, 3);
    expect([...offsets.whichTopicByConsumer('g1')].sort()).toEqual(['A', 'B']);
    expect([...offsets.whichGroupByTopic('A')].sort()).toEqual(['g1', 'g2']);
    expect(offsets.cloneOffset('g1', 'g3', 'B')).toBe(true);
    expect(offsets.queryOffsets('g3', 'B')).toEqual(new Map([[0, 2]]));
    expect(offsets.removeOffset('g1')).toBe(2);
    expect(offsets.queryOffset('g1', 'A', 0)).toBe(-1);
    expect(offsets.removeConsumerOffset('A', 'g2')).toBe(true);
    expect(offsets.encode()).toMatch(/"offsetTable":\{"B@g3":\{0:2\}\}/);
  });
});
