// DefaultLitePullConsumer: the application polls; background pull tasks (one per assigned queue)
// keep a bounded cache filled (reference §7.2, "pull/lite pull consumers").
// - subscribe(topic, expr): queues come from rebalancing (clustering: shared out among the
//   group's clients; broadcasting: all of them); assign(mqs): exactly these queues.
// - Pulls are LITE_PULL_MESSAGE (361; PULL_MESSAGE on brokers without it) with sysFlag
//   SUSPEND|SUBSCRIPTION|LITE_PULL and the expression, held by the broker up to
//   brokerSuspendMaxTimeMs (20 s) when nothing is new.
// - Flow control: a task waits 50 ms while the whole cache holds more than pullThresholdForAll
//   messages, or its queue more than pullThresholdForQueue messages / pullThresholdSizeForQueue
//   MiB / consumeMaxSpan offsets; 1 s while paused; pullTimeDelayMsWhenException after errors.
// - Offsets: poll() advances a queue's consumed offset; commits copy consumed offsets into the
//   offset store (auto: at most every autoCommitIntervalMs, from poll()); the client instance
//   persists the store to the broker every persistConsumerOffsetIntervalMs.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CONSUMER_GROUP, InvalidArgumentError, type MessageExt, type MessageQueue, validateGroup } from '@apogee/common';
import { type ConsumerData, type SubscriptionData, PullSysFlag, ResponseCode } from '@apogee/remoting';
import { getMinOffset, searchOffset } from '../api/consumer-api.js';
import { resolveClientConfig, type ResolvedClientConfig } from '../client-config.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import type { ConsumerMember, ConsumerRunningInfo, ProcessQueueInfo } from '../factory/client-members.js';
import { type MQClientInstance, getOrCreateMQClientInstance } from '../factory/mq-client-instance.js';
import { subscribeQueuesOf } from '../factory/topic-route.js';
import { mqKey } from '../message-queue.js';
import { withoutNamespace, wrapNamespace } from '../namespace.js';
import { AllocateMessageQueueAveragely, type AllocateMessageQueueStrategy } from './allocate-strategies.js';
import { AssignedMessageQueue, type QueueState } from './assigned-message-queue.js';
import { type LitePullConsumerOptions, type ResolvedLitePullOptions, defaultConsumeTimestamp, resolveLitePullOptions } from './lite-pull-options.js';
import { LocalFileOffsetStore, type OffsetStore, RemoteBrokerOffsetStore } from './offset-store.js';
import { PullAPIWrapper } from './pull-api-wrapper.js';
import { computePullFromWhere, masterOf, maxOffsetOf, parseConsumeTimestamp } from './pull-from-where.js';
import { type AllocationApplied, RebalanceImpl, SUBSCRIPTIONS_PER_CONSUMER_MAX } from './rebalance-impl.js';
import { buildSubscriptionData } from './subscription-data.js';

const PULL_DELAY_MS_WHEN_CACHE_FLOW_CONTROL = 50;
const PULL_DELAY_MS_WHEN_PAUSE = 1_000;
const PULL_DELAY_MS_WHEN_BROKER_FLOW_CONTROL = 20;

type State = 'created' | 'running' | 'stopped';

interface ConsumeRequest {
  readonly state: QueueState;
  readonly messages: MessageExt[];
}

export class DefaultLitePullConsumer implements ConsumerMember {
  readonly consumerGroup: string;
  readonly options: ResolvedLitePullOptions;
  readonly clientConfig: ResolvedClientConfig;
  private instance: MQClientInstance | undefined;
  private offsetStoreImpl: OffsetStore | undefined;
  private pullAPI: PullAPIWrapper | undefined;
  private rebalanceImpl: RebalanceImpl | undefined;
  private subscriptionType: 'NONE' | 'SUBSCRIBE' | 'ASSIGN' = 'NONE';
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private readonly topicQueues = new Map<string, readonly MessageQueue[]>();
  private readonly assigned = new AssignedMessageQueue();
  private readonly tasks = new Map<string, PullTask>();
  private readonly consumeRequestCache: ConsumeRequest[] = [];
  private readonly pollWaiters = new Set<() => void>();
  private nextAutoCommitDeadlineMs = 0;
  private state: State = 'created';
  private shutdownPromise: Promise<void> | undefined;
  private readonly strategy: AllocateMessageQueueStrategy;

