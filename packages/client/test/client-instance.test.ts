// MQClientInstance against a real in-process NameServer and brokers: routes (fetch, change
// detection, publish/subscribe queues, refresh timer), NameServer rotation, heartbeats with
// producer and consumer data, NOTIFY_CONSUMER_IDS_CHANGED, and unregistering at shutdown.

import { afterEach, describe, expect, it } from 'vitest';
import { CLIENT_INNER_PRODUCER_GROUP, type MessageQueue } from '@apogee/common';
import { RemotingConnectError, ResponseCode } from '@apogee/remoting';
import { closedLoopbackPort, randomId, waitFor } from '@apogee/remoting/testing';
import {
  type ConsumerData, type ConsumerMember, MQBrokerError, MQClientError, MQClientInstance, type ProducerMember,
  type TopicPublishInfo, buildSubscriptionData, getOrCreateMQClientInstance, resolveClientConfig,
} from '../src/index.js';
import { Cluster } from './cluster.js';

let cluster: Cluster | undefined;
afterEach(async () => {
  await cluster?.closeAll();
  cluster = undefined;
});

class RecordingProducer implements ProducerMember {
  readonly infos = new Map<string, TopicPublishInfo>();
  constructor(
    readonly groupName: string,
    private readonly topics: string[] = [],
  ) {}
  publishTopics(): string[] {
    return this.topics;
  }
  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void {
    this.infos.set(topic, info);
  }
}

class RecordingConsumer implements ConsumerMember {
  rebalances = 0;
  readonly queues = new Map<string, readonly MessageQueue[]>();
  constructor(
    readonly groupName: string,
    private readonly topic: string,
  ) {}
  consumerData(): ConsumerData {
    return {
      groupName: this.groupName, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET',
      subscriptionDataSet: [buildSubscriptionData(this.topic, 'TagA || TagB', 1_700_000_000_000)], unitMode: false,
    };
  }
  subscribeTopics(): string[] {
    return [this.topic];
  }
  updateTopicSubscribeInfo(topic: string, queues: readonly MessageQueue[]): void {
    this.queues.set(topic, queues);
  }
  doRebalance(): Promise<boolean> {
    this.rebalances++;
    return Promise.resolve(true);
  }
  persistConsumerOffset(): Promise<void> {
    return Promise.resolve();
  }
}

function newInstance(c: Cluster, extra: Parameters<Cluster['clientOptions']>[0] = {}): MQClientInstance {
  const instance = new MQClientInstance(resolveClientConfig(c.clientOptions(extra)));
  return c.track(instance);
}

const queueIds = (queues: readonly MessageQueue[]): string[] => queues.map((q) => `${q.brokerName}/${q.queueId}`);

describe('MQClientInstance routes', () => {
  it('builds publish queues (sorted by broker, writable only) and subscribe queues from a two-broker route', async () => {
    cluster = await Cluster.start(2);
    const [a, b] = [...cluster.brokers].sort((x, y) => x.brokerConfig.brokerName.localeCompare(y.brokerConfig.brokerName));
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2, [a!]);
    await cluster.createTopic(topic, 3, [b!], 4); // read-only on the second broker
    const instance = newInstance(cluster);
    const producer = new RecordingProducer(`pg-${randomId()}`);
    const consumer = new RecordingConsumer(`cg-${randomId()}`, topic);
    instance.registerProducer(producer);
    instance.registerConsumer(consumer);

    expect(await instance.updateTopicRouteInfoFromNameServer(topic)).toBe(true);
    const nameA = a!.brokerConfig.brokerName;
    const nameB = b!.brokerConfig.brokerName;
    expect(queueIds(producer.infos.get(topic)!.messageQueueList)).toEqual([`${nameA}/0`, `${nameA}/1`]);
    expect(queueIds(consumer.queues.get(topic)!)).toEqual([`${nameA}/0`, `${nameA}/1`, `${nameB}/0`, `${nameB}/1`, `${nameB}/2`]);
    expect(instance.findBrokerAddressInPublish(nameA)).toBe(a!.brokerAddr);
    expect(instance.findBrokerAddressInSubscribe(nameB, 0, false)).toMatchObject({ brokerAddr: b!.brokerAddr, isSlave: false });
    // same route again: nothing changed
    expect(await instance.updateTopicRouteInfoFromNameServer(topic)).toBe(false);
  });

  it('rejects an unknown topic with MQBrokerError TOPIC_NOT_EXIST from the NameServer; the TBW102 fallback gives defaultTopicQueueNums queues', async () => {
    cluster = await Cluster.start(1);
    const instance = newInstance(cluster);
    const producer = new RecordingProducer(`pg-${randomId()}`);
    instance.registerProducer(producer);
    const topic = `t-${randomId()}`;
    const err = await instance.updateTopicRouteInfoFromNameServer(topic).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MQBrokerError);
    expect(err).toMatchObject({ responseCode: ResponseCode.TOPIC_NOT_EXIST, brokerAddr: cluster.namesrvAddr });

    expect(await instance.updateTopicRouteInfoFromNameServer(topic, { createTopicKey: 'TBW102', defaultTopicQueueNums: 3 })).toBe(true);
    const name = cluster.brokers[0]!.brokerConfig.brokerName;
    expect(queueIds(producer.infos.get(topic)!.messageQueueList)).toEqual([`${name}/0`, `${name}/1`, `${name}/2`]);
  });

  it('moves to the next NameServer when the first refuses connections, and reports no NameServer clearly', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 1);
    const dead = `127.0.0.1:${await closedLoopbackPort()}`;
    const instance = newInstance(cluster, { namesrvAddr: `${dead};${cluster.namesrvAddr}` });
    instance.remoting.updateNamesrvAddrList([dead, cluster.namesrvAddr]);
    expect(instance.remoting.currentNamesrvAddr).toBe(dead);
    expect(await instance.updateTopicRouteInfoFromNameServer(topic)).toBe(true);
    expect(instance.remoting.currentNamesrvAddr).toBe(cluster.namesrvAddr);

    const lonely = newInstance(cluster, { namesrvAddr: dead });
    const err = await lonely.updateTopicRouteInfoFromNameServer(topic).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemotingConnectError);
    const none = newInstance(cluster, { namesrvAddr: '' });
    const noneErr = await none.updateTopicRouteInfoFromNameServer(topic).catch((e: unknown) => e);
    expect(noneErr).toBeInstanceOf(MQClientError);
    expect(noneErr).toMatchObject({ clientErrorCode: 10004 });
  });

  it('refreshes routes on its timer and hands changed queues to producers', async () => {
    cluster = await Cluster.start(2);
    const topic = `t-${randomId()}`;
    const [first, second] = cluster.brokers;
    await cluster.createTopic(topic, 1, [first!]);
    const instance = newInstance(cluster, { pollNameServerIntervalMs: 50 });
    const producer = new RecordingProducer(`pg-${randomId()}`, [topic]);
    instance.registerProducer(producer);
    instance.start();
    await waitFor(() => producer.infos.get(topic)?.messageQueueList.length === 1);
    await cluster.createTopic(topic, 2, [second!]);
    await waitFor(() => producer.infos.get(topic)?.messageQueueList.length === 3, { timeoutMs: 10_000 });
  });
});

