// SEND_MESSAGE / SEND_MESSAGE_V2 / SEND_BATCH_MESSAGE against a real broker over the wire: what
// is stored reads back by pull byte for byte, and every refusal writes nothing.

import {
  MessageConst, MessageSysFlag, ZLIB_COMPRESSED_SYS_FLAG, compressBody, decodeMessageRecords, decodeOffsetMessageId, decompressBody, getDLQTopic, getRetryTopic,
} from '@apogee/common';
import { type RemotingClient, RequestCode, ResponseCode, createRequestCommand, parseTopicRouteData } from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fixture } from './helpers.js';
import { type RunningBroker, TIMEOUT_MS, createTopic, dispatched, decodeBody, maxOffset, pull, send, sendBatch, startBroker } from './message-wire.js';

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

describe('send and read back', () => {
  it('stores V1, V2 and batch sends with consecutive queue offsets and reads them back by pull', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 2);
    const v2 = await send(client, b.addr, topic, 'one', { tags: 'TagA', keys: 'k1 k2' });
    expect(v2.code).toBe(ResponseCode.SUCCESS);
    expect(v2.extFields).toMatchObject({ queueId: '0', queueOffset: '0', MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
    const v1 = await send(client, b.addr, topic, 'two', { code: RequestCode.SEND_MESSAGE });
    expect(v1.code).toBe(ResponseCode.SUCCESS);
    expect(v1.extFields?.['queueOffset']).toBe('1');
    const batch = await sendBatch(client, b.addr, topic, ['three', 'four', 'five']);
    expect(batch.code).toBe(ResponseCode.SUCCESS);
    expect(batch.extFields?.['queueOffset']).toBe('2');
    const batchIds = batch.extFields!['msgId']!.split(',');
    expect(batchIds).toHaveLength(3);
    await dispatched(b);

    const res = await pull(client, b.addr, `g-${randomId()}`, topic);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(res.remark).toBe('FOUND');
    expect(res.extFields).toMatchObject({ suggestWhichBrokerId: '0', nextBeginOffset: '5', minOffset: '0', maxOffset: '5' });
    const messages = decodeBody(res.body);
    expect(messages.map((m) => m.body.toString())).toEqual(['one', 'two', 'three', 'four', 'five']);
    expect(messages.map((m) => m.queueOffset)).toEqual([0, 1, 2, 3, 4]);
    const first = messages[0]!;
    expect(first.properties.get(MessageConst.PROPERTY_TAGS)).toBe('TagA');
    expect(first.properties.get(MessageConst.PROPERTY_KEYS)).toBe('k1 k2');
    expect(first.properties.get(MessageConst.PROPERTY_CLUSTER)).toBe(b.broker.brokerConfig.brokerClusterName);
    // what a 5.3.3 broker stores on every message (seen in the interop runs)
    expect(first.properties.get(MessageConst.PROPERTY_MSG_REGION)).toBe('DefaultRegion');
    expect(first.properties.get(MessageConst.PROPERTY_TRACE_SWITCH)).toBe('true');
    expect(first.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).toBe(v2.extFields?.['transactionId']);
    expect(first.offsetMsgId).toBe(v2.extFields?.['msgId']);
    expect(first.storeHost).toEqual({ host: '127.0.0.1', port: b.broker.listenPort });
    // Each batch message keeps its own UNIQ_KEY, not the batch's.
    const batchKeys = messages.slice(2).map((m) => m.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX));
    expect(new Set(batchKeys).size).toBe(3);
    expect(batchKeys).not.toContain(batch.extFields?.['transactionId']);
    expect(messages.slice(2).map((m) => m.offsetMsgId)).toEqual(batchIds);
    const decodedId = decodeOffsetMessageId(batchIds[1]!);
    expect(decodedId.ok && decodedId.commitLogOffset).toBe(messages[3]!.commitLogOffset);
  });

  it('stores a compressed body as sent and keeps the compressed flag', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    const plain = Buffer.from('z'.repeat(10_000));
    const res = await send(client, b.addr, topic, compressBody(plain), { sysFlag: ZLIB_COMPRESSED_SYS_FLAG });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    await dispatched(b);
    const body = (await pull(client, b.addr, `g-${randomId()}`, topic)).body!;
    const [stored] = decodeMessageRecords(body).messages;
    expect(stored!.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(MessageSysFlag.COMPRESSED_FLAG);
    expect(decompressBody(stored!.body).equals(plain)).toBe(true);
  });

  it('adds a UNIQ_KEY to a message without one and picks a random queue for queueId -1', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 4);
    const res = await send(client, b.addr, topic, 'x', { withUniqKey: false, queueId: -1 });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    await dispatched(b);
    const queueId = Number(res.extFields?.['queueId']);
    expect(queueId).toBeGreaterThanOrEqual(0);
    expect(queueId).toBeLessThan(4);
    const [msg] = decodeBody((await pull(client, b.addr, `g-${randomId()}`, topic, { queueId })).body);
    expect(msg!.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).toMatch(/^[0-9A-F]{32}$/);
    expect(msg!.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX)).toBe(res.extFields?.['transactionId']);
  });

  it('auto-creates an unknown topic from TBW102 and registers it with the NameServer at once', async () => {
    const namesrv = await f.namesrv();
    const nsAddr = `127.0.0.1:${namesrv.port}`;
    const withNs = await startBroker(f, { namesrvAddr: nsAddr });
    const topic = `auto-${randomId()}`;
    const res = await send(client, withNs.addr, topic, 'hello', { defaultTopicQueueNums: 3, queueId: 2 });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(withNs.broker.topicConfigManager.selectTopicConfig(topic)).toMatchObject({ readQueueNums: 3, writeQueueNums: 3, perm: 6 });
    await waitFor(async () => {
      const route = await client.invokeSync(nsAddr, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), TIMEOUT_MS);
      if (route.code !== ResponseCode.SUCCESS) return false;
      const parsed = parseTopicRouteData(route.body!);
      return parsed.ok && parsed.value.queueDatas.some((q) => q.brokerName === withNs.broker.brokerConfig.brokerName && q.writeQueueNums === 3);
    }, { timeoutMs: TIMEOUT_MS, message: 'auto-created topic in the NameServer route' });
  });
});

