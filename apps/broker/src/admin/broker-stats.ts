// The broker's traffic counters, what RocketMQ's BrokerStatsManager + BrokerStats + the store's
// putTps/getTransferredTps give the admin tools:
//   TOPIC_PUT_NUMS   key topic         messages that entered the topic's ConsumeQueues
//   GROUP_GET_NUMS   key topic@group   messages a group pulled from the topic
//   BROKER_PUT_NUMS / BROKER_GET_NUMS  key clusterName, the same without system topics
// VIEW_BROKER_STATS_DATA (statsAll), ConsumeStats.consumeTps, TopicStatsTable.topicPutTps and
// GET_BROKER_RUNTIME_INFO (clusterList: putTps, msgPutTotalTodayNow, ...) read them.
//
// Puts are counted from the store's arrival events, so a delayed message counts when it becomes
// consumable (in SCHEDULE_TOPIC_XXXX first, a system topic, then in its real topic). Gets are
// counted from successful PULL_MESSAGE answers (see pull-counting-processor.ts).
// The daily totals (msgPutTotalTodayMorning, ...) roll over at local midnight, as BrokerStats
// does; until the first midnight they are 0 (counted since start).

import { type Clock, type Logger, isSystemTopic } from '@apogee/common';
import {
  BROKER_RATE_SAMPLES, STATS_DAY_SAMPLE_EVERY_MS, STATS_HOUR_SAMPLE_EVERY_MS, STATS_ITEMS_PER_TABLE_MAX, STATS_SAMPLE_INTERVAL_MS,
} from './admin-limits.js';
import { SampleRing, StatsItem } from './stats-item.js';

export const STATS_NAMES = ['TOPIC_PUT_NUMS', 'GROUP_GET_NUMS', 'BROKER_PUT_NUMS', 'BROKER_GET_NUMS'] as const;
export type StatsName = (typeof STATS_NAMES)[number];

export interface DailyTotals {
  readonly yesterdayMorning: number;
  readonly todayMorning: number;
  readonly now: number;
}

export interface BrokerStatsOptions {
  /** the cluster name: the key of the BROKER_* items */
  readonly clusterName: () => string;
  readonly clock: Clock;
  readonly log: Logger;
}

/** RocketMQ's stats key of a group on a topic. */
export function groupStatsKey(topic: string, group: string): string {
  return `${topic}@${group}`;
}

class StatsTable {
  private readonly items = new Map<string, StatsItem>();
  private isFullLogged = false;

  constructor(readonly name: StatsName, private readonly log: Logger) {}

  get(key: string): StatsItem | undefined {
    return this.items.get(key);
  }

  add(key: string, amount: number, nowMs: number): void {
    let item = this.items.get(key);
    if (item === undefined) {
      if (this.items.size >= STATS_ITEMS_PER_TABLE_MAX) {
        if (!this.isFullLogged) this.log.warn({ stats: this.name, key, limit: STATS_ITEMS_PER_TABLE_MAX }, 'stats table full: new keys are not counted');
        this.isFullLogged = true;
        return;
      }
      item = new StatsItem(nowMs);
      this.items.set(key, item);
    }
    item.add(amount);
  }

  /** Drops the items whose key matches (a deleted topic or group), so dead keys do not fill the table. */
  removeWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.items.keys()]) if (matches(key)) this.items.delete(key);
    this.isFullLogged = false;
  }

  sample(nowMs: number, isHour: boolean, isDay: boolean): void {
    for (const item of this.items.values()) {
      item.sampleMinute(nowMs);
      if (isHour) item.sampleHour(nowMs);
      if (isDay) item.sampleDay(nowMs);
    }
  }
}

/** A broker-wide counter with the 10 s rate ring behind "tps10 tps60 tps600". */
class BrokerCounter {
  total = 0;
  morning = 0;
  yesterdayMorning = 0;
  readonly ring = new SampleRing(BROKER_RATE_SAMPLES);

  /** RocketMQ's format: tps over the last 10 s, 60 s and 600 s, space-separated. */
  rates(): string {
    const spans = [10_000, 60_000, 600_000].map((ms) => Math.round(ms / STATS_SAMPLE_INTERVAL_MS));
    return spans.map((span) => this.ring.snapshot(span).tps.toFixed(2)).join(' ');
  }
}

