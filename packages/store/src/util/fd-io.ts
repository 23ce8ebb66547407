import fs from 'node:fs';
import { promisify } from 'node:util';

// Positional I/O on numeric file descriptors. Numeric fds (not FileHandle) because the store
// mixes async I/O on hot paths (commit log appends and reads) with tiny synchronous page-cache
// I/O (20-byte ConsumeQueue units, index entries, the checkpoint) on the same files.

const writevAsync = promisify(fs.writev);
const readAsync = promisify(fs.read);
const fdatasyncAsync = promisify(fs.fdatasync);
const openAsync = promisify(fs.open);
const closeAsync = promisify(fs.close);
const ftruncateAsync = promisify(fs.ftruncate);

/** Linux IOV_MAX: writev takes at most this many buffers per call (libuv caps silently). */
export const IOV_BUFFERS_MAX = 1024;

export function openFile(path: string, flags: string): Promise<number> {
  return openAsync(path, flags, 0o644);
}

export function closeFile(fd: number): Promise<void> {
  return closeAsync(fd);
}

export function truncateFile(fd: number, lengthBytes: number): Promise<void> {
  return ftruncateAsync(fd, lengthBytes);
}

export function datasync(fd: number): Promise<void> {
  return fdatasyncAsync(fd);
}

/** Writes every byte of `buffers` back to back from `position`, resuming after short writes. */
export async function writevFully(fd: number, buffers: readonly Buffer[], position: number): Promise<void> {
  let index = 0;
  let skip = 0; // bytes of buffers[index] already written
  let pos = position;
  while (index < buffers.length) {
    const batch: Buffer[] = [];
    let batchBytes = 0;
    for (let i = index; i < buffers.length && batch.length < IOV_BUFFERS_MAX; i++) {
      const b = i === index ? buffers[i]!.subarray(skip) : buffers[i]!;
      batch.push(b);
      batchBytes += b.length;
    }
    const { bytesWritten } = await writevAsync(fd, batch, pos);
    if (bytesWritten <= 0 && batchBytes > 0) throw new Error(`writev wrote ${bytesWritten} of ${batchBytes} bytes`);
    pos += bytesWritten;
    let left = bytesWritten + skip;
    while (index < buffers.length && left >= buffers[index]!.length) {
      left -= buffers[index]!.length;
      index++;
    }
    skip = left;
  }
}

/** Reads up to `length` bytes at `position` into a new Buffer; shorter only at end of file. */
export async function readAt(fd: number, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await readAsync(fd, buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** Synchronous positional read into `buf[0, length)`; returns bytes read (short only at EOF). */
export function readAtSync(fd: number, buf: Buffer, position: number, length: number): number {
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/** Synchronous positional write of all of `buf`. For tiny page-cache writes only. */
export function writeAtSync(fd: number, buf: Buffer, position: number): void {
  let done = 0;
  while (done < buf.length) {
    const n = fs.writeSync(fd, buf, done, buf.length - done, position + done);
    if (n <= 0) throw new Error(`write returned ${n} at position ${position + done}`);
    done += n;
  }
}

/** fsync a directory so that a created, renamed or deleted entry survives a power loss. */
export async function syncDirectory(dirPath: string): Promise<void> {
  const fd = await openAsync(dirPath, 'r');
  try {
    await promisify(fs.fsync)(fd);
  } finally {
    await closeAsync(fd);
  }
}

export function isErrnoException(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}

export function errnoCode(err: unknown): string | undefined {
  return isErrnoException(err) ? err.code : undefined;
}
