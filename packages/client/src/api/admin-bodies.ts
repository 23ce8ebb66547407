// Readers for the JSON bodies of admin answers (reference §3.5). Java writes maps keyed by
// MessageQueue with the object itself in key position; the lenient parser turns such a key into
// its JSON text, which is parsed back here. Maps keyed by MessageQueue become arrays sorted by
// queue, each entry carrying its `messageQueue`. Every reader throws MalformedResponseError
// (naming the address and request code) instead of returning half-read data.

import type { MessageQueue } from '@apogee/common';
import {
  type DataVersion, type JsonObject, type TopicConfig, asObject, decodeRegisterBrokerBody, isReason, messageQueueOf, parseBodyObject, readDataVersion,
} from '@apogee/remoting';
import { MalformedResponseError } from '../errors.js';
import { compareMessageQueue } from '../message-queue.js';

export interface TopicOffset {
  readonly messageQueue: MessageQueue;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** Store time (ms) of the last message; 0 when the queue is empty. */
  readonly lastUpdateTimestamp: number;
}

export interface TopicStatsTable {
  readonly offsetTable: TopicOffset[];
}

export interface OffsetWrapper {
  readonly messageQueue: MessageQueue;
  /** Queue max offset (the next offset to be written). */
  readonly brokerOffset: number;
  /** The group's committed offset. */
  readonly consumerOffset: number;
  /** [5.x] the offset the group last pulled from. */
  readonly pullOffset: number;
  /** Store time (ms) of the message at consumerOffset - 1; 0 when unknown. */
  readonly lastTimestamp: number;
}

export interface ConsumeStats {
  readonly consumeTps: number;
  readonly offsetTable: OffsetWrapper[];
}

export interface Connection {
  readonly clientId: string;
  readonly clientAddr: string;
  readonly language: string;
  readonly version: number;
}

export interface ConsumerConnection {
  readonly connectionSet: Connection[];
  readonly consumeType: string | undefined;
  readonly messageModel: string | undefined;
  readonly consumeFromWhere: string | undefined;
  /** topic -> subscription expression (subString) */
  readonly subscriptionTable: Map<string, string>;
}

export interface ProducerConnection {
  readonly connectionSet: Connection[];
}

/** One queue of a ResetOffsetBody: where INVOKE_BROKER_TO_RESET_OFFSET moved the group. */
export interface ResetOffsetEntry {
  readonly messageQueue: MessageQueue;
  readonly offset: number;
}

/** RocketMQ's RollbackStats: one queue of a client-side reset (resetOffsetByTimestampOld). */
export interface RollbackStats {
  readonly brokerName: string;
  readonly queueId: number;
  /** The queue's max offset when the reset was planned. */
  readonly brokerOffset: number;
  /** The group's committed offset before the reset. */
  readonly consumerOffset: number;
  /** The queue's offset at the timestamp (its max offset for timestamp -1). */
  readonly timestampOffset: number;
  /** The offset committed: timestampOffset, or consumerOffset when the reset was not applied. */
  readonly rollbackOffset: number;
}

/** RocketMQ's BrokerStatsItem: one view (minute, hour, day) of a stats item. */
export interface BrokerStatsItem {
  /** What was counted during the view (messages for *_NUMS items). */
  readonly sum: number;
  readonly tps: number;
  /** sum per counted call */
  readonly avgpt: number;
}

export interface BrokerStatsData {
  readonly statsMinute: BrokerStatsItem;
  readonly statsHour: BrokerStatsItem;
  readonly statsDay: BrokerStatsItem;
}

/** GET_BROKER_CONSUME_STATS: per subscription group, one ConsumeStats per topic it has offsets on. */
export interface ConsumeStatsList {
  readonly brokerAddr: string;
  /** As Java has it: a list of one-entry maps, group -> its ConsumeStats per topic. */
  readonly consumeStatsList: Array<Map<string, ConsumeStats[]>>;
  /** Backlog over every group and queue. */
  readonly totalDiff: number;
  /** [5.x] pulled but not committed, over every group and queue. */
  readonly totalInflightDiff: number;
}

/** Java's SubscriptionGroupConfig defaults, for the fields a body or a caller leaves out. */
export const SUBSCRIPTION_GROUP_DEFAULTS = {
  consumeEnable: true,
  consumeFromMinEnable: true,
  consumeBroadcastEnable: true,
  consumeMessageOrderly: false,
  retryQueueNums: 1,
  retryMaxTimes: 16,
  brokerId: 0,
  whichBrokerWhenConsumeSlowly: 1,
  notifyConsumerIdsChangedEnable: true,
  groupSysFlag: 0,
  consumeTimeoutMinute: 15,
} as const;

