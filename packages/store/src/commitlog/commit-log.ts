import path from 'node:path';
import { assert, MiB } from '@apogee/common';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import { recordBytesMax } from '../config/message-store-config.js';
import { SegmentQueue } from '../segment/segment-queue.js';
import type { SegmentFile } from '../segment/segment-file.js';
import type { Clock } from '@apogee/common';
import { errnoCode } from '../util/fd-io.js';
import { writeInt64BE } from '@apogee/common';
import type { StoreLogger } from '../util/store-logger.js';
import { RunningFlag, type RunningFlags } from '../store/statuses.js';
import type { AppendItem, AppendOutcome, AppendTicket } from './append-types.js';
import {
  BLANK_HEADER_BYTES,
  BLANK_MAGIC_CODE,
  POS_PHYSICAL_OFFSET,
  POS_QUEUE_OFFSET,
  POS_SYS_FLAG,
  POS_TOTAL_SIZE,
  storeTimestampPosition,
} from './record-layout.js';

// The CommitLog: every message of every topic, back to back, in segment files named by their
// start offset (reference §2). Offsets are assigned synchronously when an append is accepted, so
// acceptance order is commit-log order and per-queue order. The bytes accepted in one event-loop
// turn go to disk in one writev; one write is in flight at a time, and the next one carries
// everything accepted meanwhile (natural group writes under load).
//
// Positions, all global offsets: cursor (next offset to assign) >= wroteOffset (in the page cache,
// readable) >= flushedOffset (fdatasync'ed).

/** Appends waiting to be written, in bytes; beyond it puts are refused as OS_PAGE_CACHE_BUSY. */
export const PENDING_APPEND_BYTES_MAX = 128 * MiB;

export type RefusedAppend = { refused: 'pendingFull' | 'tooLarge' };

