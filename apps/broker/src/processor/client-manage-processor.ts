// HEART_BEAT (34), UNREGISTER_CLIENT (35), CHECK_CLIENT_CONFIG (46): clients announcing their
// producer and consumer groups (RocketMQ's ClientManageProcessor, reference §3.3.2-3.3.3).
//
// HEART_BEAT, per consumer group in the body: find the subscription group (auto-created when
// allowed; skipped otherwise), create %RETRY%<group> (retryQueueNums, perm RW, order when the
// group subscribes to an order topic) which re-registers the broker, then register the channel
// and subscriptions; per producer group: register the channel. The response always carries
// IS_SUPPORT_HEART_BEAT_V2=true; IS_SUB_CHANGE is true for v1 heartbeats and, for v2 ones
// (non-zero heartbeatFingerprint), true when the group's fingerprint changed.

import { type Logger, PermName, getRetryTopic, IS_SUB_CHANGE, IS_SUPPORT_HEART_BEAT_V2 } from '@apogee/common';
import {
  type ConsumerData, type HeartbeatData, type RemotingCommand, type RequestContext, type RequestProcessor, RequestCode, ResponseCode,
  UnregisterClientRequestHeader, asObject, decodeHeartbeatData, decodeRequestHeader, errorResponse, isReason, parseBodyObject,
  readSubscriptionData, successResponse,
} from '@apogee/remoting';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { ProducerManager } from '../client/producer-manager.js';
import { isTagType } from '../client/subscription-data.js';
import type { BrokerConfig } from '../config/broker-config.js';
import { CONSUMER_GROUPS_MAX } from '../limits.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';

/** TopicSysFlag bit 1: the topic has unit subscribers (set on retry topics of unit-mode consumers). */
const TOPIC_SYS_FLAG_UNIT_SUB = 2;

export interface ClientManageDeps {
  readonly config: () => BrokerConfig;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly consumers: ConsumerManager;
  readonly producers: ProducerManager;
  readonly log: Logger;
}

export class ClientManageProcessor implements RequestProcessor {
  /** group → last heartbeat v2 fingerprint */
  private readonly fingerprints = new Map<string, number>();

  constructor(private readonly deps: ClientManageDeps) {
    deps.consumers.onEvent((event) => {
      if (event.kind === 'unregister') this.fingerprints.delete(event.group);
    });
  }

  process(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    switch (request.code) {
      case RequestCode.HEART_BEAT:
        return this.heartBeat(ctx, request);
      case RequestCode.UNREGISTER_CLIENT:
        return this.unregisterClient(ctx, request);
      case RequestCode.CHECK_CLIENT_CONFIG:
        return this.checkClientConfig(request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `client-manage processor does not handle request code ${request.code}`);
    }
  }

  private heartBeat(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeHeartbeatData(request.body);
    if (!decoded.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `bad heartbeat body: ${decoded.reason}`);
    const heartbeat = decoded.value;
    const client: ClientChannelInfo = {
      channel: ctx.channel, clientId: heartbeat.clientID, language: request.language, version: request.version, lastUpdateMs: 0,
    };
    const isV2 = heartbeat.heartbeatFingerprint !== 0;
    let isSubChange = !isV2;
    for (const consumer of heartbeat.consumerDataSet) {
      if (isV2 && this.fingerprintChanged(consumer.groupName, heartbeat.heartbeatFingerprint)) isSubChange = true;
      this.registerConsumer(client, consumer, heartbeat);
    }
    for (const producer of heartbeat.producerDataSet) this.deps.producers.registerProducer(producer.groupName, { ...client });
    return successResponse(request, undefined, { [IS_SUPPORT_HEART_BEAT_V2]: 'true', [IS_SUB_CHANGE]: String(isSubChange) });
  }

  private registerConsumer(client: ClientChannelInfo, consumer: ConsumerData, heartbeat: HeartbeatData): void {
    const groupConfig = this.deps.groups.findSubscriptionGroupConfig(consumer.groupName);
    if (groupConfig === undefined) {
      this.deps.log.warn({ group: consumer.groupName, clientId: client.clientId }, 'heartbeat: consumer group does not exist and may not be created; skipped');
      return;
    }
    const hasOrderTopicSub = consumer.subscriptionDataSet.some((sub) => this.deps.topics.isOrderTopic(sub.topic));
    this.deps.topics.createTopicInSendMessageBackMethod(
      getRetryTopic(consumer.groupName),
      groupConfig.retryQueueNums,
      PermName.PERM_READ | PermName.PERM_WRITE,
      hasOrderTopicSub,
      consumer.unitMode ? TOPIC_SYS_FLAG_UNIT_SUB : 0,
    );
    const changed = this.deps.consumers.registerConsumer({
      group: consumer.groupName,
      client: { ...client },
      consumeType: consumer.consumeType,
      messageModel: consumer.messageModel,
      consumeFromWhere: consumer.consumeFromWhere,
      subscriptions: consumer.subscriptionDataSet,
      isNotifyEnabled: groupConfig.notifyConsumerIdsChangedEnable,
      updateSubscription: !(heartbeat.heartbeatFingerprint !== 0 && heartbeat.withoutSub),
    });
    if (changed) this.deps.log.info({ group: consumer.groupName, clientId: client.clientId, topics: consumer.subscriptionDataSet.map((s) => s.topic) }, 'consumer group changed');
  }

  private fingerprintChanged(group: string, fingerprint: number): boolean {
    const previous = this.fingerprints.get(group);
    if (previous !== undefined || this.fingerprints.size < CONSUMER_GROUPS_MAX) this.fingerprints.set(group, fingerprint);
    return previous !== undefined && previous !== fingerprint;
  }

  private unregisterClient(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(UnregisterClientRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { producerGroup, consumerGroup } = decoded.header;
    if (producerGroup !== undefined) this.deps.producers.unregisterProducer(producerGroup, ctx.channel);
    if (consumerGroup !== undefined) {
      const groupConfig = this.deps.groups.selectSubscriptionGroupConfig(consumerGroup);
      const isNotifyEnabled = groupConfig?.notifyConsumerIdsChangedEnable ?? true;
      this.deps.consumers.unregisterConsumer(consumerGroup, ctx.channel, isNotifyEnabled);
    }
    return successResponse(request);
  }

  /** CHECK_CLIENT_CONFIG body: {"clientId":...,"group":...,"subscriptionData":<SubscriptionData>}. */
  private checkClientConfig(request: RemotingCommand): RemotingCommand {
    if (request.body === undefined || request.body.length === 0) return successResponse(request);
    const parsed = parseBodyObject(request.body, 'CheckClientRequestBody');
    if (!parsed.ok) return errorResponse(request, ResponseCode.SYSTEM_ERROR, parsed.reason);
    const raw = parsed.value['subscriptionData'];
    if (raw === undefined || raw === null || typeof asObject(raw, 'subscriptionData') === 'string') return successResponse(request);
    const sub = readSubscriptionData(raw, 'CheckClientRequestBody.subscriptionData');
    if (isReason(sub)) return errorResponse(request, ResponseCode.SYSTEM_ERROR, sub.reason);
    if (isTagType(sub.expressionType)) return successResponse(request);
    if (!this.deps.config().enablePropertyFilter) {
      return errorResponse(request, ResponseCode.SYSTEM_ERROR, `this broker does not filter messages by ${sub.expressionType} (enablePropertyFilter=false)`);
    }
    return errorResponse(request, ResponseCode.SUBSCRIPTION_PARSE_FAILED, `this broker cannot compile ${sub.expressionType} expressions yet: ${sub.subString}`);
  }
}
