import fs from 'node:fs';
import path from 'node:path';
import { InvariantError, assert } from '@apogee/common';
import { datasync, readAtSync, writeAtSync, writevFully } from '../util/fd-io.js';
import { readInt64BE, writeInt64BE } from '@apogee/common';
import { javaStringHashCode } from '../commitlog/record-layout.js';

// IndexFile (reference §8.1), big-endian:
//   header 40 bytes: beginTimestamp int64 @0 | endTimestamp int64 @8 | beginPhyOffset int64 @16
//                    endPhyOffset int64 @24 | hashSlotCount int32 @32 | indexCount int32 @36
//   hash slots @40: hashSlotNum x int32, the newest entry number whose key hashes there (0 = none)
//   entries @40 + hashSlotNum*4: indexNum x 20 bytes:
//     keyHash int32 @0 | phyOffset int64 @4 | timeDiff int32 @12 (s since beginTimestamp) | prevIndex int32 @16
// Entry numbers start at 1. Without mmap, the slot table of the file being written lives in
// memory (4 bytes per slot) and reaches the disk when the file is full and at shutdown; entries
// are held in memory until PENDING_ENTRIES_MAX have gathered (or a query, flush or seal needs
// them), then written with the header. After a crash the slot table is rebuilt from the entries,
// which hold everything it is derived from, and dispatch re-indexes what was lost.

export const INDEX_HEADER_BYTES = 40;
export const INDEX_SLOT_BYTES = 4;
export const INDEX_ENTRY_BYTES = 20;
/** Entries held in memory before a write (~20 KiB). */
const PENDING_ENTRIES_MAX = 1024;
/** Entries read per call when rebuilding slots. */
const REBUILD_CHUNK_ENTRIES = 8192;

export interface IndexHeader {
  beginTimestamp: number;
  endTimestamp: number;
  beginPhyOffset: number;
  endPhyOffset: number;
  hashSlotCount: number;
  indexCount: number;
}

/** RocketMQ's indexKeyHashMethod: |String.hashCode|, with |INT_MIN| taken as 0. */
export function indexKeyHash(key: string): number {
  return indexKeyHashOfCode(javaStringHashCode(key));
}

/** indexKeyHash of `prefix + key`, where `prefixHashCode` is String.hashCode of `prefix`. */
export function indexKeyHashContinued(prefixHashCode: number, key: string): number {
  let hash = prefixHashCode;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(31, hash) + key.charCodeAt(i)) | 0;
  return indexKeyHashOfCode(hash);
}

function indexKeyHashOfCode(hashCode: number): number {
  const h = Math.abs(hashCode);
  return h > 0x7fffffff ? 0 : h;
}

export function indexFileBytes(hashSlotNum: number, indexNum: number): number {
  return INDEX_HEADER_BYTES + hashSlotNum * INDEX_SLOT_BYTES + indexNum * INDEX_ENTRY_BYTES;
}

export class IndexFile {
  readonly header: IndexHeader;
  /** In-memory slot table while this file is written (and until it is persisted). */
  private slots: Buffer | undefined;
  private pending = Buffer.alloc(PENDING_ENTRIES_MAX * INDEX_ENTRY_BYTES);
  private pendingEntries = 0;
  /** Entry number of the first pending entry. */
  private pendingFrom = 0;
  private closed = false;

  private constructor(
    readonly filePath: string,
    readonly hashSlotNum: number,
    readonly indexNum: number,
    private readonly fd: number,
    header: IndexHeader,
  ) {
    this.header = header;
  }

  get name(): string {
    return path.basename(this.filePath);
  }

  get isFull(): boolean {
    return this.header.indexCount >= this.indexNum;
  }

  get hasSlotsInMemory(): boolean {
    return this.slots !== undefined;
  }

  private get entriesPos(): number {
    return INDEX_HEADER_BYTES + this.hashSlotNum * INDEX_SLOT_BYTES;
  }

