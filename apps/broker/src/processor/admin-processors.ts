// The broker admin codes mqadmin and DefaultMQAdminExt use, registered on a controller in one call:
//   admin-topic-processor.ts     17, 215, 21, 351, 202, 300, 343, 305
//   admin-group-processor.ts     200, 207, 201, 352, 203, 204, 345
//   admin-offset-processor.ts    208, 317, 43, 45, 314, 222 (+ 220 pushed to clients)
//   admin-consumer-processor.ts  307, 309, 223 (relayed to clients as 307, 309, 221)
//   admin-broker-processor.ts    28, 26, 25, 315
// plus the traffic counters behind runtime info, consumeTps and statsAll (admin/broker-stats.ts):
// puts are counted from the store's arrival events, pulls by wrapping the data path's pull
// processor (PULL_MESSAGE and LITE_PULL_MESSAGE are re-registered with the counting wrapper).
//
// Call it in the controller's constructor (it adds a lifecycle service). The controller hands over
// two things it does not expose: the remoting server (requests to client connections) and a way
// to install a new BrokerConfig (UPDATE_BROKER_CONFIG).

import { type Clock, type Logger, TopicValidator } from '@apogee/common';
import { type RequestProcessor, RequestCode } from '@apogee/remoting';
import type { MessageStoreConfig } from '@apogee/store';
import type { ClientRequestSender } from '../client/broker-to-client.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ProducerManager } from '../client/producer-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import { DataVersionCounter } from '../persist/data-version.js';
import { queueIdOfDelayLevel } from '../schedule/delay-level-table.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { type AdminStore, isAdminStore } from '../admin/admin-store.js';
import { BrokerStats } from '../admin/broker-stats.js';
import { AdminClientCalls } from '../admin/client-calls.js';
import { PullCountingProcessor } from '../admin/pull-counting-processor.js';
import type { RuntimeInfoSource } from '../admin/runtime-info.js';
import { ADMIN_BROKER_CODES, AdminBrokerProcessor } from './admin-broker-processor.js';
import { ADMIN_CONSUMER_CODES, AdminConsumerProcessor } from './admin-consumer-processor.js';
import { ADMIN_GROUP_CODES, AdminGroupProcessor } from './admin-group-processor.js';
import { ADMIN_OFFSET_CODES, AdminOffsetProcessor } from './admin-offset-processor.js';
import { ADMIN_TOPIC_CODES, AdminTopicProcessor } from './admin-topic-processor.js';
import { type Lifecycle, type MessageDataPath, type MessageProcessorHost, registerMessageProcessors } from './message-processors.js';

/** What the admin codes need of the broker (BrokerController satisfies it). */
export interface AdminHost extends MessageProcessorHost {
  readonly brokerConfig: BrokerConfig;
  readonly messageStoreConfig: MessageStoreConfig;
  readonly topicConfigManager: TopicConfigManager;
  readonly subscriptionGroupManager: SubscriptionGroupManager;
  readonly consumerOffsetManager: ConsumerOffsetManager;
  readonly consumerManager: ConsumerManager;
  readonly producerManager: ProducerManager;
  readonly clock: Clock;
  readonly log: Logger;
  registerBrokerAll(): Promise<unknown>;
}

/** What the controller hands over that it does not expose. */
export interface AdminCapabilities {
  /** the remoting server: requests to client connections (220, 221, 307, 309) */
  readonly clientRequests: ClientRequestSender;
  /** installs the config every component reads through `brokerConfig` */
  readonly replaceBrokerConfig: (next: BrokerConfig) => void;
}

/** The admin side as registered on one host. */
export class AdminProcessors implements Lifecycle {
  readonly stats: BrokerStats;
  readonly topic: AdminTopicProcessor;
  readonly group: AdminGroupProcessor;
  readonly offset: AdminOffsetProcessor;
  readonly consumer: AdminConsumerProcessor;
  readonly broker: AdminBrokerProcessor;
  readonly configVersion: DataVersionCounter;
  private bootTimestampMs: number;
  private unsubscribeArrivals: (() => void) | undefined;

