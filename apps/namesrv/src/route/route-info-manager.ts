// The NameServer's route table: which clusters hold which broker names, which addresses serve
// each broker name (id 0 = master), which brokers carry each topic's queues, and when each
// broker last checked in. Broker registrations are the only writer; everything is in memory and
// rebuilt from the next round of registrations after a restart.

import { type Clock, type Logger, PermName } from '@apogee/common';
import {
  type BrokerData, type ClusterInfo, type DataVersion, type QueueData, type TopicConfig,
  type TopicRouteData, dataVersionEquals, queueDataEquals,
} from '@apogee/remoting';

export const BROKER_CHANNEL_EXPIRED_TIME_MS = 120_000; // brokers silent this long are removed
export const REGISTERED_BROKER_ADDRS_MAX = 4096;
export const TOPICS_MAX = 1_000_000;
const TOPIC_SYS_FLAG_UNIT = 1;
const TOPIC_SYS_FLAG_UNIT_SUB = 2;

export interface RegisterBrokerRequest {
  clusterName: string;
  brokerAddr: string;
  brokerName: string;
  brokerId: number;
  haServerAddr: string;
  zoneName?: string;
  heartbeatTimeoutMs?: number;
  enableActingMaster?: boolean;
  topicConfigs?: { dataVersion: DataVersion; topicConfigTable: Map<string, TopicConfig> };
  filterServerList: string[];
  /** identifies the connection the registration came on, so its close can unregister */
  channelId: number;
}

export interface RegisterBrokerResult {
  masterAddr?: string;
  haServerAddr?: string;
}

interface BrokerLiveInfo {
  clusterName: string;
  brokerAddr: string;
  lastUpdateMs: number;
  heartbeatTimeoutMs: number;
  dataVersion: DataVersion | undefined;
  channelId: number;
  haServerAddr: string;
}

export class RouteInfoManager {
  private readonly topicQueueTable = new Map<string, Map<string, QueueData>>();
  private readonly brokerAddrTable = new Map<string, BrokerData>();
  private readonly clusterAddrTable = new Map<string, Set<string>>();
  /** key: `${clusterName}\u0000${brokerAddr}` */
  private readonly brokerLiveTable = new Map<string, BrokerLiveInfo>();
  private readonly filterServerTable = new Map<string, string[]>();

  constructor(
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly options: { deleteTopicWithBrokerRegistration: boolean } = { deleteTopicWithBrokerRegistration: false },
  ) {}

