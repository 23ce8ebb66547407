// Orderly consumption (ConsumeMessageOrderlyService, reference §7.2 "Orderly consumer"): one
// consume loop per queue at a time, only while this client holds the queue's broker lock
// (clustering). The loop takes batches from the head of the queue; SUCCESS commits them,
// SUSPEND_CURRENT_QUEUE_A_MOMENT (or a throw) puts them back and retries the queue after
// suspendCurrentQueueTimeMillis. A message retried maxReconsumeTimes times is sent back to the
// broker (which moves it to the DLQ because the group consumes orderly). A loop yields after
// 60 s so that other queues get their turn.

import type { MessageExt, MessageQueue } from '@apogee/common';
import { withoutNamespace, wrapNamespace } from '../namespace.js';
import { type ConsumeServiceContext, resetRetryAndNamespace } from './consume-concurrently-service.js';
import type { ConsumeOrderlyContext, ConsumeOrderlyStatus, MessageListenerOrderly } from './message-listener.js';
import type { ProcessQueue } from './process-queue.js';
import { sendMessageBack } from './send-back.js';

/** One loop consumes a queue at most this long before yielding, ms (MAX_TIME_CONSUME_CONTINUOUSLY). */
export const MAX_TIME_CONSUME_CONTINUOUSLY_MS = 60_000;

export interface OrderlyServiceContext extends ConsumeServiceContext {
  readonly maxReconsumeTimes: number;
  readonly suspendCurrentQueueTimeMillis: number;
  readonly nowMs: () => number;
  /** LOCK_BATCH_MQ for one queue; true when this client holds it now. */
  readonly lockOneMQ: (mq: MessageQueue) => Promise<boolean>;
}

export class ConsumeMessageOrderlyService {
  private readonly active = new Set<ProcessQueue>();

  constructor(
    private readonly ctx: OrderlyServiceContext,
    private readonly listener: MessageListenerOrderly,
  ) {}

  /** `dispatchToConsume`: ProcessQueue.putMessage said no loop is running for the queue. */
  submitConsumeRequest(pq: ProcessQueue, mq: MessageQueue, dispatchToConsume: boolean): void {
    if (dispatchToConsume) this.ctx.executor.submit(() => this.run(pq, mq));
  }

  private submitLater(pq: ProcessQueue, mq: MessageQueue, delayMs: number): void {
    this.ctx.executor.submitLater(() => this.run(pq, mq), delayMs);
  }

  private tryLockLaterAndReconsume(pq: ProcessQueue, mq: MessageQueue, delayMs: number): void {
    this.ctx.executor.submitLater(async () => {
      const locked = await this.ctx.lockOneMQ(mq);
      this.submitLater(pq, mq, locked ? 10 : 3_000);
    }, delayMs);
  }

  private async run(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    if (pq.isDropped || !this.ctx.isRunning() || this.active.has(pq)) return;
    this.active.add(pq);
    try {
      await this.consumeLoop(pq, mq);
    } finally {
      this.active.delete(pq);
    }
  }

  private async consumeLoop(pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    const { ctx } = this;
    if (ctx.isClustering && (!pq.isLocked || pq.isLockExpired(ctx.nowMs()))) {
      this.tryLockLaterAndReconsume(pq, mq, 100);
      return;
    }
    const beginMs = ctx.nowMs();
    for (;;) {
      if (pq.isDropped || !ctx.isRunning()) return;
      if (ctx.isClustering && (!pq.isLocked || pq.isLockExpired(ctx.nowMs()))) {
        this.tryLockLaterAndReconsume(pq, mq, 10);
        return;
      }
      if (ctx.nowMs() - beginMs > MAX_TIME_CONSUME_CONTINUOUSLY_MS) {
        this.submitLater(pq, mq, 10);
        return;
      }
      const msgs = pq.takeMessages(ctx.consumeMessageBatchMaxSize);
      if (msgs.length === 0) return; // takeMessages cleared isConsuming: the next pull starts a loop
      resetRetryAndNamespace(msgs, ctx.sendBack.groupName, ctx.namespace);
      const context: ConsumeOrderlyContext = { messageQueue: { ...mq, topic: withoutNamespace(ctx.namespace, mq.topic) }, suspendCurrentQueueTimeMillis: -1 };
      let status: ConsumeOrderlyStatus;
      try {
        status = await this.listener.consumeMessage(msgs, context);
        if (status !== 'SUCCESS' && status !== 'SUSPEND_CURRENT_QUEUE_A_MOMENT') status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
      } catch (err) {
        ctx.sendBack.instance.log.warn({ err, group: ctx.consumerGroup, mq }, 'consumeMessage threw; SUSPEND_CURRENT_QUEUE_A_MOMENT');
        status = 'SUSPEND_CURRENT_QUEUE_A_MOMENT';
      }
      if (pq.isDropped) return;
      let commitOffset = -1;
      if (status === 'SUCCESS') {
        commitOffset = pq.commit();
      } else if (await this.checkReconsumeTimes(msgs, mq)) {
        pq.makeMessageToConsumeAgain(msgs);
        const suspendMs = context.suspendCurrentQueueTimeMillis >= 0 ? context.suspendCurrentQueueTimeMillis : ctx.suspendCurrentQueueTimeMillis;
        this.submitLater(pq, mq, suspendMs);
        return;
      } else {
        commitOffset = pq.commit();
      }
      if (commitOffset >= 0 && !pq.isDropped) ctx.offsetStore().updateOffset(mq, commitOffset, false);
    }
  }

  /** True when the batch must be consumed again locally; messages out of retries go back to the broker. */
  private async checkReconsumeTimes(msgs: MessageExt[], mq: MessageQueue): Promise<boolean> {
    let suspend = false;
    for (const msg of msgs) {
      if (msg.reconsumeTimes >= this.ctx.maxReconsumeTimes) {
        msg.topic = wrapNamespace(this.ctx.namespace, msg.topic);
        if (!(await sendMessageBack(this.ctx.sendBack, msg, mq, -1))) {
          suspend = true;
          msg.reconsumeTimes++;
        }
      } else {
        suspend = true;
        msg.reconsumeTimes++;
      }
    }
    return suspend;
  }
}
