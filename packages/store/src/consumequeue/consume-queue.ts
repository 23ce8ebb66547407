import { assert } from '@apogee/common';
import { SegmentQueue } from '../segment/segment-queue.js';
import type { SegmentFile } from '../segment/segment-file.js';
import { readInt64BE, writeInt64BE } from '@apogee/common';
import type { StoreLogger } from '../util/store-logger.js';
import { writeAtSync } from '../util/fd-io.js';

// ConsumeQueue unit, 20 bytes: commitLogOffset int64 @0, size int32 @8, tagsCode int64 @12
// (reference §6). Unit i of a queue lives at logical byte i*20, in the file named by the logical
// byte offset of its first unit. A unit with offset < 0 or size <= 0 (all zeros, for instance)
// ends the valid data; a "blank" unit (offset 0, size 0x7FFFFFFF) pads a queue that starts
// mid-stream. Units are tiny and live in the page cache, so this class uses synchronous positional
// I/O (a few microseconds per call); only flushing (fdatasync) is asynchronous.
// The newest units (at most CQ_PENDING_UNITS_MAX) are held in memory and written to their file
// when that many have gathered, or before a flush, a close or any maintenance: readers see them
// at once, and a busy queue costs one small write per CQ_PENDING_UNITS_MAX units rather than one
// per dispatch round. What a crash loses from memory is rebuilt from the commit log: the
// checkpoint's dispatched offset only moves after a flush that wrote them.

export const CQ_UNIT_BYTES = 20;
export const BLANK_UNIT_SIZE = 0x7fffffff;
/** Units held in memory per queue before they are written to the file (~4 KiB). */
export const CQ_PENDING_UNITS_MAX = 204;
/** Bytes read per call while scanning a file at recovery. */
const SCAN_CHUNK_BYTES = 64 * 1024 - ((64 * 1024) % CQ_UNIT_BYTES);

export interface CqUnit {
  queueOffset: number;
  commitLogOffset: number;
  size: number;
  tagsCode: number;
}

export class ConsumeQueue {
  readonly segments: SegmentQueue;
  /** `topic-queueId`, the queue-offset table key. */
  readonly queueKey: string;
  /** Logical byte offset of the first valid unit. */
  private minLogicOffset = 0;
  /** Logical byte offset after the last unit written to a file (held units come after it). */
  private wroteBytes = 0;
  private flushedBytes = 0;
  /** Commit-log end (offset + size) of the last unit, -1 when none. */
  private maxPhysicOffset = -1;
  /** Units not yet written to the file; allocated on first use (most queues are idle). */
  private pending: Buffer | undefined;
  private pendingUnits = 0;

  constructor(
    readonly topic: string,
    readonly queueId: number,
    dir: string,
    readonly fileBytes: number,
    private readonly log: StoreLogger,
  ) {
    assert(fileBytes % CQ_UNIT_BYTES === 0, `ConsumeQueue file size ${fileBytes} is not a multiple of 20`);
    this.segments = new SegmentQueue(dir, fileBytes, log, 'repair');
    this.queueKey = `${topic}-${queueId}`;
  }

  get minOffsetInQueue(): number {
    return this.minLogicOffset / CQ_UNIT_BYTES;
  }

  /** Next queue offset to be written (pads count), as readers see it (held units included). */
  get maxOffsetInQueue(): number {
    return this.wroteBytes / CQ_UNIT_BYTES + this.pendingUnits;
  }

  get lastPhysicEnd(): number {
    return this.maxPhysicOffset;
  }

  get unflushedBytes(): number {
    return this.wroteBytes + this.pendingUnits * CQ_UNIT_BYTES - this.flushedBytes;
  }

  loadSync(): void {
    this.segments.loadSync();
  }

