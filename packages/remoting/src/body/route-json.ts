// Route bodies as the Java NameServer writes them (fastjson: keys sorted, nulls omitted) and a
// total reader for the client side. brokerAddrs is a Map<Long,String>: standard JSON ("0":...) for
// clients that accept it (version >= V4_9_4 or acceptStandardJsonOnly), otherwise fastjson's
// unquoted numeric keys (0:...), which older Java and the Go client parse by hand
// (rocketmq-remoting.md §3.1.4).

import { toFastjsonString } from '@apogee/common';
import { parseLenientJson } from '@apogee/common';
import type { BrokerData, ClusterInfo, QueueData, TopicRouteData } from './route-types.js';

export interface RouteJsonOptions {
  standardJson: boolean;
}

export function topicRouteDataToJson(route: TopicRouteData, opts: RouteJsonOptions): string {
  return toFastjsonString({
    brokerDatas: route.brokerDatas.map((b) => brokerDataValue(b, opts)),
    filterServerTable: route.filterServerTable,
    orderTopicConf: route.orderTopicConf,
    queueDatas: [...route.queueDatas].sort(byBrokerName),
  });
}

export function clusterInfoToJson(info: ClusterInfo, opts: RouteJsonOptions): string {
  const brokerAddrTable: Record<string, unknown> = {};
  for (const [name, data] of info.brokerAddrTable) brokerAddrTable[name] = brokerDataValue(data, opts);
  const clusterAddrTable: Record<string, string[]> = {};
  for (const [name, names] of info.clusterAddrTable) clusterAddrTable[name] = [...names].sort();
  return toFastjsonString({ brokerAddrTable, clusterAddrTable });
}

function brokerDataValue(data: BrokerData, opts: RouteJsonOptions): Record<string, unknown> {
  // A Map with number keys is written unquoted by the fastjson writer; a plain object quoted.
  const sorted = [...data.brokerAddrs.entries()].sort(([a], [b]) => a - b);
  return {
    brokerAddrs: opts.standardJson ? Object.fromEntries(sorted.map(([id, addr]) => [String(id), addr])) : new Map(sorted),
    brokerName: data.brokerName,
    cluster: data.cluster,
    enableActingMaster: data.enableActingMaster,
    zoneName: data.zoneName,
  };
}

function byBrokerName(a: QueueData, b: QueueData): number {
  return a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0;
}

export function topicListToJson(topics: Iterable<string>, brokerAddr?: string): string {
  return toFastjsonString({ brokerAddr, topicList: [...topics] });
}

export type BodyReadResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A TopicRouteData body from any NameServer (Java or Apogee, either key flavour). */
export function parseTopicRouteData(body: Buffer | undefined): BodyReadResult<TopicRouteData> {
  const root = parseObject(body, 'route');
  if (!root.ok) return root;
  const brokerDatas: BrokerData[] = [];
  for (const raw of arrayOf(root.value['brokerDatas'])) {
    const b = readBrokerData(raw);
    if (typeof b === 'string') return { ok: false, reason: b };
    brokerDatas.push(b);
  }
  const queueDatas: QueueData[] = [];
  for (const raw of arrayOf(root.value['queueDatas'])) {
    const q = asRecord(raw);
    if (q === undefined || typeof q['brokerName'] !== 'string') return { ok: false, reason: 'route: queue data without brokerName' };
    queueDatas.push({
      brokerName: q['brokerName'],
      readQueueNums: intOf(q['readQueueNums']),
      writeQueueNums: intOf(q['writeQueueNums']),
      perm: intOf(q['perm']),
      topicSysFlag: intOf(q['topicSysFlag'] ?? q['topicSynFlag']),
    });
  }
  const filterServerTable: Record<string, string[]> = {};
  for (const [addr, list] of Object.entries(asRecord(root.value['filterServerTable']) ?? {})) {
    filterServerTable[addr] = arrayOf(list).filter((s): s is string => typeof s === 'string');
  }
  const route: TopicRouteData = { brokerDatas, queueDatas, filterServerTable };
  if (typeof root.value['orderTopicConf'] === 'string') route.orderTopicConf = root.value['orderTopicConf'];
  return { ok: true, value: route };
}

/** A ClusterInfo body (GET_BROKER_CLUSTER_INFO). */
export function parseClusterInfo(body: Buffer | undefined): BodyReadResult<ClusterInfo> {
  const root = parseObject(body, 'cluster info');
  if (!root.ok) return root;
  const brokerAddrTable = new Map<string, BrokerData>();
  for (const [name, raw] of Object.entries(asRecord(root.value['brokerAddrTable']) ?? {})) {
    const b = readBrokerData(raw);
    if (typeof b === 'string') return { ok: false, reason: b };
    brokerAddrTable.set(name, b);
  }
  const clusterAddrTable = new Map<string, string[]>();
  for (const [name, raw] of Object.entries(asRecord(root.value['clusterAddrTable']) ?? {})) {
    clusterAddrTable.set(name, arrayOf(raw).filter((s): s is string => typeof s === 'string'));
  }
  return { ok: true, value: { brokerAddrTable, clusterAddrTable } };
}

function readBrokerData(raw: unknown): BrokerData | string {
  const b = asRecord(raw);
  if (b === undefined || typeof b['brokerName'] !== 'string') return 'route: broker data without brokerName';
  const brokerAddrs = new Map<number, string>();
  for (const [id, addr] of Object.entries(asRecord(b['brokerAddrs']) ?? {})) {
    const n = Number(id);
    if (!Number.isInteger(n) || typeof addr !== 'string') return `route: broker ${b['brokerName']} has a bad address entry ${id}`;
    brokerAddrs.set(n, addr);
  }
  const data: BrokerData = {
    cluster: typeof b['cluster'] === 'string' ? b['cluster'] : '',
    brokerName: b['brokerName'],
    brokerAddrs,
    enableActingMaster: b['enableActingMaster'] === true,
  };
  if (typeof b['zoneName'] === 'string') data.zoneName = b['zoneName'];
  return data;
}

function parseObject(body: Buffer | undefined, what: string): BodyReadResult<Record<string, unknown>> {
  if (body === undefined || body.length === 0) return { ok: false, reason: `${what}: empty body` };
  const parsed = parseLenientJson(body.toString('utf8'));
  if (!parsed.ok) return { ok: false, reason: `${what}: ${parsed.reason}` };
  const obj = asRecord(parsed.value);
  return obj === undefined ? { ok: false, reason: `${what}: not a JSON object` } : { ok: true, value: obj };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) ? (value as Record<string, unknown>) : undefined;
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function intOf(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : 0;
}
