// Wires the broker: config, store, topic/group/offset tables, client tables, the remoting server
// and its processors, NameServer registration and the timers. Exported so tests, benchmarks and
// the standalone entry run it in-process.
//
// Adding a feature: build its processor from the managers exposed here and call
// `controller.registerProcessor(RequestCode.X, processor)` (before or after start()); codes
// nobody registered answer REQUEST_CODE_NOT_SUPPORTED.

import { type Clock, type Logger, createLogger, isReadable, isWriteable, systemClock } from '@apogee/common';
import {
  type Channel, type RequestProcessor, type TopicConfig, RemotingClient, RemotingServer, RequestCode, SerializeType,
} from '@apogee/remoting';
import type { MessageStore, MessageStoreConfig } from '@apogee/store';
import { Broker2Client } from './client/broker-to-client.js';
import { ClientHousekeeping } from './client/client-housekeeping.js';
import { ConsumerManager } from './client/consumer-manager.js';
import { ProducerManager } from './client/producer-manager.js';
import { RebalanceLockManager } from './client/rebalance-lock-manager.js';
import type { BrokerConfig } from './config/broker-config.js';
import { consumerOffsetPath, subscriptionGroupPath, topicConfigPath } from './config/broker-paths.js';
import { type LoadedBrokerConfig, effectiveHaListenPort } from './config/load-broker-config.js';
import { parseNamesrvAddr } from './config/namesrv-addr.js';
import { ConsumerOffsetManager } from './offset/consumer-offset-manager.js';
import { BrokerOuterAPI, type BrokerIdentity, type TopicConfigSnapshot } from './out/broker-outer-api.js';
import { NamesrvRegistration, clampRegisterPeriodMs } from './out/namesrv-registration.js';
import { ClientManageProcessor } from './processor/client-manage-processor.js';
import { ConsumerManageProcessor } from './processor/consumer-manage-processor.js';
import { LockProcessor } from './processor/lock-processor.js';
import { registerAdminProcessors } from './processor/admin-processors.js';
import { registerMessageProcessors, type Lifecycle } from './processor/message-processors.js';
import { type BrokerMessageStore, type MessageStoreFactory, createDefaultMessageStore } from './store/broker-store.js';
import { SubscriptionGroupManager } from './subscription/subscription-group-manager.js';
import { TopicConfigManager } from './topic/topic-config-manager.js';

export interface BrokerControllerOptions<S extends BrokerMessageStore = MessageStore> {
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** Builds the store from the store config; default: the real MessageStore. */
  readonly storeFactory?: MessageStoreFactory<S>;
}

type State = 'new' | 'starting' | 'running' | 'stopped';

export class BrokerController<S extends BrokerMessageStore = MessageStore> {
  readonly messageStoreConfig: MessageStoreConfig;
  readonly messageStore: S;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly rebalanceLockManager: RebalanceLockManager;
  readonly clientHousekeeping: ClientHousekeeping;
  readonly broker2Client: Broker2Client;
  readonly namesrvRegistration: NamesrvRegistration;
  readonly clock: Clock;
  readonly log: Logger;
  private config: BrokerConfig;
  private readonly namesrvAddrs: readonly string[];
  private readonly server: RemotingServer;
  private readonly outerClient: RemotingClient;
  private readonly pendingNotifies = new Set<Promise<void>>();
  private state: State = 'new';
  private isListening = false;
  private shutdownPromise: Promise<void> | undefined;
  private readonly services: Lifecycle[] = [];

