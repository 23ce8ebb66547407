import type { MessageStoreConfig } from '../config/message-store-config.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import { scanCommitLogSync } from '../commitlog/commit-log-scan.js';
import type { ConsumeQueueStore } from '../consumequeue/consume-queue-store.js';
import type { IndexService } from '../index/index-service.js';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import type { StoreLogger } from '../util/store-logger.js';
import { formatIndexFileName } from '../index/index-file-name.js';
import { pickupStoreTimestampSync } from './store-timestamp.js';

// Startup recovery (reference §12, done Apogee's way where it is internal):
// 1. ConsumeQueues: each finds the end of its valid units; a repaired or torn queue asks for
//    its records to be dispatched again from where its valid units end.
// 2. Scan start S: the checkpoint's dispatchedPhyOffset (everything before it is durable in the
//    ConsumeQueues and the index), earlier if the index or a queue needs it, never after the
//    start of the last segment (so the last segment is always CRC-checked, as RocketMQ does).
// 3. Scan forward with CRC to the first invalid record: that is the end of the log, P. Torn or
//    corrupted tails are zeroed, later segments deleted, with a log line saying what was dropped.
// 4. ConsumeQueues and the index drop whatever points at or past P.
// Dispatch then runs from S to P (idempotent: queues and the index skip what they hold) before
// the store accepts writes, and rebuilds the queue-offset table as it goes.

export interface RecoveryContext {
  config: MessageStoreConfig;
  log: StoreLogger;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueStore;
  index: IndexService;
  checkpoint: StoreCheckpoint;
  lastExitOK: boolean;
}

export interface RecoveryOutcome {
  /** End of valid commit-log data. */
  validEnd: number;
  /** Where dispatch must resume. */
  dispatchFrom: number;
}

export function recoverStoreSync(ctx: RecoveryContext): RecoveryOutcome {
  const { commitLog, consumeQueues, log } = ctx;
  const segments = commitLog.segments;
  const first = segments.first();
  const last = segments.last();
  if (!first || !last) return recoverEmpty(ctx);
  const minPhy = first.fileFromOffset;
  let start = recoverConsumeQueues(ctx, minPhy);
  start = Math.min(start, dispatchedOffset(ctx, minPhy), indexResumeOffset(ctx, minPhy));
  start = Math.max(start, minPhy);
  let scanFrom = Math.min(start, last.fileFromOffset);
  let scan = scanCommitLogSync(segments, scanFrom, ctx.config.checkCRCOnRecover);
  if (scan.records === 0 && scan.stop && scanFrom % commitLog.fileSize !== 0) {
    // The recorded start is not a record boundary (a stale or foreign checkpoint): scan its segment.
    log.warn({ offset: scanFrom, reason: scan.stop.reason }, 'recovery start is not a valid record; scanning its whole segment');
    scanFrom = segments.segmentStartOf(scanFrom);
    start = Math.min(start, scanFrom);
    scan = scanCommitLogSync(segments, scanFrom, ctx.config.checkCRCOnRecover);
  }
  const validEnd = scan.end;
  if (scan.stop) {
    log.warn(
      {
        offset: scan.stop.offset,
        reason: scan.stop.reason,
        droppedBytes: scan.stop.garbageBytes,
        droppedSegments: scan.stop.laterSegments,
      },
      `commit log recovery: truncated at offset ${scan.stop.offset} (${scan.stop.reason}); dropped ${scan.stop.garbageBytes} bytes of that segment and ${scan.stop.laterSegments} later segment(s)`,
    );
  } else if (validEnd < last.fileFromOffset) {
    log.warn(
      { offset: validEnd, droppedSegments: segments.count - 1 - Math.floor((validEnd - minPhy) / commitLog.fileSize) },
      `commit log recovery: data ends at ${validEnd}, before the last segment; later segments dropped`,
    );
  }
  commitLog.setRecoveredEnd(validEnd);
  truncateConsumeQueues(ctx, validEnd);
  ctx.index.recoverSync({
    lastExitOK: ctx.lastExitOK,
    indexMsgTimestamp: ctx.checkpoint.indexMsgTimestamp,
    validEnd,
    storeTimestampOf: (phy) => pickupStoreTimestampSync(commitLog, phy),
  });
  void consumeQueues;
  log.info({ scanFrom, validEnd, dispatchFrom: Math.min(start, validEnd), lastExitOK: ctx.lastExitOK }, 'commit log recovered');
  return { validEnd, dispatchFrom: Math.min(start, validEnd) };
}