type SubscriptionGroupSettings = { readonly [K in keyof typeof SUBSCRIPTION_GROUP_DEFAULTS]: (typeof SUBSCRIPTION_GROUP_DEFAULTS)[K] extends boolean ? boolean : number };

/** A SubscriptionGroupConfig as a broker reports it (absent fields read as Java's defaults). */
export interface SubscriptionGroupConfigView extends SubscriptionGroupSettings {
  readonly groupName: string;
  /** [5.x] */
  readonly attributes: Map<string, string>;
}

/** GET_ALL_SUBSCRIPTIONGROUP_CONFIG's SubscriptionGroupWrapper. */
export interface SubscriptionGroupWrapper {
  readonly subscriptionGroupTable: Map<string, SubscriptionGroupConfigView>;
  /** [5.x] group -> topic -> forbidden perm bits */
  readonly forbiddenTable: Map<string, Map<string, number>>;
  readonly dataVersion: DataVersion;
}

/** GET_ALL_TOPIC_CONFIG's TopicConfigSerializeWrapper (static-topic mappings are not read). */
export interface TopicConfigSerializeWrapper {
  readonly topicConfigTable: Map<string, TopicConfig>;
  readonly dataVersion: DataVersion;
}

interface Where {
  readonly addr: string;
  readonly code: number;
}

function fail(where: Where, reason: string): never {
  throw new MalformedResponseError(where.addr, where.code, reason);
}

function root(body: Buffer | undefined, what: string, where: Where): JsonObject {
  const parsed = parseBodyObject(body, what);
  if (!parsed.ok) fail(where, parsed.reason);
  return parsed.value;
}

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return 0;
}

function objectAt(obj: JsonObject, key: string): JsonObject {
  const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : {};
}

function stringsAt(obj: JsonObject, key: string): string[] {
  const v = Object.hasOwn(obj, key) ? obj[key] : undefined;
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : [];
}

/** Entries of a map keyed by MessageQueue with object values, sorted by queue. */
function mqEntries(table: JsonObject, path: string, where: Where): Array<[MessageQueue, JsonObject]> {
  return mqKeyed(table, path, where, (value, at) => {
    const entry = asObject(value, at);
    return typeof entry === 'string' ? fail(where, entry) : entry;
  });
}

/** Entries of a map keyed by MessageQueue, each value read by `read`, sorted by queue. */
function mqKeyed<T>(table: JsonObject, path: string, where: Where, read: (value: unknown, at: string) => T): Array<[MessageQueue, T]> {
  const out: Array<[MessageQueue, T]> = [];
  for (const [key, value] of Object.entries(table)) {
    let parsedKey: unknown;
    try {
      parsedKey = JSON.parse(key);
    } catch {
      fail(where, `${path} key ${key.slice(0, 80)} is not a MessageQueue`);
    }
    const mq = messageQueueOf(parsedKey, `${path} key`);
    if (isReason(mq)) fail(where, mq.reason);
    out.push([mq, read(value, `${path}[${key}]`)]);
  }
  return out.sort(([a], [b]) => compareMessageQueue(a, b));
}

export function parseTopicList(body: Buffer | undefined, addr: string, code: number): string[] {
  return stringsAt(root(body, 'TopicList', { addr, code }), 'topicList');
}

export function parseGroupList(body: Buffer | undefined, addr: string, code: number): string[] {
  return stringsAt(root(body, 'GroupList', { addr, code }), 'groupList');
}

