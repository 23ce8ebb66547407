// Client <-> broker requests about groups, offsets and locks (reference §3.3): HEART_BEAT (34),
// UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38), QUERY_CONSUMER_OFFSET (14),
// UPDATE_CONSUMER_OFFSET (15), GET_MAX_OFFSET (30), GET_MIN_OFFSET (31),
// SEARCH_OFFSET_BY_TIMESTAMP (29), GET_EARLIEST_MSG_STORETIME (32), CONSUMER_SEND_MSG_BACK (36),
// LOCK_BATCH_MQ (41), UNLOCK_BATCH_MQ (42).

import type { MessageQueue } from '@apogee/common';
import {
  ConsumerSendMsgBackRequestHeader, GetConsumerListByGroupRequestHeader, GetEarliestMsgStoretimeRequestHeader,
  GetEarliestMsgStoretimeResponseHeader, GetMaxOffsetRequestHeader, GetMaxOffsetResponseHeader, GetMinOffsetRequestHeader,
  GetMinOffsetResponseHeader, HeartbeatRequestHeader, LockBatchMqRequestHeader, QueryConsumerOffsetRequestHeader,
  QueryConsumerOffsetResponseHeader, RequestCode, ResponseCode, SearchOffsetRequestHeader, SearchOffsetResponseHeader,
  UnlockBatchMqRequestHeader, UnregisterClientRequestHeader, UpdateConsumerOffsetRequestHeader, arrayMember,
  decodeLockBatchResponseBody, encodeHeartbeatData, encodeLockBatchRequestBody, isReason, parseBodyObject, type HeartbeatData,
  type RemotingCommand,
} from '@apogee/remoting';
import { MalformedResponseError } from '../errors.js';
import { ClientRemoting, readHeader } from './client-remoting.js';

const OFFSET_FOUND_OR_NOT: ReadonlySet<number> = new Set([ResponseCode.SUCCESS, ResponseCode.QUERY_NOT_FOUND]);

/** HEART_BEAT; resolves with the response (its `version` is the broker's version). */
export function sendHeartbeat(remoting: ClientRemoting, addr: string, data: HeartbeatData, timeoutMs?: number): Promise<RemotingCommand> {
  const request = ClientRemoting.request(RequestCode.HEART_BEAT, HeartbeatRequestHeader, {}, encodeHeartbeatData(data));
  return remoting.invokeExpect(addr, request, timeoutMs);
}

export async function unregisterClient(remoting: ClientRemoting, addr: string, clientID: string, groups: { producerGroup?: string; consumerGroup?: string }, timeoutMs?: number): Promise<void> {
  const request = ClientRemoting.request(RequestCode.UNREGISTER_CLIENT, UnregisterClientRequestHeader, { clientID, ...groups });
  await remoting.invokeExpect(addr, request, timeoutMs);
}

/** Client ids of the group's live consumers, as the broker lists them (sorted by the caller). */
export async function getConsumerIdListByGroup(remoting: ClientRemoting, addr: string, consumerGroup: string, timeoutMs?: number): Promise<string[]> {
  const request = ClientRemoting.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP, GetConsumerListByGroupRequestHeader, { consumerGroup });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  const body = parseBodyObject(response.body, 'GetConsumerListByGroupResponseBody');
  if (!body.ok) throw new MalformedResponseError(addr, RequestCode.GET_CONSUMER_LIST_BY_GROUP, body.reason);
  const list = arrayMember(body.value, 'consumerIdList', 'GetConsumerListByGroupResponseBody');
  if (isReason(list)) throw new MalformedResponseError(addr, RequestCode.GET_CONSUMER_LIST_BY_GROUP, list.reason);
  return list.filter((id): id is string => typeof id === 'string');
}

/** The committed offset, or -1 when the broker has none (QUERY_NOT_FOUND). */
export async function queryConsumerOffset(remoting: ClientRemoting, addr: string, consumerGroup: string, mq: MessageQueue, timeoutMs?: number): Promise<number> {
  const request = ClientRemoting.request(RequestCode.QUERY_CONSUMER_OFFSET, QueryConsumerOffsetRequestHeader, {
    consumerGroup, topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName,
  });
  const response = await remoting.invokeExpect(addr, request, timeoutMs, OFFSET_FOUND_OR_NOT);
  if (response.code === ResponseCode.QUERY_NOT_FOUND) return -1;
  return readHeader(QueryConsumerOffsetResponseHeader, response, addr, RequestCode.QUERY_CONSUMER_OFFSET).offset;
}

function updateOffsetRequest(consumerGroup: string, mq: MessageQueue, commitOffset: number): RemotingCommand {
  return ClientRemoting.request(RequestCode.UPDATE_CONSUMER_OFFSET, UpdateConsumerOffsetRequestHeader, {
    consumerGroup, topic: mq.topic, queueId: mq.queueId, commitOffset, bname: mq.brokerName,
  });
}

export async function updateConsumerOffset(remoting: ClientRemoting, addr: string, consumerGroup: string, mq: MessageQueue, commitOffset: number, timeoutMs?: number): Promise<void> {
  await remoting.invokeExpect(addr, updateOffsetRequest(consumerGroup, mq, commitOffset), timeoutMs);
}

