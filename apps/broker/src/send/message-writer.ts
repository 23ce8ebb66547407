// The slices of the store the write side of the data path needs (send, send-back, delayed
// delivery): append one message or a batch, and read one stored message back by its commit-log
// offset. The real MessageStore satisfies both structurally; tests can hand in small real pieces.

import type { MessageExt } from '@apogee/common';
import type { MessageInner, PutMessageResult } from '@apogee/store';

export interface MessageWriter {
  /** Appends one message; resolves when it is stored (or refused, with a status and remark). */
  putMessage(msg: MessageInner): Promise<PutMessageResult>;
  /** Appends a batch of one topic and queue with consecutive queue offsets. */
  putMessages(batch: readonly MessageInner[]): Promise<PutMessageResult>;
}

export interface MessageLookup {
  /** The message stored at `commitLogOffset`, decoded; undefined when there is none. */
  lookMessageByOffset(commitLogOffset: number, size?: number): Promise<MessageExt | undefined>;
}
