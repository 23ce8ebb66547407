// Wires the NameServer: remoting server, route table, KV config, processors and the timer that
// expires silent brokers. Exported so tests, benchmarks and the standalone entry run it in-process.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { type Clock, type Logger, configToProperties, createLogger, loadConfig, systemClock } from '@apogee/common';
import { RemotingServer, RequestCode } from '@apogee/remoting';
import { NAMESRV_CONFIG_SCHEMA, type NamesrvConfig } from './config/namesrv-config.js';
import { KvConfigManager } from './kv/kv-config-manager.js';
import { BrokerRegistrationProcessor } from './processor/broker-registration-processor.js';
import { KvConfigProcessor } from './processor/kv-config-processor.js';
import { RouteAdminProcessor } from './processor/route-admin-processor.js';
import { RouteQueryProcessor } from './processor/route-query-processor.js';
import { RouteInfoManager } from './route/route-info-manager.js';

export interface NamesrvControllerOptions {
  clock?: Clock;
  logger?: Logger;
}

export class NamesrvController {
  readonly routes: RouteInfoManager;
  readonly kv: KvConfigManager;
  private readonly server: RemotingServer;
  private readonly clock: Clock;
  private readonly log: Logger;
  private scanTimer: NodeJS.Timeout | undefined;
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    private config: NamesrvConfig,
    options: NamesrvControllerOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? createLogger('namesrv');
    this.routes = new RouteInfoManager(this.clock, this.log.child({ part: 'routes' }), {
      deleteTopicWithBrokerRegistration: config.deleteTopicWithBrokerRegistration,
    });
    const kvPath = config.kvConfigPath !== '' ? config.kvConfigPath : join(homedir(), 'namesrv', 'kvConfig.json');
    this.kv = new KvConfigManager(kvPath, this.log.child({ part: 'kv' }));
    this.server = new RemotingServer({
      host: config.listenAddress,
      port: config.listenPort,
      idleTimeoutMs: config.serverChannelMaxIdleTimeSeconds * 1000,
      logger: this.log.child({ part: 'remoting' }),
    });
    this.registerProcessors();
    this.server.on('channelClose', (channel) => this.routes.onChannelDestroy(channel.id));
  }

  private registerProcessors(): void {
    const registration = new BrokerRegistrationProcessor(this.routes, this.kv, () => this.config);
    for (const code of [RequestCode.REGISTER_BROKER, RequestCode.UNREGISTER_BROKER, RequestCode.QUERY_DATA_VERSION, RequestCode.BROKER_HEARTBEAT]) {
      this.server.registerProcessor(code, registration);
    }
    const query = new RouteQueryProcessor(this.routes, this.kv, () => this.config);
    for (const code of [
      RequestCode.GET_ROUTEINFO_BY_TOPIC, RequestCode.GET_BROKER_CLUSTER_INFO, RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER,
      RequestCode.GET_TOPICS_BY_CLUSTER, RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, RequestCode.GET_UNIT_TOPIC_LIST,
      RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST,
    ]) {
      this.server.registerProcessor(code, query);
    }
    const kv = new KvConfigProcessor(this.kv);
    for (const code of [RequestCode.PUT_KV_CONFIG, RequestCode.GET_KV_CONFIG, RequestCode.DELETE_KV_CONFIG, RequestCode.GET_KVLIST_BY_NAMESPACE]) {
      this.server.registerProcessor(code, kv);
    }
    const admin = new RouteAdminProcessor(this.routes, {
      toProperties: () => configToProperties(NAMESRV_CONFIG_SCHEMA, this.config),
      update: (values) => this.updateConfig(values),
    });
    for (const code of [
      RequestCode.WIPE_WRITE_PERM_OF_BROKER, RequestCode.ADD_WRITE_PERM_OF_BROKER, RequestCode.DELETE_TOPIC_IN_NAMESRV,
      RequestCode.REGISTER_TOPIC_IN_NAMESRV, RequestCode.GET_NAMESRV_CONFIG, RequestCode.UPDATE_NAMESRV_CONFIG,
    ]) {
      this.server.registerProcessor(code, admin);
    }
  }

  private updateConfig(values: Map<string, string>): string | undefined {
    const current = new Map(configToProperties(NAMESRV_CONFIG_SCHEMA, this.config).trim().split('\n').map((line) => {
      const eq = line.indexOf('=');
      return [line.slice(0, eq), line.slice(eq + 1)] as const;
    }));
    for (const [k, v] of values) current.set(k, v);
    try {
      const loaded = loadConfig(NAMESRV_CONFIG_SCHEMA, current);
      if (loaded.unknownKeys.length > 0) return `unknown config keys: ${loaded.unknownKeys.join(', ')}`;
      this.config = loaded.config;
      this.log.info({ keys: [...values.keys()] }, 'namesrv config updated');
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  }

  get port(): number {
    return this.server.port;
  }

  get address(): string {
    return `${this.config.listenAddress}:${this.server.port}`;
  }

  async start(): Promise<void> {
    await this.kv.load();
    await this.server.start();
    this.scanTimer = setInterval(() => this.routes.scanNotActiveBroker(), this.config.scanNotActiveBrokerInterval);
    this.scanTimer.unref();
    this.log.info({ address: this.address }, 'The Name Server boot success');
  }

  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      if (this.scanTimer !== undefined) clearInterval(this.scanTimer);
      await this.server.shutdown();
      await this.kv.flush();
    })();
    return this.shutdownPromise;
  }
}

/** A controller from .properties values plus overrides (tests: `{ listenPort: 0, kvConfigPath }`). */
export function createNamesrvController(
  values: ReadonlyMap<string, string>,
  overrides: Partial<Record<string, string | number | boolean>> = {},
  options: NamesrvControllerOptions = {},
): NamesrvController {
  const { config, unknownKeys } = loadConfig(NAMESRV_CONFIG_SCHEMA, values, overrides);
  const controller = new NamesrvController(config, options);
  if (unknownKeys.length > 0) (options.logger ?? createLogger('namesrv')).warn({ unknownKeys }, 'unknown namesrv config keys ignored');
  return controller;
}
