// Readers for the JSON bodies of admin answers (reference §3.5). Java writes maps keyed by
// MessageQueue with the object itself in key position; the lenient parser turns such a key into
// its JSON text, which is parsed back here. Maps keyed by MessageQueue become arrays sorted by
// queue, each entry carrying its `messageQueue`. Every reader throws MalformedResponseError
// (naming the address and request code) instead of returning half-read data.

import type { MessageQueue } from '@apogee/common';
import { type JsonObject, asObject, isReason, messageQueueOf, parseBodyObject } from '@apogee/remoting';
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

/** Entries of a map keyed by MessageQueue, sorted by queue. */
function mqEntries(table: JsonObject, path: string, where: Where): Array<[MessageQueue, JsonObject]> {
  const out: Array<[MessageQueue, JsonObject]> = [];
  for (const [key, value] of Object.entries(table)) {
    let parsedKey: unknown;
    try {
      parsedKey = JSON.parse(key);
    } catch {
      fail(where, `${path} key ${key.slice(0, 80)} is not a MessageQueue`);
    }
    const mq = messageQueueOf(parsedKey, `${path} key`);
    if (isReason(mq)) fail(where, mq.reason);
    const entry = asObject(value, `${path}[${key}]`);
    if (typeof entry === 'string') fail(where, entry);
    out.push([mq, entry]);
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
  const obj = root(body, 'ConsumeStats', where);
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