export class BrokerStats {
  private readonly tables = new Map<StatsName, StatsTable>();
  private readonly puts = new BrokerCounter();
  private readonly gets = new BrokerCounter();
  private lastHourSampleMs: number;
  private lastDaySampleMs: number;
  private day: string;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: BrokerStatsOptions) {
    for (const name of STATS_NAMES) this.tables.set(name, new StatsTable(name, options.log));
    const nowMs = options.clock.nowMs();
    this.lastHourSampleMs = nowMs;
    this.lastDaySampleMs = nowMs;
    this.day = localDay(nowMs);
    this.puts.ring.push(0, 0, nowMs);
    this.gets.ring.push(0, 0, nowMs);
  }

  /** Samples every STATS_SAMPLE_INTERVAL_MS until shutdown. */
  start(): Promise<void> {
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.sample(), STATS_SAMPLE_INTERVAL_MS);
      this.timer.unref();
    }
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    return Promise.resolve();
  }

  /** A message entered `topic`'s ConsumeQueue. */
  onMessagePut(topic: string, count = 1): void {
    const nowMs = this.options.clock.nowMs();
    this.table('TOPIC_PUT_NUMS').add(topic, count, nowMs);
    if (isSystemTopic(topic)) return;
    this.puts.total += count;
    this.table('BROKER_PUT_NUMS').add(this.options.clusterName(), count, nowMs);
  }

  /** `group` pulled `count` messages from `topic`. */
  onMessagesPulled(group: string, topic: string, count: number): void {
    if (count <= 0) return;
    const nowMs = this.options.clock.nowMs();
    this.table('GROUP_GET_NUMS').add(groupStatsKey(topic, group), count, nowMs);
    if (isSystemTopic(topic)) return;
    this.gets.total += count;
    this.table('BROKER_GET_NUMS').add(this.options.clusterName(), count, nowMs);
  }

  /** A topic was deleted: forget its put and get items (RocketMQ's onTopicDeleted). */
  onTopicDeleted(topic: string): void {
    this.table('TOPIC_PUT_NUMS').removeWhere((key) => key === topic);
    this.table('GROUP_GET_NUMS').removeWhere((key) => key.startsWith(`${topic}@`));
  }

  /** A subscription group was deleted: forget its get items (RocketMQ's onGroupDeleted). */
  onGroupDeleted(group: string): void {
    this.table('GROUP_GET_NUMS').removeWhere((key) => key.endsWith(`@${group}`));
  }

  /** The item VIEW_BROKER_STATS_DATA shows, or undefined when nothing was counted under that key. */
  statsItem(name: string, key: string): StatsItem | undefined {
    return this.tables.get(name as StatsName)?.get(key);
  }

  /** RocketMQ's tpsGroupGetNums: the group's pull rate on the topic over the last minute. */
  tpsGroupGetNums(group: string, topic: string): number {
    return this.statsItem('GROUP_GET_NUMS', groupStatsKey(topic, group))?.statsInMinute.tps ?? 0;
  }

  tpsTopicPutNums(topic: string): number {
    return this.statsItem('TOPIC_PUT_NUMS', topic)?.statsInMinute.tps ?? 0;
  }

  get putTotals(): DailyTotals {
    return { yesterdayMorning: this.puts.yesterdayMorning, todayMorning: this.puts.morning, now: this.puts.total };
  }

  get getTotals(): DailyTotals {
    return { yesterdayMorning: this.gets.yesterdayMorning, todayMorning: this.gets.morning, now: this.gets.total };
  }

  /** "tps10 tps60 tps600" of messages put (the store's putTps). */
  putTps(): string {
    return this.puts.rates();
  }

  /** "tps10 tps60 tps600" of messages pulled (the store's getTransferredTps). */
  getTransferredTps(): string {
    return this.gets.rates();
  }

  /** Takes one sample of every item (the timer calls it; tests call it after moving the clock). */
  sample(nowMs: number = this.options.clock.nowMs()): void {
    const isHour = nowMs - this.lastHourSampleMs >= STATS_HOUR_SAMPLE_EVERY_MS;
    const isDay = nowMs - this.lastDaySampleMs >= STATS_DAY_SAMPLE_EVERY_MS;
    if (isHour) this.lastHourSampleMs = nowMs;
    if (isDay) this.lastDaySampleMs = nowMs;
    for (const table of this.tables.values()) table.sample(nowMs, isHour, isDay);
    for (const counter of [this.puts, this.gets]) counter.ring.push(counter.total, 0, nowMs);
    const today = localDay(nowMs);
    if (today !== this.day) {
      this.day = today;
      for (const counter of [this.puts, this.gets]) {
        counter.yesterdayMorning = counter.morning;
        counter.morning = counter.total;
      }
    }
  }

  private table(name: StatsName): StatsTable {
    return this.tables.get(name)!;
  }
}

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}
