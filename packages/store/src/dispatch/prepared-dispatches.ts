import type { EncodedRecord } from './dispatch-request.js';

// Records that local puts have encoded, waiting for dispatch to reach them, in commit-log order.
// Dispatch takes the one at its position, when there is one, and builds its request from it
// (preparedDispatchRequest) instead of parsing the record's bytes; anything else (replicated raw
// bytes, records written before a restart, records not handed over) is parsed as before. A
// record is matched by its commit-log offset, so gaps and stale entries only cost a parse, never
// a wrong request. When an append fails, the commit log gives its offsets out again: the records
// from there on are dropped at once (dropFrom), before any new append can take those offsets.
// The records are the puts' own plans (kept alive anyway until their write ends), so handing
// them over allocates nothing per message.

/** Records kept at most; past it, puts hand over none and dispatch parses their records. */
export const PREPARED_DISPATCHES_MAX = 65_536;

export class PreparedDispatches {
  private queue: EncodedRecord[] = [];
  private head = 0;

  get size(): number {
    return this.queue.length - this.head;
  }

  /** Whether another record may be added (the bound keeps memory flat when dispatch lags). */
  get hasRoom(): boolean {
    return this.queue.length - this.head < PREPARED_DISPATCHES_MAX;
  }

  /** Adds a record placed after the last one added (puts are placed in commit-log order). */
  push(rec: EncodedRecord): void {
    this.queue.push(rec);
  }

  /**
   * The record at `offset`, if one is kept and it lies within `maxBytes` from there; it is handed
   * out once. Records before `offset` are dropped (dispatch has passed them, e.g. by reading them
   * back from the file).
   */
  take(offset: number, maxBytes: number): EncodedRecord | undefined {
    const q = this.queue;
    while (this.head < q.length && q[this.head]!.physicalOffset < offset) this.head++;
    if (this.head === q.length) {
      if (this.head > 0) this.reset();
      return undefined;
    }
    const rec = q[this.head]!;
    if (rec.physicalOffset !== offset || rec.recordBytes > maxBytes) return undefined;
    this.head++;
    if (this.head === q.length) this.reset();
    else if (this.head >= 1024 && this.head * 2 >= q.length) {
      this.queue = q.slice(this.head);
      this.head = 0;
    }
    return rec;
  }

  /** Drops the records at or after `offset` (their append failed). */
  dropFrom(offset: number): void {
    const q = this.queue;
    let n = q.length;
    while (n > this.head && q[n - 1]!.physicalOffset >= offset) n--;
    q.length = n;
    if (this.head === n) this.reset();
  }

  private reset(): void {
    this.queue.length = 0;
    this.head = 0;
  }
}
