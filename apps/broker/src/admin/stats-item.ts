// One counted thing (a topic's puts, a group's gets on a topic), as RocketMQ's StatsItem keeps
// it: a running sum and call count, sampled into three rings (minute: every 10 s × 7, hour:
// every 10 min × 7, day: every hour × 25). A view's numbers compare its oldest and newest
// sample: sum = value growth, tps = sum per second between them, avgpt = sum per call.
// An item is seeded with a zero sample when created, so the first periodic sample already
// shows what was counted since.

import {
  STATS_DAY_SAMPLES, STATS_HOUR_SAMPLES, STATS_MINUTE_SAMPLES,
} from './admin-limits.js';

/** RocketMQ's StatsSnapshot / BrokerStatsItem numbers. */
export interface StatsSnapshot {
  readonly sum: number;
  readonly tps: number;
  readonly avgpt: number;
}

const EMPTY_SNAPSHOT: StatsSnapshot = Object.freeze({ sum: 0, tps: 0, avgpt: 0 });

/** A fixed ring of (value, times, stampMs) samples; the oldest is overwritten when full. */
export class SampleRing {
  private readonly values: Float64Array;
  private readonly times: Float64Array;
  private readonly stampsMs: Float64Array;
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.values = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.stampsMs = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(value: number, times: number, stampMs: number): void {
    this.values[this.next] = value;
    this.times[this.next] = times;
    this.stampsMs[this.next] = stampMs;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  /** Growth between the newest sample and the one `span` samples before it (clamped to what is kept). */
  snapshot(span: number = this.capacity - 1): StatsSnapshot {
    if (this.count < 2) return EMPTY_SNAPSHOT;
    const back = Math.min(span, this.count - 1);
    const newest = (this.next - 1 + this.capacity) % this.capacity;
    const oldest = (newest - back + this.capacity) % this.capacity;
    const sum = this.values[newest]! - this.values[oldest]!;
    const elapsedMs = this.stampsMs[newest]! - this.stampsMs[oldest]!;
    const calls = this.times[newest]! - this.times[oldest]!;
    return { sum, tps: elapsedMs > 0 ? (sum * 1000) / elapsedMs : 0, avgpt: calls > 0 ? sum / calls : 0 };
  }
}

export class StatsItem {
  private value = 0;
  private times = 0;
  private readonly minute = new SampleRing(STATS_MINUTE_SAMPLES);
  private readonly hour = new SampleRing(STATS_HOUR_SAMPLES);
  private readonly day = new SampleRing(STATS_DAY_SAMPLES);

  constructor(createdMs: number) {
    this.minute.push(0, 0, createdMs);
    this.hour.push(0, 0, createdMs);
    this.day.push(0, 0, createdMs);
  }

  /** Everything counted so far. */
  get sum(): number {
    return this.value;
  }

  add(amount: number): void {
    this.value += amount;
    this.times += 1;
  }

  sampleMinute(nowMs: number): void {
    this.minute.push(this.value, this.times, nowMs);
  }

  sampleHour(nowMs: number): void {
    this.hour.push(this.value, this.times, nowMs);
  }

  sampleDay(nowMs: number): void {
    this.day.push(this.value, this.times, nowMs);
  }

  get statsInMinute(): StatsSnapshot {
    return this.minute.snapshot();
  }

  get statsInHour(): StatsSnapshot {
    return this.hour.snapshot();
  }

  get statsInDay(): StatsSnapshot {
    return this.day.snapshot();
  }
}