/** No commit-log segment: nothing can back a queue or an index entry (RocketMQ destroys the queues). */
function recoverEmpty(ctx: RecoveryContext): RecoveryOutcome {
  let queuesWithFiles = 0;
  for (const cq of ctx.consumeQueues.all()) {
    if (cq.segments.count > 0) queuesWithFiles++;
    cq.destroySync();
  }
  if (queuesWithFiles > 0) ctx.log.warn({ queues: queuesWithFiles }, 'no commit log segments: deleted every consume queue');
  const validEnd = ctx.commitLog.appendOffset;
  ctx.commitLog.setRecoveredEnd(validEnd);
  ctx.index.recoverSync({ lastExitOK: ctx.lastExitOK, indexMsgTimestamp: 0, validEnd: 0, storeTimestampOf: () => 0 });
  return { validEnd, dispatchFrom: validEnd };
}

/** Recovers every queue; returns the earliest offset a damaged queue needs dispatched again. */
function recoverConsumeQueues(ctx: RecoveryContext, minPhy: number): number {
  let start = Number.POSITIVE_INFINITY;
  for (const cq of ctx.consumeQueues.all()) {
    const r = cq.recoverSync();
    if (!r.garbageDropped && r.filesDeleted === 0 && r.repairs.length === 0) continue;
    const from = cq.lastPhysicEnd >= 0 ? cq.lastPhysicEnd : minPhy;
    start = Math.min(start, from);
    ctx.log.warn(
      {
        topic: cq.topic,
        queueId: cq.queueId,
        validUnits: r.endOffset,
        droppedTornUnits: r.garbageDropped,
        filesDeleted: r.filesDeleted,
        repairs: r.repairs,
        rebuildFromPhyOffset: from,
      },
      `consume queue ${cq.topic}/${cq.queueId}: kept ${r.endOffset} units, dropped what followed; rebuilding from commit-log offset ${from}`,
    );
  }
  return start;
}

function dispatchedOffset(ctx: RecoveryContext, minPhy: number): number {
  const d = ctx.checkpoint.dispatchedPhyOffset;
  if (d === undefined) {
    ctx.log.info({}, 'checkpoint has no dispatched offset (new or foreign store): dispatching the whole commit log');
    return minPhy;
  }
  return d;
}

/** Where indexing must resume: the checkpoint's offset, or earlier when index files are missing. */
function indexResumeOffset(ctx: RecoveryContext, minPhy: number): number {
  if (!ctx.config.messageIndexEnable) return Number.POSITIVE_INFINITY;
  const { checkpoint, index } = ctx;
  const recordedMs = checkpoint.indexNewestFileMs;
  const missing = checkpoint.dispatchedPhyOffset === undefined || (recordedMs > 0 && !index.hasFileCreatedAt(recordedMs));
  if (!missing) return Number.POSITIVE_INFINITY;
  const from = index.resumeOffset >= 0 ? index.resumeOffset : minPhy;
  if (checkpoint.dispatchedPhyOffset !== undefined) {
    ctx.log.warn(
      { missingFile: formatIndexFileName(recordedMs), indexFiles: index.fileCount, rebuildFromPhyOffset: from },
      `index file ${formatIndexFileName(recordedMs)} is missing: rebuilding the index from commit-log offset ${from}`,
    );
  }
  return from;
}

function truncateConsumeQueues(ctx: RecoveryContext, validEnd: number): void {
  let queues = 0;
  let units = 0;
  for (const cq of ctx.consumeQueues.all()) {
    const { droppedUnits } = cq.truncateDirtySync(validEnd);
    if (droppedUnits > 0) {
      queues++;
      units += droppedUnits;
    }
  }
  if (units > 0) {
    ctx.log.warn(
      { validEnd, queues, droppedUnits: units },
      `consume queues: dropped ${units} units in ${queues} queue(s) pointing past the end of the commit log (${validEnd})`,
    );
  }
}
