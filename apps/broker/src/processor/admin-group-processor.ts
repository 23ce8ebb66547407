// Broker admin, consumer and producer groups (RocketMQ's AdminBrokerProcessor, reference §3.4):
//   UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200)  body SubscriptionGroupConfig; 29 for a bad name
//   DELETE_SUBSCRIPTIONGROUP (207)             cleanOffset [5.x] / removeOffset [4.9] also drops its offsets
//   GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201)     SubscriptionGroupWrapper
//   GET_SUBSCRIPTIONGROUP_CONFIG (352)         SubscriptionGroupConfig; 26 when the group does not exist
//                                              (and may not be auto-created, as RocketMQ's lookup does)
//   GET_CONSUMER_CONNECTION_LIST (203)         ConsumerConnection; 206 CONSUMER_NOT_ONLINE
//   GET_PRODUCER_CONNECTION_LIST (204)         ProducerConnection; 1 when the group has no connection
//   QUERY_SUBSCRIPTION_BY_CONSUMER (345)       {"group","subscriptionData","topic"}

import { type Logger, validateGroup } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, DeleteSubscriptionGroupRequestHeader, GetConsumerConnectionListRequestHeader,
  GetProducerConnectionListRequestHeader, GetSubscriptionGroupConfigRequestHeader, QuerySubscriptionByConsumerRequestHeader, RequestCode,
  ResponseCode, decodeRequestHeader, errorResponse, parseLenientJson, subscriptionDataJson, successResponse, toFastjsonBuffer,
} from '@apogee/remoting';
import { connectionOf } from '../client/client-channel-info.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ProducerManager } from '../client/producer-manager.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import { readSubscriptionGroupConfig } from '../subscription/subscription-group-config.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import {
  consumerConnectionBody, producerConnectionBody, subscriptionGroupJson, subscriptionGroupWrapperBody,
} from '../admin/admin-bodies.js';

export interface AdminGroupDeps {
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  /** forgets a deleted group's traffic counters */
  readonly onGroupDeleted: (group: string) => void;
  readonly log: Logger;
}

export const ADMIN_GROUP_CODES: readonly number[] = [
  RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, RequestCode.DELETE_SUBSCRIPTIONGROUP, RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG,
  RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG, RequestCode.GET_CONSUMER_CONNECTION_LIST, RequestCode.GET_PRODUCER_CONNECTION_LIST,
  RequestCode.QUERY_SUBSCRIPTION_BY_CONSUMER,
];

export class AdminGroupProcessor implements RequestProcessor {
  constructor(private readonly deps: AdminGroupDeps) {}

  process(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP: return this.updateAndCreateSubscriptionGroup(ctx, request);
      case RequestCode.DELETE_SUBSCRIPTIONGROUP: return this.deleteSubscriptionGroup(ctx, request);
      case RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG:
        return successResponse(request, subscriptionGroupWrapperBody(this.deps.groups.dataVersion, this.deps.groups.subscriptionGroupTable));
      case RequestCode.GET_SUBSCRIPTIONGROUP_CONFIG: return this.getSubscriptionGroupConfig(request);
      case RequestCode.GET_CONSUMER_CONNECTION_LIST: return this.getConsumerConnectionList(request);
      case RequestCode.GET_PRODUCER_CONNECTION_LIST: return this.getProducerConnectionList(request);
      case RequestCode.QUERY_SUBSCRIPTION_BY_CONSUMER: return this.querySubscriptionByConsumer(request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `admin group processor does not handle request code ${request.code}`);
    }
  }

  private updateAndCreateSubscriptionGroup(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    // RocketMQ answers SUCCESS to an empty body (nothing to decode, nothing done).
    if (request.body === undefined || request.body.length === 0) return successResponse(request);
    const parsed = parseLenientJson(request.body.toString('utf8'));
    if (!parsed.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `SubscriptionGroupConfig body is not JSON: ${parsed.reason}`);
    const config = readSubscriptionGroupConfig(parsed.value);
    if (typeof config === 'string') return errorResponse(request, ResponseCode.INVALID_PARAMETER, config);
    const validation = validateGroup(config.groupName);
    if (!validation.ok) return errorResponse(request, ResponseCode.INVALID_PARAMETER, validation.reason);
    const stored = this.deps.groups.updateSubscriptionGroupConfig(config);
    if (typeof stored === 'string') return errorResponse(request, ResponseCode.SYSTEM_ERROR, `subscription group ${config.groupName} not stored: ${stored}`);
    this.deps.log.info({ group: config.groupName, caller: ctx.channel.remoteAddress }, 'subscription group created or updated by admin');
    return successResponse(request);
  }

  private deleteSubscriptionGroup(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(DeleteSubscriptionGroupRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { groupName, cleanOffset, removeOffset } = decoded.header;
    const existed = this.deps.groups.deleteSubscriptionGroupConfig(groupName);
    const removedKeys = cleanOffset || removeOffset === true ? this.deps.offsets.removeOffset(groupName) : 0;
    this.deps.onGroupDeleted(groupName);
    this.deps.log.info({ group: groupName, existed, removedKeys, caller: ctx.channel.remoteAddress }, 'subscription group deleted by admin');
    return successResponse(request);
  }

  private getSubscriptionGroupConfig(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetSubscriptionGroupConfigRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const config = this.deps.groups.findSubscriptionGroupConfig(decoded.header.group);
    if (config === undefined) return errorResponse(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `No group in this broker: ${decoded.header.group}`);
    return successResponse(request, toFastjsonBuffer(subscriptionGroupJson(config)));
  }

  private getConsumerConnectionList(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetConsumerConnectionListRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const group = decoded.header.consumerGroup;
    const info = this.deps.consumers.getConsumerGroupInfo(group);
    if (info === undefined || info.channelCount === 0) return errorResponse(request, ResponseCode.CONSUMER_NOT_ONLINE, `the consumer group[${group}] not online`);
    return successResponse(request, consumerConnectionBody({
      connections: info.allChannels().map(connectionOf), consumeFromWhere: info.consumeFromWhere, consumeType: info.consumeType,
      messageModel: info.messageModel, subscriptions: info.subscriptionTable.values(),
    }));
  }

  private getProducerConnectionList(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetProducerConnectionListRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const group = decoded.header.producerGroup;
    const clients = this.deps.producers.groupChannels(group);
    if (clients.length === 0) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `the producer group[${group}] not exist`);
    return successResponse(request, producerConnectionBody(clients.map(connectionOf)));
  }

  private querySubscriptionByConsumer(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(QuerySubscriptionByConsumerRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { group, topic } = decoded.header;
    const sub = topic === undefined ? undefined : this.deps.consumers.findSubscriptionData(group, topic);
    return successResponse(request, toFastjsonBuffer({ group, subscriptionData: sub === undefined ? undefined : subscriptionDataJson(sub), topic }));
  }
}
