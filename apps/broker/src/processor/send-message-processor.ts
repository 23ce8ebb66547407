// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310), SEND_BATCH_MESSAGE (320): RocketMQ's
// SendMessageProcessor (reference §3.2.1). Per request:
//   decode the header (V1 names or V2 letters; a bad header -> 1 SYSTEM_ERROR)
//   -> checkSendTarget: broker perm 16, topic name 29, internal topic 16, auto-create or 17,
//      topic perm 16, queueId range 29
//   -> queueId < 0: a random writable queue
//   -> single: %RETRY% -> DLQ redirect, UNIQ_KEY, CLUSTER, half-message hand-off (TRAN_MSG)
//      batch: not for %RETRY% topics (13), each record its own message
//   -> store (a DELAY level is turned into SCHEDULE_TOPIC_XXXX by the delay put hook)
//   -> the response: put status -> code, msgId/queueId/queueOffset/transactionId, MSG_REGION, TRACE_ON.
// Bad input is refused before anything is written.

import { MessageConst, RECORD_V1_TOPIC_BYTES_MAX, isRetryTopic, type Logger } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, RequestCode, ResponseCode, SendMessageRequestHeader,
  type TopicConfig, decodeSendMessageRequestHeader, errorResponse,
} from '@apogee/remoting';
import type { MessageInner } from '@apogee/store';
import type { StoreHostCache } from '../send/host-addresses.js';
import { socketAddressOf } from '../send/host-addresses.js';
import { type SendEnvelope, buildBatchMessageInners, buildMessageInner, sendProperties, storedSysFlag } from '../send/message-inner-factory.js';
import type { MessageWriter } from '../send/message-writer.js';
import { type SendResponseExtras, putResultResponse, sendErrorResponse } from '../send/put-result-response.js';
import { type OrderlyLocks, type RetryGroupConfigs, redirectRetrySend } from '../send/retry-dlq-redirect.js';
import { type SendTopicConfigs, checkSendTarget, randomQueueId } from '../send/send-message-check.js';
import { type TransactionalMessageService, isTransactionPrepareMessage } from '../send/transaction-hook.js';

/** The broker settings a send reads (BrokerConfig keys, read per request so updates apply). */
export interface SendBrokerSettings {
  readonly brokerPermission: number;
  readonly brokerIP1: string;
  readonly brokerClusterName: string;
  readonly regionId: string;
  readonly traceOn: boolean;
  readonly rejectTransactionMessage: boolean;
}

export interface SendMessageDeps {
  readonly settings: () => SendBrokerSettings;
  /** maxMessageSize of the store, named in MESSAGE_ILLEGAL remarks */
  readonly maxMessageSize: number;
  /** true on a slave: sends are answered SYSTEM_BUSY without being processed */
  readonly isSlave: () => boolean;
  readonly topics: SendTopicConfigs;
  readonly groups: RetryGroupConfigs;
  readonly locks: OrderlyLocks;
  readonly store: MessageWriter;
  readonly storeHost: StoreHostCache;
  /** the half-message service, when one is installed */
  readonly transactions: () => TransactionalMessageService | undefined;
  readonly log: Logger;
}

type SendHeader = SendMessageRequestHeader;

export class SendMessageProcessor implements RequestProcessor {
  constructor(private readonly deps: SendMessageDeps) {}

  rejectRequest(): boolean {
    return this.deps.isSlave();
  }

