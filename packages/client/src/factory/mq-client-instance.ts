// MQClientInstance: what every producer, consumer and admin client of one client id
// (`clientIP@instanceName`) shares (reference §7): the connections, the NameServer list, the
// topic route cache and the broker address table, heartbeats, and the periodic jobs.
//
// Timers (§7.6): route refresh first after 10 ms then every pollNameServerIntervalMs (30 s);
// heartbeat first after 1 s then every heartbeatBrokerIntervalMs (30 s); consumer offset persist
// first after 10 s (or one period, if shorter) then every persistConsumerOffsetIntervalMs (5 s); rebalance every 20 s and at
// once on NOTIFY_CONSUMER_IDS_CHANGED (every 1 s while a round did not settle). Routes are also fetched on demand (first send, subscribe).
// Heartbeats go to every master, and to slaves too when the instance has consumers; the body
// always lists CLIENT_INNER_PRODUCER. shutdown() unregisters every group from every broker.

import { CLIENT_INNER_PRODUCER_GROUP, type Logger, MASTER_ID } from '@apogee/common';
import { type HeartbeatData, type TopicRouteData, ResponseCode } from '@apogee/remoting';
import { buildClientId, type ResolvedClientConfig } from '../client-config.js';
import { ClientRemoting } from '../api/client-remoting.js';
import { sendHeartbeat, unregisterClient } from '../api/consumer-api.js';
import { getTopicRouteInfo } from '../api/namesrv-api.js';
import { MQBrokerError, MQClientError } from '../errors.js';
import { TopicPublishInfo } from '../producer/topic-publish-info.js';
import type { ConsumerMember, ProducerMember } from './client-members.js';
import { registerClientProcessors } from './client-processors.js';
import { PeriodicTask } from './periodic-task.js';
import { limitQueueNums, publishQueuesOf, subscribeQueuesOf, topicRouteEquals } from './topic-route.js';

/** Rebalance period (rocketmq.client.rebalance.waitInterval), ms. */
export const REBALANCE_INTERVAL_MS = 20_000;
/** [5.x] Rebalance period while the last round did not settle (rocketmq.client.rebalance.minInterval), ms. */
export const REBALANCE_INTERVAL_MS_WHILE_UNBALANCED = 1_000;
/** First consumer offset persist after start (Java: 10 s); a shorter persist period starts sooner. */
export const PERSIST_INITIAL_DELAY_MS = 10_000;
/** Groups of one kind one instance may hold. */
export const GROUPS_PER_INSTANCE_MAX = 1024;
/** Topics whose routes one instance caches. */
export const ROUTES_PER_INSTANCE_MAX = 65_536;

export interface DefaultRouteOptions {
  /** The auto-create template topic (createTopicKey), TBW102. */
  readonly createTopicKey: string;
  /** Queues per broker a new topic gets (defaultTopicQueueNums), 4. */
  readonly defaultTopicQueueNums: number;
}

/** Where to send a request for a broker name. */
export interface FindBrokerResult {
  readonly brokerAddr: string;
  readonly isSlave: boolean;
  readonly brokerVersion: number;
}

type State = 'created' | 'running' | 'stopped';

export class MQClientInstance {
  readonly clientId: string;
  readonly config: ResolvedClientConfig;
  readonly remoting: ClientRemoting;
  readonly log: Logger;
  private readonly producers = new Map<string, ProducerMember>();
  private readonly consumers = new Map<string, ConsumerMember>();
  private readonly admins = new Set<object>();
  private readonly topicRouteTable = new Map<string, TopicRouteData>();
  private readonly brokerAddrTable = new Map<string, Map<number, string>>();
  private readonly brokerVersionTable = new Map<string, Map<string, number>>();
  private readonly routeUpdates = new Map<string, Promise<boolean>>();
  private readonly tasks: PeriodicTask[];
  private readonly rebalanceTask: PeriodicTask;
  private heartbeatInFlight: Promise<void> | undefined;
  private state: State = 'created';
  private shutdownPromise: Promise<void> | undefined;

