// LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42): orderly consumers' queue locks (reference §3.3.8).
// Bodies: LockBatchRequestBody {"clientId","consumerGroup","mqSet":[...],"onlyThisBroker"};
// the lock answer is {"lockOKMQSet":[...]} = the requested queues now held by that client.
// Locks are this broker's only (Apogee has no acting-master replicas to forward to).

import {
  type RemotingCommand, type RequestContext, type RequestProcessor, RequestCode, ResponseCode,
  decodeLockBatchRequestBody, decodeUnlockBatchRequestBody, encodeLockBatchResponseBody, errorResponse, successResponse,
} from '@apogee/remoting';
import type { RebalanceLockManager } from '../client/rebalance-lock-manager.js';
import { QUEUES_PER_LOCK_REQUEST_MAX } from '../limits.js';

export class LockProcessor implements RequestProcessor {
  constructor(private readonly locks: RebalanceLockManager) {}

  process(_ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.LOCK_BATCH_MQ:
        return this.lockBatch(request);
      case RequestCode.UNLOCK_BATCH_MQ:
        return this.unlockBatch(request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `lock processor does not handle request code ${request.code}`);
    }
  }

  private lockBatch(request: RemotingCommand): RemotingCommand {
    const decoded = decodeLockBatchRequestBody(request.body);
    if (!decoded.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, decoded.reason);
    const body = decoded.value;
    if (body.mqSet.length > QUEUES_PER_LOCK_REQUEST_MAX) {
      return errorResponse(request, ResponseCode.INVALID_PARAMETER, `lock request of ${body.consumerGroup} names ${body.mqSet.length} queues, more than the limit of ${QUEUES_PER_LOCK_REQUEST_MAX}`);
    }
    const lockOKMQSet = this.locks.tryLockBatch(body.consumerGroup, dedupe(body.mqSet), body.clientId);
    return successResponse(request, encodeLockBatchResponseBody({ lockOKMQSet }));
  }

  private unlockBatch(request: RemotingCommand): RemotingCommand {
    const decoded = decodeUnlockBatchRequestBody(request.body);
    if (!decoded.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, decoded.reason);
    const body = decoded.value;
    if (body.mqSet.length > QUEUES_PER_LOCK_REQUEST_MAX) {
      return errorResponse(request, ResponseCode.INVALID_PARAMETER, `unlock request of ${body.consumerGroup} names ${body.mqSet.length} queues, more than the limit of ${QUEUES_PER_LOCK_REQUEST_MAX}`);
    }
    this.locks.unlockBatch(body.consumerGroup, body.mqSet, body.clientId);
    return successResponse(request);
  }
}

/** mqSet is a Java Set: a queue listed twice is one queue. */
function dedupe<T extends { topic: string; brokerName: string; queueId: number }>(mqs: readonly T[]): T[] {
  const seen = new Set<string>();
  return mqs.filter((mq) => {
    const key = `${mq.topic}\u0000${mq.brokerName}\u0000${mq.queueId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
