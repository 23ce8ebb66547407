// REGISTER_BROKER body: RegisterBrokerBody JSON, or (compressed=true) the deflated binary form
// (rocketmq-remoting.md §3.1.1-3.1.2). Total: a reason instead of an exception.

import { inflateSync } from 'node:zlib';
import { parseLenientJson } from '@apogee/common';
import { toFastjsonBuffer } from '@apogee/common';
import type { DataVersion, TopicConfig } from './route-types.js';

export const REGISTER_BODY_INFLATED_BYTES_MAX = 64 * 1024 * 1024;

export interface RegisterBrokerBody {
  dataVersion: DataVersion;
  topicConfigTable: Map<string, TopicConfig>;
  filterServerList: string[];
}

export type RegisterBodyResult = { ok: true; body: RegisterBrokerBody } | { ok: false; reason: string };

const EMPTY: RegisterBrokerBody = { dataVersion: { counter: 0, stateVersion: 0, timestamp: 0 }, topicConfigTable: new Map(), filterServerList: [] };

export function decodeRegisterBrokerBody(body: Buffer | undefined, compressed: boolean): RegisterBodyResult {
  if (body === undefined || body.length === 0) return { ok: true, body: { ...EMPTY, topicConfigTable: new Map() } };
  return compressed ? decodeCompressed(body) : decodeJson(body);
}

function decodeJson(body: Buffer): RegisterBodyResult {
  const parsed = parseLenientJson(body.toString('utf8'));
  if (!parsed.ok) return { ok: false, reason: `register body: ${parsed.reason}` };
  const root = asRecord(parsed.value);
  const wrapper = asRecord(root?.['topicConfigSerializeWrapper']);
  if (root === undefined) return { ok: false, reason: 'register body is not a JSON object' };
  const dataVersion = readDataVersion(wrapper?.['dataVersion']);
  const topicConfigTable = new Map<string, TopicConfig>();
  const table = asRecord(wrapper?.['topicConfigTable']) ?? {};
  for (const [name, raw] of Object.entries(table)) {
    const config = readTopicConfig(name, asRecord(raw));
    if (typeof config === 'string') return { ok: false, reason: config };
    topicConfigTable.set(name, config);
  }
  const filters = Array.isArray(root['filterServerList']) ? root['filterServerList'].filter((s): s is string => typeof s === 'string') : [];
  return { ok: true, body: { dataVersion, topicConfigTable, filterServerList: filters } };
}

function decodeCompressed(body: Buffer): RegisterBodyResult {
  let data: Buffer;
  try {
    data = inflateSync(body, { maxOutputLength: REGISTER_BODY_INFLATED_BYTES_MAX });
  } catch (err) {
    return { ok: false, reason: `compressed register body does not inflate: ${(err as Error).message}` };
  }
  let pos = 0;
  const readChunk = (): string | undefined => {
    if (pos + 4 > data.length) return undefined;
    const len = data.readInt32BE(pos);
    if (len < 0 || pos + 4 + len > data.length) return undefined;
    const text = data.toString('utf8', pos + 4, pos + 4 + len);
    pos += 4 + len;
    return text;
  };
  const versionText = readChunk();
  if (versionText === undefined || pos + 4 > data.length) return { ok: false, reason: 'compressed register body truncated in data version' };
  const version = parseLenientJson(versionText);
  const dataVersion = readDataVersion(version.ok ? version.value : undefined);
  const count = data.readInt32BE(pos);
  pos += 4;
  const topicConfigTable = new Map<string, TopicConfig>();
  for (let i = 0; i < count; i++) {
    const line = readChunk();
    if (line === undefined) return { ok: false, reason: `compressed register body truncated at topic ${i} of ${count}` };
    const config = parseTopicConfigText(line);
    if (typeof config === 'string') return { ok: false, reason: config };
    topicConfigTable.set(config.topicName, config);
  }
  const filterText = readChunk();
  const filters = filterText === undefined ? undefined : parseLenientJson(filterText);
  const filterServerList = filters?.ok && Array.isArray(filters.value) ? filters.value.filter((s): s is string => typeof s === 'string') : [];
  return { ok: true, body: { dataVersion, topicConfigTable, filterServerList } };
}

/** TopicConfig text form: `name read write perm filterType [attributesJson]`. */
function parseTopicConfigText(line: string): TopicConfig | string {
  const parts = line.split(' ');
  if (parts.length < 5) return `topic config text "${line.slice(0, 80)}" has ${parts.length} fields, expected at least 5`;
  const [topicName, read, write, perm, filterType] = parts as [string, string, string, string, string];
  const nums = [read, write, perm].map(Number);
  if (nums.some((n) => !Number.isInteger(n))) return `topic config text for ${topicName} has a non-integer count`;
  return {
    topicName, readQueueNums: nums[0]!, writeQueueNums: nums[1]!, perm: nums[2]!,
    topicFilterType: filterType === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {},
  };
}

function readTopicConfig(name: string, raw: Record<string, unknown> | undefined): TopicConfig | string {
  if (raw === undefined) return `topic config for ${name} is not an object`;
  const int = (key: string, dflt: number): number => (typeof raw[key] === 'number' && Number.isInteger(raw[key]) ? (raw[key] as number) : dflt);
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(asRecord(raw['attributes']) ?? {})) attributes[k] = String(v);
  return {
    topicName: typeof raw['topicName'] === 'string' ? raw['topicName'] : name,
    readQueueNums: int('readQueueNums', 16),
    writeQueueNums: int('writeQueueNums', 16),
    perm: int('perm', 6),
    topicFilterType: raw['topicFilterType'] === 'MULTI_TAG' ? 'MULTI_TAG' : 'SINGLE_TAG',
    topicSysFlag: int('topicSysFlag', 0),
    order: raw['order'] === true,
    attributes,
  };
}

export function readDataVersion(raw: unknown): DataVersion {
  const obj = asRecord(raw) ?? {};
  const num = (key: string): number => (typeof obj[key] === 'number' ? (obj[key] as number) : 0);
  return { counter: num('counter'), stateVersion: num('stateVersion'), timestamp: num('timestamp') };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** The uncompressed RegisterBrokerBody a broker sends (what 4.9 and 5.x brokers send by default). */
export function encodeRegisterBrokerBody(body: RegisterBrokerBody): Buffer {
  const topicConfigTable: Record<string, TopicConfig> = {};
  for (const [name, config] of body.topicConfigTable) topicConfigTable[name] = config;
  return toFastjsonBuffer({
    filterServerList: body.filterServerList,
    topicConfigSerializeWrapper: { dataVersion: body.dataVersion, topicConfigTable },
  });
}
