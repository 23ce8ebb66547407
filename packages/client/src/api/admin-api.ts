// Broker admin requests (reference §3.4, §2.3): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER
// (215), GET_TOPIC_STATS_INFO (202), GET_TOPIC_CONFIG (351), GET_CONSUME_STATS (208),
// GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204),
// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), DELETE_SUBSCRIPTIONGROUP (207),
// QUERY_TOPIC_CONSUME_BY_WHO (300), GET_BROKER_CONFIG (26), UPDATE_BROKER_CONFIG (25),
// GET_BROKER_RUNTIME_INFO (28), VIEW_MESSAGE_BY_ID (33), QUERY_MESSAGE (12),
// INVOKE_BROKER_TO_RESET_OFFSET (222), CLONE_GROUP_OFFSET (314), VIEW_BROKER_STATS_DATA (315),
// GET_BROKER_CONSUME_STATS (317), GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201),
// GET_ALL_TOPIC_CONFIG (21).

import { type MessageExt, type MessageQueue, decodeMessageRecords, parseJavaProperties, UNIQUE_MSG_QUERY_FLAG } from '@apogee/common';
import {
  CloneGroupOffsetRequestHeader, ConsumeMessageDirectlyResultRequestHeader, CreateTopicRequestHeader, DeleteSubscriptionGroupRequestHeader, GetConsumerRunningInfoRequestHeader, isReason, messageQueueOf, DeleteTopicRequestHeader, GetConsumeStatsInBrokerHeader, GetConsumeStatsRequestHeader,
  GetConsumerConnectionListRequestHeader, GetProducerConnectionListRequestHeader, GetTopicConfigRequestHeader,
  GetTopicStatsInfoRequestHeader, QueryMessageRequestHeader, QueryMessageResponseHeader, QueryTopicConsumeByWhoRequestHeader,
  RequestCode, ResetOffsetRequestHeader, ResponseCode, type TopicConfig, ViewBrokerStatsDataRequestHeader, ViewMessageRequestHeader, createRequestCommand, toFastjsonBuffer,
} from '@apogee/remoting';
import {
  type BrokerStatsData, type ConsumeStats, type ConsumeStatsList, type ConsumerConnection, type ProducerConnection, type ResetOffsetEntry,
  type SubscriptionGroupWrapper, type TopicConfigSerializeWrapper, type TopicStatsTable, SUBSCRIPTION_GROUP_DEFAULTS,
  parseBrokerStatsData, parseConsumeStats, parseConsumeStatsList, parseConsumerConnection, parseGroupList, parseJsonObject, parseKVTable,
  parseProducerConnection, parseResetOffsetBody, parseSubscriptionGroupWrapper, parseTopicConfigSerializeWrapper,
  parseTopicStatsTable,
} from './admin-bodies.js';
import { compareMessageQueue } from '../message-queue.js';
import { ClientRemoting, readHeader } from './client-remoting.js';

/** SubscriptionGroupConfig as the broker keeps it; unset fields take Java's defaults. */
export interface SubscriptionGroupConfig {
  readonly groupName: string;
  readonly consumeEnable?: boolean;
  readonly consumeFromMinEnable?: boolean;
  readonly consumeBroadcastEnable?: boolean;
  readonly consumeMessageOrderly?: boolean;
  readonly retryQueueNums?: number;
  readonly retryMaxTimes?: number;
  readonly brokerId?: number;
  readonly whichBrokerWhenConsumeSlowly?: number;
  readonly notifyConsumerIdsChangedEnable?: boolean;
  readonly groupSysFlag?: number;
  readonly consumeTimeoutMinute?: number;
}

export async function createAndUpdateTopicConfig(remoting: ClientRemoting, addr: string, config: TopicConfig, timeoutMs?: number): Promise<void> {
  const attributes = Object.entries(config.attributes).map(([k, v]) => `+${k}=${v}`).join(',');
  const request = ClientRemoting.request(RequestCode.UPDATE_AND_CREATE_TOPIC, CreateTopicRequestHeader, {
    topic: config.topicName, defaultTopic: 'TBW102', readQueueNums: config.readQueueNums, writeQueueNums: config.writeQueueNums,
    perm: config.perm, topicFilterType: config.topicFilterType, topicSysFlag: config.topicSysFlag, order: config.order,
    ...(attributes === '' ? {} : { attributes }),
  });
  await remoting.invokeExpect(addr, request, timeoutMs);
}

