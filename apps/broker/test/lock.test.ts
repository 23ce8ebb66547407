// LOCK_BATCH_MQ / UNLOCK_BATCH_MQ over the wire with a ManualClock: grant, renewal, refusal,
// takeover after the 60 s expiry, unlock by the holder only.

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, type MessageQueue } from '@apogee/common';
import {
  type RemotingClient, RequestCode, ResponseCode, createRequestCommand, decodeLockBatchResponseBody, encodeLockBatchRequestBody,
} from '@apogee/remoting';
import { quietLogger, randomId } from '@apogee/remoting/testing';
import { LOCKED_QUEUES_PER_GROUP_MAX, RebalanceLockManager } from '../src/index.js';
import { Fixture } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

const mq = (topic: string, queueId: number): MessageQueue => ({ topic, brokerName: 'b', queueId });

async function lock(client: RemotingClient, addr: string, group: string, clientId: string, mqSet: MessageQueue[]): Promise<number[]> {
  const body = encodeLockBatchRequestBody({ clientId, consumerGroup: group, mqSet, onlyThisBroker: false });
  const res = await client.invokeSync(addr, createRequestCommand(RequestCode.LOCK_BATCH_MQ, {}, body), 3_000);
  expect(res.code).toBe(ResponseCode.SUCCESS);
  const decoded = decodeLockBatchResponseBody(res.body);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.value.lockOKMQSet.map((q) => q.queueId).sort();
}

async function unlock(client: RemotingClient, addr: string, group: string, clientId: string, mqSet: MessageQueue[]): Promise<void> {
  const body = encodeLockBatchRequestBody({ clientId, consumerGroup: group, mqSet, onlyThisBroker: false });
  const res = await client.invokeSync(addr, createRequestCommand(RequestCode.UNLOCK_BATCH_MQ, {}, body), 3_000);
  expect(res.code).toBe(ResponseCode.SUCCESS);
}

describe('queue locks', () => {
  it('grants free queues, renews its own, refuses others until they expire after 60 s', async () => {
    const clock = new ManualClock();
    const broker = fixture.broker({}, { clock });
    await broker.start();
    const client = fixture.client();
    const addr = broker.brokerAddr;
    const group = `cg-${randomId()}`;
    const topic = `t-${randomId()}`;

    expect(await lock(client, addr, group, 'A', [mq(topic, 0), mq(topic, 1)])).toEqual([0, 1]);
    expect(await lock(client, addr, group, 'B', [mq(topic, 1), mq(topic, 2)])).toEqual([2]);
    expect(broker.rebalanceLockManager.isLockAllExpired(group)).toBe(false);

    clock.advanceMs(50_000);
    expect(await lock(client, addr, group, 'A', [mq(topic, 0)])).toEqual([0]); // renews queue 0 only
    clock.advanceMs(10_001); // queue 1 silent for 60_001 ms, queue 0 for 10_001 ms
    expect(await lock(client, addr, group, 'B', [mq(topic, 0), mq(topic, 1)])).toEqual([1]);
    expect(broker.rebalanceLockManager.lockHolder(group, mq(topic, 1))).toBe('B');

    // Another group's locks are separate.
    expect(await lock(client, addr, `other-${randomId()}`, 'C', [mq(topic, 0)])).toEqual([0]);

    clock.advanceMs(60_001);
    expect(broker.rebalanceLockManager.isLockAllExpired(group)).toBe(true);
  });

  it('unlocks only the queues the client holds', async () => {
    const clock = new ManualClock();
    const broker = fixture.broker({}, { clock });
    await broker.start();
    const client = fixture.client();
    const addr = broker.brokerAddr;
    const group = `cg-${randomId()}`;
    const topic = `t-${randomId()}`;
    expect(await lock(client, addr, group, 'A', [mq(topic, 0)])).toEqual([0]);
    expect(await lock(client, addr, group, 'B', [mq(topic, 1)])).toEqual([1]);

    await unlock(client, addr, group, 'B', [mq(topic, 0), mq(topic, 1)]);
    expect(broker.rebalanceLockManager.lockHolder(group, mq(topic, 0))).toBe('A');
    expect(broker.rebalanceLockManager.lockHolder(group, mq(topic, 1))).toBeUndefined();
    expect(await lock(client, addr, group, 'C', [mq(topic, 0), mq(topic, 1)])).toEqual([1]);

    // UNLOCK as oneway, the way clients send it at shutdown.
    const body = encodeLockBatchRequestBody({ clientId: 'A', consumerGroup: group, mqSet: [mq(topic, 0)], onlyThisBroker: false });
    await client.invokeOneway(addr, createRequestCommand(RequestCode.UNLOCK_BATCH_MQ, {}, body), 3_000);
    expect(await lock(client, addr, group, 'C', [mq(topic, 0)])).toEqual([0]);
  });

  it('answers a malformed lock body with SYSTEM_ERROR and an oversized one with INVALID_PARAMETER', async () => {
    const broker = fixture.broker();
    await broker.start();
    const client = fixture.client();
    const bad = await client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.LOCK_BATCH_MQ, {}, Buffer.from('{"clientId":"A"}')), 3_000);
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toContain('consumerGroup');
    const many = Array.from({ length: 10_001 }, (_, i) => mq('T', i));
    const body = encodeLockBatchRequestBody({ clientId: 'A', consumerGroup: 'g', mqSet: many, onlyThisBroker: false });
    const huge = await client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.LOCK_BATCH_MQ, {}, body), 3_000);
    expect(huge.code).toBe(ResponseCode.INVALID_PARAMETER);
  });

  it('bounds a group lock table and lets expired locks make room when it is full', () => {
    const clock = new ManualClock();
    const locks = new RebalanceLockManager({ lockMaxLiveTimeMs: 60_000, clock, log: quietLogger('locks') });
    const all = Array.from({ length: LOCKED_QUEUES_PER_GROUP_MAX }, (_, i) => mq('T', i));
    expect(locks.tryLockBatch('g', all, 'A')).toHaveLength(LOCKED_QUEUES_PER_GROUP_MAX);
    expect(locks.tryLockBatch('g', [mq('U', 0)], 'B')).toEqual([]); // full
    clock.advanceMs(60_001);
    expect(locks.tryLockBatch('g', [mq('U', 0)], 'B')).toEqual([mq('U', 0)]); // expired entries pruned
    expect(locks.lockHolder('g', mq('T', 0))).toBeUndefined();
  });
});
