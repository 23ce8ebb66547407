// Concurrent consumption (ConsumeMessageConcurrentlyService, reference §7.2 step 7): pulled
// messages are cut into batches of consumeMessageBatchMaxSize and handed to the listener on the
// executor. CONSUME_SUCCESS acks the batch (or up to ackIndex); RECONSUME_LATER (or a throw)
// sends the rest back to the broker for a delayed retry (clustering) or drops them with a log
// (broadcasting). A message counts as consumed once acked or sent back; only messages that could
// not be sent back are consumed again locally 5 s later. The queue's offset then moves to the
// smallest message still held.

import { MessageConst, type MessageExt, type MessageQueue, getRetryTopic } from '@apogee/common';
import { withoutNamespace, wrapNamespace } from '../namespace.js';
import type { ConsumeExecutor } from './consume-executor.js';
import type { ConsumeConcurrentlyContext, ConsumeConcurrentlyStatus, MessageListenerConcurrently } from './message-listener.js';
import type { OffsetStore } from './offset-store.js';
import type { ProcessQueue } from './process-queue.js';
import { type SendBackContext, sendMessageBack } from './send-back.js';

/** Local re-consumption of messages that could not be sent back, after this long, ms. */
export const RECONSUME_LOCALLY_DELAY_MS = 5_000;
/** Expired messages one queue sends back per cleaning round (ProcessQueue.cleanExpiredMsg's loop). */
export const EXPIRED_MSGS_PER_ROUND_MAX = 16;
/** The delay level an expired message is sent back with (Java: 3, 10 s). */
export const EXPIRED_MSG_DELAY_LEVEL = 3;

export interface ConsumeServiceContext {
  readonly executor: ConsumeExecutor;
  readonly offsetStore: () => OffsetStore;
  readonly sendBack: SendBackContext;
  readonly isClustering: boolean;
  readonly consumeMessageBatchMaxSize: number;
  readonly namespace: string | undefined;
  /** The application's group name (no namespace). */
  readonly consumerGroup: string;
  readonly isRunning: () => boolean;
}

export class ConsumeMessageConcurrentlyService {
  constructor(
    private readonly ctx: ConsumeServiceContext,
    private readonly listener: MessageListenerConcurrently,
  ) {}

  submitConsumeRequest(msgs: readonly MessageExt[], pq: ProcessQueue, mq: MessageQueue): void {
    const size = this.ctx.consumeMessageBatchMaxSize;
    for (let i = 0; i < msgs.length; i += size) {
      const batch = msgs.slice(i, i + size);
      this.ctx.executor.submit(() => this.consume(batch, pq, mq));
    }
  }

  /**
   * ProcessQueue.cleanExpiredMsg: while the queue's oldest held message has been in its listener
   * call for more than `consumeTimeoutMs`, send it back for a retry and stop holding it, so the
   * queue's offset moves on. The listener call itself runs on; its result no longer matters for
   * that message. Clustering only (a broadcasting consumer has nowhere to send it back).
   */
  async cleanExpiredMsg(pq: ProcessQueue, mq: MessageQueue, consumeTimeoutMs: number, nowMs: number): Promise<void> {
    if (!this.ctx.isClustering) return;
    for (let i = 0; i < EXPIRED_MSGS_PER_ROUND_MAX && !pq.isDropped && this.ctx.isRunning(); i++) {
      const msg = pq.firstMessage();
      const startMs = Number(msg?.getProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP) ?? NaN);
      if (msg === undefined || !(nowMs - startMs > consumeTimeoutMs)) return;
      const topic = msg.topic;
      msg.topic = wrapNamespace(this.ctx.namespace, topic);
      let sentBack: boolean;
      try {
        sentBack = await sendMessageBack(this.ctx.sendBack, msg, mq, EXPIRED_MSG_DELAY_LEVEL);
      } finally {
        msg.topic = topic;
      }
      if (!sentBack) return;
      this.ctx.sendBack.instance.log.info({ msgId: msg.msgId, group: this.ctx.consumerGroup, mq, consumeTimeoutMs }, 'send expired msg back');
      if (pq.firstMessage() !== msg) continue;
      const offset = pq.removeMessage([msg]);
      if (offset >= 0 && !pq.isDropped) this.ctx.offsetStore().updateOffset(mq, offset, true);
    }
  }

  private async consume(msgs: MessageExt[], pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    if (pq.isDropped || !this.ctx.isRunning()) return;
    resetRetryAndNamespace(msgs, this.ctx.sendBack.groupName, this.ctx.namespace);
    const context: ConsumeConcurrentlyContext = { messageQueue: { ...mq, topic: withoutNamespace(this.ctx.namespace, mq.topic) }, delayLevelWhenNextConsume: 0, ackIndex: 0x7fff_ffff };
    let status: ConsumeConcurrentlyStatus;
    const startMs = Date.now();
    for (const msg of msgs) msg.putProperty(MessageConst.PROPERTY_CONSUME_START_TIMESTAMP, String(startMs));
    try {
      status = await this.listener.consumeMessage(msgs, context);
      if (status !== 'CONSUME_SUCCESS' && status !== 'RECONSUME_LATER') status = 'RECONSUME_LATER';
    } catch (err) {
      this.ctx.sendBack.instance.log.warn({ err, group: this.ctx.consumerGroup, mq }, 'consumeMessage threw; RECONSUME_LATER');
      status = 'RECONSUME_LATER';
    }
    if (pq.isDropped) return;
    await this.processConsumeResult(status, context, msgs, pq, mq);
  }

  private async processConsumeResult(status: ConsumeConcurrentlyStatus, context: ConsumeConcurrentlyContext, msgs: MessageExt[], pq: ProcessQueue, mq: MessageQueue): Promise<void> {
    const ackIndex = status === 'CONSUME_SUCCESS' ? Math.min(context.ackIndex, msgs.length - 1) : -1;
    const failedBack: MessageExt[] = [];
    const retried = msgs.slice(ackIndex + 1);
    if (this.ctx.isClustering) {
      for (const msg of retried) {
        msg.topic = wrapNamespace(this.ctx.namespace, msg.topic);
        if (!(await sendMessageBack(this.ctx.sendBack, msg, mq, context.delayLevelWhenNextConsume))) {
          msg.reconsumeTimes++;
          failedBack.push(msg);
        }
      }
    } else {
      for (const msg of retried) this.ctx.sendBack.instance.log.warn({ msgId: msg.msgId, group: this.ctx.consumerGroup }, 'BROADCASTING, the message consume failed, drop it');
    }
    const done = failedBack.length === 0 ? msgs : msgs.filter((m) => !failedBack.includes(m));
    if (failedBack.length > 0) this.ctx.executor.submitLater(() => this.consume(failedBack, pq, mq), RECONSUME_LOCALLY_DELAY_MS);
    const offset = pq.removeMessage(done);
    if (offset >= 0 && !pq.isDropped) this.ctx.offsetStore().updateOffset(mq, offset, true);
  }
}

/**
 * Messages from `%RETRY%<group>` get their original topic back (RETRY_TOPIC); every topic loses
 * the namespace (resetRetryAndNamespace).
 */
export function resetRetryAndNamespace(msgs: readonly MessageExt[], wireGroup: string, namespace: string | undefined): void {
  const retryTopic = getRetryTopic(wireGroup);
  for (const msg of msgs) {
    const original = msg.getProperty(MessageConst.PROPERTY_RETRY_TOPIC);
    if (original !== undefined && msg.topic === retryTopic) msg.topic = original;
    msg.topic = withoutNamespace(namespace, msg.topic);
  }
}