  constructor(config: ResolvedClientConfig, private readonly onShutdown?: (instance: MQClientInstance) => void) {
    this.config = config;
    this.clientId = buildClientId(config);
    this.log = config.logger.child({ clientId: this.clientId });
    this.remoting = new ClientRemoting({ ...config, logger: this.log });
    registerClientProcessors(this);
    const log = this.log;
    this.rebalanceTask = new PeriodicTask('rebalance', () => this.doRebalance(), {
      initialDelayMs: 0, periodMs: REBALANCE_INTERVAL_MS, periodMsAfterFalse: REBALANCE_INTERVAL_MS_WHILE_UNBALANCED, log,
    });
    this.tasks = [
      new PeriodicTask('route', () => this.updateTopicRouteInfoFromNameServerAll(), { initialDelayMs: 10, periodMs: config.pollNameServerIntervalMs, log }),
      new PeriodicTask('heartbeat', () => this.sendHeartbeatToAllBrokers(), { initialDelayMs: 1_000, periodMs: config.heartbeatBrokerIntervalMs, log }),
      new PeriodicTask('persist-offsets', () => this.persistAllConsumerOffset(), { initialDelayMs: Math.min(PERSIST_INITIAL_DELAY_MS, config.persistConsumerOffsetIntervalMs), periodMs: config.persistConsumerOffsetIntervalMs, log }),
      this.rebalanceTask,
    ];
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  /** Starts the timers (once); later calls do nothing. */
  start(): void {
    if (this.state === 'stopped') throw new MQClientError(`client instance ${this.clientId} is shut down`);
    if (this.state === 'running') return;
    this.state = 'running';
    for (const task of this.tasks) task.start();
    this.log.info({ namesrv: this.remoting.namesrvAddrList }, 'client instance started');
  }

  registerProducer(member: ProducerMember): boolean {
    if (this.producers.has(member.groupName)) return false;
    checkRoom(this.producers.size, 'producer');
    this.producers.set(member.groupName, member);
    return true;
  }

  registerConsumer(member: ConsumerMember): boolean {
    if (this.consumers.has(member.groupName)) return false;
    checkRoom(this.consumers.size, 'consumer');
    this.consumers.set(member.groupName, member);
    return true;
  }

  registerAdmin(owner: object): void {
    this.admins.add(owner);
  }

  /** Removes the group and tells every broker (UNREGISTER_CLIENT); failures are logged. */
  async unregisterProducer(groupName: string): Promise<void> {
    if (!this.producers.delete(groupName)) return;
    await this.unregisterClient({ producerGroup: groupName });
  }

  async unregisterConsumer(groupName: string): Promise<void> {
    if (!this.consumers.delete(groupName)) return;
    await this.unregisterClient({ consumerGroup: groupName });
  }

  unregisterAdmin(owner: object): void {
    this.admins.delete(owner);
  }

  /** Stops the instance once no producer, consumer or admin uses it any more; idempotent. */
  async shutdownIfUnused(): Promise<void> {
    if (this.producers.size > 0 || this.consumers.size > 0 || this.admins.size > 0) return;
    await this.shutdown();
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  consumer(groupName: string): ConsumerMember | undefined {
    return this.consumers.get(groupName);
  }

  producer(groupName: string): ProducerMember | undefined {
    return this.producers.get(groupName);
  }

  /** Ask every consumer to rebalance now (NOTIFY_CONSUMER_IDS_CHANGED, start, subscribe). */
  rebalanceImmediately(): void {
    this.rebalanceTask.wakeup();
  }

  topicRoute(topic: string): TopicRouteData | undefined {
    return this.topicRouteTable.get(topic);
  }

  /**
   * Fetches `topic`'s route and hands the queues to every producer and consumer when it changed.
   * With `defaultRoute`, TBW102's route stands in (queues cut to defaultTopicQueueNums) so that a
   * producer can send to a topic the broker will create. Resolves true when the route changed;
   * rejects with the NameServer's error (TOPIC_NOT_EXIST for an unknown topic). Concurrent calls
   * for one topic share one request.
   */
  updateTopicRouteInfoFromNameServer(topic: string, defaultRoute?: DefaultRouteOptions): Promise<boolean> {
    const key = defaultRoute === undefined ? topic : `${topic}\u0000default`;
    let update = this.routeUpdates.get(key);
    if (update === undefined) {
      update = this.fetchAndApplyRoute(topic, defaultRoute).finally(() => this.routeUpdates.delete(key));
      this.routeUpdates.set(key, update);
    }
    return update;
  }

  /** The master address of a broker name, if known (findBrokerAddressInPublish). */
  findBrokerAddressInPublish(brokerName: string): string | undefined {
    return this.brokerAddrTable.get(brokerName)?.get(MASTER_ID);
  }

  /**
   * An address of `brokerName` for consuming: `brokerId` if known; else (unless `onlyThisBroker`)
   * the next slave for a slave id, or any address of the broker.
   */
  findBrokerAddressInSubscribe(brokerName: string, brokerId: number, onlyThisBroker: boolean): FindBrokerResult | undefined {
    const addrs = this.brokerAddrTable.get(brokerName);
    if (addrs === undefined || addrs.size === 0) return undefined;
    let id = brokerId;
    let addr = addrs.get(brokerId);
    if (addr === undefined && !onlyThisBroker) {
      if (brokerId !== MASTER_ID && addrs.has(brokerId + 1)) id = brokerId + 1;
      else id = addrs.has(MASTER_ID) ? MASTER_ID : (addrs.keys().next().value as number);
      addr = addrs.get(id);
    }
    if (addr === undefined) return undefined;
    return { brokerAddr: addr, isSlave: id !== MASTER_ID, brokerVersion: this.brokerVersion(brokerName, addr) };
  }

  /** Some broker hosting `topic` (a master when there is one), for group-level requests. */
  findBrokerAddrByTopic(topic: string): string | undefined {
    const route = this.topicRouteTable.get(topic);
    if (route === undefined || route.brokerDatas.length === 0) return undefined;
    const start = Math.floor(Math.random() * route.brokerDatas.length);
    for (let i = 0; i < route.brokerDatas.length; i++) {
      const bd = route.brokerDatas[(start + i) % route.brokerDatas.length];
      const addr = bd?.brokerAddrs.get(MASTER_ID) ?? (bd === undefined ? undefined : [...bd.brokerAddrs.values()][0]);
      if (addr !== undefined) return addr;
    }
    return undefined;
  }

  /** Every broker address known from routes: brokerName -> (brokerId -> addr). */
  get brokerAddresses(): ReadonlyMap<string, ReadonlyMap<number, string>> {
    return this.brokerAddrTable;
  }

  brokerVersion(brokerName: string, addr: string): number {
    return this.brokerVersionTable.get(brokerName)?.get(addr) ?? 0;
  }

  /** The HEART_BEAT body this instance sends now. */
  heartbeatData(): HeartbeatData {
    return {
      clientID: this.clientId,
      consumerDataSet: [...this.consumers.values()].map((c) => c.consumerData()),
      producerDataSet: [CLIENT_INNER_PRODUCER_GROUP, ...[...this.producers.keys()].filter((g) => g !== CLIENT_INNER_PRODUCER_GROUP)].map((groupName) => ({ groupName })),
      heartbeatFingerprint: 0,
      withoutSub: false,
    };
  }

  /** HEART_BEAT to every known broker now (masters; slaves too when consuming). Concurrent calls share one round. */
  sendHeartbeatToAllBrokers(): Promise<void> {
    this.heartbeatInFlight ??= this.heartbeatRound().finally(() => {
      this.heartbeatInFlight = undefined;
    });
    return this.heartbeatInFlight;
  }

  /** Refreshes the routes of every topic a producer or consumer of this instance uses. */
  async updateTopicRouteInfoFromNameServerAll(): Promise<void> {
    const topics = new Set<string>();
    for (const p of this.producers.values()) for (const t of p.publishTopics()) topics.add(t);
    for (const c of this.consumers.values()) for (const t of c.subscribeTopics()) topics.add(t);
    await Promise.all([...topics].map((topic) => this.updateTopicRouteInfoFromNameServer(topic).catch((err: unknown) => {
      if (!(err instanceof MQBrokerError && err.responseCode === ResponseCode.TOPIC_NOT_EXIST)) this.log.warn({ err, topic }, 'route refresh failed');
    })));
    this.cleanOfflineBrokers();
  }

  async persistAllConsumerOffset(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((c) => c.persistConsumerOffset().catch((err: unknown) => {
      this.log.warn({ err, group: c.groupName }, 'persist consumer offsets failed');
    })));
  }

  private async doRebalance(): Promise<boolean> {
    let isBalanced = true;
    for (const c of this.consumers.values()) {
      try {
        if (!(await c.doRebalance())) isBalanced = false;
      } catch (err) {
        isBalanced = false;
        this.log.warn({ err, group: c.groupName }, 'rebalance failed');
      }
    }
    return isBalanced;
  }

  private async fetchAndApplyRoute(topic: string, defaultRoute: DefaultRouteOptions | undefined): Promise<boolean> {
    let route: TopicRouteData;
    if (defaultRoute === undefined) {
      route = await getTopicRouteInfo(this.remoting, topic);
    } else {
      route = limitQueueNums(await getTopicRouteInfo(this.remoting, defaultRoute.createTopicKey), defaultRoute.defaultTopicQueueNums);
    }
    const old = this.topicRouteTable.get(topic);
    if (topicRouteEquals(old, route) && !this.isNeedUpdateTopicRouteInfo(topic)) return false;
    if (old === undefined && this.topicRouteTable.size >= ROUTES_PER_INSTANCE_MAX) {
      throw new MQClientError(`client instance caches ${ROUTES_PER_INSTANCE_MAX} topic routes already`);
    }
    for (const bd of route.brokerDatas) this.brokerAddrTable.set(bd.brokerName, new Map(bd.brokerAddrs));
    const { queues, isOrderTopic } = publishQueuesOf(topic, route);
    const publishInfo = new TopicPublishInfo(queues, { isOrderTopic, haveTopicRouterInfo: true, route });
    for (const p of this.producers.values()) p.updateTopicPublishInfo(topic, publishInfo);
    if (this.consumers.size > 0) {
      const subscribeQueues = subscribeQueuesOf(topic, route);
      for (const c of this.consumers.values()) c.updateTopicSubscribeInfo(topic, subscribeQueues);
    }
    this.topicRouteTable.set(topic, route);
    this.log.debug({ topic, queues: queues.length }, 'topic route changed');
    return true;
  }

  /** Some member lacks queues for `topic` although the route is cached (isNeedUpdateTopicRouteInfo). */
  private isNeedUpdateTopicRouteInfo(topic: string): boolean {
    for (const p of this.producers.values()) if (p.isPublishTopicNeedUpdate?.(topic) === true) return true;
    for (const c of this.consumers.values()) if (c.isSubscribeTopicNeedUpdate?.(topic) === true) return true;
    return false;
  }

  private async heartbeatRound(): Promise<void> {
    const data = this.heartbeatData();
    const withSlaves = data.consumerDataSet.length > 0;
    const sends: Array<Promise<void>> = [];
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const [id, addr] of addrs) {
        if (id !== MASTER_ID && !withSlaves) continue;
        sends.push(sendHeartbeat(this.remoting, addr, data).then(
          (response) => this.recordBrokerVersion(brokerName, addr, response.version),
          (err: unknown) => this.log.warn({ err, brokerAddr: addr }, 'heartbeat failed'),
        ));
      }
    }
    await Promise.all(sends);
  }

  private recordBrokerVersion(brokerName: string, addr: string, version: number): void {
    let versions = this.brokerVersionTable.get(brokerName);
    if (versions === undefined) {
      versions = new Map();
      this.brokerVersionTable.set(brokerName, versions);
    }
    versions.set(addr, version);
  }

  /** Drops broker addresses no cached route mentions any more (cleanOfflineBroker). */
  private cleanOfflineBrokers(): void {
    const live = new Set<string>();
    for (const route of this.topicRouteTable.values()) for (const bd of route.brokerDatas) for (const addr of bd.brokerAddrs.values()) live.add(addr);
    for (const [brokerName, addrs] of this.brokerAddrTable) {
      for (const [id, addr] of addrs) if (!live.has(addr)) addrs.delete(id);
      if (addrs.size === 0) {
        this.brokerAddrTable.delete(brokerName);
        this.brokerVersionTable.delete(brokerName);
      }
    }
  }

  private async unregisterClient(groups: { producerGroup?: string; consumerGroup?: string }): Promise<void> {
    const calls: Array<Promise<void>> = [];
    for (const addrs of this.brokerAddrTable.values()) {
      for (const addr of addrs.values()) {
        calls.push(unregisterClient(this.remoting, addr, this.clientId, groups).catch((err: unknown) => {
          this.log.warn({ err, brokerAddr: addr, ...groups }, 'unregister client failed');
        }));
      }
    }
    await Promise.all(calls);
  }

  private async doShutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    await Promise.all(this.tasks.map((t) => t.stop()));
    await this.heartbeatInFlight;
    await Promise.allSettled([...this.routeUpdates.values()]);
    await this.remoting.shutdown();
    this.onShutdown?.(this);
    if (wasRunning) this.log.info('client instance stopped');
  }
}

function checkRoom(size: number, kind: string): void {
  if (size >= GROUPS_PER_INSTANCE_MAX) throw new MQClientError(`client instance holds ${GROUPS_PER_INSTANCE_MAX} ${kind} groups already`);
}

/** One instance per client id in this process (MQClientManager). */
const instances = new Map<string, MQClientInstance>();

/** The instance for the client id of `config`, created when there is none. */
export function getOrCreateMQClientInstance(config: ResolvedClientConfig): MQClientInstance {
  const clientId = buildClientId(config);
  let instance = instances.get(clientId);
  if (instance === undefined) {
    instance = new MQClientInstance(config, (stopped) => {
      if (instances.get(stopped.clientId) === stopped) instances.delete(stopped.clientId);
    });
    instances.set(clientId, instance);
  }
  return instance;
}
