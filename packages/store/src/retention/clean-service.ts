import fs from 'node:fs';
import type { Clock } from '@apogee/common';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import { parseDeleteWhen } from '../config/message-store-config.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import type { ConsumeQueueStore } from '../consumequeue/consume-queue-store.js';
import type { IndexService } from '../index/index-service.js';
import type { ReputService } from '../dispatch/reput-service.js';
import { RunningFlag, type RunningFlags } from '../store/statuses.js';
import type { StoreLogger } from '../util/store-logger.js';

// Retention (reference §13). Every cleanResourceInterval (first after cleanResourceInitialDelayMs):
// - disk use of the commit-log partition, used/(used+usable) rounded up to 1 %: over
//   diskSpaceWarningLevelRatio marks DISK_FULL (puts refused) until it falls under
//   diskSpaceCleanForciblyRatio; the same rule clears a DISK_FULL set by an ENOSPC write;
// - at a deleteWhen hour, when over diskMaxUsedSpaceRatio, or on request: commit-log segments
//   (never the last one, never one not yet dispatched) older than fileReservedTime hours are
//   deleted oldest first, at most deleteFileBatchMax per run; over diskSpaceCleanForciblyRatio
//   (with cleanFileForciblyEnable) their age no longer matters;
// - then ConsumeQueue files and index files that only point below the new min offset.
// Time comes from the Clock; file ages from the files' mtimes.

/** RocketMQ's executeDeleteFilesManually arms this many runs. */
export const MANUAL_DELETE_RUNS = 20;
const HOUR_MS = 3_600_000;

export interface CleanDeps {
  commitLog: CommitLog;
  queues: ConsumeQueueStore;
  index: IndexService;
  reput: ReputService;
}

export interface CleanRunResult {
  diskUsedRatio: number;
  deletedSegments: number;
  deletedConsumeQueueFiles: number;
  deletedIndexFiles: number;
}

export class CleanService {
  private initialTimer: NodeJS.Timeout | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<CleanRunResult> | undefined;
  private manualRuns = 0;
  private lastMinPhyOffset = -1;
  private readonly deleteHours: ReadonlySet<number>;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly clock: Clock,
    private readonly log: StoreLogger,
    private readonly flags: RunningFlags,
    private readonly deps: CleanDeps,
  ) {
    const parsed = parseDeleteWhen(config.deleteWhen);
    this.deleteHours = parsed.ok ? parsed.hours : new Set([4]);
  }

  start(): void {
    if (this.initialTimer || this.timer) return;
    this.initialTimer = setTimeout(() => {
      this.initialTimer = undefined;
      this.timer = setInterval(() => void this.runOnce().catch((err: unknown) => this.log.error({ err }, 'retention run failed')), this.config.cleanResourceInterval);
      this.timer.unref();
      void this.runOnce().catch((err: unknown) => this.log.error({ err }, 'retention run failed'));
    }, this.config.cleanResourceInitialDelayMs);
    this.initialTimer.unref();
  }

  executeDeleteFilesManually(): void {
    this.manualRuns = MANUAL_DELETE_RUNS;
  }

  /** One retention pass (also what the timer runs). Serialized. */
  async runOnce(): Promise<CleanRunResult> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.doRun();
    try {
      return await this.running;
    } finally {
      this.running = undefined;
    }
  }

  async shutdown(): Promise<void> {
    if (this.initialTimer) clearTimeout(this.initialTimer);
    if (this.timer) clearInterval(this.timer);
    this.initialTimer = this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private async doRun(): Promise<CleanRunResult> {
    const c = this.config;
    const ratio = diskUsedRatio(this.deps.commitLog.segments.dir);
    this.updateDiskFullFlag(ratio);
    const isTime = this.deleteHours.has(new Date(this.clock.nowMs()).getHours());
    const isSpace = ratio > c.diskMaxUsedSpaceRatio / 100;
    const cleanAtOnce = c.cleanFileForciblyEnable && ratio > c.diskSpaceCleanForciblyRatio / 100;
    let deletedSegments = 0;
    if (isTime || isSpace || this.manualRuns > 0) {
      if (this.manualRuns > 0) this.manualRuns--;
      deletedSegments = this.deleteExpiredSegments(cleanAtOnce);
    }
    let deletedConsumeQueueFiles = 0;
    let deletedIndexFiles = 0;
    const minPhy = this.deps.commitLog.minOffset;
    if (minPhy > this.lastMinPhyOffset) {
      for (const cq of this.deps.queues.all()) deletedConsumeQueueFiles += cq.deleteExpiredSync(minPhy);
      deletedIndexFiles = this.deps.index.deleteExpiredSync(minPhy);
      this.lastMinPhyOffset = minPhy;
    }
    if (deletedSegments + deletedConsumeQueueFiles + deletedIndexFiles > 0) {
      this.log.info(
        { deletedSegments, deletedConsumeQueueFiles, deletedIndexFiles, minPhyOffset: minPhy, diskUsedRatio: ratio },
        'retention deleted expired files',
      );
    }
    return { diskUsedRatio: ratio, deletedSegments, deletedConsumeQueueFiles, deletedIndexFiles };
  }

  private deleteExpiredSegments(cleanAtOnce: boolean): number {
    const { commitLog, reput } = this.deps;
    const reservedMs = this.config.fileReservedTime * HOUR_MS;
    const now = this.clock.nowMs();
    let deleted = 0;
    while (deleted < this.config.deleteFileBatchMax && commitLog.segments.count > 1) {
      const seg = commitLog.segments.first()!;
      if (seg.fileEndOffset > reput.reputFromOffset) break; // never drop what is not dispatched yet
      let mtimeMs: number;
      try {
        mtimeMs = fs.statSync(seg.filePath).mtimeMs;
      } catch {
        mtimeMs = 0;
      }
      if (!(now >= mtimeMs + reservedMs || cleanAtOnce)) break;
      commitLog.segments.removeFirstSync();
      this.log.info({ file: seg.filePath, cleanAtOnce }, 'deleted an expired commit-log segment');
      deleted++;
    }
    return deleted;
  }

  private updateDiskFullFlag(ratio: number): void {
    const c = this.config;
    if (ratio > c.diskSpaceWarningLevelRatio / 100) {
      if (!this.flags.has(RunningFlag.DISK_FULL)) {
        this.log.error({ diskUsedRatio: ratio }, 'disk use is over diskSpaceWarningLevelRatio: store is not writeable');
      }
      this.flags.set(RunningFlag.DISK_FULL);
    } else if (ratio < c.diskSpaceCleanForciblyRatio / 100 && this.flags.has(RunningFlag.DISK_FULL)) {
      this.flags.clear(RunningFlag.DISK_FULL);
      this.log.info({ diskUsedRatio: ratio }, 'disk use is back under diskSpaceCleanForciblyRatio: store is writeable again');
    }
  }
}

/** used / (used + usable) of the partition holding `dir`, rounded up to 1 % (RocketMQ's rule). */
export function diskUsedRatio(dir: string): number {
  const s = fs.statfsSync(dir);
  const used = (s.blocks - s.bfree) * s.bsize;
  const usable = s.bavail * s.bsize;
  if (used + usable <= 0) return 0;
  return Math.ceil((used / (used + usable)) * 100) / 100;
}
