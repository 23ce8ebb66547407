import path from 'node:path';
import type { StoreLogger } from '../util/store-logger.js';
import { ConfigFile, type ConfigCodec } from './config-file.js';
import { parseLenientJson, type DataVersion, type TopicConfig } from '@apogee/common';
import { toFastjsonPretty, type FastjsonValue } from './fastjson.js';

// The broker's state files under <storePathRootDir>/config/ in the JSON shapes RocketMQ 5.x
// writes (reference §22), so RocketMQ tooling can read them and Apogee can read RocketMQ's
// (4.x shapes without dataVersion included). The broker owns the tables; these are their
// on-disk forms. Decoders are lenient: missing fields take RocketMQ's defaults, unknown fields
// are ignored, integer map keys may be quoted or not.

export type { DataVersion, TopicConfig } from '@apogee/common';
export { nextDataVersion } from '@apogee/common';

export interface TopicConfigTable {
  dataVersion: DataVersion;
  topicConfigTable: Map<string, TopicConfig>;
}

export interface ConsumerOffsetTable {
  dataVersion: DataVersion;
  /** `topic@group` -> queueId -> next offset to consume. */
  offsetTable: Map<string, Map<number, number>>;
}

export interface SubscriptionGroupConfig {
  groupName: string;
  consumeEnable: boolean;
  consumeFromMinEnable: boolean;
  consumeBroadcastEnable: boolean;
  consumeMessageOrderly: boolean;
  retryQueueNums: number;
  retryMaxTimes: number;
  brokerId: number;
  whichBrokerWhenConsumeSlowly: number;
  notifyConsumerIdsChangedEnable: boolean;
  groupSysFlag: number;
  consumeTimeoutMinute: number;
  attributes: Record<string, string>;
}

export interface SubscriptionGroupTable {
  dataVersion: DataVersion;
  subscriptionGroupTable: Map<string, SubscriptionGroupConfig>;
  /** group -> topic -> forbidden bits. */
  forbiddenTable: Map<string, Map<string, number>>;
}

export interface DelayOffsetTable {
  dataVersion: DataVersion;
  /** delay level -> next ConsumeQueue offset of queue level-1 to deliver. */
  offsetTable: Map<number, number>;
}

export const CONFIG_FILE_NAMES = {
  topics: 'topics.json',
  consumerOffset: 'consumerOffset.json',
  subscriptionGroup: 'subscriptionGroup.json',
  delayOffset: 'delayOffset.json',
} as const;

export function defaultTopicConfig(topicName: string): TopicConfig {
  return { topicName, readQueueNums: 16, writeQueueNums: 16, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {} };
}

export function defaultSubscriptionGroupConfig(groupName: string): SubscriptionGroupConfig {
  return {
    groupName,
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
    attributes: {},
  };
}

