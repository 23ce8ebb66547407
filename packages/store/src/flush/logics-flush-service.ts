import type { MessageStoreConfig } from '../config/message-store-config.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import type { ConsumeQueueStore } from '../consumequeue/consume-queue-store.js';
import type { IndexService } from '../index/index-service.js';
import type { StoreCheckpoint } from '../checkpoint/store-checkpoint.js';
import type { ReputService } from '../dispatch/reput-service.js';
import type { Clock } from '@apogee/common';
import type { StoreLogger } from '../util/store-logger.js';

// FlushConsumeQueueService (reference §5.3) plus the checkpoint (§10). Every
// flushIntervalConsumeQueue, queues with at least flushConsumeQueueLeastPages dirty pages are
// fdatasync'ed. Every flushConsumeQueueThoroughInterval (and at shutdown) everything is: the
// commit log up to the dispatched offset D, every queue, the index; only then is the checkpoint
// written with dispatchedPhyOffset = D, so after any crash recovery can start from D.

/** Queues fdatasync'ed concurrently (each flush is one thread-pool job). */
export const CQ_FLUSH_CONCURRENCY = 4;
export const SHUTDOWN_LOGICS_FLUSH_ATTEMPTS_MAX = 3;

export interface LogicsFlushDeps {
  commitLog: CommitLog;
  queues: ConsumeQueueStore;
  index: IndexService;
  checkpoint: StoreCheckpoint;
  reput: ReputService;
  /** Store time of the last ConsumeQueue unit written (checkpoint logicsMsgTimestamp). */
  logicsStoreTimestamp: () => number;
}

export class LogicsFlushService {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastThoroughMs = 0;

  constructor(
    private readonly config: MessageStoreConfig,
    private readonly clock: Clock,
    private readonly log: StoreLogger,
    private readonly deps: LogicsFlushDeps,
  ) {}

  start(): void {
    if (this.timer) return;
    this.lastThoroughMs = this.clock.monotonicMs();
    this.timer = setInterval(() => this.tick(), this.config.flushIntervalConsumeQueue);
    this.timer.unref();
  }

  /** One flush; `thorough` flushes everything and writes the checkpoint. Serialized. */
  async flushOnce(thorough: boolean): Promise<void> {
    while (this.running) await this.running;
    this.running = this.doFlush(thorough).finally(() => (this.running = undefined));
    await this.running;
  }

  async shutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (let attempt = 1; attempt <= SHUTDOWN_LOGICS_FLUSH_ATTEMPTS_MAX; attempt++) {
      try {
        await this.flushOnce(true);
        return;
      } catch (err) {
        this.log.error({ err, attempt }, 'final consume queue / checkpoint flush failed');
      }
    }
  }

  private tick(): void {
    if (this.running) return;
    const now = this.clock.monotonicMs();
    const thorough = now - this.lastThoroughMs >= this.config.flushConsumeQueueThoroughInterval;
    if (thorough) this.lastThoroughMs = now;
    this.flushOnce(thorough).catch((err: unknown) => this.log.error({ err }, 'consume queue flush failed'));
  }

  private async doFlush(thorough: boolean): Promise<void> {
    const { commitLog, queues, index, checkpoint, reput } = this.deps;
    const dispatched = reput.reputFromOffset;
    const logicsTs = this.deps.logicsStoreTimestamp();
    const leastPages = thorough ? 0 : this.config.flushConsumeQueueLeastPages;
    const dirty = [...queues.all()].filter((cq) => cq.unflushedBytes > 0);
    for (let i = 0; i < dirty.length; i += CQ_FLUSH_CONCURRENCY) {
      await Promise.all(dirty.slice(i, i + CQ_FLUSH_CONCURRENCY).map((cq) => cq.flush(leastPages)));
    }
    if (!thorough) return;
    if (commitLog.flushedOffset < dispatched) await commitLog.flush();
    await index.flush();
    checkpoint.logicsMsgTimestamp = Math.max(checkpoint.logicsMsgTimestamp, logicsTs);
    if (commitLog.flushedStoreTimestamp > 0) checkpoint.physicMsgTimestamp = commitLog.flushedStoreTimestamp;
    checkpoint.dispatchedPhyOffset = dispatched;
    checkpoint.indexNewestFileMs = index.newestFileMs;
    checkpoint.confirmPhyOffset = Math.min(dispatched, commitLog.flushedOffset);
    await checkpoint.flush();
  }
}