export async function deleteTopicInBroker(remoting: ClientRemoting, addr: string, topic: string, timeoutMs?: number): Promise<void> {
  await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.DELETE_TOPIC_IN_BROKER, DeleteTopicRequestHeader, { topic }), timeoutMs);
}

export async function getTopicStatsInfo(remoting: ClientRemoting, addr: string, topic: string, timeoutMs?: number): Promise<TopicStatsTable> {
  const response = await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.GET_TOPIC_STATS_INFO, GetTopicStatsInfoRequestHeader, { topic }), timeoutMs);
  return parseTopicStatsTable(response.body, addr, RequestCode.GET_TOPIC_STATS_INFO);
}

/** [5.x] The broker's TopicConfig of `topic` as JSON (fields as Java writes them). */
export async function getTopicConfig(remoting: ClientRemoting, addr: string, topic: string, timeoutMs?: number): Promise<Record<string, unknown>> {
  const response = await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.GET_TOPIC_CONFIG, GetTopicConfigRequestHeader, { topic }), timeoutMs);
  return parseJsonObject(response.body, 'TopicConfig', addr, RequestCode.GET_TOPIC_CONFIG);
}

export async function getConsumeStats(remoting: ClientRemoting, addr: string, consumerGroup: string, topic: string | undefined, timeoutMs?: number): Promise<ConsumeStats> {
  const request = ClientRemoting.request(RequestCode.GET_CONSUME_STATS, GetConsumeStatsRequestHeader, { consumerGroup, ...(topic === undefined ? {} : { topic }) });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return parseConsumeStats(response.body, addr, RequestCode.GET_CONSUME_STATS);
}

export async function getConsumerConnectionList(remoting: ClientRemoting, addr: string, consumerGroup: string, timeoutMs?: number): Promise<ConsumerConnection> {
  const request = ClientRemoting.request(RequestCode.GET_CONSUMER_CONNECTION_LIST, GetConsumerConnectionListRequestHeader, { consumerGroup });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return parseConsumerConnection(response.body, addr, RequestCode.GET_CONSUMER_CONNECTION_LIST);
}

export async function getProducerConnectionList(remoting: ClientRemoting, addr: string, producerGroup: string, timeoutMs?: number): Promise<ProducerConnection> {
  const request = ClientRemoting.request(RequestCode.GET_PRODUCER_CONNECTION_LIST, GetProducerConnectionListRequestHeader, { producerGroup });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return parseProducerConnection(response.body, addr, RequestCode.GET_PRODUCER_CONNECTION_LIST);
}

export async function createAndUpdateSubscriptionGroupConfig(remoting: ClientRemoting, addr: string, config: SubscriptionGroupConfig, timeoutMs?: number): Promise<void> {
  const D = SUBSCRIPTION_GROUP_DEFAULTS;
  const body = toFastjsonBuffer({
    groupName: config.groupName,
    consumeEnable: config.consumeEnable ?? D.consumeEnable,
    consumeFromMinEnable: config.consumeFromMinEnable ?? D.consumeFromMinEnable,
    consumeBroadcastEnable: config.consumeBroadcastEnable ?? D.consumeBroadcastEnable,
    consumeMessageOrderly: config.consumeMessageOrderly ?? D.consumeMessageOrderly,
    retryQueueNums: config.retryQueueNums ?? D.retryQueueNums,
    retryMaxTimes: config.retryMaxTimes ?? D.retryMaxTimes,
    brokerId: config.brokerId ?? D.brokerId,
    whichBrokerWhenConsumeSlowly: config.whichBrokerWhenConsumeSlowly ?? D.whichBrokerWhenConsumeSlowly,
    notifyConsumerIdsChangedEnable: config.notifyConsumerIdsChangedEnable ?? D.notifyConsumerIdsChangedEnable,
    groupSysFlag: config.groupSysFlag ?? D.groupSysFlag,
    consumeTimeoutMinute: config.consumeTimeoutMinute ?? D.consumeTimeoutMinute,
  });
  await remoting.invokeExpect(addr, createRequestCommand(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, {}, body), timeoutMs);
}

