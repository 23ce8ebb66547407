import fs from 'node:fs';
import path from 'node:path';
import { assert } from '@apogee/common';
import { closeFile, datasync, errnoCode, openFile, readAt, readAtSync, truncateFile, writevFully } from '../util/fd-io.js';
import { offsetToFileName } from '../util/file-names.js';

// One pre-sized segment file (RocketMQ's MappedFile without the mmap): created at its full size
// as a sparse file, written with positional writes, read through the page cache. Reads hold a
// reference so that retention can unlink the file at once and close the fd when the last
// in-flight read has finished.

export class SegmentFile {
  private refs = 0;
  private destroyed = false;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly filePath: string,
    readonly fileFromOffset: number,
    readonly fileSize: number,
    readonly fd: number,
  ) {}

  get fileEndOffset(): number {
    return this.fileFromOffset + this.fileSize;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Creates (or reopens a leftover of) the segment starting at `fileFromOffset`, sized to `fileSize`. */
  static async create(dir: string, fileFromOffset: number, fileSize: number): Promise<SegmentFile> {
    const filePath = path.join(dir, offsetToFileName(fileFromOffset));
    let fd: number;
    try {
      fd = await openFile(filePath, 'wx+');
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
      fd = await openFile(filePath, 'r+');
    }
    try {
      await truncateFile(fd, fileSize);
    } catch (err) {
      await closeFile(fd);
      throw err;
    }
    return new SegmentFile(filePath, fileFromOffset, fileSize, fd);
  }

  /** Startup and small-file variant of create(). */
  static createSync(dir: string, fileFromOffset: number, fileSize: number): SegmentFile {
    const filePath = path.join(dir, offsetToFileName(fileFromOffset));
    const fd = fs.openSync(filePath, fs.existsSync(filePath) ? 'r+' : 'wx+', 0o644);
    try {
      fs.ftruncateSync(fd, fileSize);
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    return new SegmentFile(filePath, fileFromOffset, fileSize, fd);
  }

  /** Opens an existing file whose size the caller has already checked. */
  static openSync(filePath: string, fileFromOffset: number, fileSize: number): SegmentFile {
    const fd = fs.openSync(filePath, 'r+');
    return new SegmentFile(filePath, fileFromOffset, fileSize, fd);
  }

  /** Takes a read reference; false if the file is already destroyed. */
  acquire(): boolean {
    if (this.destroyed) return false;
    this.refs++;
    return true;
  }

  release(): void {
    assert(this.refs > 0, `release without acquire on ${this.filePath}`);
    this.refs--;
    if (this.destroyed && this.refs === 0) {
      if (this.onDrained) this.onDrained();
      else void this.closeOnce();
    }
  }

  async writev(buffers: readonly Buffer[], position: number): Promise<void> {
    assert(position >= 0 && position <= this.fileSize, `write position ${position} outside ${this.filePath}`);
    await writevFully(this.fd, buffers, position);
  }

  async read(position: number, length: number): Promise<Buffer> {
    return readAt(this.fd, position, length);
  }

  readSync(buf: Buffer, position: number, length: number): number {
    return readAtSync(this.fd, buf, position, length);
  }

  async flush(): Promise<void> {
    if (this.destroyed) return;
    await datasync(this.fd);
  }

  /**
   * Zeroes everything from `position` to the end of the file by cutting the file there and
   * growing it back (the kernel hands back zero pages and frees the blocks). Stale records past
   * a truncation point can then never be mistaken for valid ones, and it cannot fail with ENOSPC.
   */
  zeroFromSync(position: number): void {
    assert(position >= 0 && position <= this.fileSize, `zero position ${position} outside ${this.filePath}`);
    fs.ftruncateSync(this.fd, position);
    fs.ftruncateSync(this.fd, this.fileSize);
  }

  /** Unlinks now; the fd closes when the last read reference is released. Idempotent. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    try {
      fs.unlinkSync(this.filePath);
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err;
    }
    if (this.refs === 0) void this.closeOnce();
  }

  /** Closes without unlinking (shutdown), after the last in-flight read has finished. */
  async close(): Promise<void> {
    this.destroyed = true;
    if (this.refs > 0) {
      await new Promise<void>((resolve) => {
        this.onDrained = resolve;
      });
    }
    await this.closeOnce();
  }

  private onDrained: (() => void) | undefined;

  private closeOnce(): Promise<void> {
    this.closing ??= closeFile(this.fd).catch(() => undefined);
    return this.closing;
  }
}
