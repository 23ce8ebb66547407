// The slice of the store the read side of the data path needs (pull, long polling, delayed
// delivery): read a queue from an offset through a filter, the queue bounds, and the arrival
// notifications that wake held pulls. The real MessageStore satisfies it structurally.

import type { GetMessageResult, MessageArrivingListener, MessageFilter } from '@apogee/store';

export interface MessageReader {
  /**
   * Up to `maxMsgNums` messages (and `maxTotalMsgSize` bytes) of one queue from `offset` that
   * pass `filter`, as stored record bytes. Undefined when the store is not running or readable.
   */
  getMessage(
    group: string,
    topic: string,
    queueId: number,
    offset: number,
    maxMsgNums: number,
    maxTotalMsgSize?: number,
    filter?: MessageFilter,
  ): Promise<GetMessageResult | undefined>;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  /** The next offset to be written (0 for an empty or unknown queue). */
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  /** Called for every message that entered a ConsumeQueue; returns the unsubscribe function. */
  addMessageArrivingListener(listener: MessageArrivingListener): () => void;
}