describe('MQClientInstance heartbeats', () => {
  it('heartbeats producer groups (with CLIENT_INNER_PRODUCER) and consumer subscriptions; shutdown unregisters them', async () => {
    cluster = await Cluster.start(1);
    const broker = cluster.brokers[0]!;
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const instance = newInstance(cluster, { heartbeatBrokerIntervalMs: 60_000 });
    const producerGroup = `pg-${randomId()}`;
    const consumerGroup = `cg-${randomId()}`;
    instance.registerProducer(new RecordingProducer(producerGroup, [topic]));
    instance.registerConsumer(new RecordingConsumer(consumerGroup, topic));
    instance.start();
    // the first heartbeat runs 1 s after start, once the route timer has found the broker
    await waitFor(() => broker.producerManager.groupOnline(producerGroup), { timeoutMs: 5_000 });
    expect(broker.producerManager.groupOnline(CLIENT_INNER_PRODUCER_GROUP)).toBe(true);
    const info = broker.consumerManager.getConsumerGroupInfo(consumerGroup);
    expect(info?.allChannels().map((c) => c.clientId)).toEqual([instance.clientId]);
    const sub = info?.subscriptionTable.get(topic);
    expect(sub).toMatchObject({ subString: 'TagA || TagB', tagsSet: ['TagA', 'TagB'], codeSet: [2598919, 2598920], subVersion: 1_700_000_000_000 });
    await waitFor(() => instance.brokerVersion(broker.brokerConfig.brokerName, broker.brokerAddr) === 479);

    await instance.unregisterProducer(producerGroup);
    expect(broker.producerManager.groupOnline(producerGroup)).toBe(false);
    await instance.unregisterConsumer(consumerGroup);
    expect(broker.consumerManager.getConsumerGroupInfo(consumerGroup)?.allChannels() ?? []).toEqual([]);
    await instance.shutdownIfUnused();
    expect(instance.isRunning).toBe(false);
  });

  it('rebalances at once when the broker says the consumer ids of its group changed', async () => {
    cluster = await Cluster.start(1);
    const topic = `t-${randomId()}`;
    await cluster.createTopic(topic, 2);
    const group = `cg-${randomId()}`;
    const one = newInstance(cluster);
    const two = newInstance(cluster);
    const first = new RecordingConsumer(group, topic);
    one.registerConsumer(first);
    two.registerConsumer(new RecordingConsumer(group, topic));
    one.start();
    await one.updateTopicRouteInfoFromNameServer(topic);
    await one.sendHeartbeatToAllBrokers();
    const before = first.rebalances;
    await two.updateTopicRouteInfoFromNameServer(topic);
    await two.sendHeartbeatToAllBrokers(); // a new member: the broker notifies `one`
    await waitFor(() => first.rebalances > before);
  });

  it('shares one instance per client id', () => {
    const options = { namesrvAddr: '127.0.0.1:9876', instanceName: `i-${randomId()}`, clientIP: '10.1.2.3' };
    const a = getOrCreateMQClientInstance(resolveClientConfig(options));
    const b = getOrCreateMQClientInstance(resolveClientConfig(options));
    expect(a).toBe(b);
    expect(a.clientId).toBe(`10.1.2.3@${options.instanceName}`);
    const c = getOrCreateMQClientInstance(resolveClientConfig({ ...options, instanceName: 'DEFAULT' }));
    expect(c).not.toBe(a);
    expect(c.clientId).toMatch(/^10\.1\.2\.3@\d+#\d+$/);
    return Promise.all([a.shutdown(), c.shutdown()]);
  });
});
