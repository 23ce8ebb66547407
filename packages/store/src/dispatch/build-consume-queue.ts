import type { ConsumeQueueStore } from '../consumequeue/consume-queue-store.js';
import type { ConsumeQueue } from '../consumequeue/consume-queue.js';
import type { StoreLogger } from '../util/store-logger.js';
import { takesQueueOffset } from '../store/put-message-encoder.js';
import type { CommitLogDispatcher, DispatchRequest } from './dispatch-request.js';

// Dispatcher 1 (RocketMQ's CommitLogDispatcherBuildConsumeQueue): a unit per record of
// transaction type NOT_TYPE or COMMIT. It also keeps the queue-offset table at least one past
// every dispatched unit, which is how a slave (raw appends) and a recovering store learn the
// next offset of each queue.

export interface QueueArrival {
  topic: string;
  queueId: number;
  /** Next offset to pull after this message: its queue offset + 1 (RocketMQ's arriving()). */
  logicOffset: number;
  tagsCode: number;
  storeTimestamp: number;
  properties: string;
}

export class BuildConsumeQueueDispatcher implements CommitLogDispatcher {
  readonly name = 'BuildConsumeQueue';
  private readonly touched = new Set<ConsumeQueue>();
  private lastTouched: ConsumeQueue | undefined;
  private readonly arrivals: QueueArrival[] = [];
  private readonly unsafeTopicsLogged = new Set<string>();
  /** Store time of the last unit written (checkpoint logicsMsgTimestamp). */
  lastStoreTimestamp = 0;

  constructor(
    private readonly queues: ConsumeQueueStore,
    private readonly queueOffsetTable: Map<string, number>,
    private readonly log: StoreLogger,
    private readonly hasArrivalListeners: () => boolean,
  ) {}

  beginRound(): void {
    this.arrivals.length = 0;
    this.lastTouched = undefined;
  }

  dispatch(req: DispatchRequest): void {
    if (!takesQueueOffset(req.sysFlag)) return;
    const cq = this.queues.findOrCreate(req.topic, req.queueId);
    if (!cq) {
      if (this.unsafeTopicsLogged.size < 100 && !this.unsafeTopicsLogged.has(req.topic)) {
        this.unsafeTopicsLogged.add(req.topic);
        this.log.error({ topic: req.topic, queueId: req.queueId, offset: req.commitLogOffset }, 'record has a topic or queue id that cannot name a consume queue; not queued');
      }
      return;
    }
    cq.putUnit(req.commitLogOffset, req.msgSize, req.tagsCode, req.consumeQueueOffset);
    if (cq !== this.lastTouched) {
      this.touched.add(cq);
      this.lastTouched = cq;
    }
    const next = req.consumeQueueOffset + 1;
    this.lastStoreTimestamp = req.storeTimestamp;
    if (this.hasArrivalListeners()) {
      this.arrivals.push({
        topic: req.topic,
        queueId: req.queueId,
        logicOffset: next,
        tagsCode: req.tagsCode,
        storeTimestamp: req.storeTimestamp,
        properties: req.properties,
      });
    }
  }

  /**
   * Raises each touched queue's entry in the queue-offset table to at least one past its last
   * unit (once per queue and round rather than per record). The units themselves reach their
   * files in batches (see ConsumeQueue).
   */
  commitRound(): void {
    this.lastTouched = undefined;
    for (const cq of this.touched) {
      const next = cq.maxOffsetInQueue;
      if ((this.queueOffsetTable.get(cq.queueKey) ?? 0) < next) this.queueOffsetTable.set(cq.queueKey, next);
      this.touched.delete(cq);
    }
  }

  /** Arrivals of the last committed round, handed over once. */
  takeArrivals(): QueueArrival[] {
    return this.arrivals.splice(0, this.arrivals.length);
  }
}
