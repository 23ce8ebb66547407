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
  /** Bytes to write at `offset`, back to back. */
  buffers: Buffer[];
  /** Logical length: the written bytes, or for a BLANK filler the rest of its segment. */
  span: number;
  /** Store time of the last record in the item (0 for fillers and raw data). */
  storeTimestamp: number;
  /** Queue offsets taken by this item, to give back if it fails: [key, first offset taken]. */
  queueKey: string | undefined;
  queueOffset: number;
  /** Whether the caller waits for the flush under SYNC_FLUSH (the WAIT property). */
  waitFlush: boolean;
  settle: ((outcome: AppendOutcome) => void) | undefined;
}

/** What append() hands back at once: where the bytes will be, and when they are there. */
export interface AppendTicket {
  wroteOffset: number;
  wroteBytes: number;
  queueOffset: number;
  storeTimestamp: number;
  done: Promise<AppendOutcome>;
}