  constructor(options: LitePullConsumerOptions) {
    const group = validateGroup(options.consumerGroup);
    if (!group.ok) throw new InvalidArgumentError('consumerGroup', group.reason);
    if (options.consumerGroup === DEFAULT_CONSUMER_GROUP) throw new InvalidArgumentError('consumerGroup', `consumerGroup can not equal ${DEFAULT_CONSUMER_GROUP}`);
    this.clientConfig = resolveClientConfig(options);
    this.options = resolveLitePullOptions(options);
    this.consumerGroup = options.consumerGroup;
    this.strategy = options.allocateMessageQueueStrategy ?? new AllocateMessageQueueAveragely();
  }

  /** The group as sent on the wire (namespace applied). */
  get groupName(): string {
    return wrapNamespace(this.clientConfig.namespace, this.consumerGroup);
  }

  get clientInstance(): MQClientInstance | undefined {
    return this.instance;
  }

  get offsetStore(): OffsetStore | undefined {
    return this.offsetStoreImpl;
  }

  /** Subscribe to `topic` with a TAG expression ("*", or "TagA || TagB"); before or after start(). */
  async subscribe(topic: string, subExpression = '*'): Promise<void> {
    if (this.subscriptionType === 'ASSIGN') throw new MQClientError('Subscribe and assign are mutually exclusive.');
    if (this.subscriptions.size >= SUBSCRIPTIONS_PER_CONSUMER_MAX && !this.subscriptions.has(topic)) {
      throw new InvalidArgumentError('topic', `a consumer subscribes to at most ${SUBSCRIPTIONS_PER_CONSUMER_MAX} topics`);
    }
    this.subscriptionType = 'SUBSCRIBE';
    const wire = this.wire(topic);
    const sub = buildSubscriptionData(wire, subExpression, this.clientConfig.clock.nowMs());
    this.subscriptions.set(wire, sub);
    this.rebalanceImpl?.subscriptionInner.set(wire, sub);
    if (this.state === 'running') await this.refreshSubscriptions();
  }

  async unsubscribe(topic: string): Promise<void> {
    const wire = this.wire(topic);
    this.subscriptions.delete(wire);
    this.rebalanceImpl?.subscriptionInner.delete(wire);
    if (this.state === 'running') await this.applyAllocation(wire, []);
  }

  /** Consume exactly these queues (no rebalancing); replaces the previous assignment. */
  assign(mqs: readonly MessageQueue[]): void {
    if (this.subscriptionType === 'SUBSCRIBE') throw new MQClientError('Subscribe and assign are mutually exclusive.');
    if (mqs.length === 0) throw new InvalidArgumentError('mqs', 'Message queues can not be null or empty.');
    this.subscriptionType = 'ASSIGN';
    const wireQueues = mqs.map((mq) => ({ ...mq, topic: this.wire(mq.topic) }));
    for (const topic of new Set(wireQueues.map((q) => q.topic))) {
      if (!this.subscriptions.has(topic)) this.subscriptions.set(topic, buildSubscriptionData(topic, '*', this.clientConfig.clock.nowMs()));
    }
    const { added, removed } = this.assigned.update(wireQueues);
    if (this.state === 'running') {
      for (const s of removed) this.dropQueue(s);
      for (const s of added) this.startTask(s, 0);
    }
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MQClientError(`The PullConsumer service state not OK, maybe started once: ${this.state}`);
    const instance = getOrCreateMQClientInstance(this.clientConfig);
    const group = this.groupName;
    this.offsetStoreImpl = this.options.messageModel === 'BROADCASTING'
      ? new LocalFileOffsetStore(this.options.localOffsetStoreDir ?? join(homedir(), '.rocketmq_offsets'), instance.clientId, group)
      : new RemoteBrokerOffsetStore(instance, group);
    await this.offsetStoreImpl.load();
    this.pullAPI = new PullAPIWrapper(instance, group);
    this.rebalanceImpl = new RebalanceImpl(instance, group, this.options.messageModel, this.strategy, {
      applyAllocation: (topic, allocated) => this.applyAllocation(topic, allocated),
    });
    if (this.subscriptionType === 'SUBSCRIBE') for (const [topic, sub] of this.subscriptions) this.rebalanceImpl.subscriptionInner.set(topic, sub);
    if (!instance.registerConsumer(this)) {
      throw new MQClientError(`The consumer group[${this.consumerGroup}] has been created before, specify another name please.`);
    }
    this.instance = instance;
    this.state = 'running';
    this.nextAutoCommitDeadlineMs = this.clientConfig.clock.monotonicMs() + this.options.autoCommitIntervalMs;
    instance.start();
    if (this.subscriptionType === 'SUBSCRIBE') await this.refreshSubscriptions();
    else {
      await Promise.all([...new Set(this.assigned.messageQueues().map((q) => q.topic))].map((t) => instance.updateTopicRouteInfoFromNameServer(t).catch(() => false)));
      await instance.sendHeartbeatToAllBrokers();
      for (const s of this.assigned.states()) this.startTask(s, 0);
    }
  }

