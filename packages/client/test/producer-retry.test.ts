// The producer's retry loop: rotating brokers after failures, latency fault isolation, giving up
// after retryTimesWhenSendFailed, final codes not retried, sendMsgTimeout covering every attempt,
// stored-but-degraded statuses, and ACL signing. Brokers that must answer SYSTEM_ERROR, SYSTEM_BUSY
// or nothing at all are canned servers registered with the real NameServer.

import { afterEach, describe, expect, it } from 'vitest';
import { Message } from '@apogee/common';
import {
  type RemotingCommand, RequestCode, ResponseCode, SendMessageResponseHeader, createResponseCommand, verifyAclSignature,
} from '@apogee/remoting';
import { CannedResponseServer, randomId } from '@apogee/remoting/testing';
import { DefaultMQProducer, MQBrokerError, MQClientError, type ProducerOptions } from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
const canned: CannedResponseServer[] = [];
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
  for (const server of canned.splice(0)) await server.shutdown();
});

function isSend(request: RemotingCommand): boolean {
  return request.code === RequestCode.SEND_MESSAGE_V2 || request.code === RequestCode.SEND_BATCH_MESSAGE;
}

/** A canned broker: sends are answered by `onSend`, everything else (heartbeats...) with SUCCESS. */
async function cannedBroker(onSend: (request: RemotingCommand) => RemotingCommand | 'ignore'): Promise<CannedResponseServer> {
  const server = new CannedResponseServer((request) => (isSend(request) ? onSend(request) : createResponseCommand(request, ResponseCode.SUCCESS)));
  await server.start();
  canned.push(server);
  return server;
}

function stored(request: RemotingCommand, code: number = ResponseCode.SUCCESS, queueOffset = 7): RemotingCommand {
  const queueId = Number(request.extFields?.['e'] ?? 0);
  const header = SendMessageResponseHeader.encode({ msgId: '7F00000100002A9F0000000000000000', queueId, queueOffset, MSG_REGION: 'R1', TRACE_ON: false });
  return createResponseCommand(request, code, undefined, header);
}

async function startProducer(c: Cluster, extra: Partial<ProducerOptions> = {}): Promise<DefaultMQProducer> {
  const producer = c.track(new DefaultMQProducer({ ...c.clientOptions(), producerGroup: `pg-${randomId()}`, ...extra }));
  await producer.start();
  return producer;
}

