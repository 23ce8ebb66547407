import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Clock,
  type MessageExt,
  type SocketAddress,
  InvalidArgumentError,
  decodeMessageRecord,
  systemClock,
} from '@apogee/common';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import { consumeQueueFileBytes } from '../config/message-store-config.js';
import { CommitLog, type RefusedAppend } from '../commitlog/commit-log.js';
import type { AppendOutcome } from '../commitlog/append-types.js';
import { POS_TOTAL_SIZE, PROPERTY_KEYS, PROPERTY_UNIQ_KEY } from '../commitlog/record-layout.js';
import { OffsetMessageIdCache } from './record-caches.js';
import { CommitLogFlusher } from '../flush/commit-log-flusher.js';
import { LogicsFlushService } from '../flush/logics-flush-service.js';
import { ConsumeQueueStore } from '../consumequeue/consume-queue-store.js';
import { IndexService } from '../index/index-service.js';
import { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import {
  abortFileExists,
  acquireStoreLockSync,
  createAbortFileSync,
  deleteAbortFileSync,
  releaseStoreLockSync,
} from '../checkpoint/abort-file.js';
import { ReputService, type DispatcherEntry } from '../dispatch/reput-service.js';
import { BuildConsumeQueueDispatcher, type QueueArrival } from '../dispatch/build-consume-queue.js';
import { BuildIndexDispatcher } from '../dispatch/build-index.js';
import { PreparedDispatches } from '../dispatch/prepared-dispatches.js';
import type { CommitLogDispatcher, TagsCodeHook } from '../dispatch/dispatch-request.js';
import { CleanService, type CleanRunResult } from '../retention/clean-service.js';
import { defaultStoreLogger, type StoreLogger } from '../util/store-logger.js';
import { StoreNotRunningError } from '../util/errors.js';
import { recoverStoreSync } from './store-recovery.js';
import { PutEncoder, queueKeyOf, type PlannedPut, type PutCompletion, type Refusal } from './put-message-encoder.js';
import type { MessageInner, PutMessageHook, PutMessageResult, PutReplicationWaiter } from './message-inner.js';
import { PutMessageStatus, RunningFlag, RunningFlags } from './statuses.js';
import { getMessage as getMessageImpl, type GetMessageResult } from './get-message.js';
import type { MessageFilter } from './message-filter.js';
import { earliestMessageTime, offsetInQueueByTime, pickupStoreTimestamp, type BoundaryType } from './queue-time-search.js';

// The store facade (RocketMQ's DefaultMessageStore): lifecycle, put, get, lookups, the hooks
// and listeners other features plug into, and the replication entry points.

export interface MessageStoreOptions {
  clock?: Clock;
  logger?: StoreLogger;
  /** RAM used for the in-memory / on-disk split of getMessage (default: os.totalmem()). */
  physicalMemoryBytes?: number;
}

export type MessageArrivingListener = (arrival: QueueArrival) => void;

export interface QueryMessageResult {
  /** Raw records whose topic and key match, oldest first. */
  buffers: Buffer[];
  phyOffsets: number[];
  indexLastUpdateTimestamp: number;
  indexLastUpdatePhyoffset: number;
}

type State = 'new' | 'starting' | 'running' | 'stopping' | 'stopped';

/** RocketMQ's defaultQueryMaxNum is applied by callers; queries never return more than this. */
export const QUERY_MESSAGE_RESULTS_MAX = 64;

export class MessageStore {
  readonly config: MessageStoreConfig;
  readonly runningFlags = new RunningFlags();
  private readonly clock: Clock;
  private readonly log: StoreLogger;
  private readonly memoryBytes: number;
  private readonly commitLog: CommitLog;
  private readonly flusher: CommitLogFlusher;
  private readonly queues: ConsumeQueueStore;
  private readonly index: IndexService;
  private readonly reput: ReputService;
  private readonly buildCQ: BuildConsumeQueueDispatcher;
  private readonly dispatcherEntries: DispatcherEntry[];
  private readonly arrivalListeners = new Set<MessageArrivingListener>();
  private readonly putHooks: PutMessageHook[] = [];
  private readonly encoder: PutEncoder;
  private readonly msgIds = new OffsetMessageIdCache();
  /** Records of local puts, handed to dispatch so that it need not parse them. */
  private readonly prepared = new PreparedDispatches();
  private readonly putCompletion: PutCompletion = { putSettled: (put, outcome) => this.putSettled(put, outcome) };
  private tagsCodeHook: TagsCodeHook | undefined;
  private replicationWaiter: PutReplicationWaiter | undefined;
  private readonly appendListeners = new Set<(maxPhyOffset: number) => void>();
  private checkpoint: StoreCheckpoint | undefined;
  private logicsFlush: LogicsFlushService | undefined;
  private clean: CleanService | undefined;
  private state: State = 'new';
  private lockHeld = false;
  private startPromise: Promise<void> | undefined;
  private shutdownPromise: Promise<void> | undefined;

  constructor(config: MessageStoreConfig, options: MessageStoreOptions = {}) {
    this.config = config;
    this.clock = options.clock ?? systemClock;
    this.log = options.logger ?? defaultStoreLogger();
    this.memoryBytes = Math.floor(((options.physicalMemoryBytes ?? os.totalmem()) * config.accessMessageInMemoryMaxRatio) / 100);
    this.commitLog = new CommitLog(config, this.log, this.runningFlags, this.clock);
    this.encoder = new PutEncoder(config);
    this.flusher = new CommitLogFlusher(this.commitLog, config, this.clock, this.runningFlags, this.log);
    this.queues = new ConsumeQueueStore(config.storePathRootDir, consumeQueueFileBytes(config), this.log);
    this.index = new IndexService(config, this.clock, this.log, (endTs) => {
      if (this.checkpoint) this.checkpoint.indexMsgTimestamp = Math.max(this.checkpoint.indexMsgTimestamp, endTs);
    });
    this.buildCQ = new BuildConsumeQueueDispatcher(this.queues, this.commitLog.queueOffsetTable, this.log, () => this.arrivalListeners.size > 0);
    this.dispatcherEntries = [
      this.criticalEntry(this.buildCQ, RunningFlag.WRITE_LOGICS_QUEUE_ERROR),
      this.criticalEntry(new BuildIndexDispatcher(this.index), RunningFlag.WRITE_INDEX_FILE_ERROR),
    ];
    const isSync = config.flushDiskType === 'SYNC_FLUSH';
    this.reput = new ReputService(
      this.commitLog,
      config,
      () => this.dispatcherEntries,
      () => (isSync ? this.commitLog.flushedOffset : this.commitLog.maxOffset),
      this.log,
      () => this.tagsCodeHook,
      this.prepared,
    );
    this.commitLog.onWritten = (wrote, batch) => {
      this.flusher.onWritten(batch);
      if (!isSync) this.reput.wakeAfterNextWrite();
      for (const l of this.appendListeners) l(wrote);
    };
    this.commitLog.onFlushed = () => {
      if (isSync) this.reput.wake();
    };
    this.commitLog.onDropped = (fromOffset) => this.prepared.dropFrom(fromOffset);
    this.reput.onAdvance(() => this.deliverArrivals());
  }

  get isRunning(): boolean {
    return this.state === 'running';
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /** Loads, recovers and starts the services. Idempotent; resolves when writes are accepted. */
  start(): Promise<void> {
    this.startPromise ??= this.doStart().catch(async (err: unknown) => {
      this.state = 'stopped';
      await this.reput.shutdown().catch(() => undefined);
      await this.queues.close().catch(() => undefined);
      await this.commitLog.close().catch(() => undefined);
      this.checkpoint?.closeSync();
      if (this.lockHeld) releaseStoreLockSync(this.lockPath);
      this.lockHeld = false;
      throw err;
    });
    return this.startPromise;
  }

  /** Stops accepting writes, flushes and dispatches everything, closes the files. Idempotent. */
  shutdown(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      return Promise.resolve();
    }
    this.shutdownPromise ??= (this.startPromise ?? Promise.resolve()).catch(() => undefined).then(() => this.doShutdown());
    return this.shutdownPromise;
  }

  private get lockPath(): string {
    return path.join(this.config.storePathRootDir, 'lock');
  }

  private get abortPath(): string {
    return path.join(this.config.storePathRootDir, 'abort');
  }

  private async doStart(): Promise<void> {
    this.state = 'starting';
    const root = this.config.storePathRootDir;
    fs.mkdirSync(root, { recursive: true });
    acquireStoreLockSync(this.lockPath);
    this.lockHeld = true;
    const lastExitOK = !abortFileExists(this.abortPath);
    // Created before recovery writes anything (RocketMQ creates it at the end of start): a crash
    // during start-up must look like a crash to the next start.
    createAbortFileSync(this.abortPath);
    const checkpoint = StoreCheckpoint.openSync(path.join(root, 'checkpoint'));
    this.checkpoint = checkpoint;
    this.commitLog.loadSync();
    this.queues.loadSync();
    this.index.loadSync();
    const { validEnd, dispatchFrom } = recoverStoreSync({
      config: this.config,
      log: this.log,
      commitLog: this.commitLog,
      consumeQueues: this.queues,
      index: this.index,
      checkpoint,
      lastExitOK,
    });
    this.reput.setReputFrom(dispatchFrom);
    await this.reput.catchUp();
    const minPhy = this.commitLog.minOffset;
    for (const cq of this.queues.all()) {
      cq.correctMinOffset(minPhy);
      const key = queueKeyOf(cq.topic, cq.queueId);
      if ((this.commitLog.queueOffsetTable.get(key) ?? 0) < cq.maxOffsetInQueue) this.commitLog.queueOffsetTable.set(key, cq.maxOffsetInQueue);
    }
    const deps = { commitLog: this.commitLog, queues: this.queues, index: this.index, checkpoint, reput: this.reput };
    this.logicsFlush = new LogicsFlushService(this.config, this.clock, this.log, { ...deps, logicsStoreTimestamp: () => this.buildCQ.lastStoreTimestamp });
    await this.logicsFlush.flushOnce(true);
    this.clean = new CleanService(this.config, this.clock, this.log, this.runningFlags, deps);
    this.flusher.start();
    this.logicsFlush.start();
    this.clean.start();
    this.state = 'running';
    this.log.info({ root, validEnd, dispatchFrom, lastExitOK, minPhyOffset: minPhy }, 'message store started');
  }

  private async doShutdown(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    await this.clean?.shutdown();
    await this.commitLog.drainWrites();
    await this.flusher.shutdown();
    await this.reput.catchUp();
    const caughtUp = this.reput.reputFromOffset >= this.commitLog.maxOffset;
    await this.reput.shutdown();
    await this.logicsFlush?.shutdown();
    await this.index.shutdown();
    if (this.checkpoint) {
      this.checkpoint.confirmPhyOffset = this.commitLog.flushedOffset;
      this.checkpoint.writeSync();
      this.checkpoint.closeSync();
    }
    await this.queues.close();
    await this.commitLog.close();
    if (caughtUp && this.runningFlags.isWriteable()) deleteAbortFileSync(this.abortPath);
    else this.log.warn({ caughtUp, flags: this.runningFlags.describe() }, 'store shut down without catching up: next start recovers as after a crash');
    releaseStoreLockSync(this.lockPath);
    this.lockHeld = false;
    this.state = 'stopped';
    this.log.info({ maxPhyOffset: this.commitLog.maxOffset }, 'message store shut down');
  }

  // ---- put -------------------------------------------------------------------------------

  /** Appends one message (RocketMQ's asyncPutMessage). Resolves when it is stored (or not). */
  putMessage(msg: MessageInner): Promise<PutMessageResult> {
    const refused = this.refuseWrite();
    if (refused) return Promise.resolve(refused);
    for (const hook of this.putHooks) {
      const r = hook.executeBeforePutMessage(msg);
      if (r) return Promise.resolve(r);
    }
    return this.appendPlanned(this.encoder.planOne(msg), msg.storeHost);
  }

  /** Appends a batch of one topic and queue, with consecutive queue offsets, in one record run. */
  putMessages(batch: readonly MessageInner[]): Promise<PutMessageResult> {
    const refused = this.refuseWrite();
    if (refused) return Promise.resolve(refused);
    for (const msg of batch) {
      for (const hook of this.putHooks) {
        const r = hook.executeBeforePutMessage(msg);
        if (r) return Promise.resolve(r);
      }
    }
    const first = batch[0];
    return this.appendPlanned(this.encoder.planBatch(batch), first?.storeHost ?? { host: '127.0.0.1', port: 0 });
  }

  addPutMessageHook(hook: PutMessageHook): void {
    this.putHooks.push(hook);
  }

  private refuseWrite(): PutMessageResult | undefined {
    if (this.state !== 'running') return { status: PutMessageStatus.SERVICE_NOT_AVAILABLE, remark: `message store is ${this.state}` };
    if (this.config.brokerRole === 'SLAVE') return { status: PutMessageStatus.SERVICE_NOT_AVAILABLE, remark: 'message store is a slave' };
    if (!this.runningFlags.isWriteable()) {
      return { status: PutMessageStatus.SERVICE_NOT_AVAILABLE, remark: `message store is not writeable: ${this.runningFlags.describe().join(', ')}` };
    }
    if (this.commitLog.isOsPageCacheBusy()) return { status: PutMessageStatus.OS_PAGE_CACHE_BUSY, remark: 'a commit-log write has been running too long' };
    return undefined;
  }

  private appendPlanned(put: PlannedPut | Refusal, storeHost: SocketAddress): Promise<PutMessageResult> {
    if (!put.ok) return Promise.resolve({ status: put.status, remark: put.remark });
    put.storeHost = storeHost;
    put.completion = this.putCompletion;
    let refused: RefusedAppend | undefined;
    try {
      refused = this.commitLog.appendRecords(put, put.queueKey, this.clock.nowMs(), put.waitFlush, put);
    } catch (err) {
      if (err instanceof InvalidArgumentError) return Promise.resolve({ status: PutMessageStatus.MESSAGE_ILLEGAL, remark: err.message });
      return Promise.reject(err); // a bug (InvariantError): the caller's promise fails, as from an async function
    }
    if (refused) {
      return Promise.resolve(
        refused.refused === 'tooLarge'
          ? { status: PutMessageStatus.MESSAGE_ILLEGAL, remark: 'record is larger than a commit-log segment allows' }
          : { status: PutMessageStatus.OS_PAGE_CACHE_BUSY, remark: 'too many bytes are waiting to be written' },
      );
    }
    put.prepareDispatch(this.prepared);
    // The append is only settled after its write, never during appendRecords.
    return new Promise<PutMessageResult>((resolve) => (put.resolve = resolve));
  }

  /** The append of `put` ended: answer its caller. */
  private putSettled(put: PlannedPut, outcome: AppendOutcome): void {
    const resolve = put.resolve!;
    try {
      const status = statusOf(outcome);
      if (outcome.kind === 'failed') resolve({ status, remark: outcome.reason });
      else if (this.replicationWaiter && this.config.brokerRole === 'SYNC_MASTER' && put.waitFlush) resolve(this.replicatedResult(put, status, this.replicationWaiter));
      else resolve(this.putResult(put, status));
    } catch (err) {
      resolve(Promise.reject(err)); // fails this put only, never the write loop that settles it
    }
  }

  private async replicatedResult(put: PlannedPut, flushStatus: PutMessageStatus, waiter: PutReplicationWaiter): Promise<PutMessageResult> {
    // RocketMQ: a replication failure status overrides a flush failure status.
    const replicated = await waiter(put.wroteOffset + put.totalBytes);
    return this.putResult(put, replicated === 'ok' ? flushStatus : PutMessageStatus[replicated]);
  }

  private putResult(put: PlannedPut, status: PutMessageStatus): PutMessageResult {
    const result = {
      wroteOffset: put.wroteOffset,
      wroteBytes: put.totalBytes,
      msgId: this.offsetMessageIds(put, put.storeHost!, put.wroteOffset),
      queueOffset: put.queueOffset,
      msgNum: put.recordCount,
      storeTimestamp: put.storeTimestamp,
    };
    if (status === PutMessageStatus.PUT_OK) return { status, result };
    const remark = status === PutMessageStatus.FLUSH_DISK_TIMEOUT ? 'not flushed to disk within syncFlushTimeout' : `stored, but replication answered ${status}`;
    return { status, result, remark };
  }

  /** Offset message id of each record, comma-joined for a batch. */
  private offsetMessageIds(put: PlannedPut, storeHost: SocketAddress, wroteOffset: number): string {
    if (put.recordCount === 1) return this.msgIds.idOf(storeHost, wroteOffset);
    const ids: string[] = [];
    let offset = wroteOffset;
    for (let i = 0; i < put.recordCount; i++) {
      ids.push(this.msgIds.idOf(storeHost, offset));
      offset += put.recordSize(i);
    }
    return ids.join(',');
  }

  // ---- get -------------------------------------------------------------------------------

  /**
   * Messages of one queue from `offset` (RocketMQ's getMessage): at most `maxMsgNums` and
   * `maxTotalMsgSize` bytes, tag-filtered. Undefined when the store is not running or readable.
   */
  async getMessage(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    maxTotalMsgSize: number = 128 * 1024 * 1024,
    filter?: MessageFilter,
  ): Promise<GetMessageResult | undefined> {
    void group;
    if (this.state !== 'running' || !this.runningFlags.isReadable()) return undefined;
    return getMessageImpl(
      { config: this.config, commitLog: this.commitLog, consumeQueues: this.queues, memoryBytes: this.memoryBytes },
      topic,
      queueId,
      offset,
      maxMsgNums,
      maxTotalMsgSize,
      filter,
    );
  }

  getMaxOffsetInQueue(topic: string, queueId: number): number {
    return this.queues.find(topic, queueId)?.maxOffsetInQueue ?? 0;
  }

  getMinOffsetInQueue(topic: string, queueId: number): number {
    return this.queues.find(topic, queueId)?.minOffsetInQueue ?? 0;
  }

  /** Commit-log offset of the message at `consumeQueueOffset`, 0 if none. */
  getCommitLogOffsetInQueue(topic: string, queueId: number, consumeQueueOffset: number): number {
    return this.queues.find(topic, queueId)?.readUnit(consumeQueueOffset)?.commitLogOffset ?? 0;
  }

  async getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number, boundary: BoundaryType = 'LOWER'): Promise<number> {
    const cq = this.queues.find(topic, queueId);
    return cq ? offsetInQueueByTime(this.commitLog, cq, timestampMs, boundary) : 0;
  }

  /** Store time of the queue's earliest message, -1 if none. */
  async getEarliestMessageTime(topic: string, queueId: number): Promise<number> {
    const cq = this.queues.find(topic, queueId);
    return cq ? earliestMessageTime(this.commitLog, cq) : -1;
  }

  /** Store time of the message at `consumeQueueOffset`, -1 if none. */
  async getMessageStoreTimeStamp(topic: string, queueId: number, consumeQueueOffset: number): Promise<number> {
    const unit = this.queues.find(topic, queueId)?.readUnit(consumeQueueOffset);
    return unit ? pickupStoreTimestamp(this.commitLog, unit.commitLogOffset, unit.size) : -1;
  }

  /** The raw record at `commitLogOffset` (RocketMQ's selectOneMessageByOffset). */
  async selectOneMessageByOffset(commitLogOffset: number, size?: number): Promise<Buffer | undefined> {
    if (this.state !== 'running') return undefined;
    let length = size;
    if (length === undefined) {
      const head = await this.commitLog.read(commitLogOffset, 4);
      if (!head) return undefined;
      length = head.readInt32BE(POS_TOTAL_SIZE);
    }
    if (!(length > 0)) return undefined;
    const buf = await this.commitLog.read(commitLogOffset, length);
    return buf && buf.readInt32BE(POS_TOTAL_SIZE) === length ? buf : undefined;
  }

  /** The message at `commitLogOffset`, decoded (RocketMQ's lookMessageByOffset). */
  async lookMessageByOffset(commitLogOffset: number, size?: number): Promise<MessageExt | undefined> {
    const buf = await this.selectOneMessageByOffset(commitLogOffset, size);
    if (!buf) return undefined;
    const r = decodeMessageRecord(buf, 0, { readBody: true, copyBody: false });
    return r.kind === 'message' ? r.message : undefined;
  }

  /**
   * Messages whose KEYS or UNIQ_KEY contain `key`, stored in [beginMs, endMs], via the index.
   * Unlike RocketMQ (hash match only) the key is checked against each record.
   */
  async queryMessage(topic: string, key: string, maxNum: number, beginMs: number, endMs: number): Promise<QueryMessageResult> {
    const limit = Math.min(Math.max(maxNum, 0), QUERY_MESSAGE_RESULTS_MAX);
    const q = this.index.queryOffset(topic, key, limit, beginMs, endMs);
    const offsets = [...new Set(q.phyOffsets)].sort((a, b) => a - b);
    const result: QueryMessageResult = { buffers: [], phyOffsets: [], indexLastUpdateTimestamp: q.indexLastUpdateTimestamp, indexLastUpdatePhyoffset: q.indexLastUpdatePhyoffset };
    for (const phy of offsets) {
      const buf = await this.selectOneMessageByOffset(phy);
      if (!buf || !recordHasKey(buf, topic, key)) continue;
      result.buffers.push(buf);
      result.phyOffsets.push(phy);
    }
    return result;
  }

  // ---- commit log positions and replication ----------------------------------------------

  getMinPhyOffset(): number {
    return this.commitLog.minOffset;
  }

  /** End of the written commit log (what HA may send). */
  getMaxPhyOffset(): number {
    return this.commitLog.maxOffset;
  }

  getFlushedPhyOffset(): number {
    return this.commitLog.flushedOffset;
  }

  /** Everything before this offset is in the ConsumeQueues and the index. */
  getDispatchedPhyOffset(): number {
    return this.reput.reputFromOffset;
  }

  dispatchBehindBytes(): number {
    return this.reput.behindBytes;
  }

  /** Raw commit-log bytes from `offset` to the end of its segment or the data, at most `maxBytes`. */
  async getCommitLogData(offset: number, maxBytes: number = 32 * 1024): Promise<{ startOffset: number; data: Buffer } | undefined> {
    if (this.state !== 'running') return undefined;
    const data = await this.commitLog.readToSegmentEnd(offset, maxBytes);
    return data ? { startOffset: offset, data } : undefined;
  }

  /**
   * Appends replicated raw commit-log bytes at `startOffset`, which must be the current end
   * (an empty store takes any segment-aligned offset). The records are dispatched like local puts.
   */
  async appendToCommitLog(startOffset: number, data: Buffer): Promise<{ ok: true } | { ok: false; reason: string }> {
    if (this.state !== 'running') return { ok: false, reason: `message store is ${this.state}` };
    if (!this.runningFlags.isWriteable()) return { ok: false, reason: `message store is not writeable: ${this.runningFlags.describe().join(', ')}` };
    const outcome = await this.commitLog.appendRaw(startOffset, data);
    return outcome.kind === 'failed' ? { ok: false, reason: outcome.reason } : { ok: true };
  }

  // ---- extension points ------------------------------------------------------------------

  /** Adds a dispatcher that sees every record after the ConsumeQueue and index (its failures are logged). */
  addDispatcher(dispatcher: CommitLogDispatcher): void {
    this.dispatcherEntries.push({ dispatcher, isCritical: false });
  }

  /** Called after each dispatch round for every message that entered a ConsumeQueue (long polling). */
  addMessageArrivingListener(listener: MessageArrivingListener): () => void {
    this.arrivalListeners.add(listener);
    return () => this.arrivalListeners.delete(listener);
  }

  /** Called with the new dispatched offset after each dispatch round. */
  onDispatchedOffsetAdvanced(listener: (dispatchedPhyOffset: number) => void): () => void {
    return this.reput.onAdvance(listener);
  }

  setTagsCodeHook(hook: TagsCodeHook | undefined): void {
    this.tagsCodeHook = hook;
  }

  /** Plugs in synchronous replication (used when brokerRole is SYNC_MASTER). */
  setPutReplicationWaiter(waiter: PutReplicationWaiter | undefined): void {
    this.replicationWaiter = waiter;
  }

  /** Called with the new max commit-log offset whenever bytes are written (HA pushes them on). */
  onCommitLogAppended(listener: (maxPhyOffset: number) => void): () => void {
    this.appendListeners.add(listener);
    return () => this.appendListeners.delete(listener);
  }

  /** Resolves when everything written so far is dispatched (or dispatch is failing and retrying). */
  waitForDispatch(): Promise<void> {
    return this.reput.catchUp();
  }

  /**
   * Writes the ConsumeQueue units and index entries held in memory to their files (the page
   * cache; no fdatasync), for tools and tests that read the files of a running store. The store
   * itself never needs it: readers see held units, and flushes write them first.
   */
  writeHeldLogics(): void {
    for (const cq of this.queues.all()) cq.commitPending();
    this.index.commitPending();
  }

  /** One retention pass now (the timer runs the same). */
  async cleanOnce(): Promise<CleanRunResult> {
    if (!this.clean) throw new StoreNotRunningError('message store is not started');
    return this.clean.runOnce();
  }

  /** RocketMQ's executeDeleteFilesManually: the next 20 retention passes delete expired files. */
  executeDeleteFilesManually(): void {
    this.clean?.executeDeleteFilesManually();
  }

  /** Deletes a topic's ConsumeQueues and queue offsets (its records age out of the commit log). */
  deleteTopic(topic: string): void {
    const queues = this.queues.queuesOf(topic);
    if (queues) for (const qid of queues.keys()) this.commitLog.queueOffsetTable.delete(queueKeyOf(topic, qid));
    this.queues.destroyTopicSync(topic);
  }

  /** Counters: commit-log writev batches and fdatasync rounds since start. */
  getStats(): { commitLogWriteBatches: number; commitLogFlushes: number } {
    return { commitLogWriteBatches: this.commitLog.stats.writeBatches, commitLogFlushes: this.commitLog.stats.flushes };
  }

  /** Next queue offset per `topic-queueId` (RocketMQ's topicQueueTable). */
  getQueueOffsetTable(): ReadonlyMap<string, number> {
    return this.commitLog.queueOffsetTable;
  }

  private criticalEntry(dispatcher: CommitLogDispatcher, flag: number): DispatcherEntry {
    return {
      dispatcher,
      isCritical: true,
      onFailure: (err) => {
        if (!this.runningFlags.has(flag)) this.log.error({ err, dispatcher: dispatcher.name }, 'dispatch write failed: store not writeable until it succeeds');
        this.runningFlags.set(flag);
      },
      onSuccess: () => {
        if (this.runningFlags.has(flag)) {
          this.runningFlags.clear(flag);
          this.log.info({ dispatcher: dispatcher.name }, 'dispatch writes succeed again');
        }
      },
    };
  }

  private deliverArrivals(): void {
    const arrivals = this.buildCQ.takeArrivals();
    for (const a of arrivals) {
      for (const l of this.arrivalListeners) {
        try {
          l(a);
        } catch (err) {
          this.log.error({ err, topic: a.topic, queueId: a.queueId }, 'a message arriving listener failed');
        }
      }
    }
  }
}

function statusOf(outcome: AppendOutcome): PutMessageStatus {
  switch (outcome.kind) {
    case 'stored':
      return PutMessageStatus.PUT_OK;
    case 'flushTimeout':
      return PutMessageStatus.FLUSH_DISK_TIMEOUT;
    case 'failed':
      if (outcome.errno === 'ENOSPC') return PutMessageStatus.SERVICE_NOT_AVAILABLE;
      return outcome.stage === 'create' ? PutMessageStatus.CREATE_MAPPED_FILE_FAILED : PutMessageStatus.UNKNOWN_ERROR;
  }
}

/** Does the record's topic equal `topic` and its UNIQ_KEY or a KEYS token equal `key`? */
function recordHasKey(record: Buffer, topic: string, key: string): boolean {
  const r = decodeMessageRecord(record, 0, { readBody: false });
  if (r.kind !== 'message' || r.message.topic !== topic) return false;
  const props = r.message.properties;
  if (props.get(PROPERTY_UNIQ_KEY) === key) return true;
  return (props.get(PROPERTY_KEYS) ?? '').split(' ').includes(key);
}