  /** A new, empty, writable file whose begin/end values continue the previous file's end. */
  static createSync(
    filePath: string,
    hashSlotNum: number,
    indexNum: number,
    prev: { endPhyOffset: number; endTimestamp: number } | undefined,
  ): IndexFile {
    const fd = fs.openSync(filePath, 'wx+', 0o644);
    fs.ftruncateSync(fd, indexFileBytes(hashSlotNum, indexNum));
    const header: IndexHeader = {
      beginTimestamp: prev?.endTimestamp ?? 0,
      endTimestamp: prev?.endTimestamp ?? 0,
      beginPhyOffset: prev?.endPhyOffset ?? 0,
      endPhyOffset: prev?.endPhyOffset ?? 0,
      hashSlotCount: 0,
      indexCount: 1,
    };
    const file = new IndexFile(filePath, hashSlotNum, indexNum, fd, header);
    file.slots = Buffer.alloc(hashSlotNum * INDEX_SLOT_BYTES);
    file.writeHeaderSync();
    return file;
  }

  /** Opens an existing file; undefined if its size does not match the configured geometry. */
  static openSync(filePath: string, hashSlotNum: number, indexNum: number): IndexFile | undefined {
    const size = fs.statSync(filePath).size;
    if (size !== indexFileBytes(hashSlotNum, indexNum)) return undefined;
    const fd = fs.openSync(filePath, 'r+');
    const buf = Buffer.alloc(INDEX_HEADER_BYTES);
    readAtSync(fd, buf, 0, INDEX_HEADER_BYTES);
    const indexCount = buf.readInt32BE(36);
    const header: IndexHeader = {
      beginTimestamp: readInt64BE(buf, 0),
      endTimestamp: readInt64BE(buf, 8),
      beginPhyOffset: readInt64BE(buf, 16),
      endPhyOffset: readInt64BE(buf, 24),
      hashSlotCount: buf.readInt32BE(32),
      indexCount: indexCount <= 0 ? 1 : Math.min(indexCount, indexNum),
    };
    return new IndexFile(filePath, hashSlotNum, indexNum, fd, header);
  }

  /** Reads the slot table from disk into memory (the file that will take new entries). */
  loadSlotsSync(): void {
    const slots = Buffer.alloc(this.hashSlotNum * INDEX_SLOT_BYTES);
    readAtSync(this.fd, slots, INDEX_HEADER_BYTES, slots.length);
    this.slots = slots;
  }

  /**
   * Rebuilds the slot table from entries 1..indexCount-1. Entries are written in commit-log
   * order, so an entry whose offset goes backwards (or is past `maxPhyOffset`) ends the valid
   * ones; the count is cut there. Returns how many entries were cut.
   */
  rebuildSlotsSync(maxPhyOffset: number): { cutEntries: number } {
    const slots = Buffer.alloc(this.hashSlotNum * INDEX_SLOT_BYTES);
    const buf = Buffer.allocUnsafe(REBUILD_CHUNK_ENTRIES * INDEX_ENTRY_BYTES);
    const count = this.header.indexCount;
    let used = 0;
    let lastPhy = -1;
    let valid = 1;
    scan: for (let from = 1; from < count; from += REBUILD_CHUNK_ENTRIES) {
      const n = Math.min(REBUILD_CHUNK_ENTRIES, count - from);
      readAtSync(this.fd, buf, this.entriesPos + from * INDEX_ENTRY_BYTES, n * INDEX_ENTRY_BYTES);
      for (let i = 0; i < n; i++) {
        const at = i * INDEX_ENTRY_BYTES;
        const keyHash = buf.readInt32BE(at);
        const phy = readInt64BE(buf, at + 4);
        if (keyHash < 0 || phy < lastPhy || phy >= maxPhyOffset || buf.readInt32BE(at + 12) < 0) break scan;
        const slotPos = (keyHash % this.hashSlotNum) * INDEX_SLOT_BYTES;
        if (slots.readInt32BE(slotPos) === 0) used++;
        slots.writeInt32BE(from + i, slotPos);
        lastPhy = phy;
        valid = from + i + 1;
      }
    }
    this.slots = slots;
    const cut = count - valid;
    this.header.indexCount = valid;
    this.header.hashSlotCount = used;
    if (valid > 1) this.header.endPhyOffset = lastPhy;
    this.writeHeaderSync();
    return { cutEntries: cut };
  }

