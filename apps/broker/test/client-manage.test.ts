// HEART_BEAT / UNREGISTER_CLIENT / GET_CONSUMER_LIST_BY_GROUP / CHECK_CLIENT_CONFIG over the
// wire, and NOTIFY_CONSUMER_IDS_CHANGED as a client receives it. Each RemotingClient is one
// connection, i.e. one client instance.

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, RequestCode, ResponseCode, createRequestCommand,
} from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { Fixture, consumerList, heartbeat, heartbeatBody } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

/** A client that records the NOTIFY_CONSUMER_IDS_CHANGED groups it receives. */
function notifiedClient(): { client: RemotingClient; notified: string[] } {
  const client = fixture.client();
  const notified: string[] = [];
  client.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, {
    process: (_ctx, request) => {
      notified.push(request.extFields?.['consumerGroup'] ?? '?');
      return null;
    },
  });
  return { client, notified };
}

describe('heartbeats and consumer groups', () => {
  it('registers a consumer group from a heartbeat and lists its client ids; the response advertises heartbeat v2', async () => {
    const broker = fixture.broker();
    await broker.start();
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const res = await heartbeat(client, broker.brokerAddr, '127.0.0.1@1#1', [{ group, topics: ['T', `%RETRY%${group}`] }], ['pg']);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(res.extFields).toMatchObject({ IS_SUPPORT_HEART_BEAT_V2: 'true', IS_SUB_CHANGE: 'true' });
    expect(await consumerList(client, broker.brokerAddr, group)).toEqual(['127.0.0.1@1#1']);

    const info = broker.consumerManager.getConsumerGroupInfo(group);
    expect(info?.consumeType).toBe('CONSUME_PASSIVELY');
    expect([...info!.subscriptionTable.keys()].sort()).toEqual(['%RETRY%' + group, 'T']);
    expect(info?.allChannels()[0]).toMatchObject({ clientId: '127.0.0.1@1#1', language: 'JAVA', version: 479 });
    expect(broker.subscriptionGroupManager.containsSubscriptionGroup(group)).toBe(true);
    expect(broker.topicConfigManager.selectTopicConfig(`%RETRY%${group}`)).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    expect(broker.producerManager.groupOnline('pg')).toBe(true);
  });

  it('answers SYSTEM_ERROR "no consumer for this group" for a group nobody joined', async () => {
    const broker = fixture.broker();
    await broker.start();
    const group = `cg-${randomId()}`;
    const res = (await consumerList(fixture.client(), broker.brokerAddr, group)) as RemotingCommand;
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).toBe(`no consumer for this group, ${group}`);
  });

  it('notifies every member when a second consumer joins and when one leaves by closing its connection', async () => {
    const broker = fixture.broker();
    await broker.start();
    const group = `cg-${randomId()}`;
    const a = notifiedClient();
    const b = notifiedClient();
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T'] }]);
    await waitFor(() => a.notified.length === 1, { message: 'a notified of its own join' });

    await heartbeat(b.client, broker.brokerAddr, 'client-b', [{ group, topics: ['T'] }]);
    await waitFor(() => a.notified.length === 2 && b.notified.length === 1, { message: 'both notified of b joining' });
    expect(((await consumerList(a.client, broker.brokerAddr, group)) as string[]).sort()).toEqual(['client-a', 'client-b']);

    // A heartbeat that changes nothing notifies nobody.
    await heartbeat(b.client, broker.brokerAddr, 'client-b', [{ group, topics: ['T'] }]);
    expect(await consumerList(a.client, broker.brokerAddr, group)).toHaveLength(2);

    await b.client.closeChannel(broker.brokerAddr);
    await waitFor(() => a.notified.length === 3, { message: 'a notified of b leaving' });
    expect(a.notified).toEqual([group, group, group]);
    expect(b.notified).toEqual([group]);
    expect(await consumerList(a.client, broker.brokerAddr, group)).toEqual(['client-a']);
  });

  it('notifies on a topic change but not on a mere subVersion bump; broadcasting groups are never notified', async () => {
    const broker = fixture.broker();
    await broker.start();
    const group = `cg-${randomId()}`;
    const a = notifiedClient();
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T'] }]);
    await waitFor(() => a.notified.length === 1);
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T'], subVersion: 1_800_000_000_000 }]);
    expect(broker.consumerManager.findSubscriptionData(group, 'T')?.subVersion).toBe(1_800_000_000_000);
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T', 'U'] }]);
    await waitFor(() => a.notified.length === 2, { message: 'notified of the new topic' });

    const broadcast = `bc-${randomId()}`;
    const c = notifiedClient();
    await heartbeat(c.client, broker.brokerAddr, 'client-c', [{ group: broadcast, topics: ['T'], messageModel: 'BROADCASTING' }]);
    await heartbeat(c.client, broker.brokerAddr, 'client-c', [{ group: broadcast, topics: ['T', 'U'], messageModel: 'BROADCASTING' }]);
    // The subVersion heartbeat above produced no notify, or a.notified would be 3 by now.
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T'] }]);
    await waitFor(() => a.notified.length >= 3, { message: 'notified of the removed topic' });
    await consumerList(a.client, broker.brokerAddr, group); // one more round trip on a's connection
    expect(a.notified).toHaveLength(3);
    expect(c.notified).toEqual([]);
  });

  it('UNREGISTER_CLIENT removes the consumer and producer and notifies the rest of the group', async () => {
    const broker = fixture.broker();
    await broker.start();
    const group = `cg-${randomId()}`;
    const a = notifiedClient();
    const b = notifiedClient();
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T'] }]);
    await heartbeat(b.client, broker.brokerAddr, 'client-b', [{ group, topics: ['T'] }], ['pg-b']);
    await waitFor(() => a.notified.length === 2);
    const res = await b.client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.UNREGISTER_CLIENT, { clientID: 'client-b', consumerGroup: group, producerGroup: 'pg-b' }), 3_000);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    await waitFor(() => a.notified.length === 3, { message: 'a notified of b unregistering' });
    expect(await consumerList(a.client, broker.brokerAddr, group)).toEqual(['client-a']);
    expect(broker.producerManager.groupOnline('pg-b')).toBe(false);
  });

  it('expires channels silent for 120 s (ManualClock) and notifies the members left', async () => {
    const clock = new ManualClock();
    const broker = fixture.broker({}, { clock });
    await broker.start();
    const group = `cg-${randomId()}`;
    const a = notifiedClient();
    const b = notifiedClient();
    await heartbeat(a.client, broker.brokerAddr, 'client-a', [{ group, topics: ['T'] }], ['pg']);
    await heartbeat(b.client, broker.brokerAddr, 'client-b', [{ group, topics: ['T'] }]);
    await waitFor(() => a.notified.length === 2);

    clock.advanceMs(100_000);
    await heartbeat(b.client, broker.brokerAddr, 'client-b', [{ group, topics: ['T'] }]);
    expect(broker.clientHousekeeping.scan()).toBe(0);
    clock.advanceMs(20_001); // a silent 120_001 ms, b 20_001 ms
    expect(broker.clientHousekeeping.scan()).toBe(3); // a in the consumer group, in pg and in CLIENT_INNER_PRODUCER
    expect(await consumerList(b.client, broker.brokerAddr, group)).toEqual(['client-b']);
    expect(broker.producerManager.groupOnline('pg')).toBe(false);
    await waitFor(() => b.notified.length === 2, { message: 'b notified of a expiring' });
    await waitFor(() => !a.client.isConnected(broker.brokerAddr), { message: 'expired channel closed' });
  });

  it('answers a malformed heartbeat body with SYSTEM_ERROR naming the problem and keeps serving', async () => {
    const broker = fixture.broker();
    await broker.start();
    const client = fixture.client();
    const bad = await client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.HEART_BEAT, {}, Buffer.from('{"clientID":7}')), 3_000);
    expect(bad.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(bad.remark).toContain('HeartbeatData.clientID');
    const badEnum = await client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.HEART_BEAT, {}, Buffer.from(
      '{"clientID":"c","consumerDataSet":[{"groupName":"g","messageModel":"SOMETIMES"}]}')), 3_000);
    expect(badEnum.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(badEnum.remark).toContain('messageModel');
    expect((await heartbeat(client, broker.brokerAddr, 'c', [])).code).toBe(ResponseCode.SUCCESS);
  });

  it('skips groups that may not be created when autoCreateSubscriptionGroup is off', async () => {
    const broker = fixture.broker({ autoCreateSubscriptionGroup: false });
    await broker.start();
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    expect((await heartbeat(client, broker.brokerAddr, 'c', [{ group, topics: ['T'] }])).code).toBe(ResponseCode.SUCCESS);
    expect(((await consumerList(client, broker.brokerAddr, group)) as RemotingCommand).code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(broker.topicConfigManager.containsTopic(`%RETRY%${group}`)).toBe(false);
  });

  it('CHECK_CLIENT_CONFIG accepts TAG subscriptions and refuses SQL92 while enablePropertyFilter is off', async () => {
    const broker = fixture.broker();
    await broker.start();
    const client = fixture.client();
    const check = (expressionType: string): Promise<RemotingCommand> => client.invokeSync(broker.brokerAddr, createRequestCommand(
      RequestCode.CHECK_CLIENT_CONFIG, {},
      Buffer.from(JSON.stringify({ clientId: 'c', group: 'g', subscriptionData: { topic: 'T', subString: 'a > 1', expressionType, subVersion: 1 } })),
    ), 3_000);
    expect((await check('TAG')).code).toBe(ResponseCode.SUCCESS);
    const sql = await check('SQL92');
    expect(sql.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(sql.remark).toContain('SQL92');
  });

  it('heartbeat v2: IS_SUB_CHANGE follows the fingerprint, and withoutSub keeps the group subscriptions', async () => {
    const broker = fixture.broker();
    await broker.start();
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const v2 = (fingerprint: number, withoutSub: boolean, topics: string[]): Promise<RemotingCommand> => {
      const body = JSON.parse(heartbeatBody('c-v2', [{ group, topics }]).toString()) as Record<string, unknown>;
      Object.assign(body, { heartbeatFingerprint: fingerprint, withoutSub });
      return client.invokeSync(broker.brokerAddr, createRequestCommand(RequestCode.HEART_BEAT, {}, Buffer.from(JSON.stringify(body))), 3_000);
    };
    expect((await v2(11, false, ['T'])).extFields?.['IS_SUB_CHANGE']).toBe('false');
    expect((await v2(11, true, [])).extFields?.['IS_SUB_CHANGE']).toBe('false');
    expect(broker.consumerManager.findSubscriptionData(group, 'T')).toBeDefined();
    expect((await v2(12, true, [])).extFields?.['IS_SUB_CHANGE']).toBe('true');
    expect(broker.consumerManager.findSubscriptionData(group, 'T')).toBeDefined();
  });
});
