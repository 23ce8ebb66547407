// Broker admin, topics (RocketMQ's AdminBrokerProcessor, reference §3.4):
//   UPDATE_AND_CREATE_TOPIC (17)        validate, store, re-register with the NameServers before answering
//   DELETE_TOPIC_IN_BROKER (215)        config, the groups' offsets on it, its ConsumeQueues
//   GET_ALL_TOPIC_CONFIG (21)           TopicConfigAndMappingSerializeWrapper (+ header totalTopicNum)
//   GET_TOPIC_CONFIG (351)              TopicConfigAndQueueMapping; 17 when unknown
//   GET_TOPIC_STATS_INFO (202)          TopicStatsTable; 17 when unknown
//   QUERY_TOPIC_CONSUME_BY_WHO (300)    GroupList: online subscribers + groups with offsets
//   QUERY_TOPICS_BY_CONSUMER (343)      TopicList: topics the group has offsets on
//   GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305)  TopicList of system topics
// Names are checked with RocketMQ's rules; system topics (including this broker's cluster and
// broker-name topics) cannot be created or deleted (5.x validateSystemTopicWhenUpdateTopic).

import { type Logger, type MessageQueue, PermName, SYSTEM_TOPICS, isSystemTopic, validateTopic } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, type TopicConfig, CreateTopicRequestHeader, DeleteTopicRequestHeader,
  GetAllTopicConfigResponseHeader, GetTopicConfigRequestHeader, GetTopicStatsInfoRequestHeader, QueryTopicConsumeByWhoRequestHeader,
  QueryTopicsByConsumerRequestHeader, RequestCode, ResponseCode, decodeRequestHeader, errorResponse, successResponse, toFastjsonBuffer,
} from '@apogee/remoting';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import { TOPIC_QUEUE_NUMS_MAX } from '../limits.js';
import { systemTopicConfigs } from '../topic/system-topics.js';
import { newTopicConfig, topicConfigEquals } from '../topic/topic-config.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import {
  type TopicOffset, groupListBody, mqKey, topicConfigJson, topicConfigWrapperBody, topicListBody, topicStatsTableBody,
} from '../admin/admin-bodies.js';
import type { AdminStore } from '../admin/admin-store.js';
import { alterTopicAttributes } from '../admin/topic-attributes.js';

export interface AdminTopicDeps {
  readonly config: () => BrokerConfig;
  readonly topics: TopicConfigManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly store: AdminStore;
  readonly topicPutTps: (topic: string) => number;
  /** forgets a deleted topic's traffic counters */
  readonly onTopicDeleted: (topic: string) => void;
  /** registers with every NameServer now and resolves when done */
  readonly registerBrokerAll: () => Promise<unknown>;
  readonly brokerAddr: () => string;
  readonly log: Logger;
}

export const ADMIN_TOPIC_CODES: readonly number[] = [
  RequestCode.UPDATE_AND_CREATE_TOPIC, RequestCode.DELETE_TOPIC_IN_BROKER, RequestCode.GET_ALL_TOPIC_CONFIG, RequestCode.GET_TOPIC_CONFIG,
  RequestCode.GET_TOPIC_STATS_INFO, RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, RequestCode.QUERY_TOPICS_BY_CONSUMER,
  RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER,
];

export class AdminTopicProcessor implements RequestProcessor {
  constructor(private readonly deps: AdminTopicDeps) {}

