import path from 'node:path';
import { InvariantError, assert, MiB } from '@apogee/common';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import { recordBytesMax } from '../config/message-store-config.js';
import { SegmentQueue } from '../segment/segment-queue.js';
import type { SegmentFile } from '../segment/segment-file.js';
import type { Clock } from '@apogee/common';
import { errnoCode } from '../util/fd-io.js';
import type { StoreLogger } from '../util/store-logger.js';
import { RunningFlag, type RunningFlags } from '../store/statuses.js';
import type { AppendItem, AppendOutcome, AppendWaiter, RecordsWriter } from './append-types.js';
import { BLANK_HEADER_BYTES, BLANK_MAGIC_CODE } from './record-layout.js';
import { AppendSlabs } from './append-slabs.js';
import { WrittenWindow } from './written-window.js';

// The CommitLog: every message of every topic, back to back, in segment files named by their
// start offset (reference §2). Offsets are assigned synchronously when an append is accepted, so
// acceptance order is commit-log order and per-queue order. The bytes accepted in one event-loop
// turn go to disk in one writev; one write is in flight at a time, and the next one carries
// everything accepted meanwhile (natural group writes under load). Records are encoded at
// acceptance straight into reused write slabs (append-slabs.ts) with their offsets in place, so a
// write is a few large buffers; written records stay visible to dispatch from memory for a while
// (written-window.ts) so that it need not read them back.
//
// Positions, all global offsets: cursor (next offset to assign) >= wroteOffset (in the page cache,
// readable) >= flushedOffset (fdatasync'ed).