  /**
   * Messages pulled so far, waiting up to `timeoutMs` (default pollTimeoutMs) for some. Returns
   * one pulled batch of one queue (at most pullBatchSize messages); [] on timeout.
   */
  async poll(timeoutMs = this.options.pollTimeoutMs): Promise<MessageExt[]> {
    this.ensureRunning();
    if (!Number.isInteger(timeoutMs) || timeoutMs < 0) throw new InvalidArgumentError('timeoutMs', 'Timeout must not be negative');
    if (this.options.autoCommit) this.maybeAutoCommit();
    const clock = this.clientConfig.clock;
    const deadlineMs = clock.monotonicMs() + timeoutMs;
    for (;;) {
      const request = this.takeConsumeRequest();
      if (request !== undefined) {
        const last = request.messages[request.messages.length - 1] as MessageExt;
        request.state.takeBatch(last.queueOffset);
        for (const msg of request.messages) msg.topic = withoutNamespace(this.clientConfig.namespace, msg.topic);
        return request.messages;
      }
      const remainingMs = deadlineMs - clock.monotonicMs();
      if (remainingMs <= 0 || this.state !== 'running') return [];
      await this.waitForRequest(remainingMs);
    }
  }

  /** Next pulls of `mq` start at `offset` (within [min, max] of the queue); cached messages of it are dropped. */
  async seek(mq: MessageQueue, offset: number): Promise<void> {
    this.ensureRunning();
    const state = this.assigned.get({ ...mq, topic: this.wire(mq.topic) });
    if (state === undefined) throw new MQClientError(`The message queue is not in assigned list, message queue: ${mq.topic}/${mq.brokerName}/${mq.queueId}`);
    const instance = this.instance as MQClientInstance;
    const addr = await masterOf(instance, state.mq);
    const [minOffset, maxOffset] = await Promise.all([getMinOffset(instance.remoting, addr, state.mq), maxOffsetOf(instance, state.mq)]);
    if (offset < minOffset || offset > maxOffset) {
      throw new MQClientError(`Seek offset illegal, seek offset = ${offset}, min offset = ${minOffset}, max offset = ${maxOffset}`);
    }
    this.clearQueueCache(state);
    state.seekOffset = offset;
    this.restartTask(state);
  }

  async seekToBegin(mq: MessageQueue): Promise<void> {
    const instance = this.ensureRunning();
    const wireMq = { ...mq, topic: this.wire(mq.topic) };
    await this.seek(mq, await getMinOffset(instance.remoting, await masterOf(instance, wireMq), wireMq));
  }

  async seekToEnd(mq: MessageQueue): Promise<void> {
    const instance = this.ensureRunning();
    await this.seek(mq, await maxOffsetOf(instance, { ...mq, topic: this.wire(mq.topic) }));
  }

