// JSON text the way RocketMQ's Java side (fastjson 1.x) writes it, for bodies Apogee sends:
// compact, object keys sorted (fastjson sorts bean fields), null and undefined members omitted,
// longs (bigint) with every digit, JsonNumberText verbatim, byte arrays as base64, dates as epoch ms.
//
// Maps follow fastjson's map rules: a JS Map with string keys writes quoted keys; number and
// bigint keys are written unquoted (`{0:"10.0.0.1:10911"}`, what Java writes for Map<Long,..>);
// object keys are written as the object itself (`{{"brokerName":"b","queueId":0,"topic":"T"}:5}`,
// what Java writes for Map<MessageQueue,..>). Option `unquotedNumericKeys` applies the unquoted
// form to digit-only keys of plain objects too (route data for pre-4.9.4 and Go clients).

import { InvalidArgumentError } from '../errors.js';
import { JSON_NESTING_DEPTH_MAX } from './json-limits.js';
import { JsonNumberText } from './json-number-text.js';

export interface FastjsonWriteOptions {
  /** sort the keys of plain objects (default true, as fastjson sorts bean fields) */
  sortKeys?: boolean;
  /** write digit-only keys of plain objects unquoted (default false) */
  unquotedNumericKeys?: boolean;
}

const DIGITS_KEY = /^-?\d+$/;

/** Serializes `value` as fastjson would. Throws InvalidArgumentError for cycles or nesting deeper than JSON_NESTING_DEPTH_MAX. */
export function toFastjsonString(value: unknown, options: FastjsonWriteOptions = {}): string {
  const writer = new Writer(options.sortKeys !== false, options.unquotedNumericKeys === true);
  return writer.value(value, 0) ?? 'null';
}

/** UTF-8 bytes of toFastjsonString(value, options), ready to be a command body. */
export function toFastjsonBuffer(value: unknown, options: FastjsonWriteOptions = {}): Buffer {
  return Buffer.from(toFastjsonString(value, options), 'utf8');
}

class Writer {
  constructor(
    private readonly sortKeys: boolean,
    private readonly unquotedNumericKeys: boolean,
  ) {}

  /** The text of a value, or undefined for a value fastjson omits (undefined, functions, symbols). */
  value(v: unknown, depth: number): string | undefined {
    switch (typeof v) {
      case 'string': return JSON.stringify(v);
      case 'number': return Number.isFinite(v) ? String(v) : 'null';
      case 'bigint': return v.toString();
      case 'boolean': return v ? 'true' : 'false';
      case 'undefined': case 'function': case 'symbol': return undefined;
      default: break;
    }
    if (v === null) return 'null';
    if (v instanceof JsonNumberText) return v.text;
    if (depth >= JSON_NESTING_DEPTH_MAX) {
      throw new InvalidArgumentError('value', `nesting deeper than ${JSON_NESTING_DEPTH_MAX} (or a cycle)`);
    }
    if (Array.isArray(v)) return this.list(v, depth + 1);
    if (v instanceof Set) return this.list([...v], depth + 1);
    if (v instanceof Map) return this.map(v, depth + 1);
    if (v instanceof Uint8Array) return `"${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64')}"`;
    if (v instanceof Date) return String(v.getTime());
    return this.object(v as Record<string, unknown>, depth + 1);
  }

  private list(items: readonly unknown[], depth: number): string {
    let out = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out += ',';
      out += this.value(items[i], depth) ?? 'null';
    }
    return `${out}]`;
  }

  private object(obj: Record<string, unknown>, depth: number): string {
    const keys = Object.keys(obj);
    if (this.sortKeys) keys.sort();
    let out = '{';
    let first = true;
    for (const key of keys) {
      const member = obj[key];
      if (member === null) continue;
      const text = this.value(member, depth);
      if (text === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += this.unquotedNumericKeys && DIGITS_KEY.test(key) ? key : JSON.stringify(key);
      out += `:${text}`;
    }
    return `${out}}`;
  }

  private map(map: Map<unknown, unknown>, depth: number): string {
    let out = '{';
    let first = true;
    for (const [key, member] of map) {
      if (member === null) continue;
      const text = this.value(member, depth);
      if (text === undefined) continue;
      if (!first) out += ',';
      first = false;
      out += `${this.mapKey(key, depth)}:${text}`;
    }
    return `${out}}`;
  }

  private mapKey(key: unknown, depth: number): string {
    if (typeof key === 'string') return JSON.stringify(key);
    if (typeof key === 'number' || typeof key === 'bigint' || typeof key === 'boolean') return String(key);
    const text = this.value(key, depth);
    if (text === undefined || key === null) throw new InvalidArgumentError('value', 'a map key must not be null or undefined');
    return text;
  }
}