  /**
   * Finds the end of the valid units: the newest file whose first unit is valid is scanned up to
   * its first invalid unit; everything after is zeroed and later files are deleted.
   * Reports whether non-zero bytes (a torn or garbage tail) were dropped.
   */
  recoverSync(): { endOffset: number; garbageDropped: boolean; filesDeleted: number; repairs: readonly string[] } {
    const files = this.segments.all();
    const repairs = this.segments.repairs;
    if (files.length === 0) return { endOffset: 0, garbageDropped: false, filesDeleted: 0, repairs };
    let keep = files.length - 1;
    while (keep > 0 && !this.isUnitValid(files[keep]!, 0)) keep--;
    const file = files[keep]!;
    const validBytes = this.scanValidBytes(file);
    const end = file.fileFromOffset + validBytes;
    const garbageDropped = validBytes < file.fileSize && !this.isUnitZero(file, validBytes);
    const filesDeleted = files.length - 1 - keep;
    this.segments.truncateSync(end);
    this.wroteBytes = this.flushedBytes = end;
    this.minLogicOffset = this.segments.first()?.fileFromOffset ?? end;
    this.maxPhysicOffset = this.lastRealUnitEnd();
    return { endOffset: end / CQ_UNIT_BYTES, garbageDropped, filesDeleted, repairs };
  }

  /**
   * Adds a unit for queue offset `cqOffset` (RocketMQ's putMessagePositionInfo). Idempotent: a
   * unit whose record ends at or before the last one written is already there. Returns false when
   * the unit was skipped as a duplicate.
   */
  putUnit(commitLogOffset: number, size: number, tagsCode: number, cqOffset: number): boolean {
    if (commitLogOffset + size <= this.maxPhysicOffset) return false;
    const expect = cqOffset * CQ_UNIT_BYTES;
    const current = this.wroteBytes + this.pendingUnits * CQ_UNIT_BYTES;
    if (this.segments.isEmpty && this.pendingUnits === 0 && current === 0 && cqOffset !== 0) {
      // A queue that starts mid-stream (a slave, or a queue whose head was cleaned): its first
      // file begins at a file boundary and is padded with blank units up to `expect`.
      const fileStart = expect - (expect % this.fileBytes);
      this.wroteBytes = this.flushedBytes = this.minLogicOffset = fileStart;
      this.padTo(expect);
      this.minLogicOffset = expect;
    } else if (expect < current) {
      return false;
    } else if (expect > current) {
      this.log.error(
        { topic: this.topic, queueId: this.queueId, expectedQueueOffset: current / CQ_UNIT_BYTES, cqOffset },
        '[BUG] logic queue order maybe wrong: padding the gap with blank units',
      );
      this.padTo(expect);
    }
    this.pushUnit(commitLogOffset, size, tagsCode);
    this.maxPhysicOffset = commitLogOffset + size;
    return true;
  }

  /**
   * Writes held units to their files. After a failed write the units not yet written stay held
   * for the next attempt.
   */
  commitPending(): void {
    while (this.pendingUnits > 0) {
      const total = this.pendingUnits * CQ_UNIT_BYTES;
      const at = this.wroteBytes;
      const fileStart = at - (at % this.fileBytes);
      const file = this.segments.getOrCreateSync(fileStart);
      const n = Math.min(total, file.fileEndOffset - at);
      const pending = this.pending!;
      writeAtSync(file.fd, pending.subarray(0, n), at - fileStart);
      this.wroteBytes += n;
      pending.copyWithin(0, n, total);
      this.pendingUnits -= n / CQ_UNIT_BYTES;
    }
  }

  /**
   * Raw units from queue offset `index`, at most `maxUnits`, never crossing a file; undefined when
   * `index` is outside [min, max) or its file is gone.
   */
  readUnits(index: number, maxUnits: number): Buffer | undefined {
    const at = index * CQ_UNIT_BYTES;
    const end = this.wroteBytes + this.pendingUnits * CQ_UNIT_BYTES;
    if (at < this.minLogicOffset || at >= end || maxUnits <= 0) return undefined;
    const fileEnd = at - (at % this.fileBytes) + this.fileBytes;
    const bytes = Math.min(maxUnits * CQ_UNIT_BYTES, fileEnd - at, end - at);
    const buf = Buffer.allocUnsafe(bytes);
    const fromFile = Math.max(0, Math.min(bytes, this.wroteBytes - at));
    if (fromFile > 0) {
      const file = this.segments.find(at);
      if (!file || !file.acquire()) return undefined;
      try {
        if (file.readSync(buf, at - file.fileFromOffset, fromFile) !== fromFile) return undefined;
      } finally {
        file.release();
      }
    }
    if (fromFile < bytes) {
      const heldFrom = at + fromFile - this.wroteBytes;
      this.pending!.copy(buf, fromFile, heldFrom, heldFrom + bytes - fromFile);
    }
    return buf;
  }

