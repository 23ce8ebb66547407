// Requests brokers send to the client over its connections (ClientRemotingProcessor, reference
// §3.3.4, §3.3.4b, §3.2.4):
//   NOTIFY_CONSUMER_IDS_CHANGED (40, oneway)   -> rebalance now
//   CHECK_TRANSACTION_STATE (39, oneway)       -> the producer group's transaction checker
//   RESET_CONSUMER_CLIENT_OFFSET (220, oneway) -> the consumer moves those queues
//   GET_CONSUMER_STATUS_FROM_CLIENT (221)      -> {"messageQueueTable":{mq:offset}}
// Codes not listed get REQUEST_CODE_NOT_SUPPORTED from the transport.

import { MessageConst, decodeMessageRecords, type MessageQueue } from '@apogee/common';
import {
  CheckTransactionStateRequestHeader, ConsumeMessageDirectlyResultRequestHeader, GetConsumerRunningInfoRequestHeader, GetConsumerStatusRequestHeader, NotifyConsumerIdsChangedRequestHeader, RequestCode,
  ResetOffsetRequestHeader, ResponseCode, type RemotingCommand, type RequestContext, type RequestProcessor,
  asObject, createResponseCommand, decodeRequestHeader, isReason, messageQueueOf, parseBodyObject, subscriptionDataJson, successResponse,
  toFastjsonBuffer,
} from '@apogee/remoting';
import { copyMessageQueue, mqKey } from '../message-queue.js';
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
  remoting.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, processor((_ctx, request) => consumerRunningInfo(instance, request)));
  remoting.registerProcessor(RequestCode.CONSUME_MESSAGE_DIRECTLY, processor((_ctx, request) => consumeMessageDirectly(instance, request)));
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

/** ConsumerRunningInfo JSON as Java writes it (MessageQueue object keys in mqTable). */
async function consumerRunningInfo(instance: MQClientInstance, request: RemotingCommand): Promise<RemotingCommand> {
  const header = decodeRequestHeader(GetConsumerRunningInfoRequestHeader, request);
  if (!header.ok) return header.response;
  const consumer = instance.consumer(header.header.consumerGroup);
  if (consumer?.runningInfo === undefined) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, `The Consumer Group <${header.header.consumerGroup}> not exist in this consumer`);
  }
  const info = await consumer.runningInfo();
  const properties = {
    ...info.properties,
    PROP_NAMESERVER_ADDR: instance.remoting.namesrvAddrList.join(';'),
    PROP_CONSUME_TYPE: consumer.consumerData().consumeType,
    PROP_CLIENT_VERSION: 'V5_3_3',
  };
  const mqTable = new Map(info.mqTable.map(([mq, pq]) => [copyMessageQueue(mq), { ...pq, transactionMsgCount: 0, transactionMsgMaxOffset: 0, transactionMsgMinOffset: 0, tryUnlockTimes: 0, lastConsumeTimestamp: 0 }]));
  const statusTable: Record<string, unknown> = {};
  for (const sub of info.subscriptionSet) statusTable[sub.topic] = { consumeFailedMsgs: 0, consumeFailedTPS: 0, consumeOKTPS: 0, consumeRT: 0, pullRT: 0, pullTPS: 0 };
  const body = toFastjsonBuffer({ mqTable, properties, statusTable, subscriptionSet: info.subscriptionSet.map(subscriptionDataJson), userConsumerInfo: {} });
  return successResponse(request, body);
}

async function consumeMessageDirectly(instance: MQClientInstance, request: RemotingCommand): Promise<RemotingCommand> {
  const header = decodeRequestHeader(ConsumeMessageDirectlyResultRequestHeader, request);
  if (!header.ok) return header.response;
  const consumer = instance.consumer(header.header.consumerGroup);
  if (consumer?.consumeMessageDirectly === undefined) {
    return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, `The Consumer Group <${header.header.consumerGroup}> not exist in this consumer`);
  }
  const [msg] = decodeMessageRecords(request.body ?? Buffer.alloc(0), { decompressBody: true, copyBody: true }).messages;
  if (msg === undefined) return createResponseCommand(request, ResponseCode.SYSTEM_ERROR, 'no message in the request body');
  const result = await consumer.consumeMessageDirectly(msg, header.header.brokerName);
  return successResponse(request, toFastjsonBuffer(result));
}
