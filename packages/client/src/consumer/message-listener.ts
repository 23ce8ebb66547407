// What a push consumer calls with messages (MessageListenerConcurrently / MessageListenerOrderly).
// A listener that throws or returns a rejected promise counts as RECONSUME_LATER (concurrently)
// or SUSPEND_CURRENT_QUEUE_A_MOMENT (orderly), as in Java.

import type { MessageExt, MessageQueue } from '@apogee/common';

export type ConsumeConcurrentlyStatus = 'CONSUME_SUCCESS' | 'RECONSUME_LATER';
export type ConsumeOrderlyStatus = 'SUCCESS' | 'SUSPEND_CURRENT_QUEUE_A_MOMENT';

export interface ConsumeConcurrentlyContext {
  readonly messageQueue: MessageQueue;
  /** Delay level of the retry after RECONSUME_LATER: 0 = broker decides (3 + reconsumeTimes); -1 = straight to the DLQ. */
  delayLevelWhenNextConsume: number;
  /** With CONSUME_SUCCESS: messages after this index are retried. Default: all succeeded. */
  ackIndex: number;
}

export interface ConsumeOrderlyContext {
  readonly messageQueue: MessageQueue;
  /** Wait before a suspended queue is consumed again, ms; -1 = the consumer's suspendCurrentQueueTimeMillis. */
  suspendCurrentQueueTimeMillis: number;
}

export interface MessageListenerConcurrently {
  consumeMessage(msgs: MessageExt[], context: ConsumeConcurrentlyContext): ConsumeConcurrentlyStatus | Promise<ConsumeConcurrentlyStatus>;
}

export interface MessageListenerOrderly {
  consumeMessage(msgs: MessageExt[], context: ConsumeOrderlyContext): ConsumeOrderlyStatus | Promise<ConsumeOrderlyStatus>;
}
