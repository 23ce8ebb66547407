// Typed, checked access to a command's parsed options. Every problem is a UsageError that names
// the option, so `mqadmin` exits 2 with a sentence instead of a stack trace.

import { UsageError } from './errors.js';

export type RawOptions = Readonly<Record<string, unknown>>;

export class CommandOptions {
  constructor(private readonly raw: RawOptions) {}

  has(name: string): boolean {
    return this.raw[name] !== undefined && this.raw[name] !== false;
  }

  /** A required text option, trimmed. */
  text(name: string): string {
    const value = this.optionalText(name);
    if (value === undefined) throw new UsageError(`option --${name} is required`);
    return value;
  }

  optionalText(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === false) return undefined;
    if (typeof value !== 'string') throw new UsageError(`option --${name} takes a value`);
    const trimmed = value.trim();
    if (trimmed === '') throw new UsageError(`option --${name} must not be empty`);
    return trimmed;
  }

  /** An integer option within [min, max]; `fallback` when absent. */
  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const value = this.optionalInt(name, range);
    return value ?? fallback;
  }

  optionalInt(name: string, range: { min?: number; max?: number } = {}): number | undefined {
    const text = this.optionalText(name);
    if (text === undefined) return undefined;
    if (!/^-?\d+$/.test(text)) throw new UsageError(`option --${name} must be an integer, got ${JSON.stringify(text)}`);
    const value = Number(text);
    if (!Number.isSafeInteger(value)) throw new UsageError(`option --${name} is out of range: ${text}`);
    if (range.min !== undefined && value < range.min) throw new UsageError(`option --${name} must be at least ${range.min}, got ${value}`);
    if (range.max !== undefined && value > range.max) throw new UsageError(`option --${name} must be at most ${range.max}, got ${value}`);
    return value;
  }

  /** RocketMQ's `-o true|false` style: a value that must read as a boolean; `fallback` when absent. */
  bool(name: string, fallback: boolean): boolean {
    const text = this.optionalText(name);
    if (text === undefined) return fallback;
    if (/^true$/i.test(text)) return true;
    if (/^false$/i.test(text)) return false;
    throw new UsageError(`option --${name} must be true or false, got ${JSON.stringify(text)}`);
  }

  /** A switch without a value (`-m`). */
  flag(name: string): boolean {
    return this.raw[name] === true;
  }

  /**
   * A point in time: epoch milliseconds, `now`, or `yyyy-MM-dd#HH:mm:ss:SSS` (mqadmin's format
   * for resetOffsetByTime), or an ISO 8601 date.
   */
  timestamp(name: string): number | undefined {
    const text = this.optionalText(name);
    if (text === undefined) return undefined;
    const parsed = parseTimestamp(text);
    if (parsed === undefined) throw new UsageError(`option --${name}: ${JSON.stringify(text)} is not a timestamp (epoch ms, now, yyyy-MM-dd#HH:mm:ss:SSS or ISO 8601)`);
    return parsed;
  }
}

export function parseTimestamp(text: string, nowMs: number = Date.now()): number | undefined {
  if (text === 'now') return nowMs;
  if (/^\d+$/.test(text)) return Number(text);
  const rocketmq = /^(\d{4})-(\d{2})-(\d{2})#(\d{2}):(\d{2}):(\d{2}):(\d{3})$/.exec(text);
  if (rocketmq !== null) {
    const [y, mo, d, h, mi, s, ms] = rocketmq.slice(1).map(Number) as [number, number, number, number, number, number, number];
    return new Date(y, mo - 1, d, h, mi, s, ms).getTime();
  }
  const iso = Date.parse(text);
  return Number.isNaN(iso) ? undefined : iso;
}
