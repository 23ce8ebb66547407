// Delay levels, retries and the dead-letter queue against a real broker: DELAY sends wait in
// SCHEDULE_TOPIC_XXXX and reach their topic when due, CONSUMER_SEND_MSG_BACK goes through the
// retry topic with growing levels and ends in %DLQ%, and delay offsets survive a restart.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type MessageExt, ManualClock, MessageConst, getDLQTopic, getRetryTopic } from '@apogee/common';
import { type RemotingClient, type RemotingCommand, ConsumerSendMsgBackRequestHeader, RequestCode, ResponseCode, createRequestCommand } from '@apogee/remoting';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSubscriptionGroupConfig } from '../src/index.js';
import { Fixture } from './helpers.js';
import { type RunningBroker, TIMEOUT_MS, createTopic, decodeBody, dispatched, maxOffset, pull, send, startBroker } from './message-wire.js';

const SCHEDULE_TOPIC = 'SCHEDULE_TOPIC_XXXX';
/** Six one-second levels: retries (levels 3, 4, ...) come back within a second or two. */
const FAST_LEVELS = '1s 1s 1s 1s 1s 1s';

let f: Fixture;
let client: RemotingClient;

beforeEach(() => {
  f = new Fixture();
  client = f.client();
});

afterEach(async () => {
  await f.closeAll();
});

async function pullAll(b: RunningBroker, topic: string, queueId = 0): Promise<MessageExt[]> {
  await dispatched(b);
  // TOOLS_CONSUMER exists on every broker, also where groups are not auto-created.
  const res = await pull(client, b.addr, 'TOOLS_CONSUMER', topic, { queueId });
  return res.code === ResponseCode.SUCCESS ? decodeBody(res.body) : [];
}

async function waitForMessages(b: RunningBroker, topic: string, count: number, timeoutMs = 8_000): Promise<MessageExt[]> {
  await waitFor(async () => (await maxOffset(client, b.addr, topic)) >= count, { timeoutMs, message: `${count} message(s) in ${topic}` });
  return pullAll(b, topic);
}

function sendBack(b: RunningBroker, group: string, msg: MessageExt, delayLevel: number, maxReconsumeTimes?: number, offset = msg.commitLogOffset): Promise<RemotingCommand> {
  const ext = ConsumerSendMsgBackRequestHeader.encode({
    offset, group, delayLevel, originMsgId: msg.getUniqKey() ?? msg.offsetMsgId, originTopic: msg.topic,
    ...(maxReconsumeTimes === undefined ? {} : { maxReconsumeTimes }),
  });
  return client.invokeSync(b.addr, createRequestCommand(RequestCode.CONSUMER_SEND_MSG_BACK, ext), TIMEOUT_MS);
}

describe('delay levels', () => {
  it('keeps a DELAY message in SCHEDULE_TOPIC_XXXX and delivers it to its real topic and queue when due', async () => {
    const b = await startBroker(f, { messageDelayLevel: '1s 2s' });
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 4);
    const res = await send(client, b.addr, topic, 'later', { queueId: 3, tags: 'TagD', properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: '1' } });
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(res.extFields).toMatchObject({ queueId: '3', queueOffset: '0' });
    const [pending] = await pullAll(b, SCHEDULE_TOPIC, 0);
    expect(pending!.properties.get(MessageConst.PROPERTY_REAL_TOPIC)).toBe(topic);
    expect(pending!.properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID)).toBe('3');
    expect(await maxOffset(client, b.addr, topic, 3)).toBe(0);

    await waitFor(async () => (await maxOffset(client, b.addr, topic, 3)) === 1, { timeoutMs: 8_000, message: 'delayed message delivered' });
    const [delivered] = await pullAll(b, topic, 3);
    expect(delivered!.body.toString()).toBe('later');
    expect(delivered!.queueId).toBe(3);
    expect(delivered!.storeTimestamp).toBeGreaterThanOrEqual(pending!.storeTimestamp + 1_000);
    expect(delivered!.properties.has(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe(false);
    expect(delivered!.properties.get(MessageConst.PROPERTY_WAIT_STORE_MSG_OK)).toBe('false');
    expect(delivered!.properties.get(MessageConst.PROPERTY_REAL_TOPIC)).toBe(topic);
    expect(delivered!.properties.get(MessageConst.PROPERTY_TAGS)).toBe('TagD');
    expect(delivered!.getUniqKey()).toBe(res.extFields?.['transactionId']);
    expect(b.path.schedule.delayOffsets().get(1)).toBe(1);
  });

  it('clamps a level above the highest to the highest', async () => {
    const b = await startBroker(f, { messageDelayLevel: '1s 2s' });
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    expect((await send(client, b.addr, topic, 'x', { properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: '9' } })).code).toBe(0);
    const [pending] = await pullAll(b, SCHEDULE_TOPIC, 1);
    expect(pending!.properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe('2');
  });

  it('follows the injected clock with the default 18 levels', async () => {
    const clock = new ManualClock(Date.now());
    const b = await startBroker(f, {}, { clock });
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    expect((await send(client, b.addr, topic, 'ten seconds', { properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: '3' } })).code).toBe(0);
    await dispatched(b);
    await b.path.schedule.deliverDueNow();
    expect(await maxOffset(client, b.addr, topic)).toBe(0);
    clock.advanceMs(10_000);
    await b.path.schedule.deliverDueNow();
    expect((await waitForMessages(b, topic, 1)).map((m) => m.body.toString())).toEqual(['ten seconds']);
  });

  it('writes delay offsets at shutdown and resumes from them after a restart without delivering twice', async () => {
    const dir = f.tempDir();
    const first = await startBroker(f, { messageDelayLevel: '1s 2s' }, { dir });
    const topic = `t-${randomId()}`;
    createTopic(first.broker, topic, 1);
    expect((await send(client, first.addr, topic, 'once', { properties: { [MessageConst.PROPERTY_DELAY_TIME_LEVEL]: '1' } })).code).toBe(0);
    await waitForMessages(first, topic, 1);
    await first.broker.shutdown();
    const text = readFileSync(join(dir, 'config', 'delayOffset.json'), 'utf8');
    expect(text).toMatch(/"offsetTable":\{\s*1:1\s*\}/);

    const second = await startBroker(f, { messageDelayLevel: '1s 2s' }, { dir });
    expect(second.path.schedule.delayOffsets().get(1)).toBe(1);
    const passes = second.path.schedule.completedPasses;
    await waitFor(() => second.path.schedule.completedPasses >= passes + 4, { timeoutMs: 8_000, message: 'delivery passes after restart' });
    expect(await maxOffset(client, second.addr, topic)).toBe(1);
    expect(second.path.schedule.deliveredCount).toBe(0);
  });
});