  registerBroker(req: RegisterBrokerRequest): RegisterBrokerResult | { error: string } {
    const liveKey = liveKeyOf(req.clusterName, req.brokerAddr);
    if (!this.brokerLiveTable.has(liveKey) && this.brokerLiveTable.size >= REGISTERED_BROKER_ADDRS_MAX) {
      return { error: `route table full: ${REGISTERED_BROKER_ADDRS_MAX} broker addresses registered` };
    }
    let names = this.clusterAddrTable.get(req.clusterName);
    if (names === undefined) this.clusterAddrTable.set(req.clusterName, (names = new Set()));
    names.add(req.brokerName);

    let brokerData = this.brokerAddrTable.get(req.brokerName);
    let registerFirst = brokerData === undefined;
    if (brokerData === undefined) {
      brokerData = { cluster: req.clusterName, brokerName: req.brokerName, brokerAddrs: new Map(), enableActingMaster: false };
      if (req.zoneName !== undefined) brokerData.zoneName = req.zoneName;
      this.brokerAddrTable.set(req.brokerName, brokerData);
    }
    brokerData.enableActingMaster = req.enableActingMaster ?? false;
    // The same address under another id means a role switch (e.g. slave promoted): drop the old id.
    for (const [id, addr] of brokerData.brokerAddrs) {
      if (addr === req.brokerAddr && id !== req.brokerId) brokerData.brokerAddrs.delete(id);
    }
    const previousAddr = brokerData.brokerAddrs.get(req.brokerId);
    registerFirst ||= previousAddr === undefined;
    brokerData.brokerAddrs.set(req.brokerId, req.brokerAddr);

    const isMaster = req.brokerId === 0;
    if (isMaster && req.topicConfigs !== undefined) {
      const previous = this.brokerLiveTable.get(liveKey)?.dataVersion;
      if (registerFirst || !dataVersionEquals(previous, req.topicConfigs.dataVersion)) {
        this.applyTopicConfigs(req.brokerName, req.topicConfigs.topicConfigTable);
      }
    }

    this.brokerLiveTable.set(liveKey, {
      clusterName: req.clusterName,
      brokerAddr: req.brokerAddr,
      lastUpdateMs: this.clock.nowMs(),
      heartbeatTimeoutMs: req.heartbeatTimeoutMs ?? BROKER_CHANNEL_EXPIRED_TIME_MS,
      dataVersion: req.topicConfigs?.dataVersion,
      channelId: req.channelId,
      haServerAddr: req.haServerAddr,
    });
    if (req.filterServerList.length > 0) this.filterServerTable.set(liveKey, req.filterServerList);
    else this.filterServerTable.delete(liveKey);
    if (registerFirst) {
      this.log.info({ cluster: req.clusterName, broker: req.brokerName, id: req.brokerId, addr: req.brokerAddr }, 'broker registered');
    }

    if (isMaster) return {};
    const masterAddr = brokerData.brokerAddrs.get(0);
    if (masterAddr === undefined) return {};
    const masterLive = this.brokerLiveTable.get(liveKeyOf(req.clusterName, masterAddr));
    return masterLive === undefined ? {} : { masterAddr, haServerAddr: masterLive.haServerAddr };
  }

  private applyTopicConfigs(brokerName: string, table: Map<string, TopicConfig>): void {
    for (const config of table.values()) {
      const queueData: QueueData = {
        brokerName,
        readQueueNums: config.readQueueNums,
        writeQueueNums: config.writeQueueNums,
        perm: config.perm,
        topicSysFlag: config.topicSysFlag,
      };
      let byBroker = this.topicQueueTable.get(config.topicName);
      if (byBroker === undefined) {
        if (this.topicQueueTable.size >= TOPICS_MAX) {
          this.log.warn({ topic: config.topicName, limit: TOPICS_MAX }, 'topic not added: route table holds the maximum number of topics');
          continue;
        }
        this.topicQueueTable.set(config.topicName, (byBroker = new Map()));
      }
      const old = byBroker.get(brokerName);
      if (old === undefined || !queueDataEquals(old, queueData)) byBroker.set(brokerName, queueData);
    }
    if (this.options.deleteTopicWithBrokerRegistration) {
      for (const [topic, byBroker] of this.topicQueueTable) {
        if (!table.has(topic) && byBroker.delete(brokerName) && byBroker.size === 0) this.topicQueueTable.delete(topic);
      }
    }
  }

  /** Refreshes a broker's liveness without a full registration (QUERY_DATA_VERSION, BROKER_HEARTBEAT). */
  touchBroker(clusterName: string, brokerAddr: string): void {
    const live = this.brokerLiveTable.get(liveKeyOf(clusterName, brokerAddr));
    if (live !== undefined) live.lastUpdateMs = this.clock.nowMs();
  }

  isBrokerTopicConfigChanged(clusterName: string, brokerAddr: string, dataVersion: DataVersion): boolean {
    const live = this.brokerLiveTable.get(liveKeyOf(clusterName, brokerAddr));
    return live === undefined || !dataVersionEquals(live.dataVersion, dataVersion);
  }

  queryBrokerDataVersion(clusterName: string, brokerAddr: string): DataVersion | undefined {
    return this.brokerLiveTable.get(liveKeyOf(clusterName, brokerAddr))?.dataVersion;
  }