// ---- codecs ------------------------------------------------------------------------------

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : d);
const bool = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : d);
const str = (v: unknown, d: string): string => (typeof v === 'string' ? v : d);
const strMap = (v: unknown): Record<string, string> => (isObj(v) ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string')) as Record<string, string> : {});

function decodeDataVersion(v: unknown): DataVersion {
  const o = isObj(v) ? v : {};
  return { counter: num(o.counter, 0), stateVersion: num(o.stateVersion, 0), timestamp: num(o.timestamp, 0) };
}

function intKeyMap(v: unknown): Map<number, number> {
  const out = new Map<number, number>();
  if (!isObj(v)) return out;
  for (const [k, x] of Object.entries(v)) {
    const key = Number(k);
    if (Number.isInteger(key) && typeof x === 'number') out.set(key, x);
  }
  return out;
}

function rootObject(text: string): { ok: true; value: Obj } | { ok: false; reason: string } {
  const r = parseLenientJson(text);
  if (!r.ok) return r;
  if (!isObj(r.value)) return { ok: false, reason: 'top level is not an object' };
  return { ok: true, value: r.value };
}

function dv(v: DataVersion): FastjsonValue {
  return { counter: v.counter, stateVersion: v.stateVersion, timestamp: v.timestamp };
}

export const topicConfigCodec: ConfigCodec<TopicConfigTable> = {
  encode: (t) =>
    toFastjsonPretty({
      dataVersion: dv(t.dataVersion),
      topicConfigTable: new Map([...t.topicConfigTable].map(([name, c]) => [name, { ...c, attributes: new Map(Object.entries(c.attributes)) }])),
    }),
  decode: (text) => {
    const root = rootObject(text);
    if (!root.ok) return root;
    const table = new Map<string, TopicConfig>();
    const raw = root.value.topicConfigTable;
    for (const [name, v] of Object.entries(isObj(raw) ? raw : {})) {
      if (!isObj(v)) continue;
      const d = defaultTopicConfig(str(v.topicName, name));
      table.set(name, {
        topicName: d.topicName,
        readQueueNums: num(v.readQueueNums, d.readQueueNums),
        writeQueueNums: num(v.writeQueueNums, d.writeQueueNums),
        perm: num(v.perm, d.perm),
        topicFilterType: v.topicFilterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
        topicSysFlag: num(v.topicSysFlag, 0),
        order: bool(v.order, false),
        attributes: strMap(v.attributes),
      });
    }
    return { ok: true, value: { dataVersion: decodeDataVersion(root.value.dataVersion), topicConfigTable: table } };
  },
};

export const consumerOffsetCodec: ConfigCodec<ConsumerOffsetTable> = {
  encode: (t) => {
    const groupTopicMap = new Map<string, Set<string>>();
    for (const key of t.offsetTable.keys()) {
      const at = key.lastIndexOf('@');
      if (at < 0) continue;
      const group = key.slice(at + 1);
      let topics = groupTopicMap.get(group);
      if (!topics) groupTopicMap.set(group, (topics = new Set()));
      topics.add(key.slice(0, at));
    }
    return toFastjsonPretty({
      dataVersion: dv(t.dataVersion),
      groupTopicMap: new Map([...groupTopicMap].map(([g, ts]) => [g, [...ts].sort()])),
      offsetTable: t.offsetTable,
    });
  },
  decode: (text) => {
    const root = rootObject(text);
    if (!root.ok) return root;
    const offsetTable = new Map<string, Map<number, number>>();
    const raw = root.value.offsetTable;
    for (const [key, v] of Object.entries(isObj(raw) ? raw : {})) offsetTable.set(key, intKeyMap(v));
    return { ok: true, value: { dataVersion: decodeDataVersion(root.value.dataVersion), offsetTable } };
  },
};

export const subscriptionGroupCodec: ConfigCodec<SubscriptionGroupTable> = {
  encode: (t) =>
    toFastjsonPretty({
      dataVersion: dv(t.dataVersion),
      forbiddenTable: t.forbiddenTable,
      subscriptionGroupTable: new Map(
        [...t.subscriptionGroupTable].map(([name, c]) => [name, { ...c, attributes: new Map(Object.entries(c.attributes)), groupRetryPolicy: { type: 'CUSTOMIZED' } }]),
      ),
    }),
  decode: (text) => {
    const root = rootObject(text);
    if (!root.ok) return root;
    const table = new Map<string, SubscriptionGroupConfig>();
    const raw = root.value.subscriptionGroupTable;
    for (const [name, v] of Object.entries(isObj(raw) ? raw : {})) {
      if (!isObj(v)) continue;
      const d = defaultSubscriptionGroupConfig(str(v.groupName, name));
      table.set(name, {
        groupName: d.groupName,
        consumeEnable: bool(v.consumeEnable, d.consumeEnable),
        consumeFromMinEnable: bool(v.consumeFromMinEnable, d.consumeFromMinEnable),
        consumeBroadcastEnable: bool(v.consumeBroadcastEnable, d.consumeBroadcastEnable),
        consumeMessageOrderly: bool(v.consumeMessageOrderly, d.consumeMessageOrderly),
        retryQueueNums: num(v.retryQueueNums, d.retryQueueNums),
        retryMaxTimes: num(v.retryMaxTimes, d.retryMaxTimes),
        brokerId: num(v.brokerId, d.brokerId),
        whichBrokerWhenConsumeSlowly: num(v.whichBrokerWhenConsumeSlowly, d.whichBrokerWhenConsumeSlowly),
        notifyConsumerIdsChangedEnable: bool(v.notifyConsumerIdsChangedEnable, d.notifyConsumerIdsChangedEnable),
        groupSysFlag: num(v.groupSysFlag, d.groupSysFlag),
        consumeTimeoutMinute: num(v.consumeTimeoutMinute, d.consumeTimeoutMinute),
        attributes: strMap(v.attributes),
      });
    }
    const forbiddenTable = new Map<string, Map<string, number>>();
    const rawForbidden = root.value.forbiddenTable;
    for (const [group, v] of Object.entries(isObj(rawForbidden) ? rawForbidden : {})) {
      if (!isObj(v)) continue;
      forbiddenTable.set(group, new Map(Object.entries(v).filter((e): e is [string, number] => typeof e[1] === 'number')));
    }
    return { ok: true, value: { dataVersion: decodeDataVersion(root.value.dataVersion), subscriptionGroupTable: table, forbiddenTable } };
  },
};

export const delayOffsetCodec: ConfigCodec<DelayOffsetTable> = {
  encode: (t) => toFastjsonPretty({ dataVersion: dv(t.dataVersion), offsetTable: t.offsetTable }),
  decode: (text) => {
    const root = rootObject(text);
    if (!root.ok) return root;
    return { ok: true, value: { dataVersion: decodeDataVersion(root.value.dataVersion), offsetTable: intKeyMap(root.value.offsetTable) } };
  },
};

/** The four files under `<storePathRootDir>/config/`. */
export function openBrokerConfigFiles(storePathRootDir: string, log: StoreLogger): {
  topics: ConfigFile<TopicConfigTable>;
  consumerOffset: ConfigFile<ConsumerOffsetTable>;
  subscriptionGroup: ConfigFile<SubscriptionGroupTable>;
  delayOffset: ConfigFile<DelayOffsetTable>;
} {
  const dir = path.join(storePathRootDir, 'config');
  return {
    topics: new ConfigFile(path.join(dir, CONFIG_FILE_NAMES.topics), topicConfigCodec, log),
    consumerOffset: new ConfigFile(path.join(dir, CONFIG_FILE_NAMES.consumerOffset), consumerOffsetCodec, log),
    subscriptionGroup: new ConfigFile(path.join(dir, CONFIG_FILE_NAMES.subscriptionGroup), subscriptionGroupCodec, log),
    delayOffset: new ConfigFile(path.join(dir, CONFIG_FILE_NAMES.delayOffset), delayOffsetCodec, log),
  };
}
