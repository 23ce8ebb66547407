// Committed consumer offsets (RocketMQ's ConsumerOffsetManager): `<topic>@<group>` → queueId →
// the next offset to consume. Persisted to consumerOffset.json (the store package's ConfigFile +
// consumerOffsetCodec) every flushConsumerOffsetInterval when something changed, and at shutdown:
//   {"dataVersion":{...},"groupTopicMap":{"g":["T"]},"offsetTable":{"T@g":{0:12,1:7}}}
// Queue ids are written as fastjson writes Map<Integer,Long> keys: unquoted. 4.9 brokers wrote
// only {"offsetTable":{...}}; both load. Pending server-side resets (5.x useServerSideResetOffset)
// live in memory only, as in RocketMQ.

import type { Clock, Logger } from '@apogee/common';
import { type DataVersion, toFastjsonString } from '@apogee/remoting';
import { ConfigFile, type ConsumerOffsetTable, consumerOffsetCodec } from '@apogee/store';
import { OFFSET_QUEUES_PER_KEY_MAX, OFFSET_TABLE_KEYS_MAX } from '../limits.js';
import { DataVersionCounter } from '../persist/data-version.js';

export const TOPIC_GROUP_SEPARATOR = '@';

export interface ConsumerOffsetManagerOptions {
  /** <storePathRootDir>/config/consumerOffset.json */
  readonly path: string;
  /** flushConsumerOffsetInterval */
  readonly flushIntervalMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

export class ConsumerOffsetManager {
  private readonly offsetTable = new Map<string, Map<number, number>>();
  private readonly pullOffsetTable = new Map<string, Map<number, number>>();
  private readonly resetOffsetTable = new Map<string, Map<number, number>>();
  private readonly version: DataVersionCounter;
  private readonly file: ConfigFile<ConsumerOffsetTable>;
  private readonly flushIntervalMs: number;
  private readonly log: Logger;
  private isDirty = false;
  private timer: NodeJS.Timeout | undefined;
  private shutdownPromise: Promise<void> | undefined;

  constructor(options: ConsumerOffsetManagerOptions) {
    this.log = options.log;
    this.flushIntervalMs = options.flushIntervalMs;
    this.version = new DataVersionCounter(options.clock);
    this.file = new ConfigFile(options.path, consumerOffsetCodec, options.log);
  }

  async load(): Promise<void> {
    const loaded = await this.file.load();
    if (loaded === undefined) return;
    for (const [key, queues] of loaded.offsetTable) {
      if (splitKey(key) === undefined) {
        this.log.warn({ key, path: this.file.filePath }, 'consumer offset entry skipped: not <topic>@<group>');
        continue;
      }
      this.offsetTable.set(key, new Map([...queues].filter(([queueId, offset]) => queueId >= 0 && Number.isSafeInteger(offset))));
    }
    this.version.assign(loaded.dataVersion);
    this.log.info({ keys: this.offsetTable.size, path: this.file.filePath }, 'consumer offsets loaded');
  }

  /** Starts the periodic persist. */
  start(): void {
    if (this.timer !== undefined || this.shutdownPromise !== undefined) return;
    this.timer = setInterval(() => this.persistIfDirty(), this.flushIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and writes the table one last time. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      if (this.timer !== undefined) clearInterval(this.timer);
      this.timer = undefined;
      await this.flush();
    })();
    return this.shutdownPromise;
  }

  get dataVersion(): DataVersion {
    return this.version.current;
  }

