// Choosing the queue yourself (MessageQueueSelector): ordered messages go to the queue a key
// hashes to, so that one key always lands in one queue. SelectMessageQueueByHash uses Java's
// hashCode of the argument, so a TS producer and a Java producer pick the same queue for a key.

import { InvalidArgumentError, type Message, type MessageQueue, tagsHashCode } from '@apogee/common';

export interface MessageQueueSelector<A = unknown> {
  /** One of `mqs` (the topic's writable queues, in route order) for `msg`. */
  select(mqs: readonly MessageQueue[], msg: Message, arg: A): MessageQueue;
}

/** Java's hashCode for the argument kinds an ordering key usually is. */
export function javaHashCode(arg: unknown): number {
  if (typeof arg === 'string') return tagsHashCode(arg);
  if (typeof arg === 'boolean') return arg ? 1231 : 1237;
  if (typeof arg === 'number' && Number.isInteger(arg)) {
    if (arg >= -0x8000_0000 && arg <= 0x7fff_ffff) return arg; // Integer.hashCode
    if (Number.isSafeInteger(arg)) return longHashCode(BigInt(arg));
  }
  if (typeof arg === 'bigint') return longHashCode(arg);
  throw new InvalidArgumentError('arg', `no Java hashCode for ${typeof arg} ${String(arg)}; pass a string or an integer`);
}

// Long.hashCode: (int) (value ^ (value >>> 32))
function longHashCode(value: bigint): number {
  const v = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, v ^ (v >> 32n)));
}

/** `mqs[abs(hashCode(arg) % size)]`, as Java's SelectMessageQueueByHash. */
export class SelectMessageQueueByHash implements MessageQueueSelector {
  select(mqs: readonly MessageQueue[], _msg: Message, arg: unknown): MessageQueue {
    if (mqs.length === 0) throw new InvalidArgumentError('mqs', 'no queue to select from');
    const value = Math.abs(javaHashCode(arg) % mqs.length);
    return mqs[value] as MessageQueue;
  }
}

export class SelectMessageQueueByRandom implements MessageQueueSelector {
  select(mqs: readonly MessageQueue[]): MessageQueue {
    if (mqs.length === 0) throw new InvalidArgumentError('mqs', 'no queue to select from');
    return mqs[Math.floor(Math.random() * mqs.length)] as MessageQueue;
  }
}
