// DefaultMQProducer (reference §7.1). A send: validate; find the topic's publish queues (its own
// route, else TBW102's for auto-creation); pick a queue round robin, avoiding the broker that
// just failed (and, with sendLatencyFaultEnable, brokers that were slow or failing); send
// SEND_MESSAGE_V2 to that broker's master. Failures that retryClassOf() says may succeed
// elsewhere are retried (retryTimesWhenSendFailed, 2 -> 3 attempts) within sendMsgTimeout,
// which covers every attempt. Sends to a chosen queue or through a selector are not retried.

import { DEFAULT_PRODUCER_GROUP, InvalidArgumentError, type Message, type MessageQueue, validateGroup } from '@apogee/common';
import { RemotingConnectError, RemotingTimeoutError, RemotingTooMuchRequestError } from '@apogee/remoting';
import { resolveClientConfig, type ResolvedClientConfig } from '../client-config.js';
import { ClientErrorCode, MQBrokerError, MQClientError, retryClassOf } from '../errors.js';
import type { ProducerMember } from '../factory/client-members.js';
import { type MQClientInstance, getOrCreateMQClientInstance } from '../factory/mq-client-instance.js';
import { withoutNamespace, wrapNamespace } from '../namespace.js';
import { RetryDeadlineError, retry } from '../retry.js';
import type { MessageQueueSelector } from './message-queue-selector.js';
import { MQFaultStrategy } from './mq-fault-strategy.js';
import { type ProducerOptions, type ResolvedProducerOptions, resolveProducerOptions } from './producer-options.js';
import { type PreparedSend, type SendRequestSettings, checkMessage, prepareBatch, prepareSingle, sendRequestCommand } from './send-request.js';
import { type SendResult, processSendResponse } from './send-result.js';
import { TopicPublishInfo } from './topic-publish-info.js';

export interface SendOptions {
  /** Overrides sendMsgTimeoutMs for this send, ms. */
  readonly timeoutMs?: number;
}

export interface SendCallback {
  onSuccess(result: SendResult): void;
  onException(err: unknown): void;
}

type State = 'created' | 'running' | 'stopped';
type Mode = 'sync' | 'async' | 'oneway';

/** Topics a producer keeps publish info for at most. */
export const PUBLISH_TOPICS_MAX = 65_536;
const BACKOFF_MS_INITIAL = 50;
const BACKOFF_MS_MAX = 1_000;