export function updateConsumerOffsetOneway(remoting: ClientRemoting, addr: string, consumerGroup: string, mq: MessageQueue, commitOffset: number, timeoutMs?: number): Promise<void> {
  return remoting.invokeOneway(addr, updateOffsetRequest(consumerGroup, mq, commitOffset), timeoutMs);
}

/** The next offset to be written in the queue (0 when empty). */
export async function getMaxOffset(remoting: ClientRemoting, addr: string, mq: MessageQueue, timeoutMs?: number): Promise<number> {
  const request = ClientRemoting.request(RequestCode.GET_MAX_OFFSET, GetMaxOffsetRequestHeader, { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return readHeader(GetMaxOffsetResponseHeader, response, addr, RequestCode.GET_MAX_OFFSET).offset;
}

export async function getMinOffset(remoting: ClientRemoting, addr: string, mq: MessageQueue, timeoutMs?: number): Promise<number> {
  const request = ClientRemoting.request(RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader, { topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return readHeader(GetMinOffsetResponseHeader, response, addr, RequestCode.GET_MIN_OFFSET).offset;
}

/** The offset of the first message stored at or after `timestampMs` (LOWER boundary). */
export async function searchOffset(remoting: ClientRemoting, addr: string, mq: MessageQueue, timestampMs: number, timeoutMs?: number): Promise<number> {
  const request = ClientRemoting.request(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, SearchOffsetRequestHeader, {
    topic: mq.topic, queueId: mq.queueId, timestamp: timestampMs, bname: mq.brokerName,
  });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return readHeader(SearchOffsetResponseHeader, response, addr, RequestCode.SEARCH_OFFSET_BY_TIMESTAMP).offset;
}

/** Store time (ms) of the queue's first message; -1 when the queue is empty or missing. */
export async function getEarliestMsgStoretime(remoting: ClientRemoting, addr: string, mq: MessageQueue, timeoutMs?: number): Promise<number> {
  const request = ClientRemoting.request(RequestCode.GET_EARLIEST_MSG_STORETIME, GetEarliestMsgStoretimeRequestHeader, {
    topic: mq.topic, queueId: mq.queueId, bname: mq.brokerName,
  });
  const response = await remoting.invokeExpect(addr, request, timeoutMs);
  return readHeader(GetEarliestMsgStoretimeResponseHeader, response, addr, RequestCode.GET_EARLIEST_MSG_STORETIME).timestamp;
}

export interface SendBackOptions {
  /** Commit-log offset of the consumed message. */
  readonly commitLogOffset: number;
  readonly group: string;
  /** 0: the broker picks 3 + reconsumeTimes; -1: straight to the DLQ. */
  readonly delayLevel: number;
  readonly originMsgId: string;
  readonly originTopic: string;
  readonly maxReconsumeTimes: number;
  readonly brokerName: string;
}

export async function consumerSendMessageBack(remoting: ClientRemoting, addr: string, o: SendBackOptions, timeoutMs?: number): Promise<void> {
  const request = ClientRemoting.request(RequestCode.CONSUMER_SEND_MSG_BACK, ConsumerSendMsgBackRequestHeader, {
    offset: o.commitLogOffset, group: o.group, delayLevel: o.delayLevel, originMsgId: o.originMsgId,
    originTopic: o.originTopic, maxReconsumeTimes: o.maxReconsumeTimes, bname: o.brokerName,
  });
  await remoting.invokeExpect(addr, request, timeoutMs);
}

/** LOCK_BATCH_MQ: the subset of `mqs` now locked by `clientId`. */
export async function lockBatchMQ(remoting: ClientRemoting, addr: string, consumerGroup: string, clientId: string, mqs: readonly MessageQueue[], timeoutMs?: number): Promise<MessageQueue[]> {
  const body = encodeLockBatchRequestBody({ clientId, consumerGroup, mqSet: [...mqs], onlyThisBroker: false });
  const response = await remoting.invokeExpect(addr, ClientRemoting.request(RequestCode.LOCK_BATCH_MQ, LockBatchMqRequestHeader, {}, body), timeoutMs);
  const decoded = decodeLockBatchResponseBody(response.body);
  if (!decoded.ok) throw new MalformedResponseError(addr, RequestCode.LOCK_BATCH_MQ, decoded.reason);
  return decoded.value.lockOKMQSet;
}

export async function unlockBatchMQ(remoting: ClientRemoting, addr: string, consumerGroup: string, clientId: string, mqs: readonly MessageQueue[], oneway: boolean, timeoutMs?: number): Promise<void> {
  const body = encodeLockBatchRequestBody({ clientId, consumerGroup, mqSet: [...mqs], onlyThisBroker: false });
  const request = ClientRemoting.request(RequestCode.UNLOCK_BATCH_MQ, UnlockBatchMqRequestHeader, {}, body);
  if (oneway) await remoting.invokeOneway(addr, request, timeoutMs);
  else await remoting.invokeExpect(addr, request, timeoutMs);
}
