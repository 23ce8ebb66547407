// Group admin codes over the wire: UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200),
// DELETE_SUBSCRIPTIONGROUP (207), GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201),
// GET_SUBSCRIPTIONGROUP_CONFIG (352), GET_CONSUMER_CONNECTION_LIST (203),
// GET_PRODUCER_CONNECTION_LIST (204), QUERY_SUBSCRIPTION_BY_CONSUMER (345).

import { afterEach, describe, expect, it } from 'vitest';
import { type RemotingClient, type RemotingCommand, RequestCode, ResponseCode, createRequestCommand, parseLenientJson } from '@apogee/remoting';
import { randomId } from '@apogee/remoting/testing';
import { Fixture, heartbeat } from './helpers.js';
import { startBroker } from './message-wire.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

function call(client: RemotingClient, addr: string, code: number, ext: Record<string, string> = {}, body?: Buffer): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(code, ext, body), 5_000);
}

function json(res: RemotingCommand): Record<string, unknown> {
  const parsed = parseLenientJson(res.body?.toString('utf8') ?? '');
  if (!parsed.ok) throw new Error(`body is not JSON: ${parsed.reason}`);
  return parsed.value as Record<string, unknown>;
}

/** A SubscriptionGroupConfig body as mqadmin 5.3.3 updateSubGroup writes it. */
function groupBody(groupName: string, fields: Record<string, unknown> = {}): Buffer {
  return Buffer.from(JSON.stringify({
    attributes: {}, brokerId: 0, consumeBroadcastEnable: true, consumeEnable: true, consumeFromMinEnable: false, consumeMessageOrderly: false,
    consumeTimeoutMinute: 15, groupName, groupRetryPolicy: { type: 'CUSTOMIZED' }, groupSysFlag: 0, notifyConsumerIdsChangedEnable: true,
    retryMaxTimes: 16, retryQueueNums: 1, whichBrokerWhenConsumeSlowly: 1, ...fields,
  }));
}

describe('subscription group configs', () => {
  it('200 creates and updates a group, 352 and 201 answer it back, 207 deletes it (and its offsets with cleanOffset)', async () => {
    const { broker, addr } = await startBroker(fixture);
    const client = fixture.client();
    const group = `cg-${randomId()}`;

    expect((await call(client, addr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, groupBody(group, { retryMaxTimes: 3 }))).code).toBe(ResponseCode.SUCCESS);
    expect(broker.subscriptionGroupManager.selectSubscriptionGroupConfig(group)).toMatchObject({ retryMaxTimes: 3, consumeFromMinEnable: false });
    expect((await call(client, addr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, groupBody(group, { retryMaxTimes: 5, consumeEnable: false }))).code).toBe(0);

    const one = await call(client, addr, RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, { group });
    expect(one.body?.toString()).toBe(
      `{"attributes":{},"brokerId":0,"consumeBroadcastEnable":true,"consumeEnable":false,"consumeFromMinEnable":false,"consumeMessageOrderly":false,` +
      `"consumeTimeoutMinute":15,"groupName":"${group}","groupRetryPolicy":{"type":"CUSTOMIZED"},"groupSysFlag":0,"notifyConsumerIdsChangedEnable":true,` +
      `"retryMaxTimes":5,"retryQueueNums":1,"whichBrokerWhenConsumeSlowly":1}`,
    );
    const all = json(await call(client, addr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG)) as {
      dataVersion: { counter: number }; forbiddenTable: object; subscriptionGroupTable: Record<string, unknown>;
    };
    expect(all.subscriptionGroupTable[group]).toEqual(json(one));
    expect(all.dataVersion.counter).toBe(broker.subscriptionGroupManager.dataVersion.counter);
    expect(all.forbiddenTable).toEqual({});

    broker.consumerOffsetManager.commitOffset('test', group, 'T1', 0, 5);
    expect((await call(client, addr, RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: group, cleanOffset: 'false' })).code).toBe(ResponseCode.SUCCESS);
    expect(broker.subscriptionGroupManager.containsSubscriptionGroup(group)).toBe(false);
    expect(broker.consumerOffsetManager.queryOffset(group, 'T1', 0)).toBe(5);
    // 4.9's removeOffset and 5.x's cleanOffset both drop the offsets
    expect((await call(client, addr, RequestCode.DELETE_SUBSCRIPTIONGROUP, { groupName: group, removeOffset: 'true' })).code).toBe(ResponseCode.SUCCESS);
    expect(broker.consumerOffsetManager.queryOffset(group, 'T1', 0)).toBe(-1);
  });

  it('refuses a bad group name with 29; 352 answers 26 for a group that does not exist and may not be created', async () => {
    const { addr } = await startBroker(fixture, { autoCreateSubscriptionGroup: false });
    const client = fixture.client();
    const bad = await call(client, addr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, groupBody('bad group'));
    expect([bad.code, bad.remark]).toEqual([ResponseCode.INVALID_PARAMETER, expect.stringContaining('bad group')]);
    const notJson = await call(client, addr, RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, Buffer.from('{oops'));
    expect(notJson.code).toBe(ResponseCode.SYSTEM_ERROR);
    const missing = await call(client, addr, RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, { group: 'no-such-group' });
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, 'No group in this broker: no-such-group']);
  });
});

describe('connections', () => {
  it('203 answers the ConsumerConnection of an online group, 206 when offline; 345 its subscription', async () => {
    const { addr } = await startBroker(fixture);
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const topic = `t-${randomId()}`;
    const offline = await call(client, addr, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: group });
    expect([offline.code, offline.remark]).toEqual([ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`]);

    await heartbeat(client, addr, 'client-1', [{ group, topics: [topic], subVersion: 42 }]);
    const res = await call(client, addr, RequestCode.GET_CONSUMER_CONNECTION_LIST, { consumerGroup: group });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const text = res.body!.toString();
    const clientAddr = (json(res) as { connectionSet: Array<{ clientAddr: string }> }).connectionSet[0]!.clientAddr;
    expect(clientAddr).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(text).toBe(
      `{"connectionSet":[{"clientAddr":"${clientAddr}","clientId":"client-1","language":"JAVA","version":479}],` +
      `"consumeFromWhere":"CONSUME_FROM_LAST_OFFSET","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING",` +
      `"subscriptionTable":{"${topic}":{"classFilterMode":false,"codeSet":[],"expressionType":"TAG","subString":"*","subVersion":42,"tagsSet":[],"topic":"${topic}"}}}`,
    );

    const sub = await call(client, addr, RequestCode.QUERY_SUBSCRIPTION_BY_CONSUMER, { group, topic });
    expect(json(sub)).toEqual({ group, topic, subscriptionData: expect.objectContaining({ topic, subString: '*', subVersion: 42 }) });
  });

  it('204 answers the ProducerConnection of an online producer group, 1 when it has no connection', async () => {
    const { addr } = await startBroker(fixture);
    const client = fixture.client();
    const group = `pg-${randomId()}`;
    const none = await call(client, addr, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: group });
    expect([none.code, none.remark]).toEqual([ResponseCode.SYSTEM_ERROR, `the producer group[${group}] not exist`]);

    await heartbeat(client, addr, 'producer-1', [], [group]);
    const res = await call(client, addr, RequestCode.GET_PRODUCER_CONNECTION_LIST, { producerGroup: group });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(res.body?.toString()).toMatch(/^\{"connectionSet":\[\{"clientAddr":"127\.0\.0\.1:\d+","clientId":"producer-1","language":"JAVA","version":479\}\]\}$/);
  });
});
