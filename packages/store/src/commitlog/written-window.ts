import { MiB, assert } from '@apogee/common';

// The most recently written commit-log bytes that hold whole records, kept as views of the
// append buffers they were written from, so that dispatch can parse them without reading them
// back from the file (a thread-pool round trip, a fresh buffer and a copy per round). Only
// bytes whose write succeeded enter the window; dispatch drops what it has passed, and past
// WRITTEN_WINDOW_BYTES_MAX the oldest views go (dispatch then reads those from the file).
// Replicated raw bytes and BLANK fillers never enter: a run starts and ends on record boundaries.

/** Bytes of written records the window keeps for dispatch at most. */
export const WRITTEN_WINDOW_BYTES_MAX = 16 * MiB;

interface WrittenRun {
  offset: number;
  data: Buffer;
}

export class WrittenWindow {
  private runs: WrittenRun[] = [];
  private head = 0;
  private bytes = 0;

  /** Commit-log offset of the oldest byte kept, undefined when empty. */
  get startOffset(): number | undefined {
    return this.head < this.runs.length ? this.runs[this.head]!.offset : undefined;
  }

  /** Adds written bytes holding whole records; runs arrive in commit-log order. */
  add(offset: number, data: Buffer): void {
    const last = this.runs[this.runs.length - 1];
    assert(this.head === this.runs.length || last === undefined || offset >= last.offset + last.data.length, `written run at ${offset} before the last one`);
    this.runs.push({ offset, data });
    this.bytes += data.length;
    while (this.bytes > WRITTEN_WINDOW_BYTES_MAX) this.dropHead();
  }

  /** The kept bytes from `offset`, at most `maxBytes` and never past one run; undefined if not kept. */
  view(offset: number, maxBytes: number): Buffer | undefined {
    for (let i = this.head; i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (offset < run.offset) return undefined;
      const at = offset - run.offset;
      if (at < run.data.length) return run.data.subarray(at, at + Math.min(maxBytes, run.data.length - at));
    }
    return undefined;
  }

  /** Drops runs that end at or before `offset` (dispatched, or cut). */
  dropBefore(offset: number): void {
    while (this.head < this.runs.length) {
      const run = this.runs[this.head]!;
      if (run.offset + run.data.length > offset) break;
      this.dropHead();
    }
  }

  clear(): void {
    this.runs = [];
    this.head = 0;
    this.bytes = 0;
  }

  private dropHead(): void {
    const run = this.runs[this.head]!;
    this.bytes -= run.data.length;
    this.head++;
    if (this.head === this.runs.length) {
      this.runs = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.runs.length) {
      this.runs = this.runs.slice(this.head);
      this.head = 0;
    }
  }
}
