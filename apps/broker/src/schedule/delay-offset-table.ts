// Delivery progress of the delay levels: level -> next SCHEDULE_TOPIC_XXXX queue offset to
// deliver (queue level-1). Persisted as config/delayOffset.json with fastjson's unquoted numeric
// keys, as a Java broker writes it (reference rocketmq-store-ha.md §22):
//   {"dataVersion":{...},"offsetTable":{1:0,3:57}}
// through the store package's ConfigFile (atomic write, .bak fallback) and delayOffsetCodec.
// On load, each offset is clamped into its queue's [min, max] (RocketMQ's correctDelayOffset).

import type { Clock, Logger } from '@apogee/common';
import { ConfigFile, type DelayOffsetTable as DelayOffsetFile, delayOffsetCodec } from '@apogee/store';
import { DataVersionCounter } from '../persist/data-version.js';

/** Queue bounds of SCHEDULE_TOPIC_XXXX queues. */
export interface ScheduleQueueBounds {
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getMaxOffsetInQueue(topic: string, queueId: number): number;
}

export class DelayOffsetTable {
  private readonly offsets = new Map<number, number>();
  private readonly version: DataVersionCounter;
  private readonly file: ConfigFile<DelayOffsetFile>;
  private isDirty = false;

  constructor(
    path: string,
    clock: Clock,
    private readonly log: Logger,
  ) {
    this.version = new DataVersionCounter(clock);
    this.file = new ConfigFile(path, delayOffsetCodec, log);
  }

  get filePath(): string {
    return this.file.filePath;
  }

  /** Reads the file (or its .bak) and keeps the levels in `levels`, each clamped into its queue. */
  async load(levels: readonly number[], bounds: (level: number) => { min: number; max: number }): Promise<void> {
    const loaded = await this.file.load();
    if (loaded === undefined) return;
    this.version.assign(loaded.dataVersion);
    for (const level of levels) {
      const offset = loaded.offsetTable.get(level);
      if (offset === undefined) continue;
      const { min, max } = bounds(level);
      const corrected = Math.min(Math.max(offset, min), max);
      if (corrected !== offset) this.log.warn({ level, offset, min, max }, 'delay offset outside its queue; corrected');
      this.offsets.set(level, corrected);
    }
    this.log.info({ offsets: Object.fromEntries(this.offsets), path: this.file.filePath }, 'delay offsets loaded');
  }

  /** Next offset to deliver for `level` (0 when the level never delivered). */
  get(level: number): number {
    return this.offsets.get(level) ?? 0;
  }

  set(level: number, offset: number): void {
    if (this.offsets.get(level) === offset) return;
    this.offsets.set(level, offset);
    this.isDirty = true;
  }

  /** level -> offset, a copy (GET_ALL_DELAY_OFFSET, tests). */
  snapshot(): Map<number, number> {
    return new Map([...this.offsets.entries()].sort((a, b) => a[0] - b[0]));
  }

  /** Writes the file when something changed since the last write. */
  async persistIfDirty(): Promise<void> {
    if (!this.isDirty) return;
    await this.persist();
  }

  /** Writes the file now. */
  async persist(): Promise<void> {
    this.isDirty = false;
    this.version.next();
    await this.file.persist({ dataVersion: this.version.current, offsetTable: this.snapshot() });
  }

  /** The JSON text as it is written (GET_ALL_DELAY_OFFSET answers with it). */
  encode(): string {
    return delayOffsetCodec.encode({ dataVersion: this.version.current, offsetTable: this.snapshot() });
  }
}