  constructor(loaded: LoadedBrokerConfig, options: BrokerControllerOptions<S> = {}) {
    this.config = loaded.broker;
    this.messageStoreConfig = loaded.store;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? createLogger('broker');
    const namesrv = parseNamesrvAddr(this.config.namesrvAddr);
    this.namesrvAddrs = namesrv.ok ? namesrv.addrs : [];
    const root = this.messageStoreConfig.storePathRootDir;
    const clock = this.clock;
    const part = (name: string): Logger => this.log.child({ part: name });

    const factory = (options.storeFactory ?? createDefaultMessageStore) as MessageStoreFactory<S>;
    this.messageStore = factory(this.messageStoreConfig, { clock, log: part('store') });
    this.topicConfigManager = new TopicConfigManager({ broker: this.config, path: topicConfigPath(root), clock, log: part('topics') });
    this.subscriptionGroupManager = new SubscriptionGroupManager({ broker: this.config, path: subscriptionGroupPath(root), clock, log: part('groups') });
    this.consumerOffsetManager = new ConsumerOffsetManager({ path: consumerOffsetPath(root), flushIntervalMs: this.config.flushConsumerOffsetInterval, clock, log: part('offsets') });
    this.consumerManager = new ConsumerManager({ channelExpiredTimeoutMs: this.config.channelExpiredTimeout, clock, log: part('consumers') });
    this.producerManager = new ProducerManager({ channelExpiredTimeoutMs: this.config.channelExpiredTimeout, clock, log: part('producers') });
    this.rebalanceLockManager = new RebalanceLockManager({ lockMaxLiveTimeMs: this.config.rebalanceLockMaxLiveTimeMs, clock, log: part('locks') });
    this.clientHousekeeping = new ClientHousekeeping(this.producerManager, this.consumerManager, this.config.clientChannelScanIntervalMs, part('housekeeping'));

    this.server = new RemotingServer({
      host: this.config.bindAddress !== '' ? this.config.bindAddress : this.config.brokerIP1,
      port: this.config.listenPort,
      idleTimeoutMs: this.config.serverChannelMaxIdleTimeSeconds * 1000,
      logger: part('remoting'),
    });
    this.broker2Client = new Broker2Client(this.server, part('broker2client'));
    this.outerClient = new RemotingClient({ serializeType: SerializeType.JSON, logger: part('outer') });
    this.namesrvRegistration = new NamesrvRegistration({
      api: new BrokerOuterAPI(this.outerClient, part('outer')),
      namesrvAddrs: () => this.namesrvAddrs,
      identity: () => this.identity,
      topics: () => this.topicSnapshotForRegistration(),
      periodMs: clampRegisterPeriodMs(this.config.registerNameServerPeriod),
      timeoutMs: this.config.registerBrokerTimeoutMills,
      log: part('registration'),
    });
    this.wireEvents();
    this.registerCoreProcessors();
    registerMessageProcessors(this);
    registerAdminProcessors(this, { clientRequests: this.server, replaceBrokerConfig: (next) => { this.config = next; } });
  }

  /**
   * A service that runs with the broker: started (in order) once the store has recovered and the
   * server listens, shut down (in reverse order) before the server closes, so that work it holds
   * (e.g. long-polling pulls) is answered on open connections. Add before start().
   */
  addLifecycle(service: Lifecycle): void {
    if (this.state !== 'new') throw new Error(`addLifecycle after start (state ${this.state})`);
    this.services.push(service);
  }

  /** Answers `code` with `processor`; the last registration for a code wins. */
  registerProcessor(code: number, processor: RequestProcessor): void {
    this.server.registerProcessor(code, processor);
  }

  get brokerConfig(): BrokerConfig {
    return this.config;
  }

  /** The NameServers this broker registers with. */
  get namesrvAddrList(): readonly string[] {
    return this.namesrvAddrs;
  }

  /** The bound remoting port; valid after start(). */
  get listenPort(): number {
    return this.server.port;
  }

  /** brokerIP1:listenPort, the address registered with the NameServers (and the STOREHOST). */
  get brokerAddr(): string {
    return `${this.config.brokerIP1}:${this.isListening ? this.server.port : this.config.listenPort}`;
  }

  /** brokerIP2:haListenPort, the HA address advertised to slaves. */
  get haServerAddr(): string {
    const port = this.isListening ? this.server.port : this.config.listenPort;
    return `${this.config.brokerIP2}:${effectiveHaListenPort(this.config, port)}`;
  }

  get identity(): BrokerIdentity {
    return {
      clusterName: this.config.brokerClusterName,
      brokerName: this.config.brokerName,
      brokerId: this.config.brokerId,
      brokerAddr: this.brokerAddr,
      haServerAddr: this.haServerAddr,
    };
  }

