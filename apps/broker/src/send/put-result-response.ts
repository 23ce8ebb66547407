// From a store put result to a send response (RocketMQ's handlePutMessageResult; reference
// rocketmq-store-ha.md §4):
//
//   PUT_OK 0 | FLUSH_DISK_TIMEOUT 10 | FLUSH_SLAVE_TIMEOUT 12 | SLAVE_NOT_AVAILABLE 11   (stored)
//   MESSAGE_ILLEGAL, PROPERTIES_SIZE_EXCEEDED, WHEEL_TIMER_MSG_ILLEGAL -> 13 MESSAGE_ILLEGAL
//   SERVICE_NOT_AVAILABLE -> 14; OS_PAGE_CACHE_BUSY -> 2 "[PC_SYNCHRONIZED]..."; others -> 1
//
// Every send response carries the raw ext fields MSG_REGION and TRACE_ON (the Java client reads
// them after every success); a stored message also gets msgId (offset id, comma-joined for a
// batch), queueId, queueOffset and transactionId (the UNIQ_KEY).

import { type RemotingCommand, ResponseCode, SendMessageResponseHeader, createResponseCommand } from '@apogee/remoting';
import { type PutMessageResult, PutMessageStatus } from '@apogee/store';

/** The two raw ext fields of every send response. */
export interface SendResponseExtras {
  readonly regionId: string;
  readonly traceOn: boolean;
}

export function sendExtFields(extras: SendResponseExtras): Record<string, string> {
  return { MSG_REGION: extras.regionId, TRACE_ON: String(extras.traceOn) };
}

/** A failed send: the code and remark, plus MSG_REGION/TRACE_ON as Java's preSend adds them. */
export function sendErrorResponse(request: RemotingCommand, code: number, remark: string, extras: SendResponseExtras): RemotingCommand {
  return createResponseCommand(request, code, remark, sendExtFields(extras));
}

export interface StoredSend {
  /** The queue written (for a half message: the real queue). */
  readonly queueId: number;
  /** UNIQ_KEY of the message (of the batch, when it has one); omitted when undefined. */
  readonly transactionId: string | undefined;
}

/** The response to a send whose message reached the store (or was refused by it). */
export function putResultResponse(
  request: RemotingCommand,
  put: PutMessageResult,
  stored: StoredSend,
  extras: SendResponseExtras,
  maxMessageSize: number,
): RemotingCommand {
  const outcome = codeOfPutStatus(put, maxMessageSize);
  if (!outcome.isStored || put.result === undefined) return sendErrorResponse(request, outcome.code, outcome.remark, extras);
  const ext = SendMessageResponseHeader.encode({
    msgId: put.result.msgId,
    queueId: stored.queueId,
    queueOffset: put.result.queueOffset,
    ...(stored.transactionId === undefined ? {} : { transactionId: stored.transactionId }),
    MSG_REGION: extras.regionId,
    TRACE_ON: extras.traceOn,
  });
  return createResponseCommand(request, outcome.code, outcome.code === ResponseCode.SUCCESS ? undefined : outcome.remark, ext);
}

interface PutOutcome {
  readonly code: number;
  readonly remark: string;
  readonly isStored: boolean;
}

/** The response code for a put status, with a remark in our words. */
export function codeOfPutStatus(put: PutMessageResult, maxMessageSize: number): PutOutcome {
  const why = put.remark === undefined ? '' : `: ${put.remark}`;
  switch (put.status) {
    case PutMessageStatus.PUT_OK:
      return { code: ResponseCode.SUCCESS, remark: '', isStored: true };
    case PutMessageStatus.FLUSH_DISK_TIMEOUT:
      return { code: ResponseCode.FLUSH_DISK_TIMEOUT, remark: `stored, but not flushed to disk in time${why}`, isStored: true };
    case PutMessageStatus.FLUSH_SLAVE_TIMEOUT:
      return { code: ResponseCode.FLUSH_SLAVE_TIMEOUT, remark: `stored, but the slave did not confirm in time${why}`, isStored: true };
    case PutMessageStatus.SLAVE_NOT_AVAILABLE:
      return { code: ResponseCode.SLAVE_NOT_AVAILABLE, remark: `stored, but no slave is available${why}`, isStored: true };
    case PutMessageStatus.MESSAGE_ILLEGAL:
    case PutMessageStatus.PROPERTIES_SIZE_EXCEEDED:
      return {
        code: ResponseCode.MESSAGE_ILLEGAL,
        remark: `message refused: body must be at most ${maxMessageSize} bytes and properties at most 32767 bytes${why}`,
        isStored: false,
      };
    case PutMessageStatus.WHEEL_TIMER_MSG_ILLEGAL:
      return { code: ResponseCode.MESSAGE_ILLEGAL, remark: `timer message refused${why}`, isStored: false };
    case PutMessageStatus.SERVICE_NOT_AVAILABLE:
      return { code: ResponseCode.SERVICE_NOT_AVAILABLE, remark: `the store does not accept messages now (disk full, slave, or shutting down)${why}`, isStored: false };
    case PutMessageStatus.OS_PAGE_CACHE_BUSY:
      // Java clients match the prefix to decide on a retry.
      return { code: ResponseCode.SYSTEM_BUSY, remark: `[PC_SYNCHRONIZED]broker busy, start flow control for a while${why}`, isStored: false };
    case PutMessageStatus.CREATE_MAPPED_FILE_FAILED:
      return { code: ResponseCode.SYSTEM_ERROR, remark: `could not create a commit-log file${why}`, isStored: false };
    case PutMessageStatus.IN_SYNC_REPLICAS_NOT_ENOUGH:
      return { code: ResponseCode.SYSTEM_ERROR, remark: `not enough in-sync replicas${why}`, isStored: false };
    default:
      return { code: ResponseCode.SYSTEM_ERROR, remark: `message not stored: ${put.status}${why}`, isStored: false };
  }
}
