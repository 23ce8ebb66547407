import { RECORD_SYSFLAG_POSITION, readInt64BE, recordStoreTimestampPosition } from '@apogee/common';
import type { CommitLog } from '../commitlog/commit-log.js';

/** Synchronous STORETIMESTAMP of the record at `phy` (startup only), 0 if unreadable. */
export function pickupStoreTimestampSync(commitLog: CommitLog, phy: number): number {
  const head = commitLog.readSync(phy, 84);
  if (!head) return 0;
  const ts = readInt64BE(head, recordStoreTimestampPosition(head.readInt32BE(RECORD_SYSFLAG_POSITION)));
  return Number.isNaN(ts) ? 0 : ts;
}
