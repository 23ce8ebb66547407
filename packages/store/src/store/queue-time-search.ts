import { recordStoreTimestampPosition, readInt64BE, RECORD_SYSFLAG_POSITION } from '@apogee/common';
import type { CommitLog } from '../commitlog/commit-log.js';
import type { ConsumeQueue } from '../consumequeue/consume-queue.js';
import { isBlankUnit } from '../consumequeue/consume-queue.js';

// Time lookups over a ConsumeQueue (reference §6.4): store times come from the commit log
// (STORETIMESTAMP of the record each unit points to), so each probe is one small read.

export type BoundaryType = 'LOWER' | 'UPPER';

/** Most probes of one binary search: 2^64 units would need 64. */
const PROBES_MAX = 64;

/** STORETIMESTAMP of the record at `phy` (RocketMQ's pickupStoreTimestamp), or -1. */
export async function pickupStoreTimestamp(commitLog: CommitLog, phy: number, size: number): Promise<number> {
  if (phy < commitLog.minOffset || phy + size > commitLog.maxOffset || size < 64) return -1;
  const head = await commitLog.read(phy, 84);
  if (!head) return -1;
  const ts = readInt64BE(head, recordStoreTimestampPosition(head.readInt32BE(RECORD_SYSFLAG_POSITION)));
  return Number.isNaN(ts) ? -1 : ts;
}

/** Store time of the unit at `index`, -1 if its record is gone (below the commit log's min). */
async function unitTime(commitLog: CommitLog, cq: ConsumeQueue, index: number): Promise<number> {
  const unit = cq.readUnit(index);
  if (!unit || isBlankUnit(unit)) return -1;
  return pickupStoreTimestamp(commitLog, unit.commitLogOffset, unit.size);
}

/**
 * The queue offset for `timestampMs` (RocketMQ's getOffsetInQueueByTime). LOWER: the first
 * message stored at or after it (or after the last message); UPPER: the last message stored at
 * or before it. Units whose records are gone count as older than everything. Clamped to
 * [minOffset, maxOffset].
 */
export async function offsetInQueueByTime(
  commitLog: CommitLog,
  cq: ConsumeQueue,
  timestampMs: number,
  boundary: BoundaryType,
): Promise<number> {
  const min = cq.minOffsetInQueue;
  const max = cq.maxOffsetInQueue;
  if (max <= min) return min;
  const clamp = (v: number): number => Math.min(Math.max(v, min), max);
  const lastTime = await unitTime(commitLog, cq, max - 1);
  if (lastTime < timestampMs) return clamp(boundary === 'LOWER' ? max : max - 1);
  const firstTime = await unitTime(commitLog, cq, min);
  if (firstTime > timestampMs) return clamp(boundary === 'LOWER' ? min : 0);
  // Invariant: time(lo) < ts or lo unreadable ... find the first index with time >= ts (LOWER)
  // or the last index with time <= ts (UPPER).
  let lo = min;
  let hi = max - 1;
  for (let probes = 0; lo < hi && probes < PROBES_MAX; probes++) {
    if (boundary === 'LOWER') {
      const mid = Math.floor((lo + hi) / 2);
      if ((await unitTime(commitLog, cq, mid)) < timestampMs) lo = mid + 1;
      else hi = mid;
    } else {
      const mid = Math.ceil((lo + hi) / 2);
      if ((await unitTime(commitLog, cq, mid)) > timestampMs) hi = mid - 1;
      else lo = mid;
    }
  }
  return clamp(lo);
}

/** Store time of the queue's first message still in the commit log, or -1. */
export async function earliestMessageTime(commitLog: CommitLog, cq: ConsumeQueue): Promise<number> {
  const min = cq.minOffsetInQueue;
  if (cq.maxOffsetInQueue <= min) return -1;
  return unitTime(commitLog, cq, min);
}