  readUnit(index: number): CqUnit | undefined {
    const buf = this.readUnits(index, 1);
    return buf ? unitAt(buf, 0, index) : undefined;
  }

  /** First queue offset of the file after the one holding `index` (OFFSET_FOUND_NULL's next offset). */
  rollNextFile(index: number): number {
    const unitsPerFile = this.fileBytes / CQ_UNIT_BYTES;
    return index + unitsPerFile - (index % unitsPerFile);
  }

  /** Drops units whose record does not end at or before `phyOffset` (after commit-log truncation). */
  truncateDirtySync(phyOffset: number): { droppedUnits: number } {
    this.commitPending();
    if (this.maxPhysicOffset <= phyOffset) return { droppedUnits: 0 };
    const before = this.wroteBytes;
    // Units are in commit-log order (blank pads first), so "kept" is a prefix: binary search it.
    let lo = this.minOffsetInQueue;
    let hi = this.maxOffsetInQueue;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const unit = this.readUnitIgnoringMin(mid);
      const kept = unit !== undefined && (isBlankUnit(unit) || unit.commitLogOffset + unit.size <= phyOffset);
      if (kept) lo = mid + 1;
      else hi = mid;
    }
    const end = lo * CQ_UNIT_BYTES;
    this.segments.truncateSync(end);
    this.wroteBytes = Math.min(this.wroteBytes, end);
    this.flushedBytes = Math.min(this.flushedBytes, end);
    this.minLogicOffset = Math.min(this.minLogicOffset, end);
    this.maxPhysicOffset = this.lastRealUnitEnd();
    return { droppedUnits: (before - end) / CQ_UNIT_BYTES };
  }

  /**
   * Retention: deletes files (never the last) whose last unit points below the commit log's
   * first offset, then moves the min offset to the first unit still backed by the commit log.
   */
  deleteExpiredSync(minCommitLogOffset: number): number {
    this.commitPending();
    let deleted = 0;
    while (this.segments.count > 1) {
      const first = this.segments.first()!;
      const lastIndex = (first.fileEndOffset - CQ_UNIT_BYTES) / CQ_UNIT_BYTES;
      const unit = this.readUnitIgnoringMin(lastIndex, first);
      if (!unit || unit.commitLogOffset >= minCommitLogOffset) break;
      this.segments.removeFirstSync();
      deleted++;
    }
    this.correctMinOffset(minCommitLogOffset);
    return deleted;
  }

  /** Sets the min offset to the first unit whose record is at or after `minCommitLogOffset`. */
  correctMinOffset(minCommitLogOffset: number): void {
    this.commitPending();
    const first = this.segments.first();
    if (!first) {
      this.minLogicOffset = this.wroteBytes;
      return;
    }
    const lo0 = Math.max(first.fileFromOffset, this.minLogicOffset) / CQ_UNIT_BYTES;
    const hi0 = this.maxOffsetInQueue - 1;
    if (hi0 < lo0) {
      this.minLogicOffset = Math.max(this.minLogicOffset, first.fileFromOffset);
      return;
    }
    const lastUnit = this.readUnitIgnoringMin(hi0);
    if (!lastUnit || lastUnit.commitLogOffset < minCommitLogOffset) {
      this.minLogicOffset = this.wroteBytes;
      return;
    }
    let lo = lo0;
    let hi = hi0;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const unit = this.readUnitIgnoringMin(mid);
      if (unit && unit.commitLogOffset >= minCommitLogOffset && !isBlankUnit(unit)) hi = mid;
      else lo = mid + 1;
    }
    this.minLogicOffset = lo * CQ_UNIT_BYTES;
  }

  /** fdatasync the files holding unflushed units (if at least `leastPages` 4 KiB pages wait). */
  async flush(leastPages: number): Promise<void> {
    this.commitPending();
    const target = this.wroteBytes;
    if (target <= this.flushedBytes) return;
    if (leastPages > 0 && Math.floor(target / 4096) - Math.floor(this.flushedBytes / 4096) < leastPages) return;
    const files: SegmentFile[] = [];
    for (let off = this.flushedBytes - (this.flushedBytes % this.fileBytes); off < target; off += this.fileBytes) {
      const f = this.segments.find(off);
      if (f) files.push(f);
    }
    await Promise.all(files.map((f) => f.flush()));
    this.flushedBytes = Math.max(this.flushedBytes, target);
  }

  async close(): Promise<void> {
    this.commitPending();
    await this.segments.close();
  }

  /** Deletes every file (the topic was removed). */
  destroySync(): void {
    this.pendingUnits = 0;
    this.segments.destroyAllSync();
    this.wroteBytes = this.flushedBytes = this.minLogicOffset = 0;
    this.maxPhysicOffset = -1;
  }

  private pushUnit(commitLogOffset: number, size: number, tagsCode: number): void {
    if (this.pendingUnits === CQ_PENDING_UNITS_MAX) this.commitPending();
    const pending = (this.pending ??= Buffer.alloc(CQ_PENDING_UNITS_MAX * CQ_UNIT_BYTES));
    const at = this.pendingUnits * CQ_UNIT_BYTES;
    writeInt64BE(pending, commitLogOffset, at);
    pending.writeInt32BE(size, at + 8);
    writeInt64BE(pending, tagsCode, at + 12);
    this.pendingUnits++;
  }

  private padTo(expect: number): void {
    while (this.wroteBytes + this.pendingUnits * CQ_UNIT_BYTES < expect) this.pushUnit(0, BLANK_UNIT_SIZE, 0);
  }

  private readUnitIgnoringMin(index: number, file?: SegmentFile): CqUnit | undefined {
    const at = index * CQ_UNIT_BYTES;
    const f = file ?? this.segments.find(at);
    if (!f || at >= this.wroteBytes) return undefined;
    const buf = Buffer.allocUnsafe(CQ_UNIT_BYTES);
    if (f.readSync(buf, at - f.fileFromOffset, CQ_UNIT_BYTES) !== CQ_UNIT_BYTES) return undefined;
    return unitAt(buf, 0, index);
  }

  private isUnitValid(file: SegmentFile, position: number): boolean {
    const buf = Buffer.allocUnsafe(CQ_UNIT_BYTES);
    if (file.readSync(buf, position, CQ_UNIT_BYTES) !== CQ_UNIT_BYTES) return false;
    return isValidUnitBytes(buf, 0);
  }

  /** Bytes of valid units at the start of `file`. */
  private scanValidBytes(file: SegmentFile): number {
    const buf = Buffer.allocUnsafe(SCAN_CHUNK_BYTES);
    let pos = 0;
    while (pos < file.fileSize) {
      const n = file.readSync(buf, pos, Math.min(SCAN_CHUNK_BYTES, file.fileSize - pos));
      for (let i = 0; i + CQ_UNIT_BYTES <= n; i += CQ_UNIT_BYTES) {
        if (!isValidUnitBytes(buf, i)) return pos + i;
      }
      if (n < SCAN_CHUNK_BYTES) return pos + n - (n % CQ_UNIT_BYTES);
      pos += n;
    }
    return file.fileSize;
  }

  private isUnitZero(file: SegmentFile, position: number): boolean {
    const buf = Buffer.alloc(CQ_UNIT_BYTES);
    file.readSync(buf, position, CQ_UNIT_BYTES);
    return buf.every((b) => b === 0);
  }

  /** Blank pads only ever precede real units, so the last unit decides. */
  private lastRealUnitEnd(): number {
    const last = this.maxOffsetInQueue - 1;
    if (last < this.minOffsetInQueue) return -1;
    const unit = this.readUnitIgnoringMin(last);
    if (!unit || isBlankUnit(unit)) return -1;
    return unit.commitLogOffset + unit.size;
  }
}

export function unitAt(buf: Buffer, pos: number, queueOffset: number): CqUnit {
  return {
    queueOffset,
    commitLogOffset: readInt64BE(buf, pos),
    size: buf.readInt32BE(pos + 8),
    tagsCode: readInt64BE(buf, pos + 12),
  };
}

export function isBlankUnit(unit: CqUnit): boolean {
  return unit.commitLogOffset === 0 && unit.size === BLANK_UNIT_SIZE;
}

function isValidUnitBytes(buf: Buffer, pos: number): boolean {
  return buf.readInt32BE(pos) >= 0 && buf.readInt32BE(pos + 8) > 0;
}
