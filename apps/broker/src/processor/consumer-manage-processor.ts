// GET_CONSUMER_LIST_BY_GROUP (38), QUERY_CONSUMER_OFFSET (14), UPDATE_CONSUMER_OFFSET (15)
// (RocketMQ's ConsumerManageProcessor, reference §3.3.5-3.3.7).
//
// QUERY_CONSUMER_OFFSET without a committed offset: setZeroIfNotFound=false → 22; else when the
// queue still starts at 0 and holds a message there → offset 0 (a new group on a young queue
// reads from the start, as Java does while that message is in memory); else 22 QUERY_NOT_FOUND,
// and the client applies its ConsumeFromWhere.

import type { Logger } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, GetConsumerListByGroupRequestHeader,
  QueryConsumerOffsetRequestHeader, QueryConsumerOffsetResponseHeader, RequestCode, ResponseCode,
  UpdateConsumerOffsetRequestHeader, decodeRequestHeader, errorResponse, successResponse, toFastjsonBuffer,
} from '@apogee/remoting';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import type { QueueOffsetReader } from '../store/broker-store.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';

export interface ConsumerManageDeps {
  readonly config: () => BrokerConfig;
  readonly consumers: ConsumerManager;
  readonly offsets: ConsumerOffsetManager;
  readonly groups: SubscriptionGroupManager;
  readonly topics: TopicConfigManager;
  readonly queues: QueueOffsetReader;
  readonly log: Logger;
}

export class ConsumerManageProcessor implements RequestProcessor {
  constructor(private readonly deps: ConsumerManageDeps) {}

  process(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_CONSUMER_LIST_BY_GROUP:
        return this.getConsumerListByGroup(ctx, request);
      case RequestCode.QUERY_CONSUMER_OFFSET:
        return this.queryConsumerOffset(request);
      case RequestCode.UPDATE_CONSUMER_OFFSET:
        return this.updateConsumerOffset(ctx, request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `consumer-manage processor does not handle request code ${request.code}`);
    }
  }

  private getConsumerListByGroup(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetConsumerListByGroupRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const group = decoded.header.consumerGroup;
    const clientIds = this.deps.consumers.getConsumerGroupInfo(group)?.allClientIds() ?? [];
    if (clientIds.length === 0) {
      this.deps.log.warn({ group, peer: ctx.channel.remoteAddress }, 'consumer list asked for a group with no online consumer');
      // Java's wording, which clients and tools match on.
      return errorResponse(request, ResponseCode.SYSTEM_ERROR, `no consumer for this group, ${group}`);
    }
    return successResponse(request, toFastjsonBuffer({ consumerIdList: clientIds }));
  }

  private queryConsumerOffset(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(QueryConsumerOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { consumerGroup, topic, queueId, setZeroIfNotFound } = decoded.header;
    const offset = this.deps.offsets.queryOffset(consumerGroup, topic, queueId);
    if (offset >= 0) return successResponse(request, undefined, QueryConsumerOffsetResponseHeader.encode({ offset }));
    if (setZeroIfNotFound === false) {
      return errorResponse(request, ResponseCode.QUERY_NOT_FOUND, `group ${consumerGroup} has no offset for ${topic}:${queueId} and asked not to start at 0`);
    }
    const minOffset = this.deps.queues.getMinOffsetInQueue(topic, queueId);
    const maxOffset = this.deps.queues.getMaxOffsetInQueue(topic, queueId);
    if (minOffset <= 0 && maxOffset > 0) return successResponse(request, undefined, QueryConsumerOffsetResponseHeader.encode({ offset: 0 }));
    return errorResponse(request, ResponseCode.QUERY_NOT_FOUND, `group ${consumerGroup} has no offset for ${topic}:${queueId}; maybe this group consumer boot first`);
  }

  private updateConsumerOffset(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(UpdateConsumerOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { consumerGroup, topic, queueId, commitOffset } = decoded.header;
    if (!this.deps.groups.containsSubscriptionGroup(consumerGroup)) {
      return errorResponse(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group ${consumerGroup} does not exist on this broker`);
    }
    if (!this.deps.topics.containsTopic(topic)) {
      return errorResponse(request, ResponseCode.TOPIC_NOT_EXIST, `topic ${topic} does not exist on this broker`);
    }
    if (queueId < 0 || commitOffset < 0) {
      return errorResponse(request, ResponseCode.INVALID_PARAMETER, `queueId ${queueId} and commitOffset ${commitOffset} of ${topic} must not be negative`);
    }
    if (this.deps.config().useServerSideResetOffset && this.deps.offsets.hasOffsetReset(topic, consumerGroup, queueId)) {
      return errorResponse(request, ResponseCode.SUCCESS, 'Offset has been previously reset');
    }
    if (!this.deps.offsets.commitOffset(ctx.channel.remoteAddress, consumerGroup, topic, queueId, commitOffset)) {
      return errorResponse(request, ResponseCode.SYSTEM_ERROR, `offset table is full; offset of ${consumerGroup} on ${topic}:${queueId} not stored`);
    }
    return successResponse(request);
  }
}
