// Where half (transactional) messages go. A send whose properties carry TRAN_MSG=true (and that
// is not a retried delayed message of a pre-4.6.1 client) is a half message: RocketMQ's
// TransactionalMessageService.prepareMessage stores it in RMQ_SYS_TRANS_HALF_TOPIC with its real
// topic and queue in REAL_TOPIC/REAL_QID (rocketmq-store-ha.md §20.2). That service is a feature
// of its own; the send path only hands the message over through this interface.
//
// Without a service installed, and with rejectTransactionMessage=true, the broker refuses half
// messages with 16 NO_PERMISSION, as RocketMQ does for rejectTransactionMessage.

import { MessageConst } from '@apogee/common';
import type { MessageInner, PutMessageResult } from '@apogee/store';

export interface TransactionalMessageService {
  /** Stores `msg` as a half message; the result maps to the send response like any put. */
  prepareMessage(msg: MessageInner): Promise<PutMessageResult>;
}

/** RocketMQ's test: TRAN_MSG parses as true (Boolean.parseBoolean) and it is not a retried delayed message. */
export function isTransactionPrepareMessage(properties: ReadonlyMap<string, string>, reconsumeTimes: number): boolean {
  const flag = properties.get(MessageConst.PROPERTY_TRANSACTION_PREPARED);
  if (flag === undefined || flag.toLowerCase() !== 'true') return false;
  return !(reconsumeTimes > 0 && delayLevelOf(properties) > 0);
}

/** The DELAY property as an int; 0 when absent or not a number (not delayed). */
export function delayLevelOf(properties: ReadonlyMap<string, string>): number {
  const text = properties.get(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  if (text === undefined || !/^[-+]?\d{1,10}$/.test(text)) return 0;
  const level = Number(text);
  return level >= -0x8000_0000 && level <= 0x7fff_ffff ? level : 0;
}