  /** The first offset stored at or after `timestampMs` (epoch ms) in `mq`. */
  async offsetForTimestamp(mq: MessageQueue, timestampMs: number): Promise<number> {
    const instance = this.ensureRunning();
    const wireMq = { ...mq, topic: this.wire(mq.topic) };
    return searchOffset(instance.remoting, await masterOf(instance, wireMq), wireMq, timestampMs);
  }

  pause(mqs: readonly MessageQueue[]): void {
    for (const mq of mqs) {
      const state = this.assigned.get({ ...mq, topic: this.wire(mq.topic) });
      if (state !== undefined) state.isPaused = true;
    }
  }

  resume(mqs: readonly MessageQueue[]): void {
    for (const mq of mqs) {
      const state = this.assigned.get({ ...mq, topic: this.wire(mq.topic) });
      if (state === undefined) continue;
      state.isPaused = false;
      this.tasks.get(mqKey(state.mq))?.wakeup();
    }
  }

  isPaused(mq: MessageQueue): boolean {
    return this.assigned.get({ ...mq, topic: this.wire(mq.topic) })?.isPaused === true;
  }

  /** The queues this consumer pulls now (topics without namespace). */
  assignment(): MessageQueue[] {
    return this.assigned.messageQueues().map((mq) => this.app(mq));
  }

  /** The readable queues of `topic`, from its route. */
  async fetchMessageQueues(topic: string): Promise<MessageQueue[]> {
    const instance = this.ensureRunning();
    const wire = this.wire(topic);
    await instance.updateTopicRouteInfoFromNameServer(wire).catch((err: unknown) => {
      if (!(err instanceof MQBrokerError && err.responseCode === ResponseCode.TOPIC_NOT_EXIST)) throw err;
      return false;
    });
    const route = instance.topicRoute(wire);
    if (route === undefined) throw new MQClientError(`The topic[${topic}] not exist`);
    return subscribeQueuesOf(wire, route).map((mq) => this.app(mq));
  }

  /** Copies consumed offsets into the offset store and writes them to the broker, waiting for its answers. */
  async commitSync(): Promise<void> {
    this.ensureRunning();
    this.commitAll();
    await (this.offsetStoreImpl as OffsetStore).persistAll(this.assigned.messageQueues(), { sync: true });
  }

  /** Stores these offsets for these queues; with `persist` also writes them to the broker now. */
  async commit(offsets: ReadonlyArray<{ mq: MessageQueue; offset: number }>, options: { persist?: boolean } = {}): Promise<void> {
    this.ensureRunning();
    const store = this.offsetStoreImpl as OffsetStore;
    const wireQueues: MessageQueue[] = [];
    for (const { mq, offset } of offsets) {
      const wireMq = { ...mq, topic: this.wire(mq.topic) };
      const state = this.assigned.get(wireMq);
      if (state === undefined || state.isDropped || offset < 0) continue;
      store.updateOffset(wireMq, offset, false);
      wireQueues.push(wireMq);
    }
    if (options.persist === true) await store.persistAll(wireQueues, { sync: true });
  }

  /** The committed offset of `mq` (memory first, then the broker); -1 when none. */
  async committed(mq: MessageQueue): Promise<number> {
    this.ensureRunning();
    const offset = await (this.offsetStoreImpl as OffsetStore).readOffset({ ...mq, topic: this.wire(mq.topic) }, 'MEMORY_FIRST_THEN_STORE');
    if (offset === -2) throw new MQClientError('Fetch consume offset from broker exception');
    return offset;
  }

