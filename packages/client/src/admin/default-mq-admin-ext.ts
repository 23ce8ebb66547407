// DefaultMQAdminExt: the admin client `mqadmin` and dashboards use (reference §2.3). It is a
// client instance like any other (it heartbeats with CLIENT_INNER_PRODUCER only); NameServer
// questions go to the current NameServer, broker questions to the masters the route or the
// cluster info names. Multi-broker answers (topic stats, consume stats) are merged.

import { type MessageExt, type MessageQueue, MASTER_ID, RETRY_GROUP_TOPIC_PREFIX, decodeOffsetMessageId, formatSocketAddress, getRetryTopic } from '@apogee/common';
import { type ClusterInfo, type TopicConfig, type TopicRouteData, ResponseCode } from '@apogee/remoting';
import {
  type ConsumeMessageDirectlyAnswer, type ConsumerRunningInfoView, type SubscriptionGroupConfig, cloneGroupOffset, consumeMessageDirectly, createAndUpdateSubscriptionGroupConfig, getConsumerRunningInfo, createAndUpdateTopicConfig, deleteSubscriptionGroup,
  deleteTopicInBroker, fetchConsumeStatsInBroker, getAllSubscriptionGroup, getAllTopicConfig, getBrokerConfig, getBrokerRuntimeInfo, getConsumeStats, getConsumerConnectionList, getProducerConnectionList,
  getTopicConfig, getTopicStatsInfo, invokeBrokerToResetOffset, queryMessage, queryTopicConsumeByWho, updateBrokerConfig, viewBrokerStatsData, viewMessageByOffset,
} from '../api/admin-api.js';
import type {
  BrokerStatsData, ConsumeStats, ConsumeStatsList, ConsumerConnection, OffsetWrapper, ProducerConnection, ResetOffsetEntry, RollbackStats,
  SubscriptionGroupConfigView, SubscriptionGroupWrapper, TopicConfigSerializeWrapper, TopicStatsTable,
} from '../api/admin-bodies.js';
import { getEarliestMsgStoretime, getMaxOffset, getMinOffset, searchOffset, updateConsumerOffset } from '../api/consumer-api.js';
import {
  deleteKVConfig, deleteTopicInNameServer, getAllTopicListFromNameServer, getBrokerClusterInfo, getKVConfig, getTopicRouteInfo, getTopicsByCluster, putKVConfig,
} from '../api/namesrv-api.js';
import { type ClientConfigOptions, type ResolvedClientConfig, resolveClientConfig } from '../client-config.js';
import { ClientErrorCode, MQClientError } from '../errors.js';
import { type MQClientInstance, getOrCreateMQClientInstance } from '../factory/mq-client-instance.js';
import { compareMessageQueue } from '../message-queue.js';
import { masterOf, maxOffsetOf } from '../consumer/pull-from-where.js';
import { newTopicConfig } from './topic-config.js';

export interface AdminOptions extends ClientConfigOptions {
  /** Timeout of every admin call (timeoutMillis), ms. Default 5_000. */
  readonly timeoutMs?: number;
}

export interface CreateTopicOptions {
  /** Create on every master of this cluster (default: every master of every cluster). */
  readonly clusterName?: string;
  /** Or exactly on these broker addresses. */
  readonly brokerAddrs?: readonly string[];
  /** Default 8 (mqadmin updateTopic). */
  readonly readQueueNums?: number;
  /** Default 8. */
  readonly writeQueueNums?: number;
  /** PermName bits. Default 6 (RW). */
  readonly perm?: number;
  readonly order?: boolean;
}

export interface QueryResult {
  readonly indexLastUpdateTimestamp: number;
  readonly messageList: MessageExt[];
}

type State = 'created' | 'running' | 'stopped';

export class DefaultMQAdminExt {
  readonly clientConfig: ResolvedClientConfig;
  readonly timeoutMs: number;
  private instance: MQClientInstance | undefined;
  private state: State = 'created';