describe('producer retries', () => {
  it('keeps sending after one of two brokers dies: retries go to the other; with latency faults on, the dead one is isolated', async () => {
    cluster = await Cluster.start(2);
    const [a, b] = cluster.brokers;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const producer = await startProducer(cluster, { sendLatencyFaultEnable: true });
    // A dies; as after a crash, the NameServer still routes to it until its registration expires.
    const deadAddr = a!.brokerAddr;
    await a!.shutdown();
    await cluster.registerBrokerAddress(a!.brokerConfig.brokerName, deadAddr, [topic], 2);
    await producer.clientInstance!.updateTopicRouteInfoFromNameServer(topic);
    expect(new Set((await producer.fetchPublishMessageQueues(topic)).map((q) => q.brokerName)).size).toBe(2);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await producer.send(new Message(topic, `m${i}`)));
    expect(results.map((r) => [r.sendStatus, r.messageQueue.brokerName])).toEqual(Array(6).fill(['SEND_OK', b!.brokerConfig.brokerName]));
    expect(producer.faultStrategy.isAvailable(a!.brokerConfig.brokerName)).toBe(false);
    expect(producer.faultStrategy.isAvailable(b!.brokerConfig.brokerName)).toBe(true);
    const bodies = (await cluster.readTopic(b!.brokerAddr, topic, 2)).map((m) => m.body.toString()).sort();
    expect(bodies).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('gives up after 1 + retryTimesWhenSendFailed attempts that alternate brokers, with the last failure as cause', async () => {
    cluster = await Cluster.start(0);
    const topic = `t-${randomId()}`;
    const order: string[] = [];
    const x = await cannedBroker((r) => (order.push('x'), createResponseCommand(r, ResponseCode.SYSTEM_ERROR, 'x is sick')));
    const y = await cannedBroker((r) => (order.push('y'), createResponseCommand(r, ResponseCode.SYSTEM_ERROR, 'y is sick')));
    await cluster.registerCannedBroker(x, 'broker-x', [topic]);
    await cluster.registerCannedBroker(y, 'broker-y', [topic]);
    const producer = await startProducer(cluster);
    const err = await producer.send(new Message(topic, 'doomed')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQClientError);
    expect(err).toMatchObject({ clientErrorCode: ResponseCode.SYSTEM_ERROR });
    expect((err as Error).message).toMatch(/^Send \[3\] times, still failed/);
    const cause = (err as Error).cause;
    expect(cause).toBeInstanceOf(MQBrokerError);
    expect(order).toHaveLength(3);
    expect(order[0]).not.toBe(order[1]);
    expect(order[1]).not.toBe(order[2]);
    expect(cause).toMatchObject({ responseCode: 1, remark: `${order[2]} is sick`, brokerAddr: order[2] === 'x' ? x.addr : y.addr });
  });

  it('does not retry a final code (MESSAGE_ILLEGAL): the MQBrokerError comes back as is', async () => {
    cluster = await Cluster.start(0);
    const topic = `t-${randomId()}`;
    const x = await cannedBroker((r) => createResponseCommand(r, ResponseCode.MESSAGE_ILLEGAL, 'the message is illegal, maybe msg body or properties length not matched'));
    await cluster.registerCannedBroker(x, 'broker-x', [topic]);
    const producer = await startProducer(cluster);
    const err = await producer.send(new Message(topic, 'bad')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQBrokerError);
    expect(err).toMatchObject({ responseCode: 13, brokerAddr: x.addr });
    expect(x.received.filter(isSend)).toHaveLength(1);
  });

  it('sendMsgTimeout covers all attempts: a broker that never answers ends the send at the deadline', async () => {
    cluster = await Cluster.start(0);
    const topic = `t-${randomId()}`;
    const x = await cannedBroker(() => 'ignore');
    await cluster.registerCannedBroker(x, 'broker-x', [topic]);
    const producer = await startProducer(cluster, { sendMsgTimeoutMs: 400 });
    await producer.fetchPublishMessageQueues(topic);
    const startMs = Date.now();
    const err = await producer.send(new Message(topic, 'lost')).catch((e: unknown) => e);
    const tookMs = Date.now() - startMs;
    expect(err).toBeInstanceOf(MQClientError);
    expect(err).toMatchObject({ clientErrorCode: 10002 });
    expect(tookMs).toBeGreaterThanOrEqual(350);
    expect(tookMs).toBeLessThan(1_500);
    expect(x.received.filter(isSend)).toHaveLength(1);
  });

  it('retries SYSTEM_BUSY after a short backoff; degraded stored statuses are results, not errors', async () => {
    cluster = await Cluster.start(0);
    const topic = `t-${randomId()}`;
    let sends = 0;
    const x = await cannedBroker((r) => {
      sends++;
      if (sends === 1) return createResponseCommand(r, ResponseCode.SYSTEM_BUSY, '[REJECTREQUEST]system busy');
      return stored(r, sends === 2 ? ResponseCode.SUCCESS : ResponseCode.FLUSH_DISK_TIMEOUT, sends);
    });
    await cluster.registerCannedBroker(x, 'broker-x', [topic]);
    const producer = await startProducer(cluster);
    const ok = await producer.send(new Message(topic, 'a'));
    expect(ok).toMatchObject({ sendStatus: 'SEND_OK', queueOffset: 2, regionId: 'R1', traceOn: false, offsetMsgId: '7F00000100002A9F0000000000000000' });
    const degraded = await producer.send(new Message(topic, 'b'));
    expect(degraded.sendStatus).toBe('FLUSH_DISK_TIMEOUT');
    expect(sends).toBe(3);
  });

  it('signs every broker request with the ACL credentials (AccessKey + HmacSHA1 Signature)', async () => {
    cluster = await Cluster.start(0);
    const topic = `t-${randomId()}`;
    const x = await cannedBroker((r) => stored(r));
    await cluster.registerCannedBroker(x, 'broker-x', [topic]);
    const producer = await startProducer(cluster, { credentials: { accessKey: 'ak-test', secretKey: 'sk-test' } });
    await producer.send(new Message(topic, 'signed'));
    await producer.clientInstance!.sendHeartbeatToAllBrokers();
    const sends = x.received.filter(isSend);
    expect(sends).toHaveLength(1);
    const heartbeats = x.received.filter((r) => r.code === RequestCode.HEART_BEAT);
    expect(heartbeats.length).toBeGreaterThanOrEqual(1);
    for (const request of [...sends, ...heartbeats]) {
      expect(request.extFields?.['AccessKey']).toBe('ak-test');
      expect(verifyAclSignature(request, 'sk-test')).toBe(true);
      expect(verifyAclSignature(request, 'wrong')).toBe(false);
    }
  });
});