  process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    switch (request.code) {
      case RequestCode.UPDATE_AND_CREATE_TOPIC: return this.updateAndCreateTopic(ctx, request);
      case RequestCode.DELETE_TOPIC_IN_BROKER: return this.deleteTopic(ctx, request);
      case RequestCode.GET_ALL_TOPIC_CONFIG: return this.getAllTopicConfig(request);
      case RequestCode.GET_TOPIC_CONFIG: return this.getTopicConfig(request);
      case RequestCode.GET_TOPIC_STATS_INFO: return this.getTopicStatsInfo(request);
      case RequestCode.QUERY_TOPIC_CONSUME_BY_WHO: return this.queryTopicConsumeByWho(request);
      case RequestCode.QUERY_TOPICS_BY_CONSUMER: return this.queryTopicsByConsumer(request);
      case RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER: return successResponse(request, topicListBody(this.systemTopics()));
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `admin topic processor does not handle request code ${request.code}`);
    }
  }

  /** RocketMQ's system topic set, which the broker extends with its cluster- and broker-name topics. */
  systemTopics(): Set<string> {
    return new Set([...SYSTEM_TOPICS, ...systemTopicConfigs(this.deps.config()).map((c) => c.topicName)]);
  }

  private isSystemTopic(topic: string): boolean {
    return isSystemTopic(topic) || this.systemTopics().has(topic);
  }

  private async updateAndCreateTopic(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(CreateTopicRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const h = decoded.header;
    const refusal = this.checkNewTopic(h);
    if (refusal !== undefined) return errorResponse(request, ResponseCode.INVALID_PARAMETER, refusal);
    const existing = this.deps.topics.selectTopicConfig(h.topic);
    const attributes = alterTopicAttributes(existing?.attributes, h.attributes);
    if (!attributes.ok) return errorResponse(request, ResponseCode.INVALID_PARAMETER, `topic ${h.topic}: ${attributes.reason}`);
    const config = newTopicConfig(h.topic, {
      readQueueNums: h.readQueueNums, writeQueueNums: h.writeQueueNums, perm: h.perm, topicFilterType: h.topicFilterType,
      topicSysFlag: h.topicSysFlag ?? 0, order: h.order, attributes: attributes.attributes,
    });
    if (existing !== undefined && topicConfigEquals(existing, config)) return successResponse(request);
    const stored = this.deps.topics.updateTopicConfig(config);
    if (typeof stored === 'string') return errorResponse(request, ResponseCode.SYSTEM_ERROR, `topic ${h.topic} not stored: ${stored}`);
    this.deps.log.info({ topic: h.topic, queues: [h.readQueueNums, h.writeQueueNums], perm: h.perm, caller: ctx.channel.remoteAddress }, 'topic created or updated by admin');
    // RocketMQ answers after registering the change (registerIncrementBrokerData), so the route
    // already shows the topic when the admin tool moves on.
    await this.deps.registerBrokerAll().catch((err: unknown) => this.deps.log.warn({ err, topic: h.topic }, 'registration after topic update failed'));
    return successResponse(request);
  }

  private checkNewTopic(h: CreateTopicRequestHeader): string | undefined {
    const validation = validateTopic(h.topic);
    if (!validation.ok) return validation.reason;
    if (this.isSystemTopic(h.topic)) return `The topic[${h.topic}] is conflict with system topic.`;
    for (const [name, n] of [['readQueueNums', h.readQueueNums], ['writeQueueNums', h.writeQueueNums]] as const) {
      if (n < 0 || n > TOPIC_QUEUE_NUMS_MAX) return `${name} ${n} of topic ${h.topic} is not in 0..${TOPIC_QUEUE_NUMS_MAX}`;
    }
    if (!PermName.isValid(h.perm)) return `perm ${h.perm} of topic ${h.topic} is not a valid permission (0..7)`;
    return undefined;
  }

  private deleteTopic(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(DeleteTopicRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic } = decoded.header;
    if (topic.trim() === '') return errorResponse(request, ResponseCode.INVALID_PARAMETER, 'The specified topic is blank.');
    if (this.isSystemTopic(topic)) return errorResponse(request, ResponseCode.INVALID_PARAMETER, `The topic[${topic}] is conflict with system topic.`);
    const hadConfig = this.deps.topics.deleteTopicConfig(topic);
    const groups = [...this.deps.offsets.whichGroupByTopic(topic)];
    for (const group of groups) this.deps.offsets.removeConsumerOffset(topic, group);
    this.deps.store.deleteTopic(topic);
    this.deps.onTopicDeleted(topic);
    this.deps.log.info({ topic, hadConfig, offsetGroups: groups.length, caller: ctx.channel.remoteAddress }, 'topic deleted by admin');
    return successResponse(request);
  }

  private getAllTopicConfig(request: RemotingCommand): RemotingCommand {
    const { topics } = this.deps;
    const header = GetAllTopicConfigResponseHeader.encode({ totalTopicNum: topics.size });
    return successResponse(request, topicConfigWrapperBody(topics.dataVersion, topics.topicConfigTable), header);
  }

  private getTopicConfig(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(GetTopicConfigRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const config = this.deps.topics.selectTopicConfig(decoded.header.topic);
    if (config === undefined) return errorResponse(request, ResponseCode.TOPIC_NOT_EXIST, `No topic in this broker. topic: ${decoded.header.topic}`);
    return successResponse(request, toFastjsonBuffer(topicConfigJson(config)));
  }

  private async getTopicStatsInfo(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(GetTopicStatsInfoRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic } = decoded.header;
    const config = this.deps.topics.selectTopicConfig(topic);
    if (config === undefined) return errorResponse(request, ResponseCode.TOPIC_NOT_EXIST, `topic[${topic}] not exist`);
    return successResponse(request, topicStatsTableBody(await this.topicOffsets(config), this.deps.topicPutTps(topic)));
  }

  private async topicOffsets(config: Readonly<TopicConfig>): Promise<Map<MessageQueue, TopicOffset>> {
    const { store } = this.deps;
    const brokerName = this.deps.config().brokerName;
    const table = new Map<MessageQueue, TopicOffset>();
    const queueNums = Math.max(config.readQueueNums, config.writeQueueNums);
    for (let queueId = 0; queueId < queueNums; queueId++) {
      const minOffset = Math.max(0, store.getMinOffsetInQueue(config.topicName, queueId));
      const maxOffset = Math.max(0, store.getMaxOffsetInQueue(config.topicName, queueId));
      const lastUpdateTimestamp = maxOffset > 0 ? Math.max(0, await store.getMessageStoreTimeStamp(config.topicName, queueId, maxOffset - 1)) : 0;
      table.set(mqKey(config.topicName, brokerName, queueId), { lastUpdateTimestamp, maxOffset, minOffset });
    }
    return table;
  }

  private queryTopicConsumeByWho(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(QueryTopicConsumeByWhoRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { topic } = decoded.header;
    const groups = new Set([...this.deps.consumers.queryTopicConsumeByWho(topic), ...this.deps.offsets.whichGroupByTopic(topic)]);
    return successResponse(request, groupListBody(groups));
  }

  private queryTopicsByConsumer(request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(QueryTopicsByConsumerRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    return successResponse(request, topicListBody(this.deps.offsets.whichTopicByConsumer(decoded.header.group), this.deps.brokerAddr()));
  }
}