export async function deleteSubscriptionGroup(remoting: ClientRemoting, addr: string, groupName: string, cleanOffset: boolean, timeoutMs?: number): Promise<void> {
  const request = ClientRemoting.request(RequestCode.DELETE_SUBSCRIPTIONGROUP, DeleteSubscriptionGroupRequestHeader, { groupName, cleanOffset, removeOffset: cleanOffset });
  await remoting.invokeExpect(addr, request, timeoutMs);
}

export async function queryTopicConsumeByWho(remoting: ClientRemoting, addr: string, topic: string, timeoutMs?: number): Promise<string[]> {
  const response = await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, QueryTopicConsumeByWhoRequestHeader, { topic }), timeoutMs);
  return parseGroupList(response.body, addr, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO);
}

/** The broker's configuration (GET_BROKER_CONFIG: a properties text body). */
export async function getBrokerConfig(remoting: ClientRemoting, addr: string, timeoutMs?: number): Promise<Map<string, string>> {
  const response = await remoting.invokeExpect(addr, createRequestCommand(RequestCode.GET_BROKER_CONFIG), timeoutMs);
  return parseJavaProperties(response.body?.toString('utf8') ?? '');
}

export async function updateBrokerConfig(remoting: ClientRemoting, addr: string, properties: ReadonlyMap<string, string>, timeoutMs?: number): Promise<void> {
  const text = [...properties].map(([k, v]) => `${k}=${v}`).join('\n');
  await remoting.invokeExpect(addr, createRequestCommand(RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from(text, 'utf8')), timeoutMs);
}

/** GET_BROKER_RUNTIME_INFO: the KVTable as a Map (brokerVersionDesc, putTps, ...). */
export async function getBrokerRuntimeInfo(remoting: ClientRemoting, addr: string, timeoutMs?: number): Promise<Map<string, string>> {
  const response = await remoting.invokeExpect(addr, createRequestCommand(RequestCode.GET_BROKER_RUNTIME_INFO), timeoutMs);
  return parseKVTable(response.body, addr, RequestCode.GET_BROKER_RUNTIME_INFO);
}

/** The message stored at commit-log offset `offset` of the broker at `addr`. */
export async function viewMessageByOffset(remoting: ClientRemoting, addr: string, offset: number, topic: string | undefined, timeoutMs?: number): Promise<MessageExt | undefined> {
  const request = ClientRemoting.request(RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader, { offset, ...(topic === undefined ? {} : { topic }) });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return decodeMessageRecords(response.body ?? Buffer.alloc(0), { decompressBody: true, copyBody: true }).messages[0];
}

export interface QueryMessageSpec {
  readonly topic: string;
  readonly key: string;
  readonly maxNum: number;
  readonly beginTimestampMs: number;
  readonly endTimestampMs: number;
  readonly isUniqKey: boolean;
}

/** QUERY_MESSAGE to one broker: candidates from its index (the caller filters); [] when it has none. */
export async function queryMessage(remoting: ClientRemoting, addr: string, spec: QueryMessageSpec, timeoutMs?: number): Promise<{ indexLastUpdateTimestamp: number; messages: MessageExt[] }> {
  const request = ClientRemoting.request(RequestCode.QUERY_MESSAGE, QueryMessageRequestHeader, {
    topic: spec.topic, key: spec.key, maxNum: spec.maxNum, beginTimestamp: spec.beginTimestampMs, endTimestamp: spec.endTimestampMs,
    [UNIQUE_MSG_QUERY_FLAG]: spec.isUniqKey,
  });
  const response = await remoting.invokeExpect(addr, request, timeoutMs, FOUND_OR_NOT);
  if (response.code === ResponseCode.QUERY_NOT_FOUND) return { indexLastUpdateTimestamp: 0, messages: [] };
  const header = readHeader(QueryMessageResponseHeader, response, addr, RequestCode.QUERY_MESSAGE);
  const messages = decodeMessageRecords(response.body ?? Buffer.alloc(0), { decompressBody: true, copyBody: true }).messages;
  return { indexLastUpdateTimestamp: header.indexLastUpdateTimestamp, messages };
}

