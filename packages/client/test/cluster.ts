// Test fixture: a real Apogee NameServer and real brokers in this process, on ephemeral
// loopback ports, each in its own temp dir. Everything started here (servers and SDK clients) is
// shut down by closeAll(), clients first.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrokerController, brokerConfigForTest, newTopicConfig, type BrokerConfigOverrides } from '@apogee/broker';
import { createNamesrvController, type NamesrvController } from '@apogee/namesrv';
import { type MessageExt, decodeMessageRecords } from '@apogee/common';
import {
  PullMessageRequestHeader, PullMessageResponseHeader, RegisterBrokerRequestHeader, RequestCode, ResponseCode, createRequestCommand,
  encodeRegisterBrokerBody, RemotingClient, parseTopicRouteData,
} from '@apogee/remoting';
import { type CannedResponseServer, quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import type { ClientConfigOptions } from '../src/index.js';

type Closable = { shutdown(): Promise<void> };

export class Cluster {
  namesrv!: NamesrvController;
  readonly brokers: BrokerController[] = [];
  private readonly clients: Closable[] = [];
  private readonly servers: Closable[] = [];
  private readonly dirs: string[] = [];
  private probe: RemotingClient | undefined;
  private readonly brokerDirs = new Map<BrokerController, { dir: string; overrides: BrokerConfigOverrides }>();

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
    const dir = this.tempDir();
    const settings = { brokerName: `broker-${randomId()}`, namesrvAddr: this.namesrvAddr, ...overrides };
    const broker = new BrokerController(brokerConfigForTest(dir, settings), { logger: quietLogger('broker') });
    this.servers.push(broker);
    await broker.start();
    this.brokers.push(broker);
    this.brokerDirs.set(broker, { dir, overrides: settings });
    return broker;
  }

  /**
   * Shuts `broker` down and starts a new BrokerController with the same name, port and store dir
   * (a restart: the store recovers what the old one wrote). Returns the new one, which replaces
   * the old in `brokers`.
   */
  async restartBroker(broker: BrokerController): Promise<BrokerController> {
    const known = this.brokerDirs.get(broker);
    if (known === undefined) throw new Error('restartBroker: not started by this cluster');
    const listenPort = Number(broker.brokerAddr.split(':').pop());
    await broker.shutdown();
    const overrides = { ...known.overrides, listenPort };
    const next = new BrokerController(brokerConfigForTest(known.dir, overrides), { logger: quietLogger('broker') });
    this.servers.push(next);
    await next.start();
    this.brokers[this.brokers.indexOf(broker)] = next;
    this.brokerDirs.delete(broker);
    this.brokerDirs.set(next, { dir: known.dir, overrides });
    return next;
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
    const probe = this.probeClient();
    await waitFor(async () => {
      const res = await probe.invokeSync(this.namesrvAddr, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3_000);
      if (res.code !== ResponseCode.SUCCESS) return false;
      const route = parseTopicRouteData(res.body);
      if (!route.ok) return false;
      const queueDatas = route.value.queueDatas;
      return expected.every((e) => queueDatas.some((q) => q.brokerName === e.brokerName && q.writeQueueNums === e.queueNums && q.perm === e.perm));
    }, { timeoutMs: 10_000 });
  }

  /**
   * Registers a canned server as broker `brokerName` (master) holding `topics` with `queueNums`
   * queues, so that clients route to it (for answers a real broker will not give on demand).
   */
  registerCannedBroker(server: CannedResponseServer, brokerName: string, topics: readonly string[], queueNums = 2): Promise<void> {
    return this.registerBrokerAddress(brokerName, server.addr, topics, queueNums);
  }

  /** REGISTER_BROKER for a master at `brokerAddr` (a crashed broker's registration outlives it for 120 s). */
  async registerBrokerAddress(brokerName: string, brokerAddr: string, topics: readonly string[], queueNums = 2): Promise<void> {
    const probe = this.probeClient();
    const topicConfigTable = new Map(topics.map((topicName) => [topicName, {
      topicName, readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6, topicFilterType: 'SINGLE_TAG' as const, topicSysFlag: 0, order: false, attributes: {},
    }]));
    const body = encodeRegisterBrokerBody({ filterServerList: [], dataVersion: { counter: 1, stateVersion: 0, timestamp: Date.now() }, topicConfigTable });
    const header = RegisterBrokerRequestHeader.encode({
      brokerName, brokerAddr, clusterName: 'DefaultCluster', haServerAddr: brokerAddr, brokerId: 0,
    });
    const res = await probe.invokeSync(this.namesrvAddr, createRequestCommand(RequestCode.REGISTER_BROKER, header, body), 3_000);
    if (res.code !== ResponseCode.SUCCESS) throw new Error(`register canned broker: ${res.code} ${res.remark ?? ''}`);
  }

  /** Messages of one queue from `offset` on (a raw PULL_MESSAGE with its own subscription, no SDK code). */
  async readQueue(brokerAddr: string, topic: string, queueId: number, offset = 0, maxMsgNums = 32, decompressBody = true): Promise<MessageExt[]> {
    const header = PullMessageRequestHeader.encode({
      consumerGroup: 'apogee-test-reader', topic, queueId, queueOffset: offset, maxMsgNums, sysFlag: 0x4, commitOffset: 0,
      suspendTimeoutMillis: 0, subscription: '*', subVersion: 0, expressionType: 'TAG',
    });
    const res = await this.probeClient().invokeSync(brokerAddr, createRequestCommand(RequestCode.PULL_MESSAGE, header), 5_000);
    if (res.code !== ResponseCode.SUCCESS) return [];
    const decoded = PullMessageResponseHeader.decode(res.extFields);
    if (!decoded.ok) throw new Error(decoded.reason);
    return decodeMessageRecords(res.body ?? Buffer.alloc(0), { decompressBody, copyBody: true }).messages;
  }

  /** Every message of `topic` on `brokerAddr` (queues 0..queueNums-1). */
  async readTopic(brokerAddr: string, topic: string, queueNums: number): Promise<MessageExt[]> {
    const all: MessageExt[] = [];
    for (let q = 0; q < queueNums; q++) all.push(...(await this.readQueue(brokerAddr, topic, q)));
    return all;
  }

  private probeClient(): RemotingClient {
    this.probe ??= new RemotingClient({ logger: quietLogger('probe') });
    return this.probe;
  }

  /** Does the first broker answer `code` (not REQUEST_CODE_NOT_SUPPORTED)? */
  async brokerSupports(code: number): Promise<boolean> {
    const broker = this.brokers[0];
    if (broker === undefined) return false;
    const res = await this.probeClient().invokeSync(broker.brokerAddr, createRequestCommand(code, {}), 3_000);
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