  /** Open client connections (diagnostics, tests). */
  get channels(): readonly Channel[] {
    return this.server.channels;
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`BrokerController cannot start in state ${this.state}`);
    this.state = 'starting';
    await this.topicConfigManager.load();
    await this.subscriptionGroupManager.load();
    await this.consumerOffsetManager.load();
    await this.messageStore.start();
    await this.server.start();
    this.isListening = true;
    this.state = 'running';
    for (const service of this.services) await service.start();
    this.consumerOffsetManager.start();
    this.clientHousekeeping.start();
    const outcomes = await this.namesrvRegistration.start();
    const failed = outcomes.filter((o) => !o.ok).map((o) => o.namesrvAddr);
    this.log.info({ brokerName: this.config.brokerName, brokerAddr: this.brokerAddr, namesrv: this.namesrvAddrs, failed }, 'broker started');
  }

  /** Unregister, stop serving, persist offsets and configs, stop the store. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  /** Registers with every NameServer now (also runs by itself on topic changes and periodically). */
  registerBrokerAll(): ReturnType<NamesrvRegistration['registerNow']> {
    return this.namesrvRegistration.registerNow();
  }

  private async doShutdown(): Promise<void> {
    const wasStarted = this.state !== 'new';
    this.state = 'stopped';
    this.clientHousekeeping.shutdown();
    if (this.isListening) await this.namesrvRegistration.shutdown();
    await Promise.allSettled([...this.pendingNotifies]);
    if (wasStarted) {
      for (const service of [...this.services].reverse()) {
        await service.shutdown().catch((err: unknown) => this.log.error({ err }, 'service shutdown failed'));
      }
    }
    await this.server.shutdown();
    await this.outerClient.shutdown();
    const results = await Promise.allSettled([
      this.consumerOffsetManager.shutdown(),
      this.topicConfigManager.flush(),
      this.subscriptionGroupManager.flush(),
    ]);
    for (const result of results) if (result.status === 'rejected') this.log.error({ err: result.reason }, 'persist at shutdown failed');
    if (wasStarted) await this.messageStore.shutdown();
    this.log.info({ brokerName: this.config.brokerName }, 'broker stopped');
  }

  private wireEvents(): void {
    this.server.on('channelClose', (channel) => this.clientHousekeeping.onChannelClose(channel));
    this.consumerManager.onEvent((event) => {
      if (event.kind !== 'change' || !this.config.notifyConsumerIdsChangedEnable) return;
      for (const channel of event.channels) this.track(this.broker2Client.notifyConsumerIdsChanged(channel, event.group));
    });
    this.topicConfigManager.onChange(() => {
      if (this.state !== 'running') return;
      this.namesrvRegistration.registerNow().catch((err: unknown) => this.log.error({ err }, 'registration after topic change failed'));
    });
  }

  private registerCoreProcessors(): void {
    const config = (): BrokerConfig => this.config;
    const clientManage = new ClientManageProcessor({
      config, topics: this.topicConfigManager, groups: this.subscriptionGroupManager,
      consumers: this.consumerManager, producers: this.producerManager, log: this.log.child({ part: 'client-manage' }),
    });
    for (const code of [RequestCode.HEART_BEAT, RequestCode.UNREGISTER_CLIENT, RequestCode.CHECK_CLIENT_CONFIG]) this.registerProcessor(code, clientManage);
    const consumerManage = new ConsumerManageProcessor({
      config, consumers: this.consumerManager, offsets: this.consumerOffsetManager, groups: this.subscriptionGroupManager,
      topics: this.topicConfigManager, queues: this.messageStore, log: this.log.child({ part: 'consumer-manage' }),
    });
    for (const code of [RequestCode.GET_CONSUMER_LIST_BY_GROUP, RequestCode.QUERY_CONSUMER_OFFSET, RequestCode.UPDATE_CONSUMER_OFFSET]) {
      this.registerProcessor(code, consumerManage);
    }
    const lock = new LockProcessor(this.rebalanceLockManager);
    for (const code of [RequestCode.LOCK_BATCH_MQ, RequestCode.UNLOCK_BATCH_MQ]) this.registerProcessor(code, lock);
  }

  /** The topic table as registered: perms masked by brokerPermission when the broker is not fully RW. */
  private topicSnapshotForRegistration(): TopicConfigSnapshot {
    const dataVersion = this.topicConfigManager.dataVersion;
    const table = this.topicConfigManager.topicConfigTable;
    const perm = this.config.brokerPermission;
    if (isReadable(perm) && isWriteable(perm)) return { dataVersion, topicConfigTable: new Map(table) };
    const masked = new Map<string, Readonly<TopicConfig>>();
    for (const [name, config] of table) masked.set(name, { ...config, perm: config.perm & perm });
    return { dataVersion, topicConfigTable: masked };
  }

  private track(promise: Promise<void>): void {
    this.pendingNotifies.add(promise);
    void promise.finally(() => this.pendingNotifies.delete(promise));
  }
}