  /** Commits (with autoCommit), persists offsets, unregisters, stops pulling. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  // --- ConsumerMember -------------------------------------------------------------------------

  consumerData(): ConsumerData {
    return {
      groupName: this.groupName,
      consumeType: 'CONSUME_ACTIVELY',
      messageModel: this.options.messageModel,
      consumeFromWhere: this.options.consumeFromWhere,
      subscriptionDataSet: this.subscriptionType === 'SUBSCRIBE' ? [...this.subscriptions.values()] : [],
      unitMode: false,
    };
  }

  subscribeTopics(): string[] {
    return [...new Set([...this.subscriptions.keys(), ...this.assigned.messageQueues().map((q) => q.topic)])];
  }

  updateTopicSubscribeInfo(topic: string, queues: readonly MessageQueue[]): void {
    if (!this.subscriptions.has(topic)) return;
    this.topicQueues.set(topic, queues);
    this.rebalanceImpl?.topicSubscribeInfoTable.set(topic, queues);
  }

  isSubscribeTopicNeedUpdate(topic: string): boolean {
    return this.subscriptions.has(topic) && !this.topicQueues.has(topic);
  }

  async doRebalance(): Promise<boolean> {
    if (this.state !== 'running' || this.subscriptionType !== 'SUBSCRIBE' || this.rebalanceImpl === undefined) return true;
    return this.rebalanceImpl.doRebalance();
  }

  async persistConsumerOffset(): Promise<void> {
    if (this.state !== 'running' || this.offsetStoreImpl === undefined) return;
    await this.offsetStoreImpl.persistAll(this.assigned.messageQueues());
  }

  async consumeOffsets(topic: string): Promise<Array<{ mq: MessageQueue; offset: number }>> {
    return (this.offsetStoreImpl?.offsets(topic) ?? []).map((e) => ({ mq: e.mq, offset: e.offset }));
  }

  async runningInfo(): Promise<ConsumerRunningInfo> {
    const store = this.offsetStoreImpl;
    const mqTable: Array<readonly [MessageQueue, ProcessQueueInfo]> = [];
    for (const state of this.assigned.states()) {
      const commitOffset = store === undefined ? -1 : await store.readOffset(state.mq, 'MEMORY_FIRST_THEN_STORE');
      mqTable.push([state.mq, {
        commitOffset, cachedMsgMinOffset: 0, cachedMsgMaxOffset: 0, cachedMsgCount: state.cachedCount,
        cachedMsgSizeInMiB: Math.floor(state.cachedBytes / (1024 * 1024)), locked: false, lastLockTimestamp: 0,
        droped: state.isDropped, lastPullTimestamp: 0,
      }]);
    }
    return {
      properties: { consumerGroup: this.consumerGroup, messageModel: this.options.messageModel, PROP_CONSUMEORDERLY: 'false', PROP_THREADPOOL_CORE_SIZE: '1' },
      subscriptionSet: [...this.subscriptions.values()],
      mqTable,
    };
  }

  // --- internals ----------------------------------------------------------------------------

  private wire(topic: string): string {
    return wrapNamespace(this.clientConfig.namespace, topic);
  }

  private app(mq: MessageQueue): MessageQueue {
    return { ...mq, topic: withoutNamespace(this.clientConfig.namespace, mq.topic) };
  }

  private ensureRunning(): MQClientInstance {
    if (this.state !== 'running' || this.instance === undefined) throw new MQClientError(`The consumer service state not OK, ${this.state === 'created' ? 'not started' : 'shut down'}`);
    return this.instance;
  }

  private async refreshSubscriptions(): Promise<void> {
    const instance = this.instance as MQClientInstance;
    await Promise.all([...this.subscriptions.keys()].map((topic) => instance.updateTopicRouteInfoFromNameServer(topic).catch((err: unknown) => {
      instance.log.warn({ err, topic }, 'subscribe: no route for topic yet');
      return false;
    })));
    await instance.sendHeartbeatToAllBrokers();
    await this.doRebalance();
  }

  private async applyAllocation(topic: string, allocated: readonly MessageQueue[]): Promise<AllocationApplied> {
    const { added, removed } = this.assigned.update(allocated, topic);
    for (const state of removed) {
      if (this.options.autoCommit && state.consumeOffset >= 0) this.offsetStoreImpl?.updateOffset(state.mq, state.consumeOffset, false);
      this.dropQueue(state);
      await this.offsetStoreImpl?.persist(state.mq).catch((err: unknown) => this.instance?.log.warn({ err, mq: state.mq }, 'persist offset of a removed queue failed'));
      this.offsetStoreImpl?.removeOffset(state.mq);
    }
    for (const state of added) this.startTask(state, 0);
    return { changed: added.length > 0 || removed.length > 0, allTaken: true };
  }

  private maybeAutoCommit(): void {
    const now = this.clientConfig.clock.monotonicMs();
    if (now < this.nextAutoCommitDeadlineMs) return;
    this.commitAll();
    this.nextAutoCommitDeadlineMs = now + this.options.autoCommitIntervalMs;
  }

  private commitAll(): void {
    const store = this.offsetStoreImpl as OffsetStore;
    for (const state of this.assigned.states()) if (state.consumeOffset >= 0 && !state.isDropped) store.updateOffset(state.mq, state.consumeOffset, false);
  }

  private takeConsumeRequest(): ConsumeRequest | undefined {
    while (this.consumeRequestCache.length > 0) {
      const request = this.consumeRequestCache.shift() as ConsumeRequest;
      if (!request.state.isDropped) return request;
    }
    return undefined;
  }

  private waitForRequest(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.pollWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      this.pollWaiters.add(done);
    });
  }

  private notifyPollers(): void {
    for (const waiter of [...this.pollWaiters]) waiter();
  }

  private clearQueueCache(state: QueueState): void {
    state.clearCache();
    for (let i = this.consumeRequestCache.length - 1; i >= 0; i--) {
      if (this.consumeRequestCache[i]?.state === state) this.consumeRequestCache.splice(i, 1);
    }
  }

  private dropQueue(state: QueueState): void {
    state.isDropped = true;
    this.clearQueueCache(state);
    const key = mqKey(state.mq);
    this.tasks.get(key)?.cancel();
    this.tasks.delete(key);
  }

  private startTask(state: QueueState, delayMs: number): void {
    const key = mqKey(state.mq);
    if (this.tasks.has(key)) return;
    const task = new PullTask(state, (s) => this.pullOnce(s), this.clientConfig);
    this.tasks.set(key, task);
    task.schedule(delayMs);
  }

  private restartTask(state: QueueState): void {
    const key = mqKey(state.mq);
    this.tasks.get(key)?.cancel();
    this.tasks.delete(key);
    this.startTask(state, 0);
  }

  /** One run of a queue's pull task; resolves with the delay before the next run (undefined: stop). */
  private async pullOnce(state: QueueState): Promise<number | undefined> {
    if (this.state !== 'running' || state.isDropped) return undefined;
    if (state.isPaused) return PULL_DELAY_MS_WHEN_PAUSE;
    const o = this.options;
    if (this.consumeRequestCache.length * o.pullBatchSize > o.pullThresholdForAll) return PULL_DELAY_MS_WHEN_CACHE_FLOW_CONTROL;
    if (state.cachedCount > o.pullThresholdForQueue || state.cachedBytes > o.pullThresholdSizeForQueueBytes || state.maxSpan > o.consumeMaxSpan) {
      return PULL_DELAY_MS_WHEN_CACHE_FLOW_CONTROL;
    }
    let offset: number;
    try {
      offset = await this.nextPullOffset(state);
    } catch (err) {
      this.instance?.log.warn({ err, mq: state.mq }, 'failed to get next pull offset');
      return o.pullTimeDelayMsWhenException;
    }
    const subscription = this.subscriptions.get(state.mq.topic) ?? buildSubscriptionData(state.mq.topic, '*', 0);
    try {
      const result = await (this.pullAPI as PullAPIWrapper).pullKernelImpl({
        consumerGroup: this.groupName, mq: state.mq, queueOffset: offset, maxMsgNums: o.pullBatchSize,
        sysFlag: PullSysFlag.SUSPEND | PullSysFlag.SUBSCRIPTION | PullSysFlag.LITE_PULL, commitOffset: 0,
        suspendTimeoutMs: o.brokerSuspendMaxTimeMs, subscription,
      }, o.consumerTimeoutMsWhenSuspend);
      if (this.state !== 'running' || state.isDropped || state.seekOffset !== -1) return state.isDropped ? undefined : 0;
      if (result.pullStatus === 'FOUND' && result.msgFoundList.length > 0) {
        state.putMessages(result.msgFoundList);
        this.consumeRequestCache.push({ state, messages: result.msgFoundList });
        this.notifyPollers();
      } else if (result.pullStatus === 'OFFSET_ILLEGAL') {
        this.instance?.log.warn({ mq: state.mq, offset, nextBeginOffset: result.nextBeginOffset }, 'pull offset illegal');
      } else if (state.cachedCount === 0 && result.nextBeginOffset > state.consumeOffset) {
        // Nothing for the application (filtered out, or no new message) and nothing cached: the
        // queue is consumed up to nextBeginOffset, so a commit moves past what the filter skipped.
        // (Java's lite consumer leaves such a queue's offset where it was.)
        state.consumeOffset = result.nextBeginOffset;
      }
      state.pullOffset = result.nextBeginOffset;
      return 0;
    } catch (err) {
      if (this.state !== 'running' || state.isDropped) return undefined;
      this.instance?.log.warn({ err, mq: state.mq }, 'pull failed');
      return err instanceof MQBrokerError && err.responseCode === ResponseCode.FLOW_CONTROL ? PULL_DELAY_MS_WHEN_BROKER_FLOW_CONTROL : o.pullTimeDelayMsWhenException;
    }
  }

