// Queue offset lookups (reference §3.3.9; RocketMQ answers them in AdminBrokerProcessor):
//   GET_MAX_OFFSET (30)              offset = next offset to be written (0 for an empty queue)
//   GET_MIN_OFFSET (31)              offset = first offset still stored
//   SEARCH_OFFSET_BY_TIMESTAMP (29)  offset of a store time, boundaryType LOWER (default) / UPPER
//                                    (rocketmq-store-ha.md §6.4)
//   GET_EARLIEST_MSG_STORETIME (32)  timestamp = store time of the queue's first message, -1 if none
// Like RocketMQ, none of them checks that the topic exists: an unknown queue reads as empty.

import {
  type RemotingCommand, type RequestContext, type RequestProcessor, GetEarliestMsgStoretimeRequestHeader, GetEarliestMsgStoretimeResponseHeader,
  GetMaxOffsetRequestHeader, GetMaxOffsetResponseHeader, GetMinOffsetRequestHeader, GetMinOffsetResponseHeader, RequestCode, ResponseCode,
  SearchOffsetRequestHeader, SearchOffsetResponseHeader, decodeRequestHeader, errorResponse, successResponse,
} from '@apogee/remoting';
import type { BoundaryType } from '@apogee/store';

/** The queue lookups of the store (MessageStore satisfies it). */
export interface QueueOffsetStore {
  getMaxOffsetInQueue(topic: string, queueId: number): number;
  getMinOffsetInQueue(topic: string, queueId: number): number;
  getOffsetInQueueByTime(topic: string, queueId: number, timestampMs: number, boundary?: BoundaryType): Promise<number>;
  getEarliestMessageTime(topic: string, queueId: number): Promise<number>;
}

export class QueueOffsetProcessor implements RequestProcessor {
  constructor(private readonly store: QueueOffsetStore) {}

  process(_ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_MAX_OFFSET:
        return this.getMaxOffset(request);
      case RequestCode.GET_MIN_OFFSET:
        return this.getMinOffset(request);
      case RequestCode.SEARCH_OFFSET_BY_TIMESTAMP:
        return this.searchOffsetByTimestamp(request);
      case RequestCode.GET_EARLIEST_MSG_STORETIME:
        return this.getEarliestMsgStoretime(request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `queue offset processor does not handle request code ${request.code}`);
    }
  }

  private getMaxOffset(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetMaxOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const offset = this.store.getMaxOffsetInQueue(decoded.header.topic, decoded.header.queueId);
    return successResponse(request, undefined, GetMaxOffsetResponseHeader.encode({ offset }));
  }

  private getMinOffset(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetMinOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const offset = this.store.getMinOffsetInQueue(decoded.header.topic, decoded.header.queueId);
    return successResponse(request, undefined, GetMinOffsetResponseHeader.encode({ offset }));
  }

  private async searchOffsetByTimestamp(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(SearchOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic, queueId, timestamp, boundaryType } = decoded.header;
    const offset = await this.store.getOffsetInQueueByTime(topic, queueId, timestamp, boundaryType ?? 'LOWER');
    return successResponse(request, undefined, SearchOffsetResponseHeader.encode({ offset }));
  }

  private async getEarliestMsgStoretime(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(GetEarliestMsgStoretimeRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const timestamp = await this.store.getEarliestMessageTime(decoded.header.topic, decoded.header.queueId);
    return successResponse(request, undefined, GetEarliestMsgStoretimeResponseHeader.encode({ timestamp }));
  }
}