export class DefaultMQProducer implements ProducerMember {
  readonly producerGroup: string;
  readonly options: ResolvedProducerOptions;
  readonly clientConfig: ResolvedClientConfig;
  /** Latency fault avoidance state (sendLatencyFaultEnable); exposed for diagnostics. */
  readonly faultStrategy: MQFaultStrategy;
  private readonly topicPublishInfoTable = new Map<string, TopicPublishInfo>();
  private instance: MQClientInstance | undefined;
  private state: State = 'created';
  private asyncInFlight = 0;
  private readonly asyncSends = new Set<Promise<void>>();
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: ProducerOptions) {
    const group = validateGroup(options.producerGroup);
    if (!group.ok) throw new InvalidArgumentError('producerGroup', group.reason);
    if (options.producerGroup === DEFAULT_PRODUCER_GROUP) {
      throw new InvalidArgumentError('producerGroup', `producerGroup can not equal ${DEFAULT_PRODUCER_GROUP}, please specify another one`);
    }
    this.clientConfig = resolveClientConfig(options);
    this.options = resolveProducerOptions(options);
    this.producerGroup = options.producerGroup;
    this.faultStrategy = new MQFaultStrategy(this.clientConfig.clock, this.options.sendLatencyFaultEnable);
  }

  /** The group as sent on the wire (namespace applied). */
  get groupName(): string {
    return wrapNamespace(this.clientConfig.namespace, this.producerGroup);
  }

  /** The shared client instance (after start()). */
  get clientInstance(): MQClientInstance | undefined {
    return this.instance;
  }

  get sendLatencyFaultEnable(): boolean {
    return this.faultStrategy.sendLatencyFaultEnable;
  }

  set sendLatencyFaultEnable(enabled: boolean) {
    this.faultStrategy.sendLatencyFaultEnable = enabled;
  }

  async start(): Promise<void> {
    if (this.state !== 'created') throw new MQClientError(`The producer service state not OK, maybe started once: ${this.state}`);
    const instance = getOrCreateMQClientInstance(this.clientConfig);
    if (!instance.registerProducer(this)) {
      throw new MQClientError(`The producer group[${this.producerGroup}] has been created before, specify another name please.`);
    }
    this.instance = instance;
    this.state = 'running';
    instance.start();
    await instance.sendHeartbeatToAllBrokers();
  }

  /** Waits for callback sends, unregisters the group from every broker, stops the instance when unused. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  /**
   * Sends one message or a batch (same topic, no delay level) and resolves once stored.
   * Rejects with InvalidArgumentError for a message that may not be sent, MQBrokerError for a
   * final broker answer, or MQClientError when every attempt failed (`cause`: the last failure).
   */
  send(msg: Message | readonly Message[], options: SendOptions = {}): Promise<SendResult> {
    return this.sendDefault(msg, 'sync', this.timeoutOf(options)) as Promise<SendResult>;
  }

  /** Sends without waiting for the broker's answer (one attempt, no SendResult). */
  async sendOneway(msg: Message | readonly Message[], options: SendOptions = {}): Promise<void> {
    await this.sendDefault(msg, 'oneway', this.timeoutOf(options));
  }

  /** Sends and calls back once (retryTimesWhenSendAsyncFailed extra attempts); never throws. */
  sendWithCallback(msg: Message | readonly Message[], callback: SendCallback, options: SendOptions = {}): void {
    if (this.asyncInFlight >= this.options.asyncSendsInFlightMax) {
      const err = new RemotingTooMuchRequestError(this.options.asyncSendsInFlightMax, `callback sends in flight reached ${this.options.asyncSendsInFlightMax}`);
      queueMicrotask(() => callback.onException(err));
      return;
    }
    this.asyncInFlight++;
    const done = this.sendDefault(msg, 'async', this.timeoutOf(options)).then(
      (result) => callback.onSuccess(result as SendResult),
      (err: unknown) => callback.onException(err),
    ).finally(() => {
      this.asyncInFlight--;
      this.asyncSends.delete(done);
    });
    this.asyncSends.add(done);
  }

  /** Sends to exactly `mq` (one attempt). */
  async sendToQueue(msg: Message | readonly Message[], mq: MessageQueue, options: SendOptions = {}): Promise<SendResult> {
    const timeoutMs = this.timeoutOf(options);
    const startMs = this.clientConfig.clock.monotonicMs();
    const prepared = this.prepare(msg);
    const appTopic = Array.isArray(msg) ? (msg as Message[])[0]?.topic : (msg as Message).topic;
    if (withoutNamespace(this.clientConfig.namespace, mq.topic) !== appTopic) throw new InvalidArgumentError('mq', `message's topic ${appTopic} not equal mq's topic ${mq.topic}`);
    await this.tryToFindTopicPublishInfo(prepared.topic);
    const wireMq = { ...mq, topic: prepared.topic };
    return (await this.sendKernel(prepared, wireMq, 'sync', timeoutMs - (this.clientConfig.clock.monotonicMs() - startMs))) as SendResult;
  }

  /** Sends to the queue `selector` picks from the topic's writable queues (one attempt; ordered messages). */
  async sendWithSelector<A>(msg: Message, selector: MessageQueueSelector<A>, arg: A, options: SendOptions = {}): Promise<SendResult> {
    const timeoutMs = this.timeoutOf(options);
    const startMs = this.clientConfig.clock.monotonicMs();
    const prepared = this.prepare(msg);
    const info = await this.tryToFindTopicPublishInfo(prepared.topic);
    if (!info.ok()) throw this.noRouteError(msg.topic);
    const appQueues = info.messageQueueList.map((q) => ({ ...q, topic: withoutNamespace(this.clientConfig.namespace, q.topic) }));
    const chosen = selector.select(appQueues, msg, arg);
    const costMs = this.clientConfig.clock.monotonicMs() - startMs;
    if (costMs >= timeoutMs) throw new MQClientError('sendSelectImpl call timeout', ClientErrorCode.ACCESS_BROKER_TIMEOUT);
    return (await this.sendKernel(prepared, { ...chosen, topic: prepared.topic }, 'sync', timeoutMs - costMs)) as SendResult;
  }

  /** The topic's writable queues (topic without namespace), fetching the route when needed. */
  async fetchPublishMessageQueues(topic: string): Promise<MessageQueue[]> {
    this.ensureRunning();
    const info = await this.tryToFindTopicPublishInfo(wrapNamespace(this.clientConfig.namespace, topic));
    return info.messageQueueList.map((q) => ({ ...q, topic }));
  }

  // --- ProducerMember -------------------------------------------------------------------------

  publishTopics(): string[] {
    return [...this.topicPublishInfoTable.keys()];
  }

  updateTopicPublishInfo(topic: string, info: TopicPublishInfo): void {
    if (this.topicPublishInfoTable.has(topic)) this.topicPublishInfoTable.set(topic, info);
  }

  isPublishTopicNeedUpdate(topic: string): boolean {
    const info = this.topicPublishInfoTable.get(topic);
    return info !== undefined && !info.ok();
  }

  // --- internals ----------------------------------------------------------------------------

  private timeoutOf(options: SendOptions): number {
    const timeoutMs = options.timeoutMs ?? this.options.sendMsgTimeoutMs;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new InvalidArgumentError('timeoutMs', `timeoutMs ${timeoutMs} must be a positive integer`);
    return timeoutMs;
  }

  private settings(): SendRequestSettings {
    return { producerGroup: this.groupName, ...this.options };
  }

  private prepare(msg: Message | readonly Message[]): PreparedSend {
    this.ensureRunning();
    const ns = this.clientConfig.namespace;
    if (Array.isArray(msg)) {
      const batch = msg as readonly Message[];
      return prepareBatch(batch, wrapNamespace(ns, batch[0]?.topic ?? ''), this.settings(), ns);
    }
    const single = msg as Message;
    checkMessage(single, this.options.maxMessageSize);
    return prepareSingle(single, wrapNamespace(ns, single.topic), this.settings(), ns);
  }

  private ensureRunning(): void {
    if (this.state !== 'running' || this.instance === undefined) {
      throw new MQClientError(`The producer service state not OK, ${this.state === 'created' ? 'not started' : 'shut down'}`);
    }
  }

  private noRouteError(topic: string): MQClientError {
    return new MQClientError(`No route info of this topic: ${topic}`, ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION);
  }

  /** sendDefaultImpl: the retry loop over queues and brokers. */
  private async sendDefault(msg: Message | readonly Message[], mode: Mode, timeoutMs: number): Promise<SendResult | undefined> {
    const clock = this.clientConfig.clock;
    const startMs = clock.monotonicMs();
    const prepared = this.prepare(msg);
    const appTopic = withoutNamespace(this.clientConfig.namespace, prepared.topic);
    const info = await this.tryToFindTopicPublishInfo(prepared.topic);
    if (!info.ok()) throw this.noRouteError(appTopic);
    const timesTotal = mode === 'sync' ? 1 + this.options.retryTimesWhenSendFailed : mode === 'async' ? 1 + this.options.retryTimesWhenSendAsyncFailed : 1;
    const brokersSent: string[] = [];
    let lastBrokerName: string | undefined;
    let notStoredOk: SendResult | undefined;
    const attempt = async (index: number, remainingMs: number): Promise<SendResult | undefined> => {
      const mq = this.faultStrategy.selectOneMessageQueue(info, lastBrokerName, index > 0);
      if (mq === undefined) throw this.noRouteError(appTopic);
      lastBrokerName = mq.brokerName;
      brokersSent.push(mq.brokerName);
      const beginMs = clock.monotonicMs();
      let result: SendResult | undefined;
      try {
        result = await this.sendKernel(prepared, mq, mode, remainingMs);
      } catch (err) {
        this.reportFailure(mq.brokerName, clock.monotonicMs() - beginMs, err, index);
        throw err;
      }
      this.faultStrategy.updateFaultItem(mq.brokerName, clock.monotonicMs() - beginMs, false, true);
      if (result !== undefined && result.sendStatus !== 'SEND_OK' && this.options.retryAnotherBrokerWhenNotStoreOK) {
        notStoredOk = result;
        throw new NotStoredOk(result);
      }
      return result;
    };
    try {
      return await retry({
        attemptsMax: timesTotal, backoffMsInitial: BACKOFF_MS_INITIAL, backoffMsMax: BACKOFF_MS_MAX,
        deadlineMonotonicMs: startMs + timeoutMs, clock,
        classify: (err) => (err instanceof NotStoredOk ? 'switchBroker' : retryClassOf(err)),
      }, (a) => attempt(a.index, a.remainingMs));
    } catch (err) {
      // Java returns a stored-but-not-OK result when no later attempt did better.
      if (notStoredOk !== undefined) return notStoredOk;
      const costMs = clock.monotonicMs() - startMs;
      throw sendFailure(err, { brokersSent, topic: appTopic, costMs, isTimedOut: err instanceof RetryDeadlineError || costMs >= timeoutMs });
    }
  }

  private reportFailure(brokerName: string, latencyMs: number, err: unknown, attempt: number): void {
    // MQFaultStrategy rules: broker errors isolate (unreachable), transport errors isolate, client errors only record latency.
    if (err instanceof MQBrokerError) this.faultStrategy.updateFaultItem(brokerName, latencyMs, true, false);
    else if (err instanceof MQClientError) this.faultStrategy.updateFaultItem(brokerName, latencyMs, false, true);
    else this.faultStrategy.updateFaultItem(brokerName, latencyMs, true, true);
    this.clientConfig.logger.warn({ err, broker: brokerName, attempt }, 'send failed');
  }

  /** sendKernelImpl: one attempt to one queue. */
  private async sendKernel(prepared: PreparedSend, mq: MessageQueue, mode: Mode, timeoutMs: number): Promise<SendResult | undefined> {
    const instance = this.instance as MQClientInstance;
    let brokerAddr = instance.findBrokerAddressInPublish(mq.brokerName);
    if (brokerAddr === undefined) {
      await this.tryToFindTopicPublishInfo(mq.topic);
      brokerAddr = instance.findBrokerAddressInPublish(mq.brokerName);
    }
    if (brokerAddr === undefined) throw new MQClientError(`The broker[${mq.brokerName}] not exist`, ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION);
    if (timeoutMs < 1) throw new MQClientError('sendKernelImpl call timeout', ClientErrorCode.ACCESS_BROKER_TIMEOUT);
    const request = sendRequestCommand(prepared, this.settings(), mq.queueId, mq.brokerName, this.clientConfig.clock.nowMs());
    if (mode === 'oneway') {
      await instance.remoting.invokeOneway(brokerAddr, request, timeoutMs);
      return undefined;
    }
    const response = await instance.remoting.invoke(brokerAddr, request, timeoutMs);
    return processSendResponse(response, {
      brokerAddr, brokerName: mq.brokerName, uniqMsgId: prepared.uniqMsgId,
      topic: withoutNamespace(this.clientConfig.namespace, mq.topic),
    });
  }

  /** tryToFindTopicPublishInfo: own route first, then the TBW102 fallback (auto-create). */
  private async tryToFindTopicPublishInfo(topic: string): Promise<TopicPublishInfo> {
    const instance = this.instance as MQClientInstance;
    let info = this.topicPublishInfoTable.get(topic);
    if (info === undefined || !info.ok()) {
      if (!this.topicPublishInfoTable.has(topic)) {
        if (this.topicPublishInfoTable.size >= PUBLISH_TOPICS_MAX) throw new MQClientError(`producer publishes to ${PUBLISH_TOPICS_MAX} topics already`);
        this.topicPublishInfoTable.set(topic, new TopicPublishInfo([]));
      }
      await instance.updateTopicRouteInfoFromNameServer(topic).catch((err: unknown) => this.routeLookupFailed(err, topic));
      info = this.topicPublishInfoTable.get(topic) as TopicPublishInfo;
    }
    if (info.haveTopicRouterInfo || info.ok()) return info;
    await instance.updateTopicRouteInfoFromNameServer(topic, this.options).catch((err: unknown) => this.routeLookupFailed(err, topic));
    return this.topicPublishInfoTable.get(topic) as TopicPublishInfo;
  }

  private routeLookupFailed(err: unknown, topic: string): boolean {
    if (err instanceof MQBrokerError) return false; // TOPIC_NOT_EXIST and the like: no route
    this.clientConfig.logger.warn({ err, topic }, 'route lookup failed');
    throw err;
  }

  private async doShutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    await Promise.allSettled([...this.asyncSends]);
    const instance = this.instance;
    if (!wasRunning || instance === undefined) return;
    await instance.unregisterProducer(this.groupName);
    await instance.shutdownIfUnused();
  }
}