describe('CONSUMER_SEND_MSG_BACK', () => {
  it('retries through %RETRY% with levels 3 + reconsumeTimes and moves the message to %DLQ% after maxReconsumeTimes', async () => {
    const b = await startBroker(f, { messageDelayLevel: FAST_LEVELS });
    const topic = `t-${randomId()}`;
    const group = `g-${randomId()}`;
    createTopic(b.broker, topic, 1);
    const sent = await send(client, b.addr, topic, 'fragile', { keys: 'k-fragile' });
    const [original] = await pullAll(b, topic);

    expect((await sendBack(b, group, original!, 0, 2)).code).toBe(ResponseCode.SUCCESS);
    const retryTopic = getRetryTopic(group);
    expect(b.broker.topicConfigManager.selectTopicConfig(retryTopic)).toMatchObject({ readQueueNums: 1, perm: 6 });
    const [pending] = await pullAll(b, SCHEDULE_TOPIC, 2);
    expect(pending!.properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe('3');
    const [retry1] = await waitForMessages(b, retryTopic, 1);
    expect(retry1!.body.toString()).toBe('fragile');
    expect(retry1!.reconsumeTimes).toBe(1);
    expect(retry1!.properties.get(MessageConst.PROPERTY_RETRY_TOPIC)).toBe(topic);
    expect(retry1!.properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID)).toBe(original!.offsetMsgId);
    expect(retry1!.getUniqKey()).toBe(sent.extFields?.['transactionId']);

    expect((await sendBack(b, group, retry1!, 0, 2)).code).toBe(ResponseCode.SUCCESS);
    expect((await pullAll(b, SCHEDULE_TOPIC, 3)).map((m) => m.properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL))).toEqual(['4']);
    const retries = await waitForMessages(b, retryTopic, 2);
    const retry2 = retries[1]!;
    expect(retry2.reconsumeTimes).toBe(2);

    expect((await sendBack(b, group, retry2, 0, 2)).code).toBe(ResponseCode.SUCCESS);
    const dlqTopic = getDLQTopic(group);
    expect(b.broker.topicConfigManager.selectTopicConfig(dlqTopic)).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });
    const [dead] = await pullAll(b, dlqTopic);
    expect(dead!.reconsumeTimes).toBe(3);
    expect(dead!.properties.get(MessageConst.PROPERTY_RETRY_TOPIC)).toBe(topic);
    expect(dead!.properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID)).toBe(original!.offsetMsgId);
    expect(dead!.properties.get(MessageConst.PROPERTY_KEYS)).toBe('k-fragile');
    expect(await maxOffset(client, b.addr, retryTopic)).toBe(2);
  });

  it('sends straight to %DLQ% for delayLevel -1, and refuses unknown offsets and groups', async () => {
    const b = await startBroker(f, { autoCreateSubscriptionGroup: false });
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    await send(client, b.addr, topic, 'poison');
    const [msg] = await pullAll(b, topic);
    const unknownGroup = await sendBack(b, `g-${randomId()}`, msg!, 0);
    expect(unknownGroup.code).toBe(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST);

    const group = `g-${randomId()}`;
    const created = b.broker.subscriptionGroupManager.updateSubscriptionGroupConfig(newSubscriptionGroupConfig(group));
    expect(typeof created).not.toBe('string');
    expect((await sendBack(b, group, msg!, -1)).code).toBe(ResponseCode.SUCCESS);
    const [dead] = await pullAll(b, getDLQTopic(group));
    expect(dead!.body.toString()).toBe('poison');
    expect(dead!.reconsumeTimes).toBe(1);
    expect(await maxOffset(client, b.addr, SCHEDULE_TOPIC, 2)).toBe(0);

    const missing = await sendBack(b, group, msg!, 0, undefined, 9_999_999);
    expect(missing.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(missing.remark).toMatch(/9999999/);
  });
});
