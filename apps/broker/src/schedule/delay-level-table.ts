// Delay levels (broker `messageDelayLevel`, reference rocketmq-store-ha.md §18): level n waits
// the n-th duration of the list, in SCHEDULE_TOPIC_XXXX queue n - 1. A level above the last one
// is clamped to it; level <= 0 means "not delayed".

import { parseDelayLevels } from '@apogee/common';

/** An unknown level delivers one second after storing (RocketMQ's computeDeliverTimestamp). */
const UNKNOWN_LEVEL_DELAY_MS = 1_000;

export class DelayLevelTable {
  private readonly delaysMs: readonly number[];

  /** Throws InvalidArgumentError naming messageDelayLevel when `messageDelayLevel` does not parse. */
  constructor(messageDelayLevel: string) {
    this.delaysMs = Object.freeze(parseDelayLevels(messageDelayLevel));
  }

  /** Highest level (levels are 1..maxDelayLevel). */
  get maxDelayLevel(): number {
    return this.delaysMs.length;
  }

  /** The levels, 1..maxDelayLevel. */
  levels(): number[] {
    return this.delaysMs.map((_, i) => i + 1);
  }

  /** A level clamped to 1..maxDelayLevel (for levels > 0). */
  clamp(level: number): number {
    return Math.min(level, this.maxDelayLevel);
  }

  delayMsOf(level: number): number | undefined {
    return level >= 1 ? this.delaysMs[level - 1] : undefined;
  }

  /** Delivery time of a message of `level` stored at `storeTimestampMs`. */
  deliverTimestampMs(level: number, storeTimestampMs: number): number {
    return storeTimestampMs + (this.delayMsOf(level) ?? UNKNOWN_LEVEL_DELAY_MS);
  }
}

export function queueIdOfDelayLevel(level: number): number {
  return level - 1;
}

export function delayLevelOfQueueId(queueId: number): number {
  return queueId + 1;
}