describe('refused sends store nothing', () => {
  async function expectRefused(topic: string, res: Promise<unknown>, code: number, remark: RegExp, queueId = 0): Promise<void> {
    const answer = (await res) as { code: number; remark?: string; extFields?: Record<string, string> };
    expect(answer.code).toBe(code);
    expect(answer.remark).toMatch(remark);
    expect(answer.extFields).toMatchObject({ MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' });
    await dispatched(b);
    expect(await maxOffset(client, b.addr, topic, queueId)).toBe(0);
    expect(b.broker.messageStore.getMaxPhyOffset()).toBe(0);
  }

  it('illegal topic name -> 29', async () => {
    await expectRefused('bad topic!', send(client, b.addr, 'bad topic!', 'x'), ResponseCode.INVALID_PARAMETER, /bad topic!/);
  });

  it('topic longer than 127 chars -> 29', async () => {
    const topic = 'a'.repeat(128);
    await expectRefused(topic, send(client, b.addr, topic, 'x'), ResponseCode.INVALID_PARAMETER, /127/);
  });

  it('internal topic -> 16', async () => {
    await expectRefused('SCHEDULE_TOPIC_XXXX', send(client, b.addr, 'SCHEDULE_TOPIC_XXXX', 'x'), ResponseCode.NO_PERMISSION, /SCHEDULE_TOPIC_XXXX/);
  });

  it('unknown topic with a template that cannot create it -> 17', async () => {
    const topic = `t-${randomId()}`;
    await expectRefused(topic, send(client, b.addr, topic, 'x', { defaultTopic: `nope-${randomId()}` }), ResponseCode.TOPIC_NOT_EXIST, new RegExp(topic));
    expect(b.broker.topicConfigManager.selectTopicConfig(topic)).toBeUndefined();
  });

  it('queueId >= max(read, write) -> 29', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 2);
    await expectRefused(topic, send(client, b.addr, topic, 'x', { queueId: 2 }), ResponseCode.INVALID_PARAMETER, /queueId 2/, 0);
  });

  it('topic without write permission -> 16', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1, 4);
    await expectRefused(topic, send(client, b.addr, topic, 'x'), ResponseCode.NO_PERMISSION, new RegExp(`${topic}.*no write`));
  });

  it('body over maxMessageSize -> 13', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    const big = Buffer.alloc(b.broker.messageStoreConfig.maxMessageSize + 1, 1);
    await expectRefused(topic, send(client, b.addr, topic, big), ResponseCode.MESSAGE_ILLEGAL, /maxMessageSize|bytes/);
  });

  it('properties over 32767 bytes -> 13', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    await expectRefused(topic, send(client, b.addr, topic, 'x', { properties: { big: 'p'.repeat(33_000) } }), ResponseCode.MESSAGE_ILLEGAL, /32767/);
  });

  it('batch to a %RETRY% topic -> 13', async () => {
    const topic = getRetryTopic(`g-${randomId()}`);
    createTopic(b.broker, topic, 1);
    await expectRefused(topic, sendBatch(client, b.addr, topic, ['a', 'b']), ResponseCode.MESSAGE_ILLEGAL, /retry/);
  });

  it('transactional message while rejectTransactionMessage is set -> 16', async () => {
    const rejecting = await startBroker(f, { rejectTransactionMessage: true });
    const topic = `t-${randomId()}`;
    createTopic(rejecting.broker, topic, 1);
    const res = await send(client, rejecting.addr, topic, 'x', { properties: { [MessageConst.PROPERTY_TRANSACTION_PREPARED]: 'true' }, sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE });
    expect(res.code).toBe(ResponseCode.NO_PERMISSION);
    expect(res.remark).toMatch(/transactional/);
    await dispatched(rejecting);
    expect(rejecting.broker.messageStore.getMaxPhyOffset()).toBe(0);
    expect(await maxOffset(client, rejecting.addr, topic)).toBe(0);
    expect(await maxOffset(client, rejecting.addr, 'RMQ_SYS_TRANS_HALF_TOPIC')).toBe(0);
  });

  it('broker without write permission -> 16', async () => {
    const readOnly = await startBroker(f, { brokerPermission: 4 });
    const topic = `t-${randomId()}`;
    createTopic(readOnly.broker, topic, 1);
    const res = await send(client, readOnly.addr, topic, 'x');
    expect(res.code).toBe(ResponseCode.NO_PERMISSION);
    expect(res.remark).toMatch(/broker .* no write/);
    expect(readOnly.broker.messageStore.getMaxPhyOffset()).toBe(0);
    expect(await maxOffset(client, readOnly.addr, topic)).toBe(0);
  });

  it('a send header missing a required field -> 1 naming the field', async () => {
    const res = await client.invokeSync(b.addr, createRequestCommand(RequestCode.SEND_MESSAGE_V2, { a: 'pg', b: 'T' }, Buffer.from('x')), TIMEOUT_MS);
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).toMatch(/missing required field/);
  });
});