export interface ConsumerRunningInfoView {
  /** PROP_* and the consumer's settings. */
  readonly properties: Map<string, string>;
  /** topic -> subscription expression */
  readonly subscriptions: Map<string, string>;
  /** Owned queues with their ProcessQueueInfo fields (commitOffset, cachedMsgCount, locked...). */
  readonly mqTable: Array<{ readonly messageQueue: MessageQueue; readonly info: Record<string, unknown> }>;
}

/** GET_CONSUMER_RUNNING_INFO through a broker, which relays it to the client `clientId`. */
export async function getConsumerRunningInfo(remoting: ClientRemoting, addr: string, consumerGroup: string, clientId: string, jstackEnable: boolean, timeoutMs?: number): Promise<ConsumerRunningInfoView> {
  const request = ClientRemoting.request(RequestCode.GET_CONSUMER_RUNNING_INFO, GetConsumerRunningInfoRequestHeader, { consumerGroup, clientId, jstackEnable });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  const root = parseJsonObject(response.body, 'ConsumerRunningInfo', addr, RequestCode.GET_CONSUMER_RUNNING_INFO);
  const properties = new Map(Object.entries(asRecord(root['properties'])).map(([k, v]) => [k, String(v)]));
  const subscriptions = new Map<string, string>();
  for (const sub of Array.isArray(root['subscriptionSet']) ? root['subscriptionSet'] : []) {
    const s = asRecord(sub);
    if (typeof s['topic'] === 'string') subscriptions.set(s['topic'], typeof s['subString'] === 'string' ? s['subString'] : '*');
  }
  const mqTable: ConsumerRunningInfoView['mqTable'] = [];
  for (const [key, value] of Object.entries(asRecord(root['mqTable']))) {
    let parsedKey: unknown;
    try {
      parsedKey = JSON.parse(key);
    } catch {
      continue;
    }
    const mq = messageQueueOf(parsedKey, 'mqTable key');
    if (!isReason(mq)) mqTable.push({ messageQueue: mq, info: asRecord(value) });
  }
  mqTable.sort((a, b) => compareMessageQueue(a.messageQueue, b.messageQueue));
  return { properties, subscriptions, mqTable };
}

export interface ConsumeMessageDirectlyAnswer {
  readonly order: boolean;
  readonly autoCommit: boolean;
  /** CR_SUCCESS, CR_LATER, CR_ROLLBACK, CR_COMMIT, CR_THROW_EXCEPTION, CR_RETURN_NULL */
  readonly consumeResult: string;
  readonly remark: string;
  readonly spentTimeMills: number;
}

/** CONSUME_MESSAGE_DIRECTLY: the broker attaches the message at `offsetMsgId` and relays it to `clientId`. */
export async function consumeMessageDirectly(remoting: ClientRemoting, addr: string, consumerGroup: string, clientId: string, topic: string, offsetMsgId: string, timeoutMs?: number): Promise<ConsumeMessageDirectlyAnswer> {
  const request = ClientRemoting.request(RequestCode.CONSUME_MESSAGE_DIRECTLY, ConsumeMessageDirectlyResultRequestHeader, { consumerGroup, clientId, msgId: offsetMsgId, topic });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  const root = parseJsonObject(response.body, 'ConsumeMessageDirectlyResult', addr, RequestCode.CONSUME_MESSAGE_DIRECTLY);
  return {
    order: root['order'] === true,
    autoCommit: root['autoCommit'] !== false,
    consumeResult: typeof root['consumeResult'] === 'string' ? root['consumeResult'] : '',
    remark: typeof root['remark'] === 'string' ? root['remark'] : '',
    spentTimeMills: typeof root['spentTimeMills'] === 'number' ? root['spentTimeMills'] : 0,
  };
}

