// Types shared by the commit log's append path and its flush services.

/** How an append ended, as seen by the caller that made it. */
export type AppendOutcome =
  | { kind: 'stored' }
  /** Written to the page cache but not confirmed on disk within syncFlushTimeout: stored. */
  | { kind: 'flushTimeout' }
  /**
   * Nothing of it was kept (the bytes were zeroed and its queue offsets given back). `stage`:
   * creating a segment file, writing, or refused up front (bad offset for a raw append).
   */
  | { kind: 'failed'; reason: string; errno: string | undefined; stage: 'create' | 'write' | 'refused' };

/** One contiguous piece of the commit log waiting to be written. */
export interface AppendItem {
  offset: number;
  /** The bytes to write at `offset` are `data[dataStart, dataStart + dataBytes)`. */
  data: Buffer;
  dataStart: number;
  dataBytes: number;
  /** Whether the bytes are whole records (an append), not a BLANK filler or replicated raw bytes. */
  holdsRecords: boolean;
  /** Logical length: the written bytes, or for a BLANK filler the rest of its segment. */
  span: number;
  /** Store time of the last record in the item (0 for fillers and raw data). */
  storeTimestamp: number;
  /** Queue offsets taken by this item, to give back if it fails: [key, first offset taken]. */
  queueKey: string | undefined;
  queueOffset: number;
  /** Whether the caller waits for the flush under SYNC_FLUSH (the WAIT property). */
  waitFlush: boolean;
  /** Told once how the append ended; undefined for fillers and inner pieces. */
  waiter: AppendWaiter | undefined;
}

/** Whoever waits for an append (an object rather than a closure per append). */
export interface AppendWaiter {
  settle(outcome: AppendOutcome): void;
}

/** The outcome of every append that ended well without a flush to wait for (shared, never changed). */
export const STORED: AppendOutcome = Object.freeze({ kind: 'stored' });

/**
 * Encodes records straight into the commit log's write buffer once their place is known (what
 * RocketMQ's DefaultAppendMessageCallback does in the mapped file).
 */
export interface RecordsWriter {
  /** Bytes the records take, exactly what writeRecords writes. */
  readonly totalBytes: number;
  readonly recordCount: number;
  /**
   * Writes the records back to back at `buf[pos]` with PHYSICALOFFSET from `physicalOffset`,
   * QUEUEOFFSET from `firstQueueOffset` (0 when undefined) and STORETIMESTAMP; returns the bytes
   * written. These are the append's place in the log, so the writer keeps them for its caller.
   * May throw InvalidArgumentError for a field the encoder refuses; the commit log then gives the
   * space back and takes nothing.
   */
  writeRecords(buf: Buffer, pos: number, physicalOffset: number, firstQueueOffset: number | undefined, storeTimestamp: number): number;
}