describe('retry topic sends', () => {
  it('a %RETRY% send within maxReconsumeTimes is stored in the retry topic', async () => {
    const group = `g-${randomId()}`;
    const topic = getRetryTopic(group);
    const res = await send(client, b.addr, topic, 'again', { reconsumeTimes: 2, maxReconsumeTimes: 3 });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    await dispatched(b);
    expect(await maxOffset(client, b.addr, topic)).toBe(1);
  });

  it('a %RETRY% send past maxReconsumeTimes goes to %DLQ% queue 0 without delay', async () => {
    const group = `g-${randomId()}`;
    const retryTopic = getRetryTopic(group);
    const dlq = getDLQTopic(group);
    const res = await send(client, b.addr, retryTopic, 'dead', { reconsumeTimes: 4, maxReconsumeTimes: 3, properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: '5' } });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.topicConfigManager.selectTopicConfig(dlq)).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    await dispatched(b);
    expect(await maxOffset(client, b.addr, retryTopic)).toBe(0);
    expect(await maxOffset(client, b.addr, 'SCHEDULE_TOPIC_XXXX', 4)).toBe(0);
    const [msg] = decodeBody((await pull(client, b.addr, group, dlq)).body);
    expect(msg!.body.toString()).toBe('dead');
    expect(msg!.properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe('-1');
  });
});
