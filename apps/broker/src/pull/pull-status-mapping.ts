// Store status of a pull -> response code (RocketMQ's composeResponseHeader; reference §3.3.1
// offset -> status table and rocketmq-store-ha.md §14.1):
//
//   FOUND                                        0  SUCCESS
//   NO_MATCHED_MESSAGE, MESSAGE_WAS_REMOVING     20 PULL_RETRY_IMMEDIATELY
//   NO_MESSAGE_IN_QUEUE, NO_MATCHED_LOGIC_QUEUE  21 PULL_OFFSET_MOVED if the requested offset != 0,
//                                                19 PULL_NOT_FOUND  if it is 0 (may be held)
//   OFFSET_FOUND_NULL, OFFSET_OVERFLOW_ONE       19 PULL_NOT_FOUND (may be held)
//   OFFSET_OVERFLOW_BADLY, OFFSET_TOO_SMALL,
//   OFFSET_RESET                                 21 PULL_OFFSET_MOVED
//
// nextBeginOffset comes from the store (0 for an empty queue, min for too small, max for overflow,
// the requested offset for OFFSET_OVERFLOW_ONE, last returned + 1 for FOUND).

import { ResponseCode } from '@apogee/remoting';
import { GetMessageStatus } from '@apogee/store';

export function pullResponseCode(status: GetMessageStatus, requestOffset: number): number {
  switch (status) {
    case GetMessageStatus.FOUND:
      return ResponseCode.SUCCESS;
    case GetMessageStatus.NO_MATCHED_MESSAGE:
    case GetMessageStatus.MESSAGE_WAS_REMOVING:
      return ResponseCode.PULL_RETRY_IMMEDIATELY;
    case GetMessageStatus.NO_MESSAGE_IN_QUEUE:
    case GetMessageStatus.NO_MATCHED_LOGIC_QUEUE:
      return requestOffset !== 0 ? ResponseCode.PULL_OFFSET_MOVED : ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_FOUND_NULL:
    case GetMessageStatus.OFFSET_OVERFLOW_ONE:
      return ResponseCode.PULL_NOT_FOUND;
    case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
    case GetMessageStatus.OFFSET_TOO_SMALL:
    case GetMessageStatus.OFFSET_RESET:
      return ResponseCode.PULL_OFFSET_MOVED;
  }
}

/** PullMessageResponseHeader.forbiddenType on NO_PERMISSION. */
export const ForbiddenType = {
  BROKER_FORBIDDEN: 1,
  GROUP_FORBIDDEN: 2,
  TOPIC_FORBIDDEN: 3,
  BROADCASTING_DISABLE_FORBIDDEN: 4,
  SUBSCRIPTION_FORBIDDEN: 5,
} as const;
