import fs from 'node:fs';
import path from 'node:path';
import { assert } from '@apogee/common';
import { fileNameToOffset } from '../util/file-names.js';
import type { StoreLogger } from '../util/store-logger.js';
import { StoreLoadError } from '../util/errors.js';
import { SegmentFile } from './segment-file.js';

// An ordered run of equally sized segment files in one directory, named by their 20-digit start
// offset (RocketMQ's MappedFileQueue). Segments are adjacent: segment i+1 starts where segment i
// ends. Positions (written, flushed) are tracked by the owner as global offsets.

/**
 * What to do with a file of the wrong size or a gap at load: 'refuse' the start (the commit log,
 * as RocketMQ does) or 'repair' (derived data such as ConsumeQueues: resize the file, drop files
 * after a gap, and report it so the data is rebuilt from the commit log).
 */
export type LoadAnomalyPolicy = 'refuse' | 'repair';

export class SegmentQueue {
  private segments: SegmentFile[] = [];
  private creating = new Map<number, Promise<SegmentFile>>();
  /** What 'repair' changed at load, for the owner's log line; empty when nothing. */
  readonly repairs: string[] = [];

  constructor(
    readonly dir: string,
    readonly fileSize: number,
    private readonly log: StoreLogger,
    private readonly anomalyPolicy: LoadAnomalyPolicy = 'refuse',
  ) {}

  /**
   * Opens every segment in the directory. A file of the wrong size refuses the start (as RocketMQ
   * does) or is repaired (see LoadAnomalyPolicy); an empty last file is a creation cut short and
   * is deleted either way.
   */
  loadSync(): void {
    assert(this.segments.length === 0, `segment queue ${this.dir} loaded twice`);
    fs.mkdirSync(this.dir, { recursive: true });
    const found: { name: string; offset: number }[] = [];
    for (const name of fs.readdirSync(this.dir)) {
      const offset = fileNameToOffset(name);
      if (offset === undefined) continue;
      found.push({ name, offset });
    }
    found.sort((a, b) => a.offset - b.offset);
    for (let i = 0; i < found.length; i++) {
      const { name, offset } = found[i]!;
      const filePath = path.join(this.dir, name);
      const size = fs.statSync(filePath).size;
      if (size === 0 && i === found.length - 1) {
        this.log.warn({ file: filePath }, 'deleted an empty last segment file left by an interrupted creation');
        fs.unlinkSync(filePath);
        continue;
      }
      const prev = this.segments[this.segments.length - 1];
      const problem =
        offset % this.fileSize !== 0
          ? `starts at ${offset}, not a multiple of ${this.fileSize}`
          : prev && prev.fileEndOffset !== offset
            ? `does not follow ${path.basename(prev.filePath)}: a file is missing before it`
            : undefined;
      if (problem !== undefined) {
        if (this.anomalyPolicy === 'refuse') throw new StoreLoadError(filePath, `segment ${filePath} ${problem}`);
        for (const later of found.slice(i)) fs.rmSync(path.join(this.dir, later.name), { force: true });
        this.repairs.push(`${name} ${problem}: deleted it and every later file`);
        break;
      }
      if (size !== this.fileSize) {
        if (this.anomalyPolicy === 'refuse') {
          throw new StoreLoadError(filePath, `segment ${filePath} is ${size} bytes; every segment must be ${this.fileSize}`);
        }
        fs.truncateSync(filePath, this.fileSize);
        this.repairs.push(`${name} was ${size} bytes, expected ${this.fileSize}: resized`);
      }
      this.segments.push(SegmentFile.openSync(filePath, offset, this.fileSize));
    }
  }

  get isEmpty(): boolean {
    return this.segments.length === 0;
  }

  get count(): number {
    return this.segments.length;
  }

  first(): SegmentFile | undefined {
    return this.segments[0];
  }

  last(): SegmentFile | undefined {
    return this.segments[this.segments.length - 1];
  }

  all(): readonly SegmentFile[] {
    return this.segments;
  }

  /** Start of the segment holding `offset`. */
  segmentStartOf(offset: number): number {
    return offset - (offset % this.fileSize);
  }

  /** The segment holding byte `offset`, or undefined if that segment does not exist. */
  find(offset: number): SegmentFile | undefined {
    const first = this.segments[0];
    if (!first || offset < first.fileFromOffset) return undefined;
    const index = Math.floor((offset - first.fileFromOffset) / this.fileSize);
    const seg = this.segments[index];
    if (seg && offset < seg.fileEndOffset) return seg;
    return undefined;
  }

  /** Returns the segment starting at `fileFromOffset`, creating it (and only it) if it is the next one. */
  async getOrCreate(fileFromOffset: number): Promise<SegmentFile> {
    const existing = this.find(fileFromOffset);
    if (existing) return existing;
    const pending = this.creating.get(fileFromOffset);
    if (pending) return pending;
    const last = this.last();
    assert(fileFromOffset % this.fileSize === 0, `segment start ${fileFromOffset} not aligned to ${this.fileSize}`);
    assert(!last || last.fileEndOffset === fileFromOffset, `segment ${fileFromOffset} would leave a gap after ${last?.fileFromOffset}`);
    const creation = SegmentFile.create(this.dir, fileFromOffset, this.fileSize)
      .then((seg) => {
        this.segments.push(seg);
        return seg;
      })
      .finally(() => this.creating.delete(fileFromOffset));
    this.creating.set(fileFromOffset, creation);
    return creation;
  }

  /** Synchronous getOrCreate for startup and for small files. */
  getOrCreateSync(fileFromOffset: number): SegmentFile {
    const existing = this.find(fileFromOffset);
    if (existing) return existing;
    const last = this.last();
    assert(fileFromOffset % this.fileSize === 0, `segment start ${fileFromOffset} not aligned to ${this.fileSize}`);
    assert(!last || last.fileEndOffset === fileFromOffset, `segment ${fileFromOffset} would leave a gap after ${last?.fileFromOffset}`);
    fs.mkdirSync(this.dir, { recursive: true });
    const seg = SegmentFile.createSync(this.dir, fileFromOffset, this.fileSize);
    this.segments.push(seg);
    return seg;
  }

  /**
   * Cuts everything at and after `offset`: segments starting after it are deleted, the segment
   * holding `offset` (or starting exactly there) is zeroed from there on. Returns the number of bytes of segments deleted.
   */
  truncateSync(offset: number): number {
    let deletedBytes = 0;
    while (this.segments.length > 0) {
      const last = this.segments[this.segments.length - 1]!;
      if (last.fileFromOffset > offset) {
        this.segments.pop();
        last.destroySync();
        deletedBytes += last.fileSize;
        continue;
      }
      if (offset < last.fileEndOffset) last.zeroFromSync(offset - last.fileFromOffset);
      break;
    }
    return deletedBytes;
  }

  /** Removes the first segment (retention); it is unlinked at once and closed after its reads. */
  removeFirstSync(): SegmentFile | undefined {
    const first = this.segments.shift();
    first?.destroySync();
    return first;
  }

  /** Deletes every segment (e.g. a slave resetting to its master). */
  destroyAllSync(): void {
    for (const seg of this.segments) seg.destroySync();
    this.segments = [];
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.creating.values()]);
    await Promise.all(this.segments.map((s) => s.close()));
    this.segments = [];
  }
}