export class CommitLog {
  readonly segments: SegmentQueue;
  /** Next queue offset to assign, per `topic-queueId` (RocketMQ's topicQueueTable). */
  readonly queueOffsetTable = new Map<string, number>();
  private cursor = 0;
  private wrote = 0;
  private flushed = 0;
  private pending: AppendItem[] = [];
  private pendingBytes = 0;
  private writeLoop: Promise<void> | undefined;
  private writeInFlight = false;
  private writeStartedMs = 0;
  private lastWrittenStoreTimestamp = 0;
  private flushing: Promise<void> | undefined;
  private flushedStoreTs = 0;
  private isClosed = false;
  /** Counters for tests and benchmarks: writev batches and fdatasync rounds so far. */
  readonly stats = { writeBatches: 0, flushes: 0 };
  /** Called after bytes reach the page cache, with the new wroteOffset. */
  onWritten: (wroteOffset: number, items: readonly AppendItem[]) => void = () => {};
  /** Called after fdatasync, with the new flushedOffset. */
  onFlushed: (flushedOffset: number) => void = () => {};

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly log: StoreLogger,
    private readonly flags: RunningFlags,
    private readonly clock: Clock,
    dir: string = path.join(config.storePathRootDir, 'commitlog'),
  ) {
    this.segments = new SegmentQueue(dir, config.mappedFileSizeCommitLog, log);
  }

  get fileSize(): number {
    return this.config.mappedFileSizeCommitLog;
  }

  /** First readable offset (start of the first segment), or the cursor when there is none. */
  get minOffset(): number {
    return this.segments.first()?.fileFromOffset ?? this.cursor;
  }

  /** End of the bytes in the page cache: what readers, dispatch (ASYNC_FLUSH) and HA may see. */
  get maxOffset(): number {
    return this.wrote;
  }

  get flushedOffset(): number {
    return this.flushed;
  }

  /** Next offset an append would get. */
  get appendOffset(): number {
    return this.cursor;
  }

  /** Store time of the last record covered by the last flush (checkpoint physicMsgTimestamp). */
  get flushedStoreTimestamp(): number {
    return this.flushedStoreTs;
  }

  loadSync(): void {
    this.segments.loadSync();
  }

  /** After recovery: everything before `offset` is valid and durable, everything after is gone. */
  setRecoveredEnd(offset: number): void {
    assert(this.pending.length === 0 && !this.writeLoop, 'recovery while appends are in flight');
    this.segments.truncateSync(offset);
    this.cursor = this.wrote = this.flushed = offset;
  }

  /** A segment's first byte for `offset` when the log is empty (a slave starting mid-stream). */
  rollNextFile(offset: number): number {
    return offset + this.fileSize - (offset % this.fileSize);
  }

  /** True while a write has been running longer than osPageCacheBusyTimeOutMills. */
  isOsPageCacheBusy(): boolean {
    if (!this.writeInFlight) return false;
    return this.clock.monotonicMs() - this.writeStartedMs > this.config.osPageCacheBusyTimeOutMills;
  }

  /**
   * Accepts `record` (one or more whole records back to back, all of one queue) at the cursor.
   * Patches QUEUEOFFSET (when `queueKey` is given), PHYSICALOFFSET and STORETIMESTAMP in place.
   * Synchronous up to the returned ticket; `done` settles when the bytes are written (and flushed
   * if the caller waits under SYNC_FLUSH).
   */
  append(
    record: Buffer,
    recordCount: number,
    queueKey: string | undefined,
    storeTimestamp: number,
    waitFlush: boolean,
  ): AppendTicket | RefusedAppend {
    assert(!this.isClosed, 'append on a closed commit log');
    if (record.length > recordBytesMax(this.config)) return { refused: 'tooLarge' };
    if (this.pendingBytes + record.length > PENDING_APPEND_BYTES_MAX) return { refused: 'pendingFull' };
    this.fillSegmentEndIfNeeded(record.length);
    const wroteOffset = this.cursor;
    const queueOffset = queueKey === undefined ? 0 : (this.queueOffsetTable.get(queueKey) ?? 0);
    patchRecords(record, recordCount, wroteOffset, queueKey === undefined ? undefined : queueOffset, storeTimestamp);
    if (queueKey !== undefined) this.queueOffsetTable.set(queueKey, queueOffset + recordCount);
    let settle!: (o: AppendOutcome) => void;
    const done = new Promise<AppendOutcome>((resolve) => (settle = resolve));
    this.enqueue({
      offset: wroteOffset,
      buffers: [record],
      span: record.length,
      storeTimestamp,
      queueKey,
      queueOffset,
      waitFlush,
      settle,
    });
    return { wroteOffset, wroteBytes: record.length, queueOffset, storeTimestamp, done };
  }

  /**
   * Appends raw commit-log bytes (replication) at `startOffset`, which must be the current end.
   * The bytes are written as they are (BLANK fillers included) and then dispatched like local
   * appends. An empty log accepts any segment-aligned start.
   */
  appendRaw(startOffset: number, data: Buffer): Promise<AppendOutcome> {
    assert(!this.isClosed, 'appendRaw on a closed commit log');
    if (this.segments.isEmpty && this.cursor === this.wrote && startOffset !== this.cursor) {
      if (startOffset % this.fileSize !== 0) {
        return Promise.resolve(failed(`raw append at ${startOffset} into an empty log must start a segment`));
      }
      this.cursor = this.wrote = this.flushed = startOffset;
    }
    if (startOffset !== this.cursor) {
      return Promise.resolve(failed(`raw append at ${startOffset} but the commit log ends at ${this.cursor}`));
    }
    if (data.length === 0) return Promise.resolve({ kind: 'stored' });
    let settle!: (o: AppendOutcome) => void;
    const done = new Promise<AppendOutcome>((resolve) => (settle = resolve));
    let pos = 0;
    while (pos < data.length) {
      const offset = startOffset + pos;
      const room = this.rollNextFile(offset) - offset;
      const piece = data.subarray(pos, pos + Math.min(room, data.length - pos));
      pos += piece.length;
      const last = pos === data.length;
      this.cursor += piece.length;
      this.enqueue({
        offset,
        buffers: [piece],
        span: piece.length,
        storeTimestamp: 0,
        queueKey: undefined,
        queueOffset: 0,
        waitFlush: true,
        settle: last ? settle : undefined,
      });
    }
    return done;
  }

  /** Reads `length` bytes at `offset`; undefined unless all of them are written and in one segment. */
  async read(offset: number, length: number): Promise<Buffer | undefined> {
    const seg = this.readableSegment(offset, length);
    if (!seg) return undefined;
    try {
      const buf = await seg.read(offset - seg.fileFromOffset, length);
      return buf.length === length ? buf : undefined;
    } finally {
      seg.release();
    }
  }

  /** Synchronous read for recovery, small lookups and page-cache reads; same rules as read(). */
  readSync(offset: number, length: number): Buffer | undefined {
    const seg = this.readableSegment(offset, length);
    if (!seg) return undefined;
    try {
      const buf = Buffer.allocUnsafe(length);
      return seg.readSync(buf, offset - seg.fileFromOffset, length) === length ? buf : undefined;
    } finally {
      seg.release();
    }
  }

  /** Written bytes from `offset` to the end of its segment (or of the data), at most `maxBytes`. */
  async readToSegmentEnd(offset: number, maxBytes: number, endOffset: number = this.wrote): Promise<Buffer | undefined> {
    if (offset < this.minOffset || offset >= endOffset) return undefined;
    const length = Math.min(maxBytes, this.rollNextFile(offset) - offset, endOffset - offset);
    return this.read(offset, length);
  }

  /** fdatasync everything written so far. Concurrent callers share the flush in progress. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.flushed < this.wrote ? this.flush() : undefined));
    if (this.flushed >= this.wrote) return Promise.resolve();
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** Bytes written but not yet flushed. */
  get unflushedBytes(): number {
    return this.wrote - this.flushed;
  }

  /** Resolves when every accepted append has been written (or failed). */
  async drainWrites(): Promise<void> {
    while (this.writeLoop) await this.writeLoop;
  }

  /** Waits for queued appends to be written, then closes every segment. Idempotent. */
  async close(): Promise<void> {
    this.isClosed = true;
    while (this.writeLoop) await this.writeLoop;
    if (this.flushing) await this.flushing.catch(() => undefined);
    await this.segments.close();
  }

  private async flushOnce(): Promise<void> {
    const target = this.wrote;
    const storeTimestamp = this.lastWrittenStoreTimestamp;
    const segs: SegmentFile[] = [];
    for (let off = this.segments.segmentStartOf(this.flushed); off < target; off += this.fileSize) {
      const seg = this.segments.find(off);
      if (seg) segs.push(seg);
    }
    await Promise.all(segs.map((s) => s.flush()));
    this.stats.flushes++;
    if (target > this.flushed) {
      this.flushed = target;
      if (storeTimestamp > 0) this.flushedStoreTs = storeTimestamp;
      this.onFlushed(target);
    }
  }

  private fillSegmentEndIfNeeded(recordBytes: number): void {
    const room = this.rollNextFile(this.cursor) - this.cursor;
    if (recordBytes + BLANK_HEADER_BYTES <= room) return;
    // RocketMQ's END_OF_FILE: an 8-byte BLANK header marks the rest of the segment as unused.
    const blank = Buffer.allocUnsafe(BLANK_HEADER_BYTES);
    blank.writeInt32BE(room, 0);
    blank.writeInt32BE(BLANK_MAGIC_CODE, 4);
    this.enqueue({
      offset: this.cursor,
      buffers: [blank],
      span: room,
      storeTimestamp: 0,
      queueKey: undefined,
      queueOffset: 0,
      waitFlush: false,
      settle: undefined,
    });
  }

  private enqueue(item: AppendItem): void {
    this.cursor = item.offset + item.span;
    this.pending.push(item);
    this.pendingBytes += item.span;
    if (!this.writeLoop) this.writeLoop = this.runWrites().finally(() => (this.writeLoop = undefined));
  }

  private async runWrites(): Promise<void> {
    // Let every append of this event-loop turn join the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      this.writeStartedMs = this.clock.monotonicMs();
      this.writeInFlight = true;
      try {
        await this.writeBatch(batch);
      } catch (err) {
        this.writeInFlight = false;
        this.failPending(batch, err);
        return;
      }
      this.writeInFlight = false;
      this.stats.writeBatches++;
      const last = batch[batch.length - 1]!;
      this.wrote = last.offset + last.span;
      for (const item of batch) {
        this.pendingBytes -= item.span;
        if (item.storeTimestamp > 0) this.lastWrittenStoreTimestamp = item.storeTimestamp;
      }
      this.onWritten(this.wrote, batch);
    }
  }

  private takeBatch(): AppendItem[] {
    let bytes = 0;
    let n = 0;
    while (n < this.pending.length && (n === 0 || bytes + this.pending[n]!.span <= this.config.appendWriteBytesMax)) {
      bytes += this.pending[n]!.span;
      n++;
    }
    return this.pending.splice(0, n);
  }

  private async writeBatch(batch: readonly AppendItem[]): Promise<void> {
    let i = 0;
    while (i < batch.length) {
      const segStart = this.segments.segmentStartOf(batch[i]!.offset);
      const buffers: Buffer[] = [];
      const first = batch[i]!.offset;
      while (i < batch.length && this.segments.segmentStartOf(batch[i]!.offset) === segStart) {
        buffers.push(...batch[i]!.buffers);
        i++;
      }
      let seg: SegmentFile;
      try {
        seg = await this.segments.getOrCreate(segStart);
      } catch (err) {
        throw new SegmentCreateError(err);
      }
      await seg.writev(buffers, first - segStart);
    }
  }

  /**
   * A write failed (ENOSPC, EIO...). Nothing of the failed batch or of anything queued behind it
   * is kept: its bytes are zeroed, its queue offsets are given back, its callers get `failed`,
   * and the store stops accepting writes (DISK_FULL for ENOSPC, NOT_WRITEABLE otherwise).
   */
  private failPending(batch: AppendItem[], failure: unknown): void {
    const stage = failure instanceof SegmentCreateError ? 'create' : 'write';
    const err = failure instanceof SegmentCreateError ? failure.cause : failure;
    const errno = errnoCode(err);
    const dropped = [...batch, ...this.pending];
    this.pending = [];
    this.pendingBytes = 0;
    const from = batch[0]!.offset;
    assert(from === this.wrote, `failed batch starts at ${from}, written data ends at ${this.wrote}`);
    for (let i = dropped.length - 1; i >= 0; i--) {
      const item = dropped[i]!;
      if (item.queueKey !== undefined) this.queueOffsetTable.set(item.queueKey, item.queueOffset);
    }
    this.cursor = from;
    try {
      for (const seg of this.segments.all()) {
        if (seg.fileEndOffset > from) seg.zeroFromSync(Math.max(0, from - seg.fileFromOffset));
      }
    } catch (zeroErr) {
      this.log.error({ err: zeroErr, fromOffset: from }, 'could not zero a failed commit-log write');
    }
    this.flags.set(errno === 'ENOSPC' ? RunningFlag.DISK_FULL : RunningFlag.NOT_WRITEABLE);
    const what = stage === 'create' ? 'creating a commit-log segment' : 'writing the commit log';
    const reason = `${what} at offset ${from} failed: ${errno === 'ENOSPC' ? 'disk full (ENOSPC)' : (errno ?? String(err))}`;
    this.log.error({ err, fromOffset: from, droppedAppends: dropped.length, flags: this.flags.describe() }, reason);
    for (const item of dropped) item.settle?.(failed(reason, errno, stage));
  }

  private readableSegment(offset: number, length: number): SegmentFile | undefined {
    if (length <= 0 || offset < this.minOffset || offset + length > this.wrote) return undefined;
    const seg = this.segments.find(offset);
    if (!seg || offset + length > seg.fileEndOffset || !seg.acquire()) return undefined;
    return seg;
  }
}

