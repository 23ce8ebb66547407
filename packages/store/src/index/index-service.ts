import fs from 'node:fs';
import path from 'node:path';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import type { DispatchRequest } from '../dispatch/dispatch-request.js';
import { TRANSACTION_ROLLBACK_TYPE, javaStringHashCode, transactionType } from '../commitlog/record-layout.js';
import type { StoreLogger } from '../util/store-logger.js';
import type { Clock } from '@apogee/common';
import { IndexFile, indexKeyHashContinued } from './index-file.js';
import { formatIndexFileName, isIndexFileName, parseIndexFileName } from './index-file-name.js';

// IndexService (reference §8): keys `topic#key` for UNIQ_KEY and every KEYS token, in files
// under index/ named by local creation time. Only the newest file takes entries.
// `indexedEnd`: every record at or before this commit-log offset is indexed; dispatch skips
// those, which makes re-dispatch after a crash idempotent.

/** RocketMQ's maxMsgsNumBatch caps a query at 64 results. */
export const QUERY_RESULTS_MAX = 64;

export interface IndexQueryResult {
  phyOffsets: number[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

export class IndexService {
  private files: IndexFile[] = [];
  private indexedEnd = -1;
  private sealing = new Set<Promise<void>>();
  /** String.hashCode of `${prefixTopic}#`, for the topic of the last record indexed. */
  private prefixTopic: string | undefined;
  private prefixHashCode = 0;
  readonly dir: string;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly clock: Clock,
    private readonly log: StoreLogger,
    /** Called with a full file's endTimestamp once it is durable (checkpoint indexMsgTimestamp). */
    private readonly onFileSealed: (endTimestamp: number) => void,
  ) {
    this.dir = path.join(config.storePathRootDir, 'index');
  }

  /** Offset to resume indexing from after a crash: the last indexed record, or -1 for none. */
  get resumeOffset(): number {
    return this.indexedEnd;
  }

  get fileCount(): number {
    return this.files.length;
  }

  /** Creation time (from the name) of the newest file, 0 when there is none. */
  get newestFileMs(): number {
    const newest = this.files[this.files.length - 1];
    return newest ? parseIndexFileName(newest.name) : 0;
  }

  hasFileCreatedAt(ms: number): boolean {
    const name = formatIndexFileName(ms);
    return this.files.some((f) => f.name === name);
  }

  /** Opens the index files (headers only). A file of the wrong geometry is deleted. */
  loadSync(): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const names = fs.readdirSync(this.dir).filter(isIndexFileName).sort();
    for (const name of names) {
      const filePath = path.join(this.dir, name);
      const file = IndexFile.openSync(filePath, this.config.maxHashSlotNum, this.config.maxIndexNum);
      if (!file) {
        this.log.warn(
          { file: filePath },
          'index file does not match maxHashSlotNum/maxIndexNum: deleted; its keys are rebuilt while still in the commit log',
        );
        fs.rmSync(filePath, { force: true });
        continue;
      }
      this.files.push(file);
    }
    this.indexedEnd = this.computeIndexedEnd();
  }

  /**
   * After the commit log is recovered: cuts entries for records at or past `validEnd`, and after
   * a crash rebuilds from its entries the slot table of the newest file and of every file not
   * recorded as durable (endTimestamp not before checkpoint indexMsgTimestamp). The newest file's
   * slots are then in memory.
   */
  recoverSync(opts: {
    lastExitOK: boolean;
    indexMsgTimestamp: number;
    validEnd: number;
    storeTimestampOf: (phy: number) => number;
  }): void {
    this.truncateSync(opts.validEnd, opts.storeTimestampOf);
    for (let i = 0; i < this.files.length; i++) {
      const file = this.files[i]!;
      const isNewest = i === this.files.length - 1;
      // After a crash the newest file's slot table on disk is stale whatever its times say (it is
      // only written when the file is sealed or the store shuts down), and a file that ends in the
      // very millisecond the checkpoint records may not be the one whose seal recorded it.
      if (!opts.lastExitOK && (isNewest || file.header.endTimestamp >= opts.indexMsgTimestamp)) {
        const { cutEntries } = file.rebuildSlotsSync(opts.validEnd);
        if (cutEntries > 0) {
          file.header.endTimestamp = opts.storeTimestampOf(file.header.endPhyOffset);
          this.log.warn({ file: file.filePath, cutEntries }, 'index file: dropped entries that did not survive the crash');
        }
        if (!isNewest) void this.trackSeal(file);
      } else if (isNewest && !file.isFull && !file.hasSlotsInMemory) {
        file.loadSlotsSync();
      } else if (!isNewest && file.hasSlotsInMemory) {
        void this.trackSeal(file); // truncated above: persist its rebuilt slots
      }
    }
    this.indexedEnd = this.computeIndexedEnd();
  }