  async process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code !== RequestCode.SEND_MESSAGE && request.code !== RequestCode.SEND_MESSAGE_V2 && request.code !== RequestCode.SEND_BATCH_MESSAGE) {
      return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `send processor does not handle request code ${request.code}`);
    }
    const decoded = decodeSendMessageRequestHeader(request);
    if (!decoded.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `send header: ${decoded.reason}`);
    const header = decoded.value;
    const settings = this.deps.settings();
    const extras: SendResponseExtras = { regionId: settings.regionId, traceOn: settings.traceOn };
    const check = checkSendTarget(
      { topic: header.topic, defaultTopic: header.defaultTopic, defaultTopicQueueNums: header.defaultTopicQueueNums, queueId: header.queueId, isUnitMode: header.unitMode === true },
      { brokerPermission: settings.brokerPermission, brokerIP: settings.brokerIP1, topics: this.deps.topics, remoteAddress: ctx.channel.remoteAddress },
    );
    if (!check.ok) return sendErrorResponse(request, check.code, check.remark, extras);
    const queueId = header.queueId < 0 ? randomQueueId(check.topicConfig.writeQueueNums) : header.queueId;
    const envelope: SendEnvelope = {
      topic: header.topic,
      queueId,
      sysFlag: storedSysFlag(header.sysFlag, check.topicConfig.topicFilterType),
      bornTimestamp: header.bornTimestamp,
      bornHost: socketAddressOf(ctx.channel.remoteAddress),
      storeHost: this.deps.storeHost.get(),
      reconsumeTimes: header.reconsumeTimes ?? 0,
      clusterName: settings.brokerClusterName,
      regionId: settings.regionId,
      traceOn: settings.traceOn,
    };
    const body = request.body ?? Buffer.alloc(0);
    return header.batch === true
      ? this.sendBatch(request, header, envelope, body, extras)
      : this.sendOne(request, header, envelope, check.topicConfig, body, extras, settings);
  }

  private async sendOne(
    request: RemotingCommand,
    header: SendHeader,
    envelope: SendEnvelope,
    topicConfig: Readonly<TopicConfig>,
    body: Buffer,
    extras: SendResponseExtras,
    settings: SendBrokerSettings,
  ): Promise<RemotingCommand> {
    const properties = sendProperties(header.properties);
    const redirect = redirectRetrySend(
      { topic: envelope.topic, queueId: envelope.queueId, topicConfig, reconsumeTimes: envelope.reconsumeTimes, maxReconsumeTimes: header.maxReconsumeTimes, clientVersion: request.version },
      properties,
      { groups: this.deps.groups, locks: this.deps.locks, topics: this.deps.topics },
    );
    if (!redirect.ok) return sendErrorResponse(request, redirect.code, redirect.remark, extras);
    const target: SendEnvelope = redirect.isDLQ
      ? { ...envelope, topic: redirect.topic, queueId: redirect.queueId, sysFlag: storedSysFlag(header.sysFlag, redirect.topicConfig.topicFilterType) }
      : envelope;
    if (redirect.isDLQ) this.deps.log.info({ topic: envelope.topic, dlq: redirect.topic, reconsumeTimes: envelope.reconsumeTimes }, 'retry message sent to the dead-letter queue');
    const msg = buildMessageInner(target, header.flag, body, properties);
    const uniqKey = msg.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
    // As in RocketMQ the response names the queue the producer chose, also after a DLQ redirect.
    const stored = { queueId: envelope.queueId, transactionId: uniqKey };
    if (isTransactionPrepareMessage(msg.properties, msg.reconsumeTimes)) {
      const service = this.deps.transactions();
      if (settings.rejectTransactionMessage || service === undefined) {
        const why = settings.rejectTransactionMessage ? 'rejectTransactionMessage is set' : 'no transaction service is installed';
        return sendErrorResponse(request, ResponseCode.NO_PERMISSION, `broker ${settings.brokerIP1} does not accept transactional messages: ${why}`, extras);
      }
      return putResultResponse(request, await service.prepareMessage(msg), stored, extras, this.deps.maxMessageSize);
    }
    return putResultResponse(request, await this.deps.store.putMessage(msg), stored, extras, this.deps.maxMessageSize);
  }

  private async sendBatch(request: RemotingCommand, header: SendHeader, envelope: SendEnvelope, body: Buffer, extras: SendResponseExtras): Promise<RemotingCommand> {
    if (Buffer.byteLength(envelope.topic) > RECORD_V1_TOPIC_BYTES_MAX) {
      return sendErrorResponse(request, ResponseCode.MESSAGE_ILLEGAL, `batch topic ${envelope.topic} is longer than ${RECORD_V1_TOPIC_BYTES_MAX} bytes`, extras);
    }
    if (isRetryTopic(envelope.topic)) {
      return sendErrorResponse(request, ResponseCode.MESSAGE_ILLEGAL, `batches cannot be sent to the retry topic ${envelope.topic}`, extras);
    }
    if (body.length > this.deps.maxMessageSize) {
      return sendErrorResponse(request, ResponseCode.MESSAGE_ILLEGAL, `batch body of ${body.length} bytes is over maxMessageSize ${this.deps.maxMessageSize}`, extras);
    }
    const batchProperties = sendProperties(header.properties);
    const built = buildBatchMessageInners(envelope, body, batchProperties);
    if (!built.ok) return sendErrorResponse(request, ResponseCode.MESSAGE_ILLEGAL, built.reason, extras);
    const put = await this.deps.store.putMessages(built.messages);
    const transactionId = batchProperties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? joinedUniqKeys(built.messages);
    return putResultResponse(request, put, { queueId: envelope.queueId, transactionId }, extras, this.deps.maxMessageSize);
  }
}

/** A batch without its own UNIQ_KEY: its messages' keys, comma-joined, as the client joins them. */
function joinedUniqKeys(messages: readonly MessageInner[]): string {
  return messages.map((m) => m.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) ?? '').join(',');
}
