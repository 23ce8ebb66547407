// Requests brokers send to the client over its connections (ClientRemotingProcessor, reference
// §3.3.4, §3.3.4b, §3.2.4):
//   NOTIFY_CONSUMER_IDS_CHANGED (40, oneway)   -> rebalance now
//   CHECK_TRANSACTION_STATE (39, oneway)       -> the producer group's transaction checker
//   RESET_CONSUMER_CLIENT_OFFSET (220, oneway) -> the consumer moves those queues
//   GET_CONSUMER_STATUS_FROM_CLIENT (221)      -> {"messageQueueTable":{mq:offset}}
// Codes not listed get REQUEST_CODE_NOT_SUPPORTED from the transport.

import { MessageConst, decodeMessageRecords, type MessageQueue } from '@apogee/common';
import {
  CheckTransactionStateRequestHeader, GetConsumerStatusRequestHeader, NotifyConsumerIdsChangedRequestHeader, RequestCode,
  ResetOffsetRequestHeader, ResponseCode, type RemotingCommand, type RequestContext, type RequestProcessor,
  asObject, createResponseCommand, decodeRequestHeader, isReason, messageQueueOf, parseBodyObject, successResponse, toFastjsonBuffer,
} from '@apogee/remoting';
import { mqKey } from '../message-queue.js';
import type { MQClientInstance } from './mq-client-instance.js';

/** Queues one RESET_CONSUMER_CLIENT_OFFSET may name. */
export const RESET_OFFSET_QUEUES_MAX = 65_536;

export function registerClientProcessors(instance: MQClientInstance): void {
  const remoting = instance.remoting;
  remoting.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, processor((_ctx, request) => {
    const header = decodeRequestHeader(NotifyConsumerIdsChangedRequestHeader, request);
    instance.log.info({ group: header.ok ? header.header.consumerGroup : undefined }, 'consumer ids changed; rebalancing');
    instance.rebalanceImmediately();
    return null;
  }));
  remoting.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, processor((ctx, request) => checkTransactionState(instance, ctx, request)));
  remoting.registerProcessor(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, processor((_ctx, request) => resetOffset(instance, request)));
  remoting.registerProcessor(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, processor((_ctx, request) => consumerStatus(instance, request)));
}

function processor(fn: (ctx: RequestContext, request: RemotingCommand) => Promise<RemotingCommand | null> | RemotingCommand | null): RequestProcessor {
  return { process: fn };
}

function checkTransactionState(instance: MQClientInstance, ctx: RequestContext, request: RemotingCommand): null {
  const header = decodeRequestHeader(CheckTransactionStateRequestHeader, request);
  if (!header.ok || request.body === undefined) return null;
  const [msg] = decodeMessageRecords(request.body, { decompressBody: true, copyBody: true }).messages;
  if (msg === undefined) return null;
  const group = msg.getProperty(MessageConst.PROPERTY_PRODUCER_GROUP);
  const producer = group === undefined ? undefined : instance.producer(group);
  if (producer?.checkTransactionState === undefined) {
    instance.log.warn({ group }, 'CHECK_TRANSACTION_STATE for a group without a transaction checker here');
    return null;
  }
  const uniqKey = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
  if (uniqKey !== undefined) msg.msgId = uniqKey;
  producer.checkTransactionState(ctx.channel.remoteAddress, msg, header.header);
  return null;
}

async function resetOffset(instance: MQClientInstance, request: RemotingCommand): Promise<null> {
  const header = decodeRequestHeader(ResetOffsetRequestHeader, request);
  if (!header.ok) return null;
  const consumer = instance.consumer(header.header.group);
  if (consumer?.resetOffset === undefined) return null;
  const body = parseBodyObject(request.body, 'ResetOffsetBody');
  if (!body.ok) return null;
  const table = asObject(body.value['offsetTable'] ?? {}, 'ResetOffsetBody.offsetTable');
  if (typeof table === 'string') return null;
  const offsets = new Map<string, { mq: MessageQueue; offset: number }>();
  for (const [key, value] of Object.entries(table)) {
    if (offsets.size >= RESET_OFFSET_QUEUES_MAX) break;
    let mq: ReturnType<typeof messageQueueOf>;
    try {
      mq = messageQueueOf(JSON.parse(key), 'ResetOffsetBody key');
    } catch {
      continue;
    }
    const offset = typeof value === 'number' ? value : Number(value);
    if (isReason(mq) || !Number.isSafeInteger(offset)) continue;
    offsets.set(mqKey(mq), { mq, offset });
  }
  await consumer.resetOffset(header.header.topic, offsets);
  return null;
}

async function consumerStatus(instance: MQClientInstance, request: RemotingCommand): Promise<RemotingCommand> {
  const header = decodeRequestHeader(GetConsumerStatusRequestHeader, request);
  if (!header.ok) return header.response;
  const consumer = instance.consumer(header.header.group);
  if (consumer?.consumeOffsets === undefined) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, `no consumer of group ${header.header.group} in client ${instance.clientId}`);
  }
  const entries = await consumer.consumeOffsets(header.header.topic);
  const messageQueueTable = new Map<MessageQueue, number>(entries.map((e) => [{ brokerName: e.mq.brokerName, queueId: e.mq.queueId, topic: e.mq.topic }, e.offset]));
  return successResponse(request, toFastjsonBuffer({ consumerTable: {}, messageQueueTable }));
}
