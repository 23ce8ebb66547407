// Reading one queue range and turning what comes back into RocketMQ's lines (printMsg and
// consumeMessage): `MSGID: … BODY: …` per message, `… no matched msg. …` for a batch the
// subscription filtered out, `… print msg finished. …` when the broker has nothing more.

import type { MessageQueue } from '@apogee/common';
import { type SubscriptionData, messageQueueToString } from '@apogee/client';
import { describeError } from '../../errors.js';
import { type MessageView, messageView, msgIdLine } from './message-view.js';
import type { QueueReader, ReadEvent } from './queue-reader.js';

/** One message read: its view, the broker it was read from and (when printed) its body. */
export interface PrintedMessage extends MessageView {
  brokerName: string;
  body?: string;
}

/** One queue and what was read from it, [minOffset, maxOffset). */
export interface PrintedQueue {
  messageQueue: MessageQueue;
  minOffset: number;
  maxOffset: number;
  messages: PrintedMessage[];
  /** how reading ended before maxOffset: NO_NEW_MSG / OFFSET_ILLEGAL */
  finishedStatus?: string;
  error?: string;
}

export interface ReadQueueOptions {
  readonly subscription: SubscriptionData;
  readonly decode: (body: Buffer) => string;
  readonly printBody: boolean;
  /** keep the messages on the queue (for --json); otherwise only lines are made */
  readonly keep: boolean;
  /** a line before each batch of messages (consumeMessage: `Consume ok`) */
  readonly foundLine?: string;
  /** called with the lines of each pulled batch, as soon as they are ready (awaited: backpressure) */
  readonly onLines: (lines: string[]) => void | Promise<void>;
  /** called with how many offsets of the range each batch covered */
  readonly onAdvance: (offsets: number) => void;
  /** true: stop reading (nobody reads the output any more) */
  readonly stop?: () => boolean;
}

/** Reads `queue`'s range; a failure is recorded on the queue (and its line emitted), not thrown. */
export async function readQueue(reader: QueueReader, queue: PrintedQueue, options: ReadQueueOptions): Promise<void> {
  const mq = queue.messageQueue;
  let readTo = queue.minOffset;
  try {
    for await (const event of reader.read(mq, options.subscription, queue)) {
      await options.onLines(eventLines(event, queue, options));
      options.onAdvance(Math.max(0, Math.min(event.nextOffset, queue.maxOffset) - readTo));
      readTo = Math.max(readTo, event.nextOffset);
      if (options.stop?.() === true) return;
    }
  } catch (err) {
    queue.error = describeError(err);
    await options.onLines([`${messageQueueToString(mq)} print msg failed: ${queue.error}`]);
  }
}

function eventLines(event: ReadEvent, queue: PrintedQueue, options: ReadQueueOptions): string[] {
  const mq = queue.messageQueue;
  if (event.kind === 'noMatched') return [`${messageQueueToString(mq)} no matched msg. status=NO_MATCHED_MSG, offset=${event.nextOffset}`];
  if (event.kind === 'finished') {
    queue.finishedStatus = event.status;
    return [`${messageQueueToString(mq)} print msg finished. status=${event.status}, offset=${event.nextOffset}`];
  }
  const lines = options.foundLine === undefined ? [] : [options.foundLine];
  for (const msg of event.messages) {
    const body = options.printBody ? options.decode(msg.body) : undefined;
    if (options.keep) queue.messages.push({ ...messageView(msg), brokerName: mq.brokerName, ...(body === undefined ? {} : { body }) });
    lines.push(msgIdLine(msg, mq.brokerName, body));
  }
  return lines;
}
