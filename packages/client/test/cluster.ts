// Test fixture: a real Apogee NameServer and real brokers in this process, on ephemeral
// loopback ports, each in its own temp dir. Everything started here (servers and SDK clients) is
// shut down by closeAll(), clients first.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerController, brokerConfigForTest, newTopicConfig, type BrokerConfigOverrides } from '@apogee/broker';
import { createNamesrvController, type NamesrvController } from '@apogee/namesrv';
import { RequestCode, ResponseCode, createRequestCommand, RemotingClient, parseTopicRouteData } from '@apogee/remoting';
import { quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import type { ClientConfigOptions } from '../src/index.js';

type Closable = { shutdown(): Promise<void> };

export class Cluster {
  namesrv!: NamesrvController;
  readonly brokers: BrokerController[] = [];
  private readonly clients: Closable[] = [];
  private readonly servers: Closable[] = [];
  private readonly dirs: string[] = [];
  private probe: RemotingClient | undefined;

  get namesrvAddr(): string {
    return this.namesrv.address;
  }

  tempDir(prefix = 'apogee-client-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  async startNamesrv(): Promise<NamesrvController> {
    const namesrv = createNamesrvController(new Map(), { listenPort: 0, kvConfigPath: join(this.tempDir('apogee-ns-'), 'kvConfig.json') }, { logger: quietLogger('namesrv') });
    this.servers.push(namesrv);
    await namesrv.start();
    this.namesrv = namesrv;
    return namesrv;
  }

  async startBroker(overrides: BrokerConfigOverrides = {}): Promise<BrokerController> {
    const broker = new BrokerController(
      brokerConfigForTest(this.tempDir(), { brokerName: `broker-${randomId()}`, namesrvAddr: this.namesrvAddr, ...overrides }),
      { logger: quietLogger('broker') },
    );
    this.servers.push(broker);
    await broker.start();
    this.brokers.push(broker);
    return broker;
  }

  /** NameServer + `brokerCount` brokers. */
  static async start(brokerCount = 1, overrides: BrokerConfigOverrides = {}): Promise<Cluster> {
    const cluster = new Cluster();
    await cluster.startNamesrv();
    for (let i = 0; i < brokerCount; i++) await cluster.startBroker(overrides);
    return cluster;
  }

  /** Client options pointing at this cluster, with a quiet logger. */
  clientOptions(extra: Partial<ClientConfigOptions> = {}): ClientConfigOptions {
    return { namesrvAddr: this.namesrvAddr, logger: quietLogger('client'), ...extra };
  }

  /** Registers an SDK object for shutdown by closeAll(). */
  track<T extends Closable>(client: T): T {
    this.clients.push(client);
    return client;
  }

  /** Creates `topic` on the given brokers (default all) and waits until the NameServer routes it. */
  async createTopic(topic: string, queueNums = 4, brokers: readonly BrokerController[] = this.brokers, perm = 6): Promise<void> {
    for (const broker of brokers) {
      const result = broker.topicConfigManager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm }));
      if (typeof result === 'string') throw new Error(result);
      await broker.registerBrokerAll();
    }
    await this.waitForRoute(topic, brokers.map((b) => ({ brokerName: b.brokerConfig.brokerName, queueNums, perm })));
  }

  /** Waits until the NameServer's route for `topic` has these queue datas (others may be there too). */
  async waitForRoute(topic: string, expected: ReadonlyArray<{ brokerName: string; queueNums: number; perm: number }>): Promise<void> {
    this.probe ??= new RemotingClient({ logger: quietLogger('probe') });
    const probe = this.probe;
    await waitFor(async () => {
      const res = await probe.invokeSync(this.namesrvAddr, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3_000);
      if (res.code !== ResponseCode.SUCCESS) return false;
      const route = parseTopicRouteData(res.body);
      if (!route.ok) return false;
      const queueDatas = route.value.queueDatas;
      return expected.every((e) => queueDatas.some((q) => q.brokerName === e.brokerName && q.writeQueueNums === e.queueNums && q.perm === e.perm));
    }, { timeoutMs: 10_000 });
  }

  /** Does the first broker answer `code` (not REQUEST_CODE_NOT_SUPPORTED)? */
  async brokerSupports(code: number): Promise<boolean> {
    this.probe ??= new RemotingClient({ logger: quietLogger('probe') });
    const broker = this.brokers[0];
    if (broker === undefined) return false;
    const res = await this.probe.invokeSync(broker.brokerAddr, createRequestCommand(code, {}), 3_000);
    return res.code !== ResponseCode.REQUEST_CODE_NOT_SUPPORTED;
  }

  async closeAll(): Promise<void> {
    for (const client of this.clients.reverse()) await client.shutdown();
    this.clients.length = 0;
    await this.probe?.shutdown();
    this.probe = undefined;
    for (const server of this.servers.reverse()) await server.shutdown();
    this.servers.length = 0;
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    this.dirs.length = 0;
  }
}
