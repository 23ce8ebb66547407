// DefaultMQPushConsumer (reference §7.2). subscribe() + registerMessageListener*() + start():
// the client instance heartbeats the subscriptions (plus `%RETRY%<group>` in clustering mode),
// rebalances every 20 s and on NOTIFY_CONSUMER_IDS_CHANGED, and this consumer keeps one pull
// loop per owned queue: PULL_MESSAGE with SUSPEND (long polling, brokerSuspendMaxTimeMs 15 s,
// RPC timeout 30 s), COMMIT_OFFSET when it has an offset to commit, the heartbeat's
// subscription (no expression in the request), maxMsgNums pullBatchSize. Pulled messages go to
// the concurrent or orderly consume service; a queue whose cache is over pullThresholdForQueue /
// pullThresholdSizeForQueue / consumeConcurrentlyMaxSpan waits 50 ms before pulling again.
// Orderly clustering consumers take LOCK_BATCH_MQ for a queue before consuming it, renew every
// 20 s and unlock removed queues and at shutdown.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONSUMER_GROUP, InvalidArgumentError, type MessageExt, type MessageQueue, getRetryTopic, validateGroup } from '@apogee/common';
import { type ConsumerData, PullSysFlag, ResponseCode } from '@apogee/remoting';
import { resolveClientConfig, type ResolvedClientConfig } from '../client-config.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import type { CMResult, ConsumeMessageDirectlyResult, ConsumerMember, ConsumerRunningInfo, ProcessQueueInfo } from '../factory/client-members.js';
import { type MQClientInstance, getOrCreateMQClientInstance } from '../factory/mq-client-instance.js';
import { mqKey } from '../message-queue.js';
import { withoutNamespace, wrapNamespace } from '../namespace.js';
import { AllocateMessageQueueAveragely, type AllocateMessageQueueStrategy } from './allocate-strategies.js';
import { ConsumeExecutor } from './consume-executor.js';
import { ConsumeMessageConcurrentlyService, resetRetryAndNamespace } from './consume-concurrently-service.js';
import { ConsumeMessageOrderlyService } from './consume-orderly-service.js';
import { defaultConsumeTimestamp } from './lite-pull-options.js';
import type { MessageListenerConcurrently, MessageListenerOrderly } from './message-listener.js';
import { LocalFileOffsetStore, type OffsetStore, RemoteBrokerOffsetStore } from './offset-store.js';
import { ProcessQueue } from './process-queue.js';
import { PullAPIWrapper } from './pull-api-wrapper.js';
import { computePullFromWhere, parseConsumeTimestamp } from './pull-from-where.js';
import { type PushConsumerOptions, type ResolvedPushOptions, effectiveMaxReconsumeTimes, resolvePushOptions } from './push-options.js';
import { QueueLocks } from './queue-locks.js';
import { type AllocationApplied, RebalanceImpl, SUBSCRIPTIONS_PER_CONSUMER_MAX } from './rebalance-impl.js';
import { buildSubscriptionData } from './subscription-data.js';

const PULL_DELAY_MS_WHEN_FLOW_CONTROL = 50;
const PULL_DELAY_MS_WHEN_SUSPENDED = 1_000;
const PULL_DELAY_MS_WHEN_BROKER_FLOW_CONTROL = 20;
/** Orderly lock renewal (first after 1 s), ms. */
export const LOCK_RENEW_INTERVAL_MS = 20_000;

type State = 'created' | 'running' | 'stopped';

interface QueueEntry {
  readonly mq: MessageQueue;
  readonly pq: ProcessQueue;
  nextOffset: number;
  timer: NodeJS.Timeout | undefined;
  pulling: Promise<void> | undefined;
}

