// Route bodies as the Java NameServer writes them: fastjson with keys sorted, nulls omitted.
// brokerAddrs is a Map<Long,String>: standard JSON ("0":...) for clients that accept it (version
// >= V4_9_4 or acceptStandardJsonOnly), otherwise fastjson's unquoted numeric keys (0:...), which
// older Java and the Go client parse by hand (rocketmq-remoting.md §3.1.4).

import type { BrokerData, ClusterInfo, QueueData, TopicRouteData } from './route-types.js';

export interface RouteJsonOptions {
  standardJson: boolean;
}

export function topicRouteDataToJson(route: TopicRouteData, opts: RouteJsonOptions): string {
  const parts = [
    `"brokerDatas":[${route.brokerDatas.map((b) => brokerDataToJson(b, opts)).join(',')}]`,
    `"filterServerTable":${JSON.stringify(sortedRecord(route.filterServerTable))}`,
  ];
  if (route.orderTopicConf !== undefined) parts.push(`"orderTopicConf":${JSON.stringify(route.orderTopicConf)}`);
  parts.push(`"queueDatas":[${[...route.queueDatas].sort(byBrokerName).map(queueDataToJson).join(',')}]`);
  return `{${parts.join(',')}}`;
}

export function clusterInfoToJson(info: ClusterInfo, opts: RouteJsonOptions): string {
  const brokers = [...info.brokerAddrTable.keys()].sort()
    .map((name) => `${JSON.stringify(name)}:${brokerDataToJson(info.brokerAddrTable.get(name)!, opts)}`);
  const clusters = [...info.clusterAddrTable.keys()].sort()
    .map((name) => `${JSON.stringify(name)}:${JSON.stringify([...info.clusterAddrTable.get(name)!].sort())}`);
  return `{"brokerAddrTable":{${brokers.join(',')}},"clusterAddrTable":{${clusters.join(',')}}}`;
}

export function brokerDataToJson(data: BrokerData, opts: RouteJsonOptions): string {
  const addrs = [...data.brokerAddrs.entries()]
    .sort(([a], [b]) => a - b)
    .map(([id, addr]) => `${opts.standardJson ? `"${id}"` : String(id)}:${JSON.stringify(addr)}`);
  const parts = [
    `"brokerAddrs":{${addrs.join(',')}}`,
    `"brokerName":${JSON.stringify(data.brokerName)}`,
    `"cluster":${JSON.stringify(data.cluster)}`,
    `"enableActingMaster":${data.enableActingMaster}`,
  ];
  if (data.zoneName !== undefined) parts.push(`"zoneName":${JSON.stringify(data.zoneName)}`);
  return `{${parts.join(',')}}`;
}

function queueDataToJson(q: QueueData): string {
  return `{"brokerName":${JSON.stringify(q.brokerName)},"perm":${q.perm},"readQueueNums":${q.readQueueNums},"topicSysFlag":${q.topicSysFlag},"writeQueueNums":${q.writeQueueNums}}`;
}

function byBrokerName(a: QueueData, b: QueueData): number {
  return a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0;
}

function sortedRecord<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]!]));
}

export function topicListToJson(topics: Iterable<string>, brokerAddr?: string): string {
  const body: { brokerAddr?: string; topicList: string[] } = { topicList: [...topics] };
  return brokerAddr === undefined ? JSON.stringify(body) : JSON.stringify({ brokerAddr, topicList: body.topicList });
}