  /** Stores `offset` as the group's next offset for the queue. False when the table is full. */
  commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): boolean {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let queues = this.offsetTable.get(key);
    if (queues === undefined) {
      if (this.offsetTable.size >= OFFSET_TABLE_KEYS_MAX) {
        this.log.warn({ key, client: clientHost, limit: OFFSET_TABLE_KEYS_MAX }, 'offset not committed: offset table is full');
        return false;
      }
      queues = new Map();
      this.offsetTable.set(key, queues);
    }
    if (!queues.has(queueId) && queues.size >= OFFSET_QUEUES_PER_KEY_MAX) {
      this.log.warn({ key, queueId, client: clientHost, limit: OFFSET_QUEUES_PER_KEY_MAX }, 'offset not committed: too many queues');
      return false;
    }
    queues.set(queueId, offset);
    this.isDirty = true;
    return true;
  }

  /**
   * Remembers where the group's last pull of the queue ended (its nextBeginOffset), so that
   * consume stats can report what is pulled but not yet committed. Memory only, bounded like the
   * offset table.
   */
  commitPullOffset(group: string, topic: string, queueId: number, offset: number): void {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let queues = this.pullOffsetTable.get(key);
    if (queues === undefined) {
      if (this.pullOffsetTable.size >= OFFSET_TABLE_KEYS_MAX) return;
      queues = new Map();
      this.pullOffsetTable.set(key, queues);
    }
    if (!queues.has(queueId) && queues.size >= OFFSET_QUEUES_PER_KEY_MAX) return;
    queues.set(queueId, offset);
  }

  /** Where the group's last pull of the queue ended; the committed offset when it has not pulled. */
  queryPullOffset(group: string, topic: string, queueId: number): number {
    return this.pullOffsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId) ?? this.queryOffset(group, topic, queueId);
  }

  /** The committed offset, or -1 when the group has none for the queue. */
  queryOffset(group: string, topic: string, queueId: number): number {
    return this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group)?.get(queueId) ?? -1;
  }

  /** queueId → offset for a group on a topic (a copy); undefined when it has none. */
  queryOffsets(group: string, topic: string): Map<number, number> | undefined {
    const queues = this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group);
    return queues === undefined ? undefined : new Map(queues);
  }

  /** Topics a group has offsets for. */
  whichTopicByConsumer(group: string): Set<string> {
    const topics = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const split = splitKey(key);
      if (split !== undefined && split.group === group) topics.add(split.topic);
    }
    return topics;
  }

  /** Groups with offsets on a topic. */
  whichGroupByTopic(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const key of this.offsetTable.keys()) {
      const split = splitKey(key);
      if (split !== undefined && split.topic === topic) groups.add(split.group);
    }
    return groups;
  }

  /** Copies srcGroup's offsets on `topic` to destGroup (CLONE_GROUP_OFFSET). */
  cloneOffset(srcGroup: string, destGroup: string, topic: string): boolean {
    const src = this.offsetTable.get(topic + TOPIC_GROUP_SEPARATOR + srcGroup);
    if (src === undefined) return false;
    const destKey = topic + TOPIC_GROUP_SEPARATOR + destGroup;
    if (!this.offsetTable.has(destKey) && this.offsetTable.size >= OFFSET_TABLE_KEYS_MAX) return false;
    this.offsetTable.set(destKey, new Map(src));
    this.isDirty = true;
    return true;
  }

  /** Drops every offset of a group (DELETE_SUBSCRIPTIONGROUP with cleanOffset). */
  removeOffset(group: string): number {
    let removed = 0;
    for (const key of [...this.offsetTable.keys()]) {
      if (splitKey(key)?.group !== group) continue;
      this.offsetTable.delete(key);
      this.resetOffsetTable.delete(key);
      removed++;
    }
    if (removed > 0) this.isDirty = true;
    return removed;
  }

  /** Drops a group's offsets on one topic. */
  removeConsumerOffset(topic: string, group: string): boolean {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    this.resetOffsetTable.delete(key);
    if (!this.offsetTable.delete(key)) return false;
    this.isDirty = true;
    return true;
  }

  /** Server-side reset (INVOKE_BROKER_TO_RESET_OFFSET): commit `offset` and remember it as pending. */
  assignResetOffset(topic: string, group: string, queueId: number, offset: number): boolean {
    if (!this.commitOffset('reset', group, topic, queueId, offset)) return false;
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    let pending = this.resetOffsetTable.get(key);
    if (pending === undefined) {
      pending = new Map();
      this.resetOffsetTable.set(key, pending);
    }
    pending.set(queueId, offset);
    return true;
  }

  /** True while a reset for the queue waits for the consumer's next pull. */
  hasOffsetReset(topic: string, group: string, queueId: number): boolean {
    return this.resetOffsetTable.get(topic + TOPIC_GROUP_SEPARATOR + group)?.has(queueId) === true;
  }

  /** The pending reset offset for the queue (then forgotten), or undefined. */
  queryThenEraseResetOffset(topic: string, group: string, queueId: number): number | undefined {
    const key = topic + TOPIC_GROUP_SEPARATOR + group;
    const pending = this.resetOffsetTable.get(key);
    const offset = pending?.get(queueId);
    if (pending !== undefined && offset !== undefined) {
      pending.delete(queueId);
      if (pending.size === 0) this.resetOffsetTable.delete(key);
    }
    return offset;
  }

  /** The table, compact, as the GET_ALL_CONSUMER_OFFSET body: {"dataVersion":{...},"offsetTable":{"T@g":{0:12}}}. */
  encode(): string {
    return toFastjsonString({ dataVersion: this.version.current, offsetTable: this.sortedTable() });
  }

  /** Writes consumerOffset.json now (shutdown, tests). */
  async flush(): Promise<void> {
    if (this.isDirty) this.version.next();
    this.isDirty = false;
    await this.file.persist(this.snapshot());
  }

  private persistIfDirty(): void {
    if (!this.isDirty) return;
    this.isDirty = false;
    this.version.next();
    // ConfigFile logs a failed write; the table stays in memory and is written again later.
    this.file.persist(this.snapshot()).catch(() => {
      this.isDirty = true;
    });
  }

  private snapshot(): ConsumerOffsetTable {
    return { dataVersion: this.version.current, offsetTable: this.sortedTable() };
  }

  /** A copy, keys and queue ids in order, so files and bodies are stable. */
  private sortedTable(): Map<string, Map<number, number>> {
    const table = new Map<string, Map<number, number>>();
    for (const key of [...this.offsetTable.keys()].sort()) {
      table.set(key, new Map([...this.offsetTable.get(key)!.entries()].sort((a, b) => a[0] - b[0])));
    }
    return table;
  }
}

function splitKey(key: string): { topic: string; group: string } | undefined {
  const at = key.indexOf(TOPIC_GROUP_SEPARATOR);
  if (at <= 0 || at === key.length - 1) return undefined;
  return { topic: key.slice(0, at), group: key.slice(at + 1) };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
