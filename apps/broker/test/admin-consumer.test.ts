// Admin codes the broker relays to a consumer client over the client's own connection:
// GET_CONSUMER_RUNNING_INFO (307), CONSUME_MESSAGE_DIRECTLY (309) and
// INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223, relayed as 221 and gathered). The "consumer" is a
// RemotingClient that heartbeats and answers those requests itself.

import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessageRecords } from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, GetConsumerRunningInfoRequestHeader, RequestCode, ResponseCode, createRequestCommand,
  createResponseCommand,
} from '@apogee/remoting';
import { randomId } from '@apogee/remoting/testing';
import { Fixture, heartbeat } from './helpers.js';
import { createTopic, send, startBroker } from './message-wire.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

function call(client: RemotingClient, addr: string, code: number, ext: Record<string, string> = {}): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(code, ext), 5_000);
}

/** A consumer connection that answers 307, 309 and 221 and records what it was asked. */
function answeringConsumer(answers: Partial<Record<number, (request: RemotingCommand) => RemotingCommand>>): { client: RemotingClient; asked: RemotingCommand[] } {
  const client = fixture.client();
  const asked: RemotingCommand[] = [];
  for (const [code, answer] of Object.entries(answers)) {
    client.registerProcessor(Number(code), { process: (_ctx, request) => { asked.push(request); return answer!(request); } });
  }
  return { client, asked };
}

describe('relayed consumer calls', () => {
  it('GET_CONSUMER_RUNNING_INFO (307) reaches the named client and its answer comes back unchanged; 1 when that client is not connected', async () => {
    const b = await startBroker(fixture);
    const group = `cg-${randomId()}`;
    const runningInfo = '{"jstack":"","mqTable":{},"properties":{"consumeType":"CONSUME_PASSIVELY"},"statusTable":{},"subscriptionSet":[]}';
    const { client: consumer, asked } = answeringConsumer({
      [RequestCode.GET_CONSUMER_RUNNING_INFO]: (r) => createResponseCommand(r, ResponseCode.SUCCESS, undefined, undefined, Buffer.from(runningInfo)),
    });
    await heartbeat(consumer, b.addr, 'client-1', [{ group, topics: ['T1'] }]);
    const admin = fixture.client();

    const ext = GetConsumerRunningInfoRequestHeader.encode({ consumerGroup: group, clientId: 'client-1', jstackEnable: false });
    const res = await call(admin, b.addr, RequestCode.GET_CONSUMER_RUNNING_INFO, ext);
    expect([res.code, res.body?.toString()]).toEqual([ResponseCode.SUCCESS, runningInfo]);
    expect(asked.map((r) => [r.code, r.extFields])).toEqual([[RequestCode.GET_CONSUMER_RUNNING_INFO, ext]]);

    const gone = await call(admin, b.addr, RequestCode.GET_CONSUMER_RUNNING_INFO, { ...ext, clientId: 'client-2' });
    expect([gone.code, gone.remark]).toEqual([ResponseCode.SYSTEM_ERROR, `The Consumer <${group}> <client-2> not online`]);
  });

  it('CONSUME_MESSAGE_DIRECTLY (309) attaches the stored message found by its offset id and relays to the client', async () => {
    const b = await startBroker(fixture);
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    createTopic(b.broker, topic, 1);
    const admin = fixture.client();
    const sent = await send(admin, b.addr, topic, 'consume me');
    const msgId = sent.extFields!['msgId']!;
    const result = '{"autoCommit":true,"consumeResult":"CR_SUCCESS","order":false,"spentTimeMills":1}';
    const { client: consumer, asked } = answeringConsumer({
      [RequestCode.CONSUME_MESSAGE_DIRECTLY]: (r) => createResponseCommand(r, ResponseCode.SUCCESS, undefined, undefined, Buffer.from(result)),
    });
    await heartbeat(consumer, b.addr, 'client-1', [{ group, topics: [topic] }]);

    const res = await call(admin, b.addr, RequestCode.CONSUME_MESSAGE_DIRECTLY, { consumerGroup: group, clientId: 'client-1', msgId, topic });
    expect([res.code, res.body?.toString()]).toEqual([ResponseCode.SUCCESS, result]);
    expect(asked[0]!.extFields).toMatchObject({ brokerName: b.broker.brokerConfig.brokerName, msgId, topicSysFlag: '0' });
    expect(decodeMessageRecords(asked[0]!.body!).messages.map((m) => m.body.toString())).toEqual(['consume me']);
  });

  it('INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223) gathers each client\'s queue offsets; 1 when nobody is online', async () => {
    const b = await startBroker(fixture);
    const group = `cg-${randomId()}`;
    const mq = '{"brokerName":"broker-a","queueId":0,"topic":"T1"}';
    const { client: consumer, asked } = answeringConsumer({
      [RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT]: (r) =>
        createResponseCommand(r, ResponseCode.SUCCESS, undefined, undefined, Buffer.from(`{"consumerTable":{},"messageQueueTable":{${mq}:5}}`)),
    });
    await heartbeat(consumer, b.addr, 'client-1', [{ group, topics: ['T1'] }]);
    const admin = fixture.client();
    const res = await call(admin, b.addr, RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic: 'T1', group });
    expect([res.code, res.body?.toString()]).toEqual([ResponseCode.SUCCESS, `{"consumerTable":{"client-1":{${mq}:5}},"messageQueueTable":{}}`]);
    expect(asked[0]!.extFields).toEqual({ topic: 'T1', group });

    const nobody = await call(admin, b.addr, RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, { topic: 'T1', group: 'no-such-group' });
    expect([nobody.code, nobody.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'No Any Consumer online in the consumer group: [no-such-group]']);
  });
});