export interface ResetOffsetSpec {
  readonly topic: string;
  readonly group: string;
  /** ms; -1 = every queue to its max offset */
  readonly timestampMs: number;
  readonly isForce: boolean;
  /** Sends the request as a C++ client (the broker then tells the clients in ResetOffsetBodyForC). */
  readonly isC: boolean;
}

/**
 * INVOKE_BROKER_TO_RESET_OFFSET to one broker: the offsets it moved the group to. A broker that
 * cannot reach a consumer of the group answers CONSUMER_NOT_ONLINE (206), an MQBrokerError here.
 */
export async function invokeBrokerToResetOffset(remoting: ClientRemoting, addr: string, spec: ResetOffsetSpec, timeoutMs?: number): Promise<ResetOffsetEntry[]> {
  const header = { topic: spec.topic, group: spec.group, timestamp: spec.timestampMs, isForce: spec.isForce, offset: -1 };
  const request = ClientRemoting.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, ResetOffsetRequestHeader, header);
  const response = await remoting.invokeExpect(addr, spec.isC ? { ...request, language: 'CPP' } : request, timeoutMs);
  return parseResetOffsetBody(response.body, addr, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET);
}

/** CLONE_GROUP_OFFSET: the broker copies srcGroup's committed offsets (on `topic`, or every topic) to destGroup. */
export async function cloneGroupOffset(remoting: ClientRemoting, addr: string, srcGroup: string, destGroup: string, topic: string | undefined, offline: boolean, timeoutMs?: number): Promise<void> {
  const request = ClientRemoting.request(RequestCode.CLONE_GROUP_OFFSET, CloneGroupOffsetRequestHeader, { srcGroup, destGroup, offline, ...(topic === undefined ? {} : { topic }) });
  await remoting.invokeExpect(addr, request, timeoutMs);
}

/** VIEW_BROKER_STATS_DATA: one stats item (e.g. TOPIC_PUT_NUMS / topic); SYSTEM_ERROR when the broker counted nothing under it. */
export async function viewBrokerStatsData(remoting: ClientRemoting, addr: string, statsName: string, statsKey: string, timeoutMs?: number): Promise<BrokerStatsData> {
  const response = await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.VIEW_BROKER_STATS_DATA, ViewBrokerStatsDataRequestHeader, { statsName, statsKey }), timeoutMs);
  return parseBrokerStatsData(response.body, addr, RequestCode.VIEW_BROKER_STATS_DATA);
}

/** GET_BROKER_CONSUME_STATS: every subscription group's progress on this broker (only ordered topics with isOrder). */
export async function fetchConsumeStatsInBroker(remoting: ClientRemoting, addr: string, isOrder: boolean, timeoutMs?: number): Promise<ConsumeStatsList> {
  const response = await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.GET_BROKER_CONSUME_STATS, GetConsumeStatsInBrokerHeader, { isOrder }), timeoutMs);
  return parseConsumeStatsList(response.body, addr, RequestCode.GET_BROKER_CONSUME_STATS);
}

/**
 * GET_ALL_SUBSCRIPTIONGROUP_CONFIG without paging fields, as clients up to 5.3.3 send it: brokers
 * then answer the whole table at once (later RocketMQ brokers page only when asked to).
 */
export async function getAllSubscriptionGroup(remoting: ClientRemoting, addr: string, timeoutMs?: number): Promise<SubscriptionGroupWrapper> {
  const response = await remoting.invokeExpect(addr, createRequestCommand(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG), timeoutMs);
  return parseSubscriptionGroupWrapper(response.body, addr, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG);
}

/** GET_ALL_TOPIC_CONFIG without paging fields (the whole table at once, see getAllSubscriptionGroup). */
export async function getAllTopicConfig(remoting: ClientRemoting, addr: string, timeoutMs?: number): Promise<TopicConfigSerializeWrapper> {
  const response = await remoting.invokeExpect(addr, createRequestCommand(RequestCode.GET_ALL_TOPIC_CONFIG), timeoutMs);
  return parseTopicConfigSerializeWrapper(response.body, addr, RequestCode.GET_ALL_TOPIC_CONFIG);
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

const FOUND_OR_NOT: ReadonlySet<number> = new Set([ResponseCode.SUCCESS, ResponseCode.QUERY_NOT_FOUND]);