  constructor(private readonly host: AdminHost, private readonly store: AdminStore, capabilities: AdminCapabilities, private readonly dataPath: MessageDataPath | undefined) {
    const log = host.log.child({ part: 'admin' });
    const config = (): BrokerConfig => host.brokerConfig;
    const brokerAddr = (): string => host.brokerAddr;
    const registerBrokerAll = (): Promise<unknown> => host.registerBrokerAll();
    this.bootTimestampMs = host.clock.nowMs();
    this.configVersion = new DataVersionCounter(host.clock);
    this.stats = new BrokerStats({ clusterName: () => config().brokerClusterName, clock: host.clock, log });
    const clientCalls = new AdminClientCalls(capabilities.clientRequests, log);
    const topics = host.topicConfigManager;
    const offsets = host.consumerOffsetManager;
    const consumers = host.consumerManager;
    this.topic = new AdminTopicProcessor({
      config, topics, offsets, consumers, store, topicPutTps: (t) => this.stats.tpsTopicPutNums(t), onTopicDeleted: (t) => this.stats.onTopicDeleted(t),
      registerBrokerAll, brokerAddr, log,
    });
    this.group = new AdminGroupProcessor({
      groups: host.subscriptionGroupManager, offsets, consumers, producers: host.producerManager, onGroupDeleted: (g) => this.stats.onGroupDeleted(g), log,
    });
    this.offset = new AdminOffsetProcessor({
      config, isSlave: () => host.messageStoreConfig.brokerRole === 'SLAVE', topics, groups: host.subscriptionGroupManager, offsets, consumers,
      store, consumeTps: (g, t) => this.stats.tpsGroupGetNums(g, t), clientCalls, delayOffsets: () => dataPath?.schedule.encodeDelayOffsets(),
      brokerAddr, log,
    });
    this.consumer = new AdminConsumerProcessor({
      brokerName: () => config().brokerName, consumers, topics, groups: host.subscriptionGroupManager, store, clientCalls, log,
    });
    this.broker = new AdminBrokerProcessor({
      config, storeConfig: host.messageStoreConfig, replaceConfig: capabilities.replaceBrokerConfig, configVersion: this.configVersion,
      stats: this.stats, runtimeSource: () => this.runtimeSource(), registerBrokerAll,
      bumpTopicDataVersion: () => void host.topicConfigManager.bumpDataVersion(), log,
    });
  }

  /** The codes and the processor answering them, as registered. */
  table(): ReadonlyArray<readonly [RequestProcessor, readonly number[]]> {
    const table: Array<readonly [RequestProcessor, readonly number[]]> = [
      [this.topic, ADMIN_TOPIC_CODES], [this.group, ADMIN_GROUP_CODES], [this.offset, ADMIN_OFFSET_CODES],
      [this.consumer, ADMIN_CONSUMER_CODES], [this.broker, ADMIN_BROKER_CODES],
    ];
    if (this.dataPath !== undefined) {
      const counting = new PullCountingProcessor(this.dataPath.pull, (group, topic, count) => this.stats.onMessagesPulled(group, topic, count));
      table.push([counting, [RequestCode.PULL_MESSAGE, RequestCode.LITE_PULL_MESSAGE]]);
    }
    return table;
  }

  /** Starts counting puts (after the store recovered, so replayed records do not count) and sampling. */
  async start(): Promise<void> {
    this.bootTimestampMs = this.host.clock.nowMs();
    this.unsubscribeArrivals ??= this.store.addMessageArrivingListener((arrival) => this.stats.onMessagePut(arrival.topic));
    await this.stats.start();
  }

  async shutdown(): Promise<void> {
    this.unsubscribeArrivals?.();
    this.unsubscribeArrivals = undefined;
    await this.stats.shutdown();
  }

  private runtimeSource(): RuntimeInfoSource {
    const delayLevels = new Map<number, readonly [number, number]>();
    for (const [level, offset] of this.dataPath?.schedule.delayOffsets() ?? []) {
      delayLevels.set(level, [offset, this.store.getMaxOffsetInQueue(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC, queueIdOfDelayLevel(level))]);
    }
    return {
      store: this.store, stats: this.stats, storePathRootDir: this.host.messageStoreConfig.storePathRootDir, bootTimestampMs: this.bootTimestampMs,
      nowMs: this.host.clock.nowMs(), isMaster: this.host.messageStoreConfig.brokerRole !== 'SLAVE', delayLevels,
    };
  }
}

const registered = new WeakMap<object, AdminProcessors>();

/**
 * Registers the admin processors on `host` and ties the stats service to its lifecycle.
 * Idempotent per host. Undefined (nothing registered) when the store lacks what admin needs.
 */
export function registerAdminProcessors(host: AdminHost, capabilities: AdminCapabilities): AdminProcessors | undefined {
  const existing = registered.get(host);
  if (existing !== undefined) return existing;
  const store = host.messageStore;
  if (!isAdminStore(store)) {
    host.log.warn('the message store lacks queue/commit-log lookups; admin processors not registered');
    return undefined;
  }
  const admin = new AdminProcessors(host, store, capabilities, registerMessageProcessors(host));
  registered.set(host, admin);
  for (const [processor, codes] of admin.table()) for (const code of codes) host.registerProcessor(code, processor);
  host.addLifecycle(admin);
  return admin;
}

/** The admin side registered on `host` (tests read its stats), or undefined. */
export function adminProcessorsOf(host: object): AdminProcessors | undefined {
  return registered.get(host);
}