  /** Indexes one dispatched record (RocketMQ's buildIndex). */
  dispatch(req: DispatchRequest): void {
    if (!this.config.messageIndexEnable) return;
    if (req.commitLogOffset <= this.indexedEnd) return;
    if (transactionType(req.sysFlag) === TRANSACTION_ROLLBACK_TYPE) return;
    // Keys are `topic#key`; their hash continues from the hash of `topic#` (no string per key).
    if (req.topic !== this.prefixTopic) {
      this.prefixTopic = req.topic;
      this.prefixHashCode = javaStringHashCode(`${req.topic}#`);
    }
    if (req.uniqKey) this.putKey(indexKeyHashContinued(this.prefixHashCode, req.uniqKey), req);
    if (req.keys) {
      for (const key of req.keys.split(' ')) {
        if (key.length > 0) this.putKey(indexKeyHashContinued(this.prefixHashCode, key), req);
      }
    }
    this.indexedEnd = req.commitLogOffset;
  }

  /** Query by key and time range, newest files first (RocketMQ's queryOffset). */
  queryOffset(topic: string, key: string, maxNum: number, beginMs: number, endMs: number): IndexQueryResult {
    const limit = Math.min(maxNum, QUERY_RESULTS_MAX);
    const phyOffsets: number[] = [];
    const newest = this.files[this.files.length - 1];
    const fullKey = `${topic}#${key}`;
    for (let i = this.files.length - 1; i >= 0 && phyOffsets.length < limit; i--) {
      const f = this.files[i]!;
      f.commitPending();
      if (f.isTimeMatched(beginMs, endMs)) f.selectPhyOffsets(fullKey, limit, beginMs, endMs, phyOffsets);
      if (f.header.beginTimestamp < beginMs) break;
    }
    return {
      phyOffsets,
      indexLastUpdateTimestamp: newest?.header.endTimestamp ?? 0,
      indexLastUpdatePhyoffset: newest?.header.endPhyOffset ?? 0,
    };
  }

  /** Drops entries for records at or after `phyOffset`, newest file first. */
  truncateSync(phyOffset: number, storeTimestampOf: (phy: number) => number): void {
    let droppedEntries = 0;
    let droppedFiles = 0;
    while (this.files.length > 0) {
      const newest = this.files[this.files.length - 1]!;
      if (newest.header.indexCount > 1 && newest.header.beginPhyOffset >= phyOffset) {
        droppedEntries += newest.header.indexCount - 1;
        newest.destroySync();
        this.files.pop();
        droppedFiles++;
        continue;
      }
      const prev = this.files[this.files.length - 2];
      droppedEntries += newest.truncateSync(phyOffset, storeTimestampOf, prev?.header);
      break;
    }
    if (droppedEntries > 0 || droppedFiles > 0) {
      this.log.warn({ fromOffset: phyOffset, droppedEntries, droppedFiles }, 'index: dropped entries for records cut from the commit log');
    }
    this.indexedEnd = this.computeIndexedEnd();
  }

  /** Retention: deletes the oldest files (never the newest) whose records are all gone. */
  deleteExpiredSync(minPhyOffset: number): number {
    let deleted = 0;
    while (this.files.length > 1 && this.files[0]!.header.endPhyOffset < minPhyOffset) {
      const f = this.files.shift()!;
      f.destroySync();
      deleted++;
    }
    return deleted;
  }

  /** Writes the newest file's held entries and header (no fdatasync). */
  commitPending(): void {
    this.files[this.files.length - 1]?.commitPending();
  }

  /** fdatasync the newest file's entries and header (slot tables are rebuilt after a crash). */
  async flush(): Promise<void> {
    await this.files[this.files.length - 1]?.flush();
  }

  /** Persists every in-memory slot table and closes the files. */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.sealing]);
    for (const f of this.files) {
      if (f.hasSlotsInMemory) await f.persist(false);
      f.closeSync();
    }
    this.files = [];
  }

  private putKey(keyHash: number, req: DispatchRequest): void {
    let file = this.writableFile();
    if (!file.putKeyHash(keyHash, req.commitLogOffset, req.storeTimestamp)) {
      file = this.roll(file);
      file.putKeyHash(keyHash, req.commitLogOffset, req.storeTimestamp);
    }
  }

  private writableFile(): IndexFile {
    const newest = this.files[this.files.length - 1];
    if (newest && !newest.isFull) return newest;
    return this.roll(newest);
  }

  /** Seals `full` (slots written and synced in the background) and starts a new file. */
  private roll(full: IndexFile | undefined): IndexFile {
    let name = formatIndexFileName(this.clock.nowMs());
    const last = this.files[this.files.length - 1];
    // Names must sort in creation order even if the clock stands still or steps back.
    if (last && name <= last.name) name = formatIndexFileName(parseIndexFileName(last.name) + 1);
    const next = IndexFile.createSync(
      path.join(this.dir, name),
      this.config.maxHashSlotNum,
      this.config.maxIndexNum,
      full?.header,
    );
    this.files.push(next);
    if (full) void this.trackSeal(full);
    return next;
  }

  private trackSeal(file: IndexFile): Promise<void> {
    const p = file
      .persist(false)
      .then(() => this.onFileSealed(file.header.endTimestamp))
      .catch((err: unknown) => this.log.error({ err, file: file.filePath }, 'could not persist a full index file'))
      .finally(() => this.sealing.delete(p));
    this.sealing.add(p);
    return p;
  }

  private computeIndexedEnd(): number {
    for (let i = this.files.length - 1; i >= 0; i--) {
      const h = this.files[i]!.header;
      if (h.indexCount > 1) return h.endPhyOffset;
    }
    return -1;
  }
}