  unregisterBroker(clusterName: string, brokerAddr: string, brokerName: string, brokerId: number): void {
    this.brokerLiveTable.delete(liveKeyOf(clusterName, brokerAddr));
    this.filterServerTable.delete(liveKeyOf(clusterName, brokerAddr));
    const brokerData = this.brokerAddrTable.get(brokerName);
    if (brokerData !== undefined && brokerData.brokerAddrs.get(brokerId) === brokerAddr) brokerData.brokerAddrs.delete(brokerId);
    this.removeBrokerNameIfEmpty(clusterName, brokerName);
    this.log.info({ cluster: clusterName, broker: brokerName, id: brokerId, addr: brokerAddr }, 'broker unregistered');
  }

  /** A connection closed: forget every broker that registered over it. */
  onChannelDestroy(channelId: number): void {
    for (const live of [...this.brokerLiveTable.values()]) {
      if (live.channelId === channelId) this.removeBrokerAddr(live, 'connection closed');
    }
  }

  /** Removes brokers whose last registration is older than their heartbeat timeout; returns how many. */
  scanNotActiveBroker(): number {
    const now = this.clock.nowMs();
    let removed = 0;
    for (const live of [...this.brokerLiveTable.values()]) {
      if (live.lastUpdateMs + live.heartbeatTimeoutMs < now) {
        this.removeBrokerAddr(live, `silent for ${now - live.lastUpdateMs} ms`);
        removed++;
      }
    }
    return removed;
  }

  private removeBrokerAddr(live: BrokerLiveInfo, reason: string): void {
    const key = liveKeyOf(live.clusterName, live.brokerAddr);
    this.brokerLiveTable.delete(key);
    this.filterServerTable.delete(key);
    for (const brokerData of this.brokerAddrTable.values()) {
      if (brokerData.cluster !== live.clusterName) continue;
      for (const [id, addr] of brokerData.brokerAddrs) {
        if (addr !== live.brokerAddr) continue;
        brokerData.brokerAddrs.delete(id);
        this.log.warn({ cluster: live.clusterName, broker: brokerData.brokerName, id, addr, reason }, 'broker removed from routes');
        this.removeBrokerNameIfEmpty(live.clusterName, brokerData.brokerName);
      }
    }
  }

  private removeBrokerNameIfEmpty(clusterName: string, brokerName: string): void {
    const brokerData = this.brokerAddrTable.get(brokerName);
    if (brokerData === undefined || brokerData.brokerAddrs.size > 0) return;
    this.brokerAddrTable.delete(brokerName);
    const names = this.clusterAddrTable.get(clusterName);
    names?.delete(brokerName);
    if (names !== undefined && names.size === 0) this.clusterAddrTable.delete(clusterName);
    for (const [topic, byBroker] of this.topicQueueTable) {
      if (byBroker.delete(brokerName) && byBroker.size === 0) this.topicQueueTable.delete(topic);
    }
  }

  pickupTopicRouteData(topic: string): TopicRouteData | undefined {
    const byBroker = this.topicQueueTable.get(topic);
    if (byBroker === undefined || byBroker.size === 0) return undefined;
    const route: TopicRouteData = { brokerDatas: [], queueDatas: [], filterServerTable: {} };
    for (const [brokerName, queueData] of byBroker) {
      route.queueDatas.push({ ...queueData });
      const brokerData = this.brokerAddrTable.get(brokerName);
      if (brokerData === undefined) continue;
      route.brokerDatas.push(cloneBrokerData(brokerData));
      for (const addr of brokerData.brokerAddrs.values()) {
        const servers = this.filterServerTable.get(liveKeyOf(brokerData.cluster, addr));
        if (servers !== undefined) route.filterServerTable[addr] = [...servers];
      }
    }
    return route.brokerDatas.length > 0 ? route : undefined;
  }

  getAllClusterInfo(): ClusterInfo {
    const brokerAddrTable = new Map<string, BrokerData>();
    for (const [name, data] of this.brokerAddrTable) brokerAddrTable.set(name, cloneBrokerData(data));
    const clusterAddrTable = new Map<string, string[]>();
    for (const [cluster, names] of this.clusterAddrTable) clusterAddrTable.set(cluster, [...names]);
    return { brokerAddrTable, clusterAddrTable };
  }

