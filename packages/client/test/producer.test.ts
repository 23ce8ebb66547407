// DefaultMQProducer against a real in-process NameServer + broker: sync, oneway, callback and
// batch sends, chosen queues and selectors, compression, delay levels, validation, auto-create
// through TBW102, and namespaces. Every message is read back from the broker with a raw pull.

import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, Message, MessageSysFlag, decodeOffsetMessageId } from '@apogee/common';
import { randomId, waitFor } from '@apogee/remoting/testing';
import {
  DefaultMQProducer, MQClientError, SelectMessageQueueByHash, type SendResult, javaHashCode, type ProducerOptions,
} from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

async function startProducer(c: Cluster, extra: Partial<ProducerOptions> = {}): Promise<DefaultMQProducer> {
  const producer = c.track(new DefaultMQProducer({ ...c.clientOptions(), producerGroup: `pg-${randomId()}`, ...extra }));
  await producer.start();
  return producer;
}

describe('DefaultMQProducer sends', () => {
  it('sends one message: SEND_OK, msgId = UNIQ_KEY, offsetMsgId names the broker, the message reads back as sent', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const producer = await startProducer(cluster);
    const msg = new Message(topic, 'hello', { tags: 'TagA', keys: ['k1', 'k2'] });
    msg.putUserProperty('color', 'blue');
    const result = await producer.send(msg);
    expect(result.sendStatus).toBe('SEND_OK');
    expect(result.msgId).toBe(msg.getProperty('UNIQ_KEY'));
    expect(result.msgId).toMatch(/^[0-9A-F]{32}$/);
    expect(result.messageQueue).toMatchObject({ topic, brokerName: broker.brokerConfig.brokerName });
    expect(result.queueOffset).toBe(0);
    expect(result.regionId).toBe('DefaultRegion');
    const id = decodeOffsetMessageId(result.offsetMsgId);
    expect(id.ok && `${id.storeHost.host}:${id.storeHost.port}`).toBe(broker.brokerAddr);

    const [stored, ...rest] = await cluster.readQueue(broker.brokerAddr, topic, result.messageQueue.queueId);
    expect(rest).toEqual([]);
    expect(stored?.body.toString()).toBe('hello');
    expect(stored?.getTags()).toBe('TagA');
    expect(stored?.getKeys()).toBe('k1 k2');
    expect(stored?.getProperty('color')).toBe('blue');
    expect(stored?.getUniqKey()).toBe(result.msgId);
    expect(stored?.offsetMsgId).toBe(result.offsetMsgId);
  });

  it('sends oneway, with a callback, and as a batch (own UNIQ_KEYs, consecutive offsets)', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const producer = await startProducer(cluster);

    await producer.sendOneway(new Message(topic, 'oneway'));
    await waitFor(async () => (await cluster!.readQueue(broker.brokerAddr, topic, 0)).length === 1);

    const viaCallback = await new Promise<SendResult>((resolve, reject) => {
      producer.sendWithCallback(new Message(topic, 'callback'), { onSuccess: resolve, onException: reject });
    });
    expect(viaCallback).toMatchObject({ sendStatus: 'SEND_OK', queueOffset: 1 });

    const batch = ['b0', 'b1', 'b2'].map((body) => new Message(topic, body, { tags: 'B' }));
    const result = await producer.send(batch);
    const ids = batch.map((m) => m.getProperty('UNIQ_KEY'));
    expect(result.msgId).toBe(ids.join(','));
    expect(result.queueOffset).toBe(2);
    expect(result.offsetMsgId.split(',')).toHaveLength(3);

    const stored = await cluster.readQueue(broker.brokerAddr, topic, 0);
    expect(stored.map((m) => [m.queueOffset, m.body.toString(), m.getUniqKey()])).toEqual([
      [0, 'oneway', expect.any(String)],
      [1, 'callback', viaCallback.msgId],
      [2, 'b0', ids[0]], [3, 'b1', ids[1]], [4, 'b2', ids[2]],
    ]);
  });

  it('sends to a chosen queue and to the queue a hash selector picks', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const brokerName = broker.brokerConfig.brokerName;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 4);
    const producer = await startProducer(cluster);
    const toQueue = await producer.sendToQueue(new Message(topic, 'q3'), { topic, brokerName, queueId: 3 });
    expect(toQueue.messageQueue.queueId).toBe(3);
    const key = 'order-42';
    const selected = await producer.sendWithSelector(new Message(topic, 'ordered'), new SelectMessageQueueByHash(), key);
    expect(selected.messageQueue.queueId).toBe(Math.abs(javaHashCode(key) % 4));
    expect(javaHashCode(key)).toBe(1_234_255_197); // Java "order-42".hashCode()
    expect(javaHashCode('TagA')).toBe(2_598_919);
    expect((await cluster.readQueue(broker.brokerAddr, topic, 3)).map((m) => m.body.toString())).toContain('q3');
    expect(await producer.fetchPublishMessageQueues(topic)).toEqual([0, 1, 2, 3].map((queueId) => ({ topic, brokerName, queueId })));
  });

  it('compresses bodies of at least compressMsgBodyOverHowmuch bytes; the broker stores the compressed flag', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const producer = await startProducer(cluster);
    const big = Buffer.alloc(8192, 'abcdefgh');
    await producer.send(new Message(topic, big));
    await producer.send(new Message(topic, Buffer.alloc(4095, 'x')));
    const stored = await cluster.readQueue(broker.brokerAddr, topic, 0);
    expect(stored.map((m) => m.body.length)).toEqual([8192, 4095]);
    expect(stored[0]?.body.equals(big)).toBe(true);
    const raw = await cluster.readQueue(broker.brokerAddr, topic, 0, 0, 32, false);
    expect(raw.map((m) => (m.sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0)).toEqual([true, false]);
    expect(raw[0]!.body.length).toBeLessThan(200);
  });

  it('delays a message with a delay level: it reaches its queue only after the level time', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const producer = await startProducer(cluster);
    const msg = new Message(topic, 'later');
    msg.setDelayTimeLevel(1); // 1 s
    const sentAtMs = Date.now();
    const result = await producer.send(msg);
    expect(result.sendStatus).toBe('SEND_OK');
    expect(await cluster.readQueue(broker.brokerAddr, topic, 0)).toEqual([]);
    await waitFor(async () => (await cluster!.readQueue(broker.brokerAddr, topic, 0)).length === 1, { timeoutMs: 10_000 });
    const [delivered] = await cluster.readQueue(broker.brokerAddr, topic, 0);
    expect(delivered?.getUniqKey()).toBe(result.msgId);
    expect(delivered!.storeTimestamp - sentAtMs).toBeGreaterThanOrEqual(900);
  });
});