/** KVTable {"table":{k:v}} as a Map; non-string values are stringified. */
export function parseKVTable(body: Buffer | undefined, addr: string, code: number): Map<string, string> {
  const table = objectAt(root(body, 'KVTable', { addr, code }), 'table');
  return new Map(Object.entries(table).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
}

export function parseTopicStatsTable(body: Buffer | undefined, addr: string, code: number): TopicStatsTable {
  const where = { addr, code };
  const table = objectAt(root(body, 'TopicStatsTable', where), 'offsetTable');
  return {
    offsetTable: mqEntries(table, 'TopicStatsTable.offsetTable', where).map(([messageQueue, o]) => ({
      messageQueue, minOffset: num(o['minOffset']), maxOffset: num(o['maxOffset']), lastUpdateTimestamp: num(o['lastUpdateTimestamp']),
    })),
  };
}

export function parseConsumeStats(body: Buffer | undefined, addr: string, code: number): ConsumeStats {
  const where = { addr, code };
  return consumeStatsOf(root(body, 'ConsumeStats', where), where);
}

function consumeStatsOf(obj: JsonObject, where: Where): ConsumeStats {
  return {
    consumeTps: num(obj['consumeTps']),
    offsetTable: mqEntries(objectAt(obj, 'offsetTable'), 'ConsumeStats.offsetTable', where).map(([messageQueue, o]) => ({
      messageQueue,
      brokerOffset: num(o['brokerOffset']),
      consumerOffset: num(o['consumerOffset']),
      pullOffset: num(o['pullOffset']),
      lastTimestamp: num(o['lastTimestamp']),
    })),
  };
}

function parseConnections(obj: JsonObject): Connection[] {
  const raw = Array.isArray(obj['connectionSet']) ? (obj['connectionSet'] as unknown[]) : [];
  const out: Connection[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue;
    const c = item as JsonObject;
    out.push({
      clientId: typeof c['clientId'] === 'string' ? c['clientId'] : '',
      clientAddr: typeof c['clientAddr'] === 'string' ? c['clientAddr'] : '',
      language: typeof c['language'] === 'string' ? c['language'] : String(c['language'] ?? ''),
      version: num(c['version']),
    });
  }
  return out.sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
}

export function parseConsumerConnection(body: Buffer | undefined, addr: string, code: number): ConsumerConnection {
  const obj = root(body, 'ConsumerConnection', { addr, code });
  const subscriptionTable = new Map<string, string>();
  for (const [topic, sub] of Object.entries(objectAt(obj, 'subscriptionTable'))) {
    const subString = typeof sub === 'object' && sub !== null ? (sub as JsonObject)['subString'] : undefined;
    subscriptionTable.set(topic, typeof subString === 'string' ? subString : '*');
  }
  const text = (key: string): string | undefined => (typeof obj[key] === 'string' ? (obj[key] as string) : undefined);
  return {
    connectionSet: parseConnections(obj),
    consumeType: text('consumeType'),
    messageModel: text('messageModel'),
    consumeFromWhere: text('consumeFromWhere'),
    subscriptionTable,
  };
}

export function parseProducerConnection(body: Buffer | undefined, addr: string, code: number): ProducerConnection {
  return { connectionSet: parseConnections(root(body, 'ProducerConnection', { addr, code })) };
}

/** The JSON object of a body, for answers returned mostly as they are (TopicConfig, SubscriptionGroupConfig). */
export function parseJsonObject(body: Buffer | undefined, what: string, addr: string, code: number): JsonObject {
  return root(body, what, { addr, code });
}

/** ResetOffsetBody {"offsetTable":{{mq}:offset}} as entries sorted by queue. */
export function parseResetOffsetBody(body: Buffer | undefined, addr: string, code: number): ResetOffsetEntry[] {
  const where = { addr, code };
  const table = objectAt(root(body, 'ResetOffsetBody', where), 'offsetTable');
  return mqKeyed(table, 'ResetOffsetBody.offsetTable', where, (value) => num(value)).map(([messageQueue, offset]) => ({ messageQueue, offset }));
}

function statsItemOf(obj: JsonObject, key: string): BrokerStatsItem {
  const item = objectAt(obj, key);
  return { sum: num(item['sum']), tps: num(item['tps']), avgpt: num(item['avgpt']) };
}

export function parseBrokerStatsData(body: Buffer | undefined, addr: string, code: number): BrokerStatsData {
  const obj = root(body, 'BrokerStatsData', { addr, code });
  return { statsMinute: statsItemOf(obj, 'statsMinute'), statsHour: statsItemOf(obj, 'statsHour'), statsDay: statsItemOf(obj, 'statsDay') };
}

export function parseConsumeStatsList(body: Buffer | undefined, addr: string, code: number): ConsumeStatsList {
  const where = { addr, code };
  const obj = root(body, 'ConsumeStatsList', where);
  const rawList = obj['consumeStatsList'];
  if (rawList !== undefined && rawList !== null && !Array.isArray(rawList)) fail(where, 'ConsumeStatsList.consumeStatsList is not an array');
  const consumeStatsList = (rawList ?? []).map((item: unknown, i: number) => {
    const byGroup = asObject(item, `ConsumeStatsList.consumeStatsList[${i}]`);
    if (typeof byGroup === 'string') fail(where, byGroup);
    const groups = new Map<string, ConsumeStats[]>();
    for (const [group, list] of Object.entries(byGroup)) {
      if (!Array.isArray(list)) fail(where, `ConsumeStatsList.consumeStatsList[${i}].${group} is not an array`);
      groups.set(group, list.map((stats: unknown, j: number) => {
        const statsObj = asObject(stats, `ConsumeStatsList.consumeStatsList[${i}].${group}[${j}]`);
        return typeof statsObj === 'string' ? fail(where, statsObj) : consumeStatsOf(statsObj, where);
      }));
    }
    return groups;
  });
  return {
    brokerAddr: typeof obj['brokerAddr'] === 'string' ? obj['brokerAddr'] : addr,
    consumeStatsList,
    totalDiff: num(obj['totalDiff']),
    totalInflightDiff: num(obj['totalInflightDiff']),
  };
}

/** One entry of a SubscriptionGroupWrapper's table. */
function subscriptionGroupOf(obj: JsonObject, name: string): SubscriptionGroupConfigView {
  const D = SUBSCRIPTION_GROUP_DEFAULTS;
  const bool = (key: keyof typeof D & string, dflt: boolean): boolean => (typeof obj[key] === 'boolean' ? (obj[key] as boolean) : dflt);
  const int = (key: keyof typeof D & string, dflt: number): number => (obj[key] === undefined || obj[key] === null ? dflt : num(obj[key]));
  return {
    groupName: typeof obj['groupName'] === 'string' ? obj['groupName'] : name,
    consumeEnable: bool('consumeEnable', D.consumeEnable),
    consumeFromMinEnable: bool('consumeFromMinEnable', D.consumeFromMinEnable),
    consumeBroadcastEnable: bool('consumeBroadcastEnable', D.consumeBroadcastEnable),
    consumeMessageOrderly: bool('consumeMessageOrderly', D.consumeMessageOrderly),
    retryQueueNums: int('retryQueueNums', D.retryQueueNums),
    retryMaxTimes: int('retryMaxTimes', D.retryMaxTimes),
    brokerId: int('brokerId', D.brokerId),
    whichBrokerWhenConsumeSlowly: int('whichBrokerWhenConsumeSlowly', D.whichBrokerWhenConsumeSlowly),
    notifyConsumerIdsChangedEnable: bool('notifyConsumerIdsChangedEnable', D.notifyConsumerIdsChangedEnable),
    groupSysFlag: int('groupSysFlag', D.groupSysFlag),
    consumeTimeoutMinute: int('consumeTimeoutMinute', D.consumeTimeoutMinute),
    attributes: new Map(Object.entries(objectAt(obj, 'attributes')).map(([k, v]) => [k, String(v)])),
  };
}

export function parseSubscriptionGroupWrapper(body: Buffer | undefined, addr: string, code: number): SubscriptionGroupWrapper {
  const where = { addr, code };
  const obj = root(body, 'SubscriptionGroupWrapper', where);
  const subscriptionGroupTable = new Map<string, SubscriptionGroupConfigView>();
  for (const [name, value] of Object.entries(objectAt(obj, 'subscriptionGroupTable'))) {
    const config = asObject(value, `SubscriptionGroupWrapper.subscriptionGroupTable[${name}]`);
    if (typeof config === 'string') fail(where, config);
    subscriptionGroupTable.set(name, subscriptionGroupOf(config, name));
  }
  const forbiddenTable = new Map<string, Map<string, number>>();
  for (const [group, topics] of Object.entries(objectAt(obj, 'forbiddenTable'))) {
    const perms = typeof topics === 'object' && topics !== null && !Array.isArray(topics) ? Object.entries(topics as JsonObject) : [];
    forbiddenTable.set(group, new Map(perms.map(([topic, perm]) => [topic, num(perm)])));
  }
  return { subscriptionGroupTable, forbiddenTable, dataVersion: readDataVersion(obj['dataVersion']) };
}

/**
 * GET_ALL_TOPIC_CONFIG's body is the TopicConfigSerializeWrapper a RegisterBrokerBody carries as
 * `topicConfigSerializeWrapper`, so it is read by that body's decoder (one TopicConfig reader).
 */
export function parseTopicConfigSerializeWrapper(body: Buffer | undefined, addr: string, code: number): TopicConfigSerializeWrapper {
  if (body === undefined || body.toString('latin1', 0, Math.min(body.length, 64)).trimStart()[0] !== '{') fail({ addr, code }, 'TopicConfigSerializeWrapper: the body is not a JSON object');
  const wrapped = Buffer.concat([Buffer.from('{"topicConfigSerializeWrapper":'), body, Buffer.from('}')]);
  const decoded = decodeRegisterBrokerBody(wrapped, false);
  if (!decoded.ok) fail({ addr, code }, decoded.reason.replace(/^register body/, 'TopicConfigSerializeWrapper'));
  return { topicConfigTable: decoded.body.topicConfigTable, dataVersion: decoded.body.dataVersion };
}
