import type { SocketAddress } from '@apogee/common';
import type { PutMessageStatus } from './statuses.js';

// What the broker hands the store to append (RocketMQ's MessageExtBrokerInner): a message with
// the broker-side fields filled in. Store-assigned fields (queue offset, physical offset, store
// timestamp) are not part of it.

export interface MessageInner {
  topic: string;
  queueId: number;
  /** User flag, a Java int. */
  flag: number;
  /** Body as stored (already compressed when sysFlag has COMPRESSED_FLAG). */
  body: Buffer;
  properties: Map<string, string>;
  /**
   * The properties as their 0x01/0x02 text, when the caller already has it (the broker receives
   * it from the wire). Must agree with `properties`; a hook that changes `properties` clears it.
   */
  propertiesString?: string;
  sysFlag: number;
  bornTimestamp: number;
  bornHost: SocketAddress;
  storeHost: SocketAddress;
  reconsumeTimes: number;
  preparedTransactionOffset: number;
  /** CRC32 of the body when the caller already computed it. */
  bodyCRC?: number;
}

/** Where an accepted put went (RocketMQ's AppendMessageResult). */
export interface AppendMessageResult {
  wroteOffset: number;
  wroteBytes: number;
  /** Offset message id(s); comma-joined for a batch. */
  msgId: string;
  /** Queue offset of the (first) message; 0 for PREPARED and ROLLBACK transaction records. */
  queueOffset: number;
  msgNum: number;
  storeTimestamp: number;
}

export interface PutMessageResult {
  status: PutMessageStatus;
  /** Present when the message was stored (also for FLUSH_DISK_TIMEOUT). */
  result?: AppendMessageResult;
  /** Why, in words, for anything but PUT_OK (usable as a response remark). */
  remark?: string;
}

/**
 * Runs before a message is appended (RocketMQ's PutMessageHook), in registration order. May
 * rewrite `msg` (the delay feature moves it to SCHEDULE_TOPIC_XXXX) or refuse it by returning a
 * result; returning undefined lets it through.
 */
export interface PutMessageHook {
  readonly hookName: string;
  executeBeforePutMessage(msg: MessageInner): PutMessageResult | undefined;
}

/**
 * Synchronous replication for SYNC_MASTER (RocketMQ's handleHA / GroupTransferService), plugged in
 * by the HA feature: resolves when a slave has acknowledged everything before `nextOffset`, or
 * says why not. Called only for stored messages that wait (WAIT != false).
 */
export type PutReplicationWaiter = (nextOffset: number) => Promise<'ok' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE'>;