  /**
   * Adds a key, given as its indexKeyHash, for the record at `phyOffset` (RocketMQ's putKey).
   * Returns false when the file is full (the caller rolls to a new file and retries).
   */
  putKeyHash(keyHash: number, phyOffset: number, storeTimestamp: number): boolean {
    // Per key: the message is built only on failure (an assert's argument always is).
    if (this.slots === undefined || this.closed) throw new InvariantError(`putKey on read-only index file ${this.filePath}`);
    const h = this.header;
    if (h.indexCount >= this.indexNum) return false;
    const slotPos = (keyHash % this.hashSlotNum) * INDEX_SLOT_BYTES;
    const slots = this.slots;
    let prev = slots.readInt32BE(slotPos);
    if (prev <= 0 || prev > h.indexCount) prev = 0;
    let timeDiff = Math.trunc((storeTimestamp - h.beginTimestamp) / 1000);
    if (h.beginTimestamp <= 0 || timeDiff < 0) timeDiff = 0;
    else if (timeDiff > 0x7fffffff) timeDiff = 0x7fffffff;
    if (this.pendingEntries === PENDING_ENTRIES_MAX) this.commitPending();
    if (this.pendingEntries === 0) this.pendingFrom = h.indexCount;
    const at = this.pendingEntries * INDEX_ENTRY_BYTES;
    const pending = this.pending;
    pending.writeInt32BE(keyHash, at);
    writeInt64BE(pending, phyOffset, at + 4);
    pending.writeInt32BE(timeDiff, at + 12);
    pending.writeInt32BE(prev, at + 16);
    this.pendingEntries++;
    slots.writeInt32BE(h.indexCount, slotPos);
    if (h.indexCount <= 1) {
      h.beginPhyOffset = phyOffset;
      h.beginTimestamp = storeTimestamp;
    }
    if (prev === 0) h.hashSlotCount++;
    h.indexCount++;
    h.endPhyOffset = phyOffset;
    h.endTimestamp = storeTimestamp;
    return true;
  }

  /** Writes pending entries, then the header (so the header never counts unwritten entries). */
  commitPending(): void {
    if (this.pendingEntries === 0) return;
    writeAtSync(
      this.fd,
      this.pending.subarray(0, this.pendingEntries * INDEX_ENTRY_BYTES),
      this.entriesPos + this.pendingFrom * INDEX_ENTRY_BYTES,
    );
    this.pendingEntries = 0;
    this.writeHeaderSync();
  }

  /**
   * Offsets of entries whose key hash equals `key`'s and whose time is in [beginMs, endMs]
   * (RocketMQ's selectPhyOffset), newest first, at most `maxNum`.
   */
  selectPhyOffsets(key: string, maxNum: number, beginMs: number, endMs: number, out: number[]): void {
    const h = this.header;
    const keyHash = indexKeyHash(key);
    const slotValue = this.readSlot(keyHash % this.hashSlotNum);
    if (slotValue <= 0 || slotValue > h.indexCount || h.indexCount <= 1) return;
    const entry = Buffer.allocUnsafe(INDEX_ENTRY_BYTES);
    let next = slotValue;
    // A chain is at most indexCount long; the bound also stops a corrupted cycle.
    for (let steps = 0; steps < h.indexCount && out.length < maxNum; steps++) {
      if (readAtSync(this.fd, entry, this.entriesPos + next * INDEX_ENTRY_BYTES, INDEX_ENTRY_BYTES) !== INDEX_ENTRY_BYTES) return;
      const timeDiff = entry.readInt32BE(12);
      if (timeDiff < 0) return;
      const timeRead = h.beginTimestamp + timeDiff * 1000;
      if (entry.readInt32BE(0) === keyHash && timeRead >= beginMs && timeRead <= endMs) out.push(readInt64BE(entry, 4));
      const prev = entry.readInt32BE(16);
      if (prev <= 0 || prev > h.indexCount || prev === next || timeRead < beginMs) return;
      next = prev;
    }
  }

