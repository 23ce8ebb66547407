// Route-table objects as the NameServer keeps and sends them. Field names are the JSON names
// Java emits (rocketmq-remoting.md §3.5); optional ones are omitted when absent.

export type { DataVersion, TopicConfig } from '@apogee/common';
export { dataVersionEquals } from '@apogee/common';

export interface QueueData {
  brokerName: string;
  readQueueNums: number;
  writeQueueNums: number;
  perm: number;
  topicSysFlag: number;
}

export interface BrokerData {
  cluster: string;
  brokerName: string;
  /** brokerId (0 = master) → "ip:port" */
  brokerAddrs: Map<number, string>;
  enableActingMaster: boolean;
  zoneName?: string;
}

export interface TopicRouteData {
  brokerDatas: BrokerData[];
  queueDatas: QueueData[];
  filterServerTable: Record<string, string[]>;
  orderTopicConf?: string;
}

export interface ClusterInfo {
  brokerAddrTable: Map<string, BrokerData>;
  clusterAddrTable: Map<string, string[]>;
}

export function queueDataEquals(a: QueueData, b: QueueData): boolean {
  return (
    a.brokerName === b.brokerName && a.readQueueNums === b.readQueueNums &&
    a.writeQueueNums === b.writeQueueNums && a.perm === b.perm && a.topicSysFlag === b.topicSysFlag
  );
}
