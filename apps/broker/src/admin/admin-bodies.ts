// JSON bodies of admin answers, in the shapes fastjson writes for RocketMQ's classes (reference
// §3.5), keys sorted, null members left out:
//   TopicStatsTable   {"offsetTable":{{mq}:{"lastUpdateTimestamp","maxOffset","minOffset"}},"topicPutTps"}
//   ConsumeStats      {"consumeTps","offsetTable":{{mq}:{"brokerOffset","consumerOffset","lastTimestamp","pullOffset"}}}
//   ResetOffsetBody   {"offsetTable":{{mq}:offset}}
//   ConsumerConnection {"connectionSet":[Connection],"consumeFromWhere","consumeType","messageModel","subscriptionTable":{topic:SubscriptionData}}
//   ProducerConnection {"connectionSet":[{"clientAddr","clientId","language","version"}]}
//   KVTable {"table":{}}, GroupList {"groupList":[]}, TopicList {"brokerAddr","topicList":[]}
//   BrokerStatsData {"statsDay","statsHour","statsMinute"}: {"avgpt","sum","tps"}
//   ConsumeStatsList {"brokerAddr","consumeStatsList":[{group:[ConsumeStats]}],"totalDiff","totalInflightDiff"}
// Maps keyed by MessageQueue are JS Maps with the queue object as key: the fastjson writer puts
// the object itself in key position ({{"brokerName":"b","queueId":0,"topic":"T"}:5}), which is
// what Java writes and what its ConsumeStats/TopicStatsTable decoders read.

import type { MessageQueue } from '@apogee/common';
import { type TopicConfig, type DataVersion, type SubscriptionData, subscriptionDataJson, toFastjsonBuffer } from '@apogee/remoting';
import type { ConnectionInfo } from '../client/client-channel-info.js';
import type { SubscriptionGroupConfig } from '../subscription/subscription-group-config.js';
import type { StatsSnapshot } from './stats-item.js';

/** A MessageQueue as a key object (own object per entry: the writer emits it in key position). */
export function mqKey(topic: string, brokerName: string, queueId: number): MessageQueue {
  return { brokerName, queueId, topic };
}

export interface TopicOffset {
  readonly minOffset: number;
  readonly maxOffset: number;
  /** store time (ms) of the newest message; 0 when the queue is empty */
  readonly lastUpdateTimestamp: number;
}

export function topicStatsTableBody(offsetTable: ReadonlyMap<MessageQueue, TopicOffset>, topicPutTps: number): Buffer {
  return toFastjsonBuffer({ offsetTable, topicPutTps });
}

export interface OffsetWrapper {
  /** the queue's max offset */
  readonly brokerOffset: number;
  readonly consumerOffset: number;
  /** [5.x] the offset last pulled; Apogee does not track it apart from the committed offset */
  readonly pullOffset: number;
  /** store time (ms) of the message at consumerOffset - 1; 0 when unknown */
  readonly lastTimestamp: number;
}

export interface ConsumeStats {
  consumeTps: number;
  readonly offsetTable: Map<MessageQueue, OffsetWrapper>;
}

/** RocketMQ's ConsumeStats.computeTotalDiff: the backlog over every queue. */
export function consumeStatsTotalDiff(stats: ConsumeStats): number {
  let diff = 0;
  for (const wrapper of stats.offsetTable.values()) diff += wrapper.brokerOffset - wrapper.consumerOffset;
  return diff;
}

/** computeInflightTotalDiff: pulled but not committed. */
export function consumeStatsInflightDiff(stats: ConsumeStats): number {
  let diff = 0;
  for (const wrapper of stats.offsetTable.values()) diff += wrapper.pullOffset - wrapper.consumerOffset;
  return diff;
}

export function consumeStatsBody(stats: ConsumeStats): Buffer {
  return toFastjsonBuffer(stats);
}

export function resetOffsetBody(offsetTable: ReadonlyMap<MessageQueue, number>): Buffer {
  return toFastjsonBuffer({ offsetTable });
}

/** ResetOffsetBodyForC, what RocketMQ sends C++ clients: a list instead of an object-keyed map. */
export function resetOffsetBodyForC(offsetTable: ReadonlyMap<MessageQueue, number>): Buffer {
  return toFastjsonBuffer({ offsetTable: [...offsetTable].map(([mq, offset]) => ({ ...mq, offset })) });
}

export interface ConsumerConnectionValue {
  readonly connections: readonly ConnectionInfo[];
  readonly consumeFromWhere: string;
  readonly consumeType: string;
  readonly messageModel: string;
  readonly subscriptions: Iterable<SubscriptionData>;
}