  /** RocketMQ's isTimeMatched: does [beginMs, endMs] overlap this file's time range? */
  isTimeMatched(beginMs: number, endMs: number): boolean {
    const { beginTimestamp: b, endTimestamp: e } = this.header;
    return (beginMs < b && endMs > e) || (beginMs >= b && beginMs <= e) || (endMs >= b && endMs <= e);
  }

  /** Phy offset of entry `n` (1-based), for truncation. */
  entryPhyOffsetSync(n: number): number {
    const buf = Buffer.allocUnsafe(8);
    readAtSync(this.fd, buf, this.entriesPos + n * INDEX_ENTRY_BYTES + 4, 8);
    return readInt64BE(buf, 0);
  }

  /**
   * Keeps only entries for records before `phyOffset`; `endTimestampOf` gives the store time of
   * the new last record, `prevEnd` the previous file's end (for a file left empty).
   * Returns the entries dropped.
   */
  truncateSync(
    phyOffset: number,
    endTimestampOf: (phy: number) => number,
    prevEnd: { endPhyOffset: number; endTimestamp: number } | undefined,
  ): number {
    this.commitPending();
    const count = this.header.indexCount;
    let lo = 1;
    let hi = count;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.entryPhyOffsetSync(mid) < phyOffset) lo = mid + 1;
      else hi = mid;
    }
    const dropped = count - lo;
    if (dropped === 0) return 0;
    writeAtSync(this.fd, Buffer.alloc(dropped * INDEX_ENTRY_BYTES), this.entriesPos + lo * INDEX_ENTRY_BYTES);
    const h = this.header;
    h.indexCount = lo;
    if (lo > 1) {
      h.endPhyOffset = this.entryPhyOffsetSync(lo - 1);
      h.endTimestamp = endTimestampOf(h.endPhyOffset);
    } else {
      h.beginPhyOffset = h.endPhyOffset = prevEnd?.endPhyOffset ?? 0;
      h.beginTimestamp = h.endTimestamp = prevEnd?.endTimestamp ?? 0;
    }
    this.rebuildSlotsSync(Number.MAX_SAFE_INTEGER);
    return dropped;
  }

  /** Writes the in-memory slot table and header, fdatasyncs, and frees the table unless `keep`. */
  async persist(keep: boolean): Promise<void> {
    this.commitPending();
    if (this.slots) await writevFully(this.fd, [this.slots], INDEX_HEADER_BYTES);
    this.writeHeaderSync();
    await datasync(this.fd);
    if (!keep) this.slots = undefined;
  }

  /** fdatasync entries and header written so far. */
  async flush(): Promise<void> {
    this.commitPending();
    await datasync(this.fd);
  }

  closeSync(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }

  destroySync(): void {
    this.closeSync();
    fs.rmSync(this.filePath, { force: true });
  }

  private readSlot(slot: number): number {
    if (this.slots) return this.slots.readInt32BE(slot * INDEX_SLOT_BYTES);
    const buf = Buffer.allocUnsafe(INDEX_SLOT_BYTES);
    readAtSync(this.fd, buf, INDEX_HEADER_BYTES + slot * INDEX_SLOT_BYTES, INDEX_SLOT_BYTES);
    return buf.readInt32BE(0);
  }

  private writeHeaderSync(): void {
    const h = this.header;
    const buf = Buffer.alloc(INDEX_HEADER_BYTES);
    writeInt64BE(buf, h.beginTimestamp, 0);
    writeInt64BE(buf, h.endTimestamp, 8);
    writeInt64BE(buf, h.beginPhyOffset, 16);
    writeInt64BE(buf, h.endPhyOffset, 24);
    buf.writeInt32BE(h.hashSlotCount, 32);
    buf.writeInt32BE(h.indexCount, 36);
    writeAtSync(this.fd, buf, 0);
  }
}