describe('DefaultMQProducer rules', () => {
  it('refuses what Java refuses before sending: empty or oversized bodies, bad topics, mixed batches, no start', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const producer = await startProducer(cluster, { maxMessageSize: 1024 });
    const fails = async (p: Promise<unknown>): Promise<unknown> => p.then(() => 'sent', (e: unknown) => e);
    expect(await fails(producer.send(new Message(topic, '')))).toMatchObject({ argumentName: 'body', message: 'the message body length is zero' });
    expect(await fails(producer.send(new Message(topic, Buffer.alloc(1025))))).toMatchObject({ argumentName: 'body' });
    expect(await fails(producer.send(new Message('bad topic!', 'x')))).toBeInstanceOf(InvalidArgumentError);
    expect(await fails(producer.send(new Message('TBW102', 'x')))).toMatchObject({ argumentName: 'topic' });
    expect(await fails(producer.send(new Message('SCHEDULE_TOPIC_XXXX', 'x')))).toMatchObject({ argumentName: 'topic' });
    const delayed = new Message(topic, 'd');
    delayed.setDelayTimeLevel(2);
    expect(await fails(producer.send([new Message(topic, 'a'), delayed]))).toMatchObject({ argumentName: 'msgs' });
    expect(await fails(producer.send([new Message(topic, 'a'), new Message(`${topic}x`, 'b')]))).toMatchObject({ argumentName: 'msgs' });

    const idle = new DefaultMQProducer({ ...cluster.clientOptions(), producerGroup: `pg-${randomId()}` });
    expect(await fails(idle.send(new Message(topic, 'x')))).toBeInstanceOf(MQClientError);
    expect(() => new DefaultMQProducer({ ...cluster!.clientOptions(), producerGroup: 'DEFAULT_PRODUCER' })).toThrow(InvalidArgumentError);
  });

  it('auto-creates an unknown topic through the TBW102 route with defaultTopicQueueNums queues', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    const producer = await startProducer(cluster, { defaultTopicQueueNums: 3 });
    const result = await producer.send(new Message(topic, 'first'));
    expect(result.sendStatus).toBe('SEND_OK');
    expect(result.messageQueue.queueId).toBeLessThan(3);
    expect(broker.topicConfigManager.selectTopicConfig(topic)).toMatchObject({ readQueueNums: 3, writeQueueNums: 3, perm: 6 });
    await cluster.waitForRoute(topic, [{ brokerName: broker.brokerConfig.brokerName, queueNums: 3, perm: 6 }]);
  });

  it('puts topics and the group in its namespace on the wire and hides it in results', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(`ns1%${topic}`, 1);
    const producer = await startProducer(cluster, { namespace: 'ns1' });
    const result = await producer.send(new Message(topic, 'in ns'));
    expect(result.messageQueue.topic).toBe(topic);
    expect(producer.groupName).toBe(`ns1%${producer.producerGroup}`);
    const [stored] = await cluster.readQueue(broker.brokerAddr, `ns1%${topic}`, 0);
    expect(stored?.body.toString()).toBe('in ns');
    expect(stored?.getProperty('INSTANCE_ID')).toBe('ns1');
    await waitFor(() => broker.producerManager.groupOnline(`ns1%${producer.producerGroup}`));
  });
});