export class DefaultMQPushConsumer implements ConsumerMember {
  readonly consumerGroup: string;
  readonly options: ResolvedPushOptions;
  readonly clientConfig: ResolvedClientConfig;
  private readonly strategy: AllocateMessageQueueStrategy;
  private readonly executor: ConsumeExecutor;
  private listener: { kind: 'concurrently'; value: MessageListenerConcurrently } | { kind: 'orderly'; value: MessageListenerOrderly } | undefined;
  private concurrently: ConsumeMessageConcurrentlyService | undefined;
  private orderly: ConsumeMessageOrderlyService | undefined;
  private instance: MQClientInstance | undefined;
  private offsetStoreImpl: OffsetStore | undefined;
  private pullAPI: PullAPIWrapper | undefined;
  private rebalanceImpl: RebalanceImpl | undefined;
  private locks: QueueLocks | undefined;
  private readonly subscriptions = new Map<string, string>();
  private readonly queues = new Map<string, QueueEntry>();
  private lockTimer: NodeJS.Timeout | undefined;
  private cleanExpiredTimer: NodeJS.Timeout | undefined;
  private cleaningExpired: Promise<void> | undefined;
  private readonly pendingRefreshes = new Set<Promise<void>>();
  private isPaused = false;
  private startTimestampMs = 0;
  private state: State = 'created';
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: PushConsumerOptions) {
    const group = validateGroup(options.consumerGroup);
    if (!group.ok) throw new InvalidArgumentError('consumerGroup', group.reason);
    if (options.consumerGroup === DEFAULT_CONSUMER_GROUP) throw new InvalidArgumentError('consumerGroup', `consumerGroup can not equal ${DEFAULT_CONSUMER_GROUP}`);
    this.clientConfig = resolveClientConfig(options);
    this.options = resolvePushOptions(options);
    this.consumerGroup = options.consumerGroup;
    this.strategy = options.allocateMessageQueueStrategy ?? new AllocateMessageQueueAveragely();
    this.executor = new ConsumeExecutor(this.options.consumeConcurrencyMax, this.clientConfig.logger);
  }

  get groupName(): string {
    return wrapNamespace(this.clientConfig.namespace, this.consumerGroup);
  }

  get clientInstance(): MQClientInstance | undefined {
    return this.instance;
  }

  get offsetStore(): OffsetStore | undefined {
    return this.offsetStoreImpl;
  }

  get isOrderly(): boolean {
    return this.listener?.kind === 'orderly';
  }

  /** Subscribe with a TAG expression ("*" or "TagA || TagB"); before or after start(). */
  subscribe(topic: string, subExpression = '*'): void {
    if (this.subscriptions.size >= SUBSCRIPTIONS_PER_CONSUMER_MAX && !this.subscriptions.has(topic)) {
      throw new InvalidArgumentError('topic', `a consumer subscribes to at most ${SUBSCRIPTIONS_PER_CONSUMER_MAX} topics`);
    }
    this.subscriptions.set(topic, subExpression);
    if (this.rebalanceImpl !== undefined) {
      const wire = wrapNamespace(this.clientConfig.namespace, topic);
      this.rebalanceImpl.subscriptionInner.set(wire, buildSubscriptionData(wire, subExpression, this.clientConfig.clock.nowMs()));
      const refresh = this.refreshAfterSubscriptionChange()
        .catch((err: unknown) => this.instance?.log.warn({ err, topic }, 'refresh after subscribe failed'))
        .finally(() => this.pendingRefreshes.delete(refresh));
      this.pendingRefreshes.add(refresh);
    }
  }

  unsubscribe(topic: string): void {
    this.subscriptions.delete(topic);
    this.rebalanceImpl?.subscriptionInner.delete(wrapNamespace(this.clientConfig.namespace, topic));
  }

  registerMessageListener(listener: MessageListenerConcurrently): void {
    this.listener = { kind: 'concurrently', value: listener };
  }

  registerMessageListenerOrderly(listener: MessageListenerOrderly): void {
    this.listener = { kind: 'orderly', value: listener };
  }

  /** Stop pulling (queues stay owned) until resume(). */
  suspend(): void {
    this.isPaused = true;
  }

  resume(): void {
    this.isPaused = false;
  }

  /** The queues this consumer owns now (topics without namespace; retry-topic queues included). */
  assignment(): MessageQueue[] {
    return [...this.queues.values()].map((e) => ({ ...e.mq, topic: withoutNamespace(this.clientConfig.namespace, e.mq.topic) }));
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MQClientError(`The PushConsumer service state not OK, maybe started once: ${this.state}`);
    if (this.listener === undefined) throw new MQClientError('messageListener is null: register a listener before start()');
    const instance = getOrCreateMQClientInstance(this.clientConfig);
    const group = this.groupName;
    const clustering = this.options.messageModel === 'CLUSTERING';
    this.offsetStoreImpl = clustering
      ? new RemoteBrokerOffsetStore(instance, group)
      : new LocalFileOffsetStore(this.options.localOffsetStoreDir ?? join(homedir(), '.rocketmq_offsets'), instance.clientId, group);
    await this.offsetStoreImpl.load();
    this.pullAPI = new PullAPIWrapper(instance, group);
    this.locks = new QueueLocks(instance, group, () => this.queues);
    this.rebalanceImpl = new RebalanceImpl(instance, group, this.options.messageModel, this.strategy, {
      applyAllocation: (topic, allocated) => this.applyAllocation(topic, allocated),
    });
    const nowMs = this.clientConfig.clock.nowMs();
    for (const [topic, expression] of this.subscriptions) {
      const wire = wrapNamespace(this.clientConfig.namespace, topic);
      this.rebalanceImpl.subscriptionInner.set(wire, buildSubscriptionData(wire, expression, nowMs));
    }
    if (clustering) this.rebalanceImpl.subscriptionInner.set(getRetryTopic(group), buildSubscriptionData(getRetryTopic(group), '*', nowMs));
    this.createConsumeService(instance);
    if (!instance.registerConsumer(this)) throw new MQClientError(`The consumer group[${this.consumerGroup}] has been created before, specify another name please.`);
    this.instance = instance;
    this.state = 'running';
    this.startTimestampMs = this.clientConfig.clock.nowMs();
    instance.start();
    await this.refreshAfterSubscriptionChange();
    if (this.isOrderly && clustering) this.scheduleLockRenewal(1_000);
    if (this.concurrently !== undefined && clustering) this.startCleanExpiredMsg();
  }

  /** Stops pulling and consuming, persists offsets, unlocks, unregisters. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  // --- ConsumerMember -------------------------------------------------------------------------

  consumerData(): ConsumerData {
    return {
      groupName: this.groupName,
      consumeType: 'CONSUME_PASSIVELY',
      messageModel: this.options.messageModel,
      consumeFromWhere: this.options.consumeFromWhere,
      subscriptionDataSet: [...(this.rebalanceImpl?.subscriptionInner.values() ?? [])],
      unitMode: false,
    };
  }

  subscribeTopics(): string[] {
    return [...(this.rebalanceImpl?.subscriptionInner.keys() ?? [])];
  }

  updateTopicSubscribeInfo(topic: string, queues: readonly MessageQueue[]): void {
    if (this.rebalanceImpl?.subscriptionInner.has(topic) === true) this.rebalanceImpl.topicSubscribeInfoTable.set(topic, queues);
  }

  isSubscribeTopicNeedUpdate(topic: string): boolean {
    return this.rebalanceImpl?.subscriptionInner.has(topic) === true && !this.rebalanceImpl.topicSubscribeInfoTable.has(topic);
  }

  async doRebalance(): Promise<boolean> {
    if (this.state !== 'running' || this.rebalanceImpl === undefined) return true;
    return this.rebalanceImpl.doRebalance();
  }

  async persistConsumerOffset(): Promise<void> {
    if (this.state !== 'running' || this.offsetStoreImpl === undefined) return;
    await this.offsetStoreImpl.persistAll(this.ownedQueues());
  }

  private ownedQueues(): MessageQueue[] {
    return [...this.queues.values()].map((e) => e.mq);
  }

  async consumeOffsets(topic: string): Promise<Array<{ mq: MessageQueue; offset: number }>> {
    return this.offsetStoreImpl?.offsets(topic) ?? [];
  }

  async runningInfo(): Promise<ConsumerRunningInfo> {
    const store = this.offsetStoreImpl;
    const mqTable: Array<readonly [MessageQueue, ProcessQueueInfo]> = [];
    for (const { mq, pq } of this.queues.values()) {
      const commitOffset = store === undefined ? -1 : await store.readOffset(mq, 'MEMORY_FIRST_THEN_STORE');
      mqTable.push([mq, pq.info(commitOffset)]);
    }
    return {
      properties: {
        consumerGroup: this.consumerGroup,
        messageModel: this.options.messageModel,
        consumeFromWhere: this.options.consumeFromWhere,
        pullBatchSize: String(this.options.pullBatchSize),
        consumeMessageBatchMaxSize: String(this.options.consumeMessageBatchMaxSize),
        PROP_CONSUMEORDERLY: String(this.isOrderly),
        PROP_THREADPOOL_CORE_SIZE: String(this.options.consumeConcurrencyMax),
        PROP_CONSUMER_START_TIMESTAMP: String(this.startTimestampMs),
      },
      subscriptionSet: [...(this.rebalanceImpl?.subscriptionInner.values() ?? [])],
      mqTable,
    };
  }

  async consumeMessageDirectly(msg: MessageExt, brokerName: string | undefined): Promise<ConsumeMessageDirectlyResult> {
    const mq = { topic: msg.topic, brokerName: brokerName ?? '', queueId: msg.queueId };
    const startMs = Date.now();
    resetRetryAndNamespace([msg], this.groupName, this.clientConfig.namespace);
    const listener = this.listener;
    let consumeResult: CMResult;
    let remark = '';
    try {
      if (listener?.kind === 'orderly') {
        const status = await listener.value.consumeMessage([msg], { messageQueue: mq, suspendCurrentQueueTimeMillis: -1 });
        consumeResult = status === 'SUCCESS' ? 'CR_SUCCESS' : status === 'SUSPEND_CURRENT_QUEUE_A_MOMENT' ? 'CR_LATER' : 'CR_RETURN_NULL';
      } else if (listener?.kind === 'concurrently') {
        const status = await listener.value.consumeMessage([msg], { messageQueue: mq, delayLevelWhenNextConsume: 0, ackIndex: 0x7fff_ffff });
        consumeResult = status === 'CONSUME_SUCCESS' ? 'CR_SUCCESS' : status === 'RECONSUME_LATER' ? 'CR_LATER' : 'CR_RETURN_NULL';
      } else {
        consumeResult = 'CR_RETURN_NULL';
      }
    } catch (err) {
      consumeResult = 'CR_THROW_EXCEPTION';
      remark = err instanceof Error ? (err.stack ?? err.message) : String(err);
    }
    return { order: this.isOrderly, autoCommit: true, consumeResult, remark, spentTimeMills: Date.now() - startMs };
  }

  async resetOffset(topic: string, offsets: ReadonlyMap<string, { mq: MessageQueue; offset: number }>): Promise<void> {
    const store = this.offsetStoreImpl;
    if (store === undefined) return;
    this.suspend();
    try {
      for (const { mq, offset } of offsets.values()) {
        if (mq.topic !== topic) continue;
        const entry = this.queues.get(mqKey(mq));
        if (entry !== undefined) this.dropQueue(entry);
        store.updateOffset(mq, offset, false);
        await store.persist(mq).catch(() => undefined);
        store.removeOffset(mq);
      }
    } finally {
      this.resume();
    }
    this.instance?.rebalanceImmediately();
  }

  // --- internals ----------------------------------------------------------------------------

  private createConsumeService(instance: MQClientInstance): void {
    const maxReconsumeTimes = effectiveMaxReconsumeTimes(this.options.maxReconsumeTimes, this.isOrderly);
    const base = {
      executor: this.executor,
      offsetStore: (): OffsetStore => this.offsetStoreImpl as OffsetStore,
      sendBack: { instance, groupName: this.groupName, maxReconsumeTimes, namespace: this.clientConfig.namespace },
      isClustering: this.options.messageModel === 'CLUSTERING',
      consumeMessageBatchMaxSize: this.options.consumeMessageBatchMaxSize,
      namespace: this.clientConfig.namespace,
      consumerGroup: this.consumerGroup,
      isRunning: () => this.state === 'running',
    };
    const listener = this.listener;
    if (listener?.kind === 'orderly') {
      this.orderly = new ConsumeMessageOrderlyService({
        ...base, maxReconsumeTimes, suspendCurrentQueueTimeMillis: this.options.suspendCurrentQueueTimeMillis,
        nowMs: () => this.clientConfig.clock.monotonicMs(), lockOneMQ: (mq) => (this.locks as QueueLocks).lock(mq),
      }, listener.value);
    } else if (listener?.kind === 'concurrently') {
      this.concurrently = new ConsumeMessageConcurrentlyService(base, listener.value);
    }
  }

  private async refreshAfterSubscriptionChange(): Promise<void> {
    const instance = this.instance;
    if (instance === undefined || this.state !== 'running') return;
    await Promise.all(this.subscribeTopics().map((topic) => instance.updateTopicRouteInfoFromNameServer(topic).catch(() => false)));
    await instance.sendHeartbeatToAllBrokers();
    // The first heartbeat makes the broker create %RETRY%<group>: look for its route once more
    // instead of waiting for the next route poll.
    const missing = this.subscribeTopics().filter((topic) => this.isSubscribeTopicNeedUpdate(topic));
    await Promise.all(missing.map((topic) => instance.updateTopicRouteInfoFromNameServer(topic).catch(() => false)));
    instance.rebalanceImmediately();
  }

  private async applyAllocation(topic: string, allocated: readonly MessageQueue[]): Promise<AllocationApplied> {
    const wanted = new Set(allocated.map(mqKey));
    let changed = false;
    let allTaken = true;
    for (const [key, entry] of this.queues) {
      if (entry.mq.topic !== topic || wanted.has(key)) continue;
      this.dropQueue(entry);
      await this.offsetStoreImpl?.persist(entry.mq).catch((err: unknown) => this.instance?.log.warn({ err, mq: entry.mq }, 'persist offset of a removed queue failed'));
      this.offsetStoreImpl?.removeOffset(entry.mq);
      if (this.isOrderly && this.options.messageModel === 'CLUSTERING') await this.locks?.unlock(entry.mq, true);
      changed = true;
    }
    for (const mq of allocated) {
      const key = mqKey(mq);
      if (this.queues.has(key)) continue;
      const pq = new ProcessQueue();
      if (this.isOrderly && this.options.messageModel === 'CLUSTERING' && !(await (this.locks as QueueLocks).lockFor(mq, pq))) {
        allTaken = false;
        continue;
      }
      this.offsetStoreImpl?.removeOffset(mq);
      let nextOffset: number;
      try {
        nextOffset = await computePullFromWhere({
          instance: this.instance as MQClientInstance, offsetStore: this.offsetStoreImpl as OffsetStore, consumeFromWhere: this.options.consumeFromWhere,
          consumeTimestampMs: parseConsumeTimestamp(this.options.consumeTimestamp ?? defaultConsumeTimestamp(this.clientConfig.clock.nowMs())),
          readType: 'READ_FROM_STORE',
        }, mq);
      } catch (err) {
        this.instance?.log.warn({ err, mq }, 'cannot compute where to pull from; the next rebalance tries again');
        continue;
      }
      const entry: QueueEntry = { mq, pq, nextOffset, timer: undefined, pulling: undefined };
      this.queues.set(key, entry);
      this.schedulePull(entry, 0);
      changed = true;
    }
    if (changed) await this.onQueuesChanged(topic);
    return { changed, allTaken };
  }

  /** RebalancePushImpl.messageQueueChanged: a new subVersion so the broker takes the latest subscription. */
  private async onQueuesChanged(topic: string): Promise<void> {
    const sub = this.rebalanceImpl?.subscriptionInner.get(topic);
    if (sub !== undefined) sub.subVersion = Math.max(sub.subVersion + 1, this.clientConfig.clock.nowMs());
    await this.instance?.sendHeartbeatToAllBrokers();
  }

  private dropQueue(entry: QueueEntry): void {
    entry.pq.isDropped = true;
    entry.pq.clear();
    clearTimeout(entry.timer);
    this.queues.delete(mqKey(entry.mq));
  }

  private schedulePull(entry: QueueEntry, delayMs: number): void {
    if (this.state !== 'running' || entry.pq.isDropped) return;
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = undefined;
      entry.pulling = this.pullOnce(entry).then((next) => {
        entry.pulling = undefined;
        if (next !== undefined) this.schedulePull(entry, next);
      });
    }, delayMs);
    entry.timer.unref();
  }

  /** One pull of a queue; resolves with the delay before the next one (undefined: stop). */
  private async pullOnce(entry: QueueEntry): Promise<number | undefined> {
    const { pq, mq } = entry;
    const o = this.options;
    if (pq.isDropped || this.state !== 'running') return undefined;
    pq.lastPullTimestampMs = this.clientConfig.clock.monotonicMs();
    if (this.isPaused) return PULL_DELAY_MS_WHEN_SUSPENDED;
    if (pq.msgCount > o.pullThresholdForQueue || pq.msgSizeBytes > o.pullThresholdSizeForQueueBytes) return PULL_DELAY_MS_WHEN_FLOW_CONTROL;
    if (!this.isOrderly && pq.maxSpan > o.consumeConcurrentlyMaxSpan) return PULL_DELAY_MS_WHEN_FLOW_CONTROL;
    if (this.isOrderly && o.messageModel === 'CLUSTERING' && !pq.isLocked) return o.pullTimeDelayMsWhenException;
    const subscription = this.rebalanceImpl?.subscriptionInner.get(mq.topic);
    if (subscription === undefined) return o.pullTimeDelayMsWhenException;
    let commitOffset = 0;
    if (o.messageModel === 'CLUSTERING') commitOffset = Math.max(0, await (this.offsetStoreImpl as OffsetStore).readOffset(mq, 'READ_FROM_MEMORY'));
    const sysFlag = (commitOffset > 0 ? PullSysFlag.COMMIT_OFFSET : 0) | PullSysFlag.SUSPEND;
    try {
      const result = await (this.pullAPI as PullAPIWrapper).pullKernelImpl({
        consumerGroup: this.groupName, mq, queueOffset: entry.nextOffset, maxMsgNums: o.pullBatchSize, maxMsgBytes: o.pullBatchSizeInBytes,
        sysFlag, commitOffset, suspendTimeoutMs: o.brokerSuspendMaxTimeMs, subscription,
      }, o.consumerTimeoutMsWhenSuspend);
      if (pq.isDropped || this.state !== 'running') return undefined;
      return this.onPullResult(entry, result);
    } catch (err) {
      if (pq.isDropped || this.state !== 'running') return undefined;
      this.instance?.log.warn({ err, mq }, 'pull failed');
      return err instanceof MQBrokerError && err.responseCode === ResponseCode.FLOW_CONTROL ? PULL_DELAY_MS_WHEN_BROKER_FLOW_CONTROL : o.pullTimeDelayMsWhenException;
    }
  }

  private async onPullResult(entry: QueueEntry, result: Awaited<ReturnType<PullAPIWrapper['pullKernelImpl']>>): Promise<number | undefined> {
    const { pq, mq } = entry;
    const store = this.offsetStoreImpl as OffsetStore;
    switch (result.pullStatus) {
      case 'FOUND': {
        entry.nextOffset = result.nextBeginOffset;
        if (result.msgFoundList.length === 0) return 0;
        const dispatch = pq.putMessage(result.msgFoundList);
        if (this.orderly !== undefined) this.orderly.submitConsumeRequest(pq, mq, dispatch);
        else this.concurrently?.submitConsumeRequest(result.msgFoundList, pq, mq);
        return this.options.pullIntervalMs;
      }
      case 'NO_NEW_MSG':
      case 'NO_MATCHED_MSG':
        entry.nextOffset = result.nextBeginOffset;
        // correctTagsOffset: nothing held, so everything up to nextOffset is consumed
        if (pq.msgCount === 0) store.updateOffset(mq, entry.nextOffset, true);
        return 0;
      case 'OFFSET_ILLEGAL':
        this.instance?.log.warn({ mq, offset: entry.nextOffset, nextBeginOffset: result.nextBeginOffset }, 'pull offset illegal; dropping the queue until the next rebalance');
        this.dropQueue(entry);
        store.updateOffset(mq, result.nextBeginOffset, false);
        await store.persist(mq).catch(() => undefined);
        store.removeOffset(mq);
        return undefined;
    }
  }

  /** Every consumeTimeout, the expired messages of each queue go back for a retry (cleanExpireMsg). */
  private startCleanExpiredMsg(): void {
    const timeoutMs = this.options.consumeTimeoutMs;
    this.cleanExpiredTimer = setInterval(() => {
      if (this.cleaningExpired !== undefined || this.state !== 'running') return;
      const service = this.concurrently as ConsumeMessageConcurrentlyService;
      // the consume start timestamp is wall-clock time (a message property, as in Java)
      const nowMs = Date.now();
      this.cleaningExpired = (async () => {
        for (const { mq, pq } of [...this.queues.values()]) await service.cleanExpiredMsg(pq, mq, timeoutMs, nowMs);
      })().catch((err: unknown) => this.instance?.log.warn({ err, group: this.consumerGroup }, 'cleanExpireMsg failed')).finally(() => {
        this.cleaningExpired = undefined;
      });
    }, timeoutMs);
    this.cleanExpiredTimer.unref();
  }

  private scheduleLockRenewal(delayMs: number): void {
    this.lockTimer = setTimeout(() => {
      void (this.locks as QueueLocks).lockAll().finally(() => {
        if (this.state === 'running') this.scheduleLockRenewal(LOCK_RENEW_INTERVAL_MS);
      });
    }, delayMs);
    this.lockTimer.unref();
  }

  private async doShutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    clearTimeout(this.lockTimer);
    clearInterval(this.cleanExpiredTimer);
    await this.cleaningExpired;
    const entries = [...this.queues.values()];
    for (const entry of entries) clearTimeout(entry.timer);
    await Promise.allSettled([...this.pendingRefreshes]);
    await this.executor.shutdown();
    const instance = this.instance;
    if (!wasRunning || instance === undefined) return;
    await this.offsetStoreImpl?.persistAll(this.ownedQueues(), { sync: true });
    if (this.isOrderly && this.options.messageModel === 'CLUSTERING') await this.locks?.unlockAll();
    for (const entry of entries) entry.pq.isDropped = true;
    await instance.unregisterConsumer(this.groupName);
    await instance.shutdownIfUnused();
    await Promise.allSettled(entries.map((e) => e.pulling));
  }
}