  private async nextPullOffset(state: QueueState): Promise<number> {
    if (state.seekOffset !== -1) {
      const offset = state.seekOffset;
      state.consumeOffset = offset;
      state.seekOffset = -1;
      state.pullOffset = offset;
      return offset;
    }
    if (state.pullOffset !== -1) return state.pullOffset;
    const instance = this.instance as MQClientInstance;
    const offset = await computePullFromWhere({
      instance, offsetStore: this.offsetStoreImpl as OffsetStore, consumeFromWhere: this.options.consumeFromWhere,
      consumeTimestampMs: parseConsumeTimestamp(this.options.consumeTimestamp ?? defaultConsumeTimestamp(this.clientConfig.clock.nowMs())),
      readType: 'MEMORY_FIRST_THEN_STORE',
    }, state.mq);
    state.pullOffset = offset;
    return offset;
  }

  private async doShutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    if (wasRunning && this.options.autoCommit) this.commitAll();
    this.state = 'stopped';
    const tasks = [...this.tasks.values()];
    for (const task of tasks) task.cancel();
    this.tasks.clear();
    this.notifyPollers();
    const instance = this.instance;
    if (!wasRunning || instance === undefined) return;
    await this.offsetStoreImpl?.persistAll(this.assigned.messageQueues(), { sync: true });
    await instance.unregisterConsumer(this.groupName);
    await instance.shutdownIfUnused();
    await Promise.all(tasks.map((t) => t.settled()));
  }
}

/** A queue's pull loop: runs `run`, then again after the delay it returns; unref'd timers. */
class PullTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private isCancelled = false;

  constructor(
    private readonly state: QueueState,
    private readonly run: (state: QueueState) => Promise<number | undefined>,
    private readonly config: ResolvedClientConfig,
  ) {}

  schedule(delayMs: number): void {
    if (this.isCancelled) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.fire(), delayMs);
    this.timer.unref();
  }

  /** Run soon if waiting (e.g. after resume). */
  wakeup(): void {
    if (this.running === undefined) this.schedule(0);
  }

  cancel(): void {
    this.isCancelled = true;
    clearTimeout(this.timer);
  }

  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private fire(): void {
    if (this.isCancelled || this.running !== undefined) return;
    this.running = this.run(this.state).then(
      (delayMs) => {
        this.running = undefined;
        if (delayMs !== undefined) this.schedule(delayMs);
      },
      (err: unknown) => {
        this.running = undefined;
        this.config.logger.error({ err }, 'pull task failed');
        this.schedule(1_000);
      },
    );
  }
}