/** Internal: a stored-but-not-SEND_OK result that retryAnotherBrokerWhenNotStoreOK retries. */
class NotStoredOk extends Error {
  constructor(readonly result: SendResult) {
    super(`stored with status ${result.sendStatus}`);
  }
}

interface SendFailureContext {
  readonly brokersSent: readonly string[];
  readonly topic: string;
  readonly costMs: number;
  readonly isTimedOut: boolean;
}

/**
 * What a failed send rejects with: errors retrying cannot help (bad input, final broker codes)
 * as they are; otherwise Java's MQClientException shape, the last failure as `cause`.
 */
function sendFailure(err: unknown, ctx: SendFailureContext): unknown {
  if (retryClassOf(err) === 'never' && !(err instanceof RetryDeadlineError)) return err;
  const where = `Topic: ${ctx.topic}, BrokersSent: [${ctx.brokersSent.join(', ')}]`;
  if (ctx.isTimedOut) {
    return new MQClientError(`sendDefaultImpl call timeout after ${ctx.costMs} ms, ${where}`, ClientErrorCode.ACCESS_BROKER_TIMEOUT, { cause: err });
  }
  const code = err instanceof MQBrokerError ? err.responseCode
    : err instanceof MQClientError ? ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION
    : err instanceof RemotingTimeoutError ? ClientErrorCode.ACCESS_BROKER_TIMEOUT
    : err instanceof RemotingConnectError ? ClientErrorCode.CONNECT_BROKER_EXCEPTION
    : undefined;
  return new MQClientError(`Send [${ctx.brokersSent.length}] times, still failed, cost [${ctx.costMs}]ms, ${where}`, code, { cause: err });
}