  getAllTopicList(): string[] {
    return [...this.topicQueueTable.keys()];
  }

  getTopicsByCluster(clusterName: string): string[] {
    const names = this.clusterAddrTable.get(clusterName);
    if (names === undefined) return [];
    const topics: string[] = [];
    for (const [topic, byBroker] of this.topicQueueTable) {
      for (const brokerName of byBroker.keys()) {
        if (names.has(brokerName)) {
          topics.push(topic);
          break;
        }
      }
    }
    return topics;
  }

  /** Cluster and broker names (the topics brokers create after themselves) and one master address. */
  getSystemTopicList(): { topicList: string[]; brokerAddr?: string } {
    const topicList: string[] = [];
    let brokerAddr: string | undefined;
    for (const [cluster, names] of this.clusterAddrTable) {
      topicList.push(cluster);
      for (const name of names) {
        topicList.push(name);
        brokerAddr ??= this.brokerAddrTable.get(name)?.brokerAddrs.get(0);
      }
    }
    return brokerAddr === undefined ? { topicList } : { topicList, brokerAddr };
  }

  /** Topics whose queue data all match `pred` on some broker (unit topic lists, 311-313). */
  getTopicsBySysFlag(kind: 'unit' | 'unitSub' | 'unitSubNotUnit'): string[] {
    const pred = (flag: number): boolean =>
      kind === 'unit' ? (flag & TOPIC_SYS_FLAG_UNIT) !== 0
        : kind === 'unitSub' ? (flag & TOPIC_SYS_FLAG_UNIT_SUB) !== 0
          : (flag & TOPIC_SYS_FLAG_UNIT) === 0 && (flag & TOPIC_SYS_FLAG_UNIT_SUB) !== 0;
    const topics: string[] = [];
    for (const [topic, byBroker] of this.topicQueueTable) {
      const first = byBroker.values().next();
      if (!first.done && pred(first.value.topicSysFlag)) topics.push(topic);
    }
    return topics;
  }

  deleteTopic(topic: string, clusterName?: string): void {
    if (clusterName === undefined || clusterName === '') {
      this.topicQueueTable.delete(topic);
      return;
    }
    const byBroker = this.topicQueueTable.get(topic);
    const names = this.clusterAddrTable.get(clusterName);
    if (byBroker === undefined || names === undefined) return;
    for (const name of names) byBroker.delete(name);
    if (byBroker.size === 0) this.topicQueueTable.delete(topic);
  }

  /** REGISTER_TOPIC_IN_NAMESRV: queue data for brokers that are registered; others are ignored. */
  registerTopic(topic: string, queueDatas: QueueData[]): void {
    const known = queueDatas.filter((q) => this.brokerAddrTable.has(q.brokerName));
    if (known.length === 0) return;
    let byBroker = this.topicQueueTable.get(topic);
    if (byBroker === undefined) {
      if (this.topicQueueTable.size >= TOPICS_MAX) return;
      this.topicQueueTable.set(topic, (byBroker = new Map()));
    }
    for (const q of known) byBroker.set(q.brokerName, { ...q });
  }

  /** Sets or clears the write bit of every queue the broker name serves; returns how many topics changed. */
  setWritePermOfBroker(brokerName: string, writable: boolean): number {
    let count = 0;
    for (const byBroker of this.topicQueueTable.values()) {
      const queueData = byBroker.get(brokerName);
      if (queueData === undefined) continue;
      queueData.perm = writable ? queueData.perm | PermName.PERM_WRITE : queueData.perm & ~PermName.PERM_WRITE;
      count++;
    }
    return count;
  }

  liveBrokerCount(): number {
    return this.brokerLiveTable.size;
  }
}

function liveKeyOf(clusterName: string, brokerAddr: string): string {
  return `${clusterName}\u0000${brokerAddr}`;
}

function cloneBrokerData(data: BrokerData): BrokerData {
  const copy: BrokerData = { ...data, brokerAddrs: new Map(data.brokerAddrs) };
  return copy;
}
