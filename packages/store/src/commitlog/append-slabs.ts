import { InvariantError, MiB } from '@apogee/common';

// Write buffers for the append path. Records are encoded straight into a slab, one after
// another, so that the bytes of one event-loop turn reach writev as a few large buffers and no
// message needs a buffer of its own. A slab is written to only above its fill mark, so bytes
// handed to a write in flight never change. Once every record in a retired slab is written, the
// slab is reused: fresh memory costs a page fault per 4 KiB on first touch, and large external
// buffers make V8 collect sooner.

/** Size of one slab. */
export const APPEND_SLAB_BYTES = 1 * MiB;
/** Records over this size get a buffer of their own instead of a slab's room. */
export const APPEND_SLAB_RECORD_BYTES_MAX = APPEND_SLAB_BYTES / 4;
/** Written slabs kept for reuse; more are left to the garbage collector. */
export const APPEND_SLABS_FREE_MAX = 4;

interface RetiredSlab {
  slab: Buffer;
  /** Commit-log offset after its last record: once written up to here, the slab is free. */
  endOffset: number;
}

export class AppendSlabs {
  private current: Buffer | undefined;
  private used = 0;
  private currentEndOffset = 0;
  private readonly retired: RetiredSlab[] = [];
  private readonly free: Buffer[] = [];
  /** Where in the returned buffer the last reservation starts. */
  reservedAt = 0;

  /**
   * Room for a run of records of `bytes` that ends at commit-log offset `endOffset`: returns the
   * buffer and sets reservedAt.
   */
  reserve(bytes: number, endOffset: number): Buffer {
    if (!(bytes > 0)) throw new InvariantError(`reservation of ${bytes} bytes`); // not assert: per append
    if (bytes > APPEND_SLAB_RECORD_BYTES_MAX) {
      this.reservedAt = 0;
      return Buffer.allocUnsafeSlow(bytes);
    }
    if (this.current === undefined || this.used + bytes > this.current.length) {
      if (this.current !== undefined) this.retired.push({ slab: this.current, endOffset: this.currentEndOffset });
      this.current = this.free.pop() ?? Buffer.allocUnsafeSlow(APPEND_SLAB_BYTES);
      this.used = 0;
      this.currentEndOffset = 0;
    }
    this.reservedAt = this.used;
    this.used += bytes;
    // Max, not last: after a failed write the cursor steps back below records this slab holds.
    this.currentEndOffset = Math.max(this.currentEndOffset, endOffset);
    return this.current;
  }

  /** Gives back the last reservation (its records could not be encoded). */
  unreserve(data: Buffer, dataStart: number, bytes: number): void {
    if (data === this.current && dataStart + bytes === this.used) this.used = dataStart;
  }

  /** Nothing before `offset` is needed any more: retired slabs wholly below it are free again. */
  release(offset: number): void {
    let n = 0;
    while (n < this.retired.length && this.retired[n]!.endOffset <= offset) {
      if (this.free.length < APPEND_SLABS_FREE_MAX) this.free.push(this.retired[n]!.slab);
      n++;
    }
    if (n > 0) this.retired.splice(0, n);
  }
}