function failed(reason: string, errno?: string, stage: 'create' | 'write' | 'refused' = 'refused'): AppendOutcome {
  return { kind: 'failed', reason, errno, stage };
}

class SegmentCreateError extends Error {
  constructor(override readonly cause: unknown) {
    super('segment creation failed');
  }
}

/** Writes QUEUEOFFSET, PHYSICALOFFSET and STORETIMESTAMP into each record of `buf`. */
function patchRecords(
  buf: Buffer,
  recordCount: number,
  physicalOffset: number,
  firstQueueOffset: number | undefined,
  storeTimestamp: number,
): void {
  let pos = 0;
  for (let i = 0; i < recordCount; i++) {
    const size = buf.readInt32BE(pos + POS_TOTAL_SIZE);
    assert(size > 0 && pos + size <= buf.length, `record ${i} of ${recordCount} has size ${size} at ${pos}`);
    if (firstQueueOffset !== undefined) writeInt64BE(buf, firstQueueOffset + i, pos + POS_QUEUE_OFFSET);
    writeInt64BE(buf, physicalOffset + pos, pos + POS_PHYSICAL_OFFSET);
    writeInt64BE(buf, storeTimestamp, pos + storeTimestampPosition(buf.readInt32BE(pos + POS_SYS_FLAG)));
    pos += size;
  }
  assert(pos === buf.length, `records add up to ${pos} bytes, buffer has ${buf.length}`);
}
