// Broker admin, questions only a consumer client can answer; the broker relays them over the
// client's connection (RocketMQ's AdminBrokerProcessor.callConsumer and Broker2Client):
//   GET_CONSUMER_RUNNING_INFO (307)             relayed to the client; its answer comes back unchanged
//   CONSUME_MESSAGE_DIRECTLY (309)              the message (by offset msg id) is attached, then relayed
//   INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223)  GET_CONSUMER_STATUS_FROM_CLIENT (221) to each client of
//                                               the group (or the one named), answers GetConsumerStatusBody
// Relay failures: client not connected or too old → 1, timeout → 207 CONSUME_MSG_TIMEOUT, other → 1.

import { type Logger, type MessageQueue, decodeOffsetMessageId } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, ConsumeMessageDirectlyResultRequestHeader, GetConsumerRunningInfoRequestHeader,
  GetConsumerStatusRequestHeader, RemotingTimeoutError, RequestCode, ResponseCode, createResponseCommand, decodeRequestHeader, errorResponse,
  isReason, messageQueueOf, parseBodyObject, successResponse, toFastjsonBuffer,
} from '@apogee/remoting';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { CONSUMER_STATUS_CLIENTS_MAX } from '../admin/admin-limits.js';
import type { AdminStore } from '../admin/admin-store.js';
import { type AdminClientCalls, V3_0_7_SNAPSHOT, V3_1_8_SNAPSHOT } from '../admin/client-calls.js';

export interface AdminConsumerDeps {
  readonly brokerName: () => string;
  readonly consumers: ConsumerManager;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly store: AdminStore;
  readonly clientCalls: AdminClientCalls;
  readonly log: Logger;
}

export const ADMIN_CONSUMER_CODES: readonly number[] = [
  RequestCode.GET_CONSUMER_RUNNING_INFO, RequestCode.CONSUME_MESSAGE_DIRECTLY, RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS,
];

export class AdminConsumerProcessor implements RequestProcessor {
  constructor(private readonly deps: AdminConsumerDeps) {}

  process(_ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_RUNNING_INFO: return this.getConsumerRunningInfo(request);
      case RequestCode.CONSUME_MESSAGE_DIRECTLY: return this.consumeMessageDirectly(request);
      case RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS: return this.getConsumerStatus(request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `admin consumer processor does not handle request code ${request.code}`);
    }
  }

  private getConsumerRunningInfo(request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    const decoded = decodeRequestHeader(GetConsumerRunningInfoRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    return this.callConsumer(RequestCode.GET_CONSUMER_RUNNING_INFO, request, decoded.header.consumerGroup, decoded.header.clientId);
  }

  private async consumeMessageDirectly(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(ConsumeMessageDirectlyResultRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const h = decoded.header;
    const ext: Record<string, string> = { ...(request.extFields ?? {}), brokerName: this.deps.brokerName() };
    const topicConfig = h.topic === undefined ? undefined : this.deps.topics.selectTopicConfig(h.topic);
    if (topicConfig !== undefined) ext['topicSysFlag'] = String(topicConfig.topicSysFlag);
    const groupConfig = this.deps.groups.selectSubscriptionGroupConfig(h.consumerGroup);
    if (groupConfig !== undefined) ext['groupSysFlag'] = String(groupConfig.groupSysFlag);
    const id = h.msgId === undefined ? undefined : decodeOffsetMessageId(h.msgId);
    const record = id?.ok === true ? await this.deps.store.selectOneMessageByOffset(id.commitLogOffset) : undefined;
    const relayed: RemotingCommand = { ...request, extFields: ext };
    if (record !== undefined) relayed.body = record;
    return this.callConsumer(RequestCode.CONSUME_MESSAGE_DIRECTLY, relayed, h.consumerGroup, h.clientId ?? '');
  }

  private async callConsumer(code: number, request: RemotingCommand, group: string, clientId: string): Promise<RemotingCommand> {
    const client = this.deps.consumers.findChannel(group, clientId);
    if (client === undefined || !client.channel.isActive) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `The Consumer <${group}> <${clientId}> not online`);
    if (client.version < V3_1_8_SNAPSHOT) {
      return errorResponse(request, ResponseCode.SYSTEM_ERROR, `The Consumer <${clientId}> Version <${client.version}> too low to finish, please upgrade it to V3_1_8_SNAPSHOT`);
    }
    try {
      const answer = await this.deps.clientCalls.callClient(client.channel, code, request);
      return createResponseCommand(request, answer.code, answer.remark, answer.extFields, answer.body);
    } catch (err) {
      if (err instanceof RemotingTimeoutError) {
        return errorResponse(request, ResponseCode.CONSUME_MSG_TIMEOUT, `consumer <${group}> <${clientId}> Timeout: ${err.message}`);
      }
      return errorResponse(request, ResponseCode.SYSTEM_ERROR, `invoke consumer <${group}> <${clientId}> Exception: ${(err as Error).message}`);
    }
  }

  private async getConsumerStatus(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(GetConsumerStatusRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic, group, clientAddr } = decoded.header;
    const clients = (this.deps.consumers.getConsumerGroupInfo(group)?.allChannels() ?? []).slice(0, CONSUMER_STATUS_CLIENTS_MAX);
    if (clients.length === 0) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `No Any Consumer online in the consumer group: [${group}]`);
    const tooOld = clients.find((c) => c.version < V3_0_7_SNAPSHOT);
    if (tooOld !== undefined) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `the client does not support this feature. version=${tooOld.version}`);
    const asked = clientAddr === undefined || clientAddr === '' ? clients : clients.filter((c) => c.clientId === clientAddr);
    const consumerTable = new Map<string, Map<MessageQueue, number>>();
    const answers = await Promise.all(asked.map(async (c) => [c, await this.deps.clientCalls.consumerStatus(c.channel, topic, group)] as const));
    for (const [client, answer] of answers) {
      const table = answer instanceof Error ? undefined : this.statusTable(client, answer);
      if (table !== undefined) consumerTable.set(client.clientId, table);
    }
    return successResponse(request, toFastjsonBuffer({ consumerTable, messageQueueTable: new Map() }));
  }

  /** The messageQueueTable of a client's GetConsumerStatusBody, or undefined when it is unusable. */
  private statusTable(client: ClientChannelInfo, answer: RemotingCommand): Map<MessageQueue, number> | undefined {
    if (answer.code !== ResponseCode.SUCCESS || answer.body === undefined) return undefined;
    const parsed = parseBodyObject(answer.body, 'GetConsumerStatusBody');
    const raw = parsed.ok ? parsed.value['messageQueueTable'] : undefined;
    if (typeof raw !== 'object' || raw === null) {
      this.deps.log.warn({ clientId: client.clientId, reason: parsed.ok ? 'no messageQueueTable' : parsed.reason }, 'consumer status answer not usable');
      return undefined;
    }
    const table = new Map<MessageQueue, number>();
    for (const [keyText, offset] of Object.entries(raw as Record<string, unknown>)) {
      const mq = parseQueueKey(keyText);
      if (mq !== undefined && typeof offset === 'number') table.set(mq, offset);
    }
    return table;
  }
}

/** A MessageQueue map key as the lenient parser hands it over: the key object's JSON text. */
function parseQueueKey(text: string): MessageQueue | undefined {
  try {
    const mq = messageQueueOf(JSON.parse(text), 'messageQueueTable key');
    return isReason(mq) ? undefined : mq;
  } catch {
    return undefined;
  }
}
