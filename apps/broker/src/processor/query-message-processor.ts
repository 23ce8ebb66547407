// QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33): RocketMQ's QueryMessageProcessor (reference
// §3.3.9).
// QUERY_MESSAGE looks `topic#key` up in the index: keys of the KEYS property and UNIQ_KEYs, stored
// within [beginTimestamp, endTimestamp], at most maxNum (a unique-key query, raw ext field
// _UNIQUE_KEY_QUERY=true, uses the store's defaultQueryMaxNum). Found: 0 + the stored records as
// the body; none: 22 QUERY_NOT_FOUND. Both carry indexLastUpdateTimestamp/-Phyoffset.
// VIEW_MESSAGE_BY_ID reads the one record at a commit-log offset (the offset part of an offset
// message id); none there: 1 SYSTEM_ERROR naming the offset.

import { UNIQUE_MSG_QUERY_FLAG } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, QueryMessageRequestHeader, QueryMessageResponseHeader, RequestCode, ResponseCode,
  ViewMessageRequestHeader, createResponseCommand, decodeRequestHeader, errorResponse, successResponse,
} from '@apogee/remoting';
import type { QueryMessageResult } from '@apogee/store';
import { joinRecords } from '../pull/pull-response-body.js';

/** The index and record lookups the processor needs (MessageStore satisfies it). */
export interface MessageQueryStore {
  queryMessage(topic: string, key: string, maxNum: number, beginMs: number, endMs: number): Promise<QueryMessageResult>;
  selectOneMessageByOffset(commitLogOffset: number, size?: number): Promise<Buffer | undefined>;
}

export interface QueryMessageDeps {
  readonly store: MessageQueryStore;
  /** the store's defaultQueryMaxNum (32), used for unique-key queries */
  readonly defaultQueryMaxNum: number;
}

export class QueryMessageProcessor implements RequestProcessor {
  constructor(private readonly deps: QueryMessageDeps) {}

  process(_ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.QUERY_MESSAGE:
        return this.queryMessage(request);
      case RequestCode.VIEW_MESSAGE_BY_ID:
        return this.viewMessageById(request);
      default:
        return Promise.resolve(errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `query processor does not handle request code ${request.code}`));
    }
  }

  private async queryMessage(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(QueryMessageRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic, key, beginTimestamp, endTimestamp } = decoded.header;
    // Java compares the raw ext text with "true", case-sensitively.
    const isUniqueKeyQuery = request.extFields?.[UNIQUE_MSG_QUERY_FLAG] === 'true';
    const maxNum = isUniqueKeyQuery ? this.deps.defaultQueryMaxNum : decoded.header.maxNum;
    const result = await this.deps.store.queryMessage(topic, key, maxNum, beginTimestamp, endTimestamp);
    const ext = QueryMessageResponseHeader.encode({
      indexLastUpdateTimestamp: result.indexLastUpdateTimestamp,
      indexLastUpdatePhyoffset: result.indexLastUpdatePhyoffset,
    });
    const totalBytes = result.buffers.reduce((sum, b) => sum + b.length, 0);
    if (totalBytes === 0) {
      return createResponseCommand(request, ResponseCode.QUERY_NOT_FOUND, `no message of topic ${topic} has key ${key} in the time range ${beginTimestamp}..${endTimestamp}`, ext);
    }
    return successResponse(request, joinRecords(result.buffers, totalBytes), ext);
  }

  private async viewMessageById(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(ViewMessageRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { offset } = decoded.header;
    const record = offset >= 0 ? await this.deps.store.selectOneMessageByOffset(offset) : undefined;
    if (record === undefined) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `no message is stored at commit-log offset ${offset}`);
    return successResponse(request, record);
  }
}
