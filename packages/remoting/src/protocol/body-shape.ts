// Small total readers for JSON bodies parsed by parseLenientJson: each returns the value or a
// reason string naming the path that was wrong. Used by the body codecs next to the headers.

import type { MessageQueue } from '@apogee/common';
import { parseLenientJson } from '@apogee/common';

export type BodyResult<T> = { ok: true; value: T } | { ok: false; reason: string };
export type JsonObject = Record<string, unknown>;

/** The body parsed as a JSON object, or a reason. */
export function parseBodyObject(body: Buffer | undefined, what: string): BodyResult<JsonObject> {
  if (body === undefined || body.length === 0) return { ok: false, reason: `${what}: empty body` };
  const parsed = parseLenientJson(body.toString('utf8'));
  if (!parsed.ok) return { ok: false, reason: `${what}: ${parsed.reason}` };
  const obj = asObject(parsed.value, what);
  return typeof obj === 'string' ? { ok: false, reason: obj } : { ok: true, value: obj };
}

export function asObject(value: unknown, path: string): JsonObject | string {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : `${path} is not an object`;
}

function member(obj: JsonObject, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export function stringMember(obj: JsonObject, key: string, path: string): string | { reason: string } {
  const v = member(obj, key);
  return typeof v === 'string' ? v : { reason: `${path}.${key} is not a string` };
}

/** An int member; numeric strings are accepted as fastjson accepts them. */
export function intMember(obj: JsonObject, key: string, path: string): number | { reason: string } {
  const v = member(obj, key);
  const n = typeof v === 'string' && /^[-+]?\d{1,10}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= -0x8000_0000 && n <= 0x7fff_ffff ? n : { reason: `${path}.${key} is not an int` };
}

/** A boolean member; absent reads as `absent` (Java's primitive default). */
export function boolMember(obj: JsonObject, key: string, path: string, absent: boolean): boolean | { reason: string } {
  const v = member(obj, key);
  if (v === undefined || v === null) return absent;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  return { reason: `${path}.${key} is not a boolean` };
}

export function arrayMember(obj: JsonObject, key: string, path: string): unknown[] | { reason: string } {
  const v = member(obj, key);
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : { reason: `${path}.${key} is not an array` };
}

export function isReason(v: unknown): v is { reason: string } {
  return typeof v === 'object' && v !== null && 'reason' in v && typeof (v as { reason: unknown }).reason === 'string';
}

/** A MessageQueue object {brokerName, queueId, topic}. */
export function messageQueueOf(value: unknown, path: string): MessageQueue | { reason: string } {
  const obj = asObject(value, path);
  if (typeof obj === 'string') return { reason: obj };
  const topic = stringMember(obj, 'topic', path);
  if (isReason(topic)) return topic;
  const brokerName = stringMember(obj, 'brokerName', path);
  if (isReason(brokerName)) return brokerName;
  const queueId = intMember(obj, 'queueId', path);
  if (isReason(queueId)) return queueId;
  return { topic, brokerName, queueId };
}

/** A list of MessageQueue objects. */
export function messageQueueList(values: unknown[], path: string): MessageQueue[] | { reason: string } {
  const out: MessageQueue[] = [];
  for (let i = 0; i < values.length; i++) {
    const mq = messageQueueOf(values[i], `${path}[${i}]`);
    if (isReason(mq)) return mq;
    out.push(mq);
  }
  return out;
}