export function consumerConnectionBody(value: ConsumerConnectionValue): Buffer {
  return toFastjsonBuffer({
    connectionSet: value.connections.map(connectionJson),
    consumeFromWhere: value.consumeFromWhere,
    consumeType: value.consumeType,
    messageModel: value.messageModel,
    subscriptionTable: new Map([...value.subscriptions].map((sub) => [sub.topic, subscriptionDataJson(sub)])),
  });
}

export function producerConnectionBody(connections: readonly ConnectionInfo[]): Buffer {
  return toFastjsonBuffer({ connectionSet: connections.map(connectionJson) });
}

function connectionJson(c: ConnectionInfo): Record<string, unknown> {
  return { clientAddr: c.clientAddr, clientId: c.clientId, language: c.language, version: c.version };
}

export function kvTableBody(table: ReadonlyMap<string, string>): Buffer {
  return toFastjsonBuffer({ table });
}

export function groupListBody(groups: Iterable<string>): Buffer {
  return toFastjsonBuffer({ groupList: [...groups].sort() });
}

export function topicListBody(topics: Iterable<string>, brokerAddr?: string): Buffer {
  return toFastjsonBuffer({ brokerAddr, topicList: [...topics].sort() });
}

export interface BrokerStatsData {
  readonly statsMinute: StatsSnapshot;
  readonly statsHour: StatsSnapshot;
  readonly statsDay: StatsSnapshot;
}

export function brokerStatsDataBody(data: BrokerStatsData): Buffer {
  return toFastjsonBuffer(data);
}

export function consumeStatsListBody(brokerAddr: string, perGroup: ReadonlyMap<string, readonly ConsumeStats[]>): Buffer {
  let totalDiff = 0;
  let totalInflightDiff = 0;
  const consumeStatsList: Array<Map<string, readonly ConsumeStats[]>> = [];
  for (const [group, list] of perGroup) {
    for (const stats of list) {
      totalDiff += consumeStatsTotalDiff(stats);
      totalInflightDiff += consumeStatsInflightDiff(stats);
    }
    consumeStatsList.push(new Map([[group, list]]));
  }
  return toFastjsonBuffer({ brokerAddr, consumeStatsList, totalDiff, totalInflightDiff });
}

/** A TopicConfig as fastjson writes it (also the TopicConfigAndQueueMapping of GET_TOPIC_CONFIG). */
export function topicConfigJson(c: Readonly<TopicConfig>): Record<string, unknown> {
  return {
    attributes: new Map(Object.entries(c.attributes)), order: c.order, perm: c.perm, readQueueNums: c.readQueueNums,
    topicFilterType: c.topicFilterType, topicName: c.topicName, topicSysFlag: c.topicSysFlag, writeQueueNums: c.writeQueueNums,
  };
}

/** GET_ALL_TOPIC_CONFIG: TopicConfigAndMappingSerializeWrapper (no static-topic mappings in Apogee). */
export function topicConfigWrapperBody(dataVersion: DataVersion, table: ReadonlyMap<string, Readonly<TopicConfig>>): Buffer {
  return toFastjsonBuffer({
    dataVersion: { ...dataVersion },
    mappingDataVersion: { counter: 0, stateVersion: 0, timestamp: dataVersion.timestamp },
    topicConfigTable: new Map([...table].map(([name, c]) => [name, topicConfigJson(c)])),
    topicQueueMappingDetailMap: new Map(),
    topicQueueMappingInfoMap: new Map(),
  });
}

/** A SubscriptionGroupConfig as a 5.x broker writes it (groupRetryPolicy is Java's default; subscriptionDataSet is null there, so absent). */
export function subscriptionGroupJson(c: Readonly<SubscriptionGroupConfig>): Record<string, unknown> {
  return {
    attributes: new Map(Object.entries(c.attributes)), brokerId: c.brokerId, consumeBroadcastEnable: c.consumeBroadcastEnable,
    consumeEnable: c.consumeEnable, consumeFromMinEnable: c.consumeFromMinEnable, consumeMessageOrderly: c.consumeMessageOrderly,
    consumeTimeoutMinute: c.consumeTimeoutMinute, groupName: c.groupName, groupRetryPolicy: { type: 'CUSTOMIZED' },
    groupSysFlag: c.groupSysFlag, notifyConsumerIdsChangedEnable: c.notifyConsumerIdsChangedEnable, retryMaxTimes: c.retryMaxTimes,
    retryQueueNums: c.retryQueueNums, whichBrokerWhenConsumeSlowly: c.whichBrokerWhenConsumeSlowly,
  };
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG: SubscriptionGroupWrapper. */
export function subscriptionGroupWrapperBody(
  dataVersion: DataVersion,
  table: ReadonlyMap<string, Readonly<SubscriptionGroupConfig>>,
): Buffer {
  return toFastjsonBuffer({
    dataVersion: { ...dataVersion },
    forbiddenTable: new Map(),
    subscriptionGroupTable: new Map([...table].map(([name, c]) => [name, subscriptionGroupJson(c)])),
  });
}