/** Written bytes that hold whole records, at their commit-log offset (for the window). */
interface WrittenRun {
  offset: number;
  data: Buffer;
}

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
  private readonly slabs = new AppendSlabs();
  private readonly window = new WrittenWindow();
  /** Counters for tests and benchmarks: writev batches and fdatasync rounds so far. */
  readonly stats = { writeBatches: 0, flushes: 0 };
  /** Called after bytes reach the page cache, with the new wroteOffset. */
  onWritten: (wroteOffset: number, items: readonly AppendItem[]) => void = () => {};
  /** Called after fdatasync, with the new flushedOffset. */
  onFlushed: (flushedOffset: number) => void = () => {};
  /** Called when a failed write drops everything from `fromOffset` on (those offsets are given out again). */
  onDropped: (fromOffset: number) => void = () => {};

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
   * Accepts the records of `writer` (all of one queue) at the cursor: takes their commit-log
   * offset and queue offsets (when `queueKey` is given) and has them encoded straight into the
   * write buffer with those and `storeTimestamp`. Synchronous: on return the records have their
   * place (the writer knows it); `waiter` is told when the bytes are written (and flushed if it
   * waits under SYNC_FLUSH). If the writer throws, nothing is taken and the error is rethrown.
   */
  appendRecords(
    writer: RecordsWriter,
    queueKey: string | undefined,
    storeTimestamp: number,
    waitFlush: boolean,
    waiter: AppendWaiter,
  ): RefusedAppend | undefined {
    assert(!this.isClosed, 'append on a closed commit log');
    const bytes = writer.totalBytes;
    if (bytes > recordBytesMax(this.config)) return { refused: 'tooLarge' };
    if (this.pendingBytes + bytes > PENDING_APPEND_BYTES_MAX) return { refused: 'pendingFull' };
    this.fillSegmentEndIfNeeded(bytes);
    const wroteOffset = this.cursor;
    const queueOffset = queueKey === undefined ? 0 : (this.queueOffsetTable.get(queueKey) ?? 0);
    const data = this.slabs.reserve(bytes, wroteOffset + bytes);
    const dataStart = this.slabs.reservedAt;
    try {
      const wrote = writer.writeRecords(data, dataStart, wroteOffset, queueKey === undefined ? undefined : queueOffset, storeTimestamp);
      // Per-append checks throw InvariantError directly: an assert's message is built on every call.
      if (wrote !== bytes) throw new InvariantError(`records of ${bytes} bytes were encoded as ${wrote}`);
    } catch (err) {
      this.slabs.unreserve(data, dataStart, bytes);
      throw err;
    }
    if (queueKey !== undefined) this.queueOffsetTable.set(queueKey, queueOffset + writer.recordCount);
    this.enqueue({
      offset: wroteOffset,
      data,
      dataStart,
      dataBytes: bytes,
      holdsRecords: true,
      span: bytes,
      storeTimestamp,
      queueKey,
      queueOffset,
      waitFlush,
      waiter,
    });
    return undefined;
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
    let waiter!: AppendWaiter;
    const done = new Promise<AppendOutcome>((resolve) => (waiter = { settle: resolve }));
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
        data: piece,
        dataStart: 0,
        dataBytes: piece.length,
        holdsRecords: false,
        span: piece.length,
        storeTimestamp: 0,
        queueKey: undefined,
        queueOffset: 0,
        waitFlush: true,
        waiter: last ? waiter : undefined,
      });
    }
    return done;
  }

  /**
   * Written records from `offset` still held in memory (at most `maxBytes`, whole records from
   * `offset` on, possibly fewer bytes than asked), or undefined: then read() them from the file.
   */
  writtenView(offset: number, maxBytes: number): Buffer | undefined {
    if (offset < this.minOffset || offset >= this.wrote) return undefined;
    return this.window.view(offset, Math.min(maxBytes, this.wrote - offset));
  }

  /** Dispatch has passed `offset`: the window lets go of what lies before it. */
  dispatchedTo(offset: number): void {
    this.window.dropBefore(offset);
    this.releaseSlabs();
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
      data: blank,
      dataStart: 0,
      dataBytes: blank.length,
      holdsRecords: false,
      span: room,
      storeTimestamp: 0,
      queueKey: undefined,
      queueOffset: 0,
      waitFlush: false,
      waiter: undefined,
    });
  }

  private enqueue(item: AppendItem): void {
    this.cursor = item.offset + item.span;
    this.pending.push(item);
    this.pendingBytes += item.span;
    if (!this.writeLoop) this.startWriteLoop();
  }

  private startWriteLoop(): void {
    this.writeLoop = this.runWrites().finally(() => {
      this.writeLoop = undefined;
      // An append settled by the last write may already have made the next one (its caller runs
      // before this callback): such an item found the loop still set, so pick it up here.
      if (this.pending.length > 0) this.startWriteLoop();
    });
  }

  private async runWrites(): Promise<void> {
    // Let every append of this event-loop turn join the first write.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.takeBatch();
      this.writeStartedMs = this.clock.monotonicMs();
      this.writeInFlight = true;
      const runs: WrittenRun[] = [];
      try {
        await this.writeBatch(batch, runs);
      } catch (err) {
        this.writeInFlight = false;
        this.failPending(batch, err);
        return;
      }
      this.writeInFlight = false;
      this.stats.writeBatches++;
      const last = batch[batch.length - 1]!;
      this.wrote = last.offset + last.span;
      for (const run of runs) this.window.add(run.offset, run.data);
      this.releaseSlabs();
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

  /** Writes `batch`; adds to `runs` the written buffers that hold whole records. */
  private async writeBatch(batch: readonly AppendItem[], runs: WrittenRun[]): Promise<void> {
    let i = 0;
    while (i < batch.length) {
      const segStart = this.segments.segmentStartOf(batch[i]!.offset);
      const first = batch[i]!.offset;
      // Items encoded one after another into the same slab become one buffer.
      const buffers: Buffer[] = [];
      const groupRuns: WrittenRun[] = [];
      let data = batch[i]!.data;
      let start = batch[i]!.dataStart;
      let end = start;
      let runOffset = first;
      let holdsRecords = batch[i]!.holdsRecords;
      let next = first;
      while (i < batch.length && this.segments.segmentStartOf(batch[i]!.offset) === segStart) {
        const item = batch[i]!;
        if (item.offset !== next) throw new InvariantError(`append item at ${item.offset}, expected ${next}`);
        next = item.offset + item.span;
        if (item.data !== data || item.dataStart !== end) {
          buffers.push(data.subarray(start, end));
          if (holdsRecords) groupRuns.push({ offset: runOffset, data: buffers[buffers.length - 1]! });
          data = item.data;
          start = item.dataStart;
          runOffset = item.offset;
          holdsRecords = item.holdsRecords;
        }
        end = item.dataStart + item.dataBytes;
        i++;
      }
      buffers.push(data.subarray(start, end));
      if (holdsRecords) groupRuns.push({ offset: runOffset, data: buffers[buffers.length - 1]! });
      let seg: SegmentFile;
      try {
        seg = await this.segments.getOrCreate(segStart);
      } catch (err) {
        throw new SegmentCreateError(err);
      }
      await seg.writev(buffers, first - segStart);
      for (const run of groupRuns) runs.push(run);
    }
  }

  /** Slabs are reused once written and no longer in the dispatch window. */
  private releaseSlabs(): void {
    this.slabs.release(Math.min(this.wrote, this.window.startOffset ?? this.wrote));
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
    this.onDropped(from);
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
    for (const item of dropped) item.waiter?.settle(failed(reason, errno, stage));
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