  constructor(options: AdminOptions = {}) {
    this.clientConfig = resolveClientConfig(options);
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  get clientInstance(): MQClientInstance | undefined {
    return this.instance;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MQClientError(`The admin service state not OK: ${this.state}`);
    const instance = getOrCreateMQClientInstance(this.clientConfig);
    instance.registerAdmin(this);
    this.instance = instance;
    this.state = 'running';
    instance.start();
  }

  async shutdown(): Promise<void> {
    if (this.state !== 'running' || this.instance === undefined) {
      this.state = 'stopped';
      return;
    }
    this.state = 'stopped';
    this.instance.unregisterAdmin(this);
    await this.instance.shutdownIfUnused();
  }

  // --- NameServer ---------------------------------------------------------------------------

  examineBrokerClusterInfo(): Promise<ClusterInfo> {
    return getBrokerClusterInfo(this.running().remoting, this.timeoutMs);
  }

  examineTopicRouteInfo(topic: string): Promise<TopicRouteData> {
    return getTopicRouteInfo(this.running().remoting, topic, this.timeoutMs);
  }

  fetchAllTopicList(): Promise<string[]> {
    return getAllTopicListFromNameServer(this.running().remoting, this.timeoutMs);
  }

  fetchTopicsByCluster(clusterName: string): Promise<string[]> {
    return getTopicsByCluster(this.running().remoting, clusterName, this.timeoutMs);
  }

  /** Sets a KV on every NameServer. */
  async putKVConfig(namespace: string, key: string, value: string): Promise<void> {
    const remoting = this.running().remoting;
    for (const addr of remoting.namesrvAddrList) await putKVConfig(remoting, addr, namespace, key, value, this.timeoutMs);
  }

  getKVConfig(namespace: string, key: string): Promise<string | undefined> {
    return getKVConfig(this.running().remoting, namespace, key, this.timeoutMs);
  }

  async deleteKVConfig(namespace: string, key: string): Promise<void> {
    const remoting = this.running().remoting;
    for (const addr of remoting.namesrvAddrList) await deleteKVConfig(remoting, addr, namespace, key, this.timeoutMs);
  }

  // --- topics -------------------------------------------------------------------------------

  /** UPDATE_AND_CREATE_TOPIC on one broker. */
  createAndUpdateTopicConfig(brokerAddr: string, config: TopicConfig): Promise<void> {
    return createAndUpdateTopicConfig(this.running().remoting, brokerAddr, config, this.timeoutMs);
  }

  /** Creates (or updates) `topic` on the chosen masters; resolves with their addresses. */
  async createTopic(topic: string, options: CreateTopicOptions = {}): Promise<string[]> {
    const addrs = options.brokerAddrs ?? (await this.masterAddrs(options.clusterName));
    if (addrs.length === 0) throw new MQClientError(`no master broker to create topic ${topic} on`, ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION);
    const config = newTopicConfig(topic, options);
    for (const addr of addrs) await this.createAndUpdateTopicConfig(addr, config);
    return [...addrs];
  }

  /** DELETE_TOPIC_IN_BROKER on the cluster's masters, then DELETE_TOPIC_IN_NAMESRV on every NameServer. */
  async deleteTopic(topic: string, clusterName?: string): Promise<void> {
    const remoting = this.running().remoting;
    for (const addr of await this.masterAddrs(clusterName)) await deleteTopicInBroker(remoting, addr, topic, this.timeoutMs);
    for (const addr of remoting.namesrvAddrList) await deleteTopicInNameServer(remoting, addr, topic, clusterName, this.timeoutMs);
  }

  async deleteTopicInBroker(brokerAddrs: readonly string[], topic: string): Promise<void> {
    for (const addr of brokerAddrs) await deleteTopicInBroker(this.running().remoting, addr, topic, this.timeoutMs);
  }

  async deleteTopicInNameServer(topic: string, clusterName?: string): Promise<void> {
    const remoting = this.running().remoting;
    for (const addr of remoting.namesrvAddrList) await deleteTopicInNameServer(remoting, addr, topic, clusterName, this.timeoutMs);
  }

  /** Min/max offsets of every queue of `topic`, from every master hosting it. */
  async examineTopicStats(topic: string): Promise<TopicStatsTable> {
    const route = await this.examineTopicRouteInfo(topic);
    const parts = await Promise.all(mastersOf(route).map((addr) => getTopicStatsInfo(this.running().remoting, addr, topic, this.timeoutMs)));
    return { offsetTable: parts.flatMap((p) => p.offsetTable).sort((a, b) => compareMessageQueue(a.messageQueue, b.messageQueue)) };
  }

  examineTopicConfig(brokerAddr: string, topic: string): Promise<Record<string, unknown>> {
    return getTopicConfig(this.running().remoting, brokerAddr, topic, this.timeoutMs);
  }

  queryTopicConsumeByWho(topic: string): Promise<string[]> {
    return this.onSomeMaster(topic, (addr) => queryTopicConsumeByWho(this.running().remoting, addr, topic, this.timeoutMs));
  }

  // --- groups -------------------------------------------------------------------------------

  /**
   * The group's offsets against every queue (of `topic`, or every topic it consumes), merged over
   * the masters of the first of these routes that exists: the group's retry topic, `topic`, the
   * group's POP retry topic of `topic` (as RocketMQ looks them up). An empty answer is an error,
   * as in RocketMQ: MQClientError CONSUMER_NOT_ONLINE (206) when the group has no offsets and no
   * consumer online, BROADCAST_CONSUMPTION (213) when its consumers consume in broadcast mode
   * (they keep their offsets themselves).
   */
  async examineConsumeStats(consumerGroup: string, topic?: string): Promise<ConsumeStats> {
    const routeTopics = topic === undefined ? [getRetryTopic(consumerGroup)] : [getRetryTopic(consumerGroup), topic, popRetryTopic(topic, consumerGroup)];
    const route = await this.firstRouteOf(routeTopics);
    const parts = await Promise.all(mastersOf(route).map((addr) => getConsumeStats(this.running().remoting, addr, consumerGroup, topic, this.timeoutMs * 3)));
    const stats = {
      consumeTps: parts.reduce((n, p) => n + p.consumeTps, 0),
      offsetTable: parts.flatMap((p) => p.offsetTable).sort((a, b) => compareMessageQueue(a.messageQueue, b.messageQueue)),
    };
    if (stats.offsetTable.length > 0) return stats;
    const connection = await this.examineConsumerConnectionInfo(consumerGroup).catch((err: unknown) => {
      throw new MQClientError('Not found the consumer group consume stats, because return offset table is empty, maybe the consumer not online', ResponseCode.CONSUMER_NOT_ONLINE, { cause: err });
    });
    if (connection.messageModel === 'BROADCASTING') {
      throw new MQClientError('Not found the consumer group consume stats, because return offset table is empty, the consumer is under the broadcast mode', ResponseCode.BROADCAST_CONSUMPTION);
    }
    return stats;
  }

  /** The group's connected clients and subscriptions (from a master hosting its retry topic). */
  examineConsumerConnectionInfo(consumerGroup: string): Promise<ConsumerConnection> {
    return this.onSomeMaster(getRetryTopic(consumerGroup), (addr) => getConsumerConnectionList(this.running().remoting, addr, consumerGroup, this.timeoutMs));
  }

  examineProducerConnectionInfo(producerGroup: string, topic: string): Promise<ProducerConnection> {
    return this.onSomeMaster(topic, (addr) => getProducerConnectionList(this.running().remoting, addr, producerGroup, this.timeoutMs));
  }

  /** What the consumer client `clientId` of the group reports about itself (mqadmin consumerStatus). */
  getConsumerRunningInfo(consumerGroup: string, clientId: string, jstack = false): Promise<ConsumerRunningInfoView> {
    return this.onSomeMaster(getRetryTopic(consumerGroup), (addr) => getConsumerRunningInfo(this.running().remoting, addr, consumerGroup, clientId, jstack, this.timeoutMs));
  }

  /** Makes the client `clientId` of the group consume the message at `offsetMsgId` now. */
  async consumeMessageDirectly(consumerGroup: string, clientId: string, topic: string, offsetMsgId: string): Promise<ConsumeMessageDirectlyAnswer> {
    const id = decodeOffsetMessageId(offsetMsgId);
    if (!id.ok) throw new MQClientError(`bad offset message id ${offsetMsgId}: ${id.reason}`);
    return consumeMessageDirectly(this.running().remoting, formatSocketAddress(id.storeHost), consumerGroup, clientId, topic, offsetMsgId, this.timeoutMs);
  }

  createAndUpdateSubscriptionGroupConfig(brokerAddr: string, config: SubscriptionGroupConfig): Promise<void> {
    return createAndUpdateSubscriptionGroupConfig(this.running().remoting, brokerAddr, config, this.timeoutMs);
  }

  deleteSubscriptionGroup(brokerAddr: string, groupName: string, cleanOffset = false): Promise<void> {
    return deleteSubscriptionGroup(this.running().remoting, brokerAddr, groupName, cleanOffset, this.timeoutMs);
  }

  /** Every subscription group the broker keeps (GET_ALL_SUBSCRIPTIONGROUP_CONFIG), system groups included. */
  getAllSubscriptionGroup(brokerAddr: string, timeoutMs = this.timeoutMs): Promise<SubscriptionGroupWrapper> {
    return getAllSubscriptionGroup(this.running().remoting, brokerAddr, timeoutMs);
  }

  /**
   * The broker's config of `group`, undefined when it has none (RocketMQ's admin returns null).
   * Read from the whole table, as RocketMQ's DefaultMQAdminExtImpl does: the Apogee broker answers
   * GET_SUBSCRIPTIONGROUP_CONFIG (352) too, but like RocketMQ's it creates a missing group while
   * answering (autoCreateSubscriptionGroup), so looking at a group that way would make it exist.
   */
  async examineSubscriptionGroupConfig(brokerAddr: string, group: string): Promise<SubscriptionGroupConfigView | undefined> {
    return (await this.getAllSubscriptionGroup(brokerAddr)).subscriptionGroupTable.get(group);
  }

  /**
   * CLONE_GROUP_OFFSET on every master of srcGroup's retry topic (as RocketMQ routes it), or of
   * `topic` when that retry topic has no route (srcGroup never had a consumer online, its offsets
   * were committed by an admin). Without `topic` every topic srcGroup has offsets on is cloned.
   * Unless `isOffline`, a topic that srcGroup is online without subscribing to is left alone.
   */
  async cloneGroupOffset(srcGroup: string, destGroup: string, topic: string | undefined, isOffline: boolean): Promise<void> {
    const route = await this.firstRouteOf(topic === undefined ? [getRetryTopic(srcGroup)] : [getRetryTopic(srcGroup), topic]);
    for (const addr of mastersOf(route)) await cloneGroupOffset(this.running().remoting, addr, srcGroup, destGroup, topic, isOffline, this.timeoutMs);
  }

  // --- consumer offsets ---------------------------------------------------------------------

  /** UPDATE_CONSUMER_OFFSET: commits `offset` as the group's offset on `mq` at that broker. */
  updateConsumeOffset(brokerAddr: string, consumerGroup: string, mq: MessageQueue, offset: number): Promise<void> {
    return updateConsumerOffset(this.running().remoting, brokerAddr, consumerGroup, mq, offset, this.timeoutMs);
  }

  /**
   * Moves the group on `topic` to the offsets of `timestampMs` (-1: the max offsets) through every
   * master of the topic's route (INVOKE_BROKER_TO_RESET_OFFSET), and returns the offsets they set,
   * sorted by queue. A 5.x broker commits them itself; a broker resetting client-side (4.9, or
   * useServerSideResetOffset=false) rejects with MQBrokerError CONSUMER_NOT_ONLINE (206) when no
   * consumer of the group is online: mqadmin then falls back to resetOffsetByTimestampOld.
   * `isForce` (client-side only): also move forwards, not just back.
   */
  async resetOffsetByTimestamp(topic: string, group: string, timestampMs: number, isForce: boolean, isC = false): Promise<ResetOffsetEntry[]> {
    const route = await this.examineTopicRouteInfo(topic);
    const spec = { topic, group, timestampMs, isForce, isC };
    const out: ResetOffsetEntry[] = [];
    for (const addr of mastersOf(route)) out.push(...(await invokeBrokerToResetOffset(this.running().remoting, addr, spec, this.timeoutMs)));
    return out.sort((a, b) => compareMessageQueue(a.messageQueue, b.messageQueue));
  }

  /**
   * RocketMQ's fallback reset, done by the admin itself: on every master of the topic's route,
   * each queue of `topic` the group has progress on (or, when it has none there, each read queue
   * from the queue's min offset) gets the offset of `timestampMs` (-1: its max offset), committed
   * with UPDATE_CONSUMER_OFFSET when `force` or when that moves the group back (never forwards
   * without `force`). One row per queue, whether committed or not.
   */
  async resetOffsetByTimestampOld(consumerGroup: string, topic: string, timestampMs: number, force: boolean): Promise<RollbackStats[]> {
    const route = await this.examineTopicRouteInfo(topic);
    const rows: RollbackStats[] = [];
    for (const { brokerName, addr } of masterEntriesOf(route)) {
      const readQueueNums = route.queueDatas.find((q) => q.brokerName === brokerName)?.readQueueNums ?? 0;
      for (const progress of await this.progressOnBroker(addr, brokerName, readQueueNums, consumerGroup, topic)) {
        rows.push(await this.rollbackQueue(addr, consumerGroup, progress, timestampMs, force));
      }
    }
    return rows;
  }

  // --- messages -----------------------------------------------------------------------------

  /** The message an offset message id names (store host + commit-log offset). */
  async viewMessage(offsetMsgId: string, topic?: string): Promise<MessageExt> {
    const id = decodeOffsetMessageId(offsetMsgId);
    if (!id.ok) throw new MQClientError(`bad offset message id ${offsetMsgId}: ${id.reason}`);
    const addr = formatSocketAddress(id.storeHost);
    const msg = await viewMessageByOffset(this.running().remoting, addr, id.commitLogOffset, topic, this.timeoutMs);
    if (msg === undefined) throw new MQClientError(`no message at ${offsetMsgId}`);
    return msg;
  }

  /**
   * Messages of `topic` whose KEYS contain `key` (or whose UNIQ_KEY is `key` with `isUniqKey`),
   * stored between the two times (ms), from every broker of the topic. Rejects with
   * MQClientError (code NO_MESSAGE 208) when there is none.
   */
  async queryMessage(topic: string, key: string, maxNum: number, beginTimestampMs: number, endTimestampMs: number, isUniqKey = false): Promise<QueryResult> {
    const route = await this.examineTopicRouteInfo(topic);
    const spec = { topic, key, maxNum, beginTimestampMs, endTimestampMs, isUniqKey };
    const answers = await Promise.all(mastersOf(route).map((addr) => queryMessage(this.running().remoting, addr, spec, this.timeoutMs).catch(() => undefined)));
    let indexLastUpdateTimestamp = 0;
    const messageList: MessageExt[] = [];
    for (const answer of answers) {
      if (answer === undefined) continue;
      indexLastUpdateTimestamp = Math.max(indexLastUpdateTimestamp, answer.indexLastUpdateTimestamp);
      for (const msg of answer.messages) {
        const matches = isUniqKey ? msg.msgId === key : msg.topic === topic && (msg.getKeys()?.split(' ') ?? []).includes(key);
        if (matches) messageList.push(msg);
      }
    }
    if (messageList.length === 0) throw new MQClientError('query message by key finished, but no message.', 208);
    return { indexLastUpdateTimestamp, messageList };
  }

  /** The message whose UNIQ_KEY (the producer's msgId) is `uniqKey`, stored in the last 3 days by default. */
  async queryMessageByUniqKey(topic: string, uniqKey: string, beginTimestampMs = Date.now() - 3 * 86_400_000, endTimestampMs = Number.MAX_SAFE_INTEGER): Promise<MessageExt> {
    const result = await this.queryMessage(topic, uniqKey, 32, beginTimestampMs, endTimestampMs, true);
    return result.messageList[0] as MessageExt;
  }

  // --- queue offsets ------------------------------------------------------------------------

  maxOffset(mq: MessageQueue): Promise<number> {
    return maxOffsetOf(this.running(), mq);
  }

  async minOffset(mq: MessageQueue): Promise<number> {
    const instance = this.running();
    return getMinOffset(instance.remoting, await masterOf(instance, mq), mq, this.timeoutMs);
  }

  async searchOffset(mq: MessageQueue, timestampMs: number): Promise<number> {
    const instance = this.running();
    return searchOffset(instance.remoting, await masterOf(instance, mq), mq, timestampMs, this.timeoutMs);
  }

  async earliestMsgStoreTime(mq: MessageQueue): Promise<number> {
    const instance = this.running();
    return getEarliestMsgStoretime(instance.remoting, await masterOf(instance, mq), mq, this.timeoutMs);
  }

  // --- brokers ------------------------------------------------------------------------------

  getBrokerConfig(brokerAddr: string): Promise<Map<string, string>> {
    return getBrokerConfig(this.running().remoting, brokerAddr, this.timeoutMs);
  }

  updateBrokerConfig(brokerAddr: string, properties: ReadonlyMap<string, string>): Promise<void> {
    return updateBrokerConfig(this.running().remoting, brokerAddr, properties, this.timeoutMs);
  }

  fetchBrokerRuntimeStats(brokerAddr: string): Promise<Map<string, string>> {
    return getBrokerRuntimeInfo(this.running().remoting, brokerAddr, this.timeoutMs);
  }

  /**
   * One of the broker's stats items over the last minute, hour and day. The Apogee broker counts
   * TOPIC_PUT_NUMS (key: topic), GROUP_GET_NUMS (key: topic@group), BROKER_PUT_NUMS and
   * BROKER_GET_NUMS (key: cluster name). MQBrokerError SYSTEM_ERROR (1) when nothing was counted
   * under the key.
   */
  viewBrokerStatsData(brokerAddr: string, statsName: string, statsKey: string): Promise<BrokerStatsData> {
    return viewBrokerStatsData(this.running().remoting, brokerAddr, statsName, statsKey, this.timeoutMs);
  }

  /** Every subscription group's consume progress on the broker (only ordered topics with `isOrder`). */
  fetchConsumeStatsInBroker(brokerAddr: string, isOrder: boolean, timeoutMs = this.timeoutMs): Promise<ConsumeStatsList> {
    return fetchConsumeStatsInBroker(this.running().remoting, brokerAddr, isOrder, timeoutMs);
  }

  /** Every topic config the broker keeps (GET_ALL_TOPIC_CONFIG), system topics included. */
  getAllTopicConfig(brokerAddr: string, timeoutMs = this.timeoutMs): Promise<TopicConfigSerializeWrapper> {
    return getAllTopicConfig(this.running().remoting, brokerAddr, timeoutMs);
  }

  // --- internals ----------------------------------------------------------------------------

  private running(): MQClientInstance {
    if (this.state !== 'running' || this.instance === undefined) throw new MQClientError(`The admin service state not OK, ${this.state === 'created' ? 'not started' : 'shut down'}`);
    return this.instance;
  }

  private async masterAddrs(clusterName: string | undefined): Promise<string[]> {
    const info = await this.examineBrokerClusterInfo();
    const names = clusterName === undefined ? [...info.brokerAddrTable.keys()] : (info.clusterAddrTable.get(clusterName) ?? []);
    return names.map((name) => info.brokerAddrTable.get(name)?.brokerAddrs.get(MASTER_ID)).filter((a): a is string => a !== undefined).sort();
  }

  /** The route of the first of `topics` the NameServer knows; the last one's error when none. */
  private async firstRouteOf(topics: readonly string[]): Promise<TopicRouteData> {
    for (let i = 0; ; i++) {
      try {
        return await this.examineTopicRouteInfo(topics[i] as string);
      } catch (err) {
        if (i >= topics.length - 1) throw err;
      }
    }
  }

  /** Where the group stands on each queue of `topic` at one broker (resetOffsetByTimestampOld). */
  private async progressOnBroker(addr: string, brokerName: string, readQueueNums: number, group: string, topic: string): Promise<OffsetWrapper[]> {
    const remoting = this.running().remoting;
    const stats = await getConsumeStats(remoting, addr, group, undefined, this.timeoutMs);
    const consumed = stats.offsetTable.filter((o) => o.messageQueue.topic === topic);
    if (consumed.length > 0) return consumed;
    // Never consumed here: start from the queue's min offset, as RocketMQ does.
    const offsets = (await getTopicStatsInfo(remoting, addr, topic, this.timeoutMs)).offsetTable;
    return Array.from({ length: readQueueNums }, (_, queueId) => {
      const o = offsets.find((t) => t.messageQueue.brokerName === brokerName && t.messageQueue.queueId === queueId);
      return { messageQueue: { topic, brokerName, queueId }, brokerOffset: o?.maxOffset ?? 0, consumerOffset: o?.minOffset ?? 0, pullOffset: 0, lastTimestamp: 0 };
    });
  }

  private async rollbackQueue(addr: string, group: string, progress: OffsetWrapper, timestampMs: number, force: boolean): Promise<RollbackStats> {
    const remoting = this.running().remoting;
    const mq = progress.messageQueue;
    const timestampOffset = timestampMs === -1 ? await getMaxOffset(remoting, addr, mq, this.timeoutMs) : await searchOffset(remoting, addr, mq, timestampMs, this.timeoutMs);
    const apply = force || timestampOffset <= progress.consumerOffset;
    if (apply) await updateConsumerOffset(remoting, addr, group, mq, timestampOffset, this.timeoutMs);
    return {
      brokerName: mq.brokerName, queueId: mq.queueId, brokerOffset: progress.brokerOffset, consumerOffset: progress.consumerOffset,
      timestampOffset, rollbackOffset: apply ? timestampOffset : progress.consumerOffset,
    };
  }

  private async onSomeMaster<T>(topic: string, call: (addr: string) => Promise<T>): Promise<T> {
    const masters = mastersOf(await this.examineTopicRouteInfo(topic));
    const addr = masters[0];
    if (addr === undefined) throw new MQClientError(`no master broker hosts ${topic}`, ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION);
    return call(addr);
  }
}

/** The route's masters with their broker names, sorted by address. */
function masterEntriesOf(route: TopicRouteData): Array<{ brokerName: string; addr: string }> {
  const out: Array<{ brokerName: string; addr: string }> = [];
  for (const bd of route.brokerDatas) {
    const addr = bd.brokerAddrs.get(MASTER_ID);
    if (addr !== undefined) out.push({ brokerName: bd.brokerName, addr });
  }
  return out.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
}

function mastersOf(route: TopicRouteData): string[] {
  return masterEntriesOf(route).map((m) => m.addr);
}

/** RocketMQ's KeyBuilder.buildPopRetryTopic (V1): where POP consumers' retries of `topic` go. */
function popRetryTopic(topic: string, group: string): string {
  return `${RETRY_GROUP_TOPIC_PREFIX}${group}_${topic}`;
}
