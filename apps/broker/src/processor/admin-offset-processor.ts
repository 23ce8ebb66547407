// Broker admin, consumer offsets and progress (RocketMQ's AdminBrokerProcessor, reference §3.4):
//   GET_CONSUME_STATS (208)              ConsumeStats of a group (one topic, a ';' list, or all its topics)
//   GET_BROKER_CONSUME_STATS (317)       ConsumeStatsList over every subscription group
//   GET_ALL_CONSUMER_OFFSET (43)         the offset table, fastjson's unquoted queue ids
//   GET_ALL_DELAY_OFFSET (45)            the delay levels' offsets (when the data path runs)
//   CLONE_GROUP_OFFSET (314)             copies a group's committed offsets to another group
//   INVOKE_BROKER_TO_RESET_OFFSET (222)  see below; answers ResetOffsetBody
// Reset: with useServerSideResetOffset (the 5.x default) the offsets are committed at once and
// kept as pending resets (the next pull of each queue answers PULL_OFFSET_MOVED to them, and
// stale commits from clients are ignored until then); 17 unknown topic, 26 unknown group, 1 on a
// slave. Online consumers of the group also get RESET_CONSUMER_CLIENT_OFFSET (220) so that they
// move without waiting for their next pull. Without server-side reset it is 4.9's protocol: the
// clients are told (220) and commit themselves; 206 when no consumer is online, which makes
// mqadmin fall back to committing the offsets itself.

import type { Logger } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, CloneGroupOffsetRequestHeader, GetConsumeStatsInBrokerHeader,
  GetConsumeStatsRequestHeader, RequestCode, ResetOffsetRequestHeader, ResponseCode, decodeRequestHeader, errorResponse, successResponse,
} from '@apogee/remoting';
import type { MessageQueue } from '@apogee/common';
import type { ConsumerManager } from '../client/consumer-manager.js';
import type { BrokerConfig } from '../config/broker-config.js';
import type { ConsumerOffsetManager } from '../offset/consumer-offset-manager.js';
import type { SubscriptionGroupManager } from '../subscription/subscription-group-manager.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import {
  type ConsumeStats, consumeStatsBody, consumeStatsListBody, resetOffsetBody, resetOffsetBodyForC,
} from '../admin/admin-bodies.js';
import type { AdminStore } from '../admin/admin-store.js';
import type { AdminClientCalls } from '../admin/client-calls.js';
import { type ConsumeStatsDeps, collectConsumeStats, isSubscribedOrUnknown, topicsForConsumeStats } from '../admin/consume-stats.js';
import { type ResetTarget, planClientSideReset, planServerSideReset } from '../admin/reset-offset.js';

export interface AdminOffsetDeps {
  readonly config: () => BrokerConfig;
  readonly isSlave: () => boolean;
  readonly topics: TopicConfigManager;
  readonly groups: SubscriptionGroupManager;
  readonly offsets: ConsumerOffsetManager;
  readonly consumers: ConsumerManager;
  readonly store: AdminStore;
  readonly consumeTps: (group: string, topic: string) => number;
  readonly clientCalls: AdminClientCalls;
  /** the delay offsets as GET_ALL_DELAY_OFFSET's body, or undefined when delayed delivery is not running */
  readonly delayOffsets: () => string | undefined;
  readonly brokerAddr: () => string;
  readonly log: Logger;
}

export const ADMIN_OFFSET_CODES: readonly number[] = [
  RequestCode.GET_CONSUME_STATS, RequestCode.GET_BROKER_CONSUME_STATS, RequestCode.GET_ALL_CONSUMER_OFFSET, RequestCode.GET_ALL_DELAY_OFFSET,
  RequestCode.CLONE_GROUP_OFFSET, RequestCode.INVOKE_BROKER_TO_RESET_OFFSET,
];

export class AdminOffsetProcessor implements RequestProcessor {
  private readonly statsDeps: ConsumeStatsDeps;

  constructor(private readonly deps: AdminOffsetDeps) {
    this.statsDeps = {
      topics: deps.topics, offsets: deps.offsets, consumers: deps.consumers, store: deps.store,
      consumeTps: deps.consumeTps, brokerName: () => deps.config().brokerName,
    };
  }

  process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> | RemotingCommand {
    switch (request.code) {
      case RequestCode.GET_CONSUME_STATS: return this.getConsumeStats(request);
      case RequestCode.GET_BROKER_CONSUME_STATS: return this.getBrokerConsumeStats(request);
      case RequestCode.GET_ALL_CONSUMER_OFFSET: return successResponse(request, Buffer.from(this.deps.offsets.encode(), 'utf8'));
      case RequestCode.GET_ALL_DELAY_OFFSET: return this.getAllDelayOffset(request);
      case RequestCode.CLONE_GROUP_OFFSET: return this.cloneGroupOffset(ctx, request);
      case RequestCode.INVOKE_BROKER_TO_RESET_OFFSET: return this.resetOffset(ctx, request);
      default:
        return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `admin offset processor does not handle request code ${request.code}`);
    }
  }

  private async getConsumeStats(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(GetConsumeStatsRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { consumerGroup, topic, topicList } = decoded.header;
    const topics = topicsForConsumeStats(this.statsDeps, consumerGroup, topic, topicList);
    return successResponse(request, consumeStatsBody(await collectConsumeStats(this.statsDeps, consumerGroup, topics, 'read')));
  }

  private async getBrokerConsumeStats(request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(GetConsumeStatsInBrokerHeader, request);
    if (!decoded.ok) return decoded.response;
    const perGroup = new Map<string, ConsumeStats[]>();
    for (const group of [...this.deps.groups.subscriptionGroupTable.keys()].sort()) {
      const list: ConsumeStats[] = [];
      for (const topic of [...this.deps.offsets.whichTopicByConsumer(group)].sort()) {
        const config = this.deps.topics.selectTopicConfig(topic);
        if (config === undefined || (decoded.header.isOrder && !config.order)) continue;
        if (!isSubscribedOrUnknown(this.statsDeps, group, topic)) continue;
        list.push(await collectConsumeStats(this.statsDeps, group, [topic], 'write'));
      }
      perGroup.set(group, list);
    }
    return successResponse(request, consumeStatsListBody(this.deps.brokerAddr(), perGroup));
  }

  private getAllDelayOffset(request: RemotingCommand): RemotingCommand {
    const text = this.deps.delayOffsets();
    if (text === undefined || text === '') return errorResponse(request, ResponseCode.SYSTEM_ERROR, 'No delay offset in this broker: delayed delivery is not running');
    return successResponse(request, Buffer.from(text, 'utf8'));
  }

  private cloneGroupOffset(ctx: RequestContext, request: RemotingCommand): RemotingCommand {
    const decoded = decodeRequestHeader(CloneGroupOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const { srcGroup, destGroup, topic, offline } = decoded.header;
    const topics = topic === undefined || topic.trim() === '' ? [...this.deps.offsets.whichTopicByConsumer(srcGroup)] : [topic];
    const cloned: string[] = [];
    for (const t of topics) {
      if (!this.deps.topics.containsTopic(t)) continue;
      if (!offline && !isSubscribedOrUnknown(this.statsDeps, srcGroup, t)) continue;
      if (this.deps.offsets.cloneOffset(srcGroup, destGroup, t)) cloned.push(t);
    }
    this.deps.log.info({ srcGroup, destGroup, topics: cloned, caller: ctx.channel.remoteAddress }, 'group offsets cloned by admin');
    return successResponse(request);
  }

  private async resetOffset(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    const decoded = decodeRequestHeader(ResetOffsetRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const h = decoded.header;
    const target: ResetTarget = { topic: h.topic, group: h.group, timestamp: h.timestamp, isForce: h.isForce, queueId: h.queueId, offset: h.offset };
    const config = this.deps.topics.selectTopicConfig(h.topic);
    if (config === undefined) return errorResponse(request, ResponseCode.TOPIC_NOT_EXIST, `[reset-offset] topic ${h.topic} does not exist on this broker`);
    const sources = { store: this.deps.store, committedOffset: this.deps.offsets.queryOffset.bind(this.deps.offsets), brokerName: this.deps.config().brokerName };
    const isC = request.language === 'CPP';
    if (!this.deps.config().useServerSideResetOffset) {
      const plan = await planClientSideReset(sources, config, target);
      if (!plan.ok) return errorResponse(request, plan.code, plan.remark);
      const reached = await this.pushToClients(target, plan.offsets, isC);
      if (reached === undefined) {
        return errorResponse(request, ResponseCode.CONSUMER_NOT_ONLINE, `Consumer not online, so can not reset offset, Group: ${h.group} Topic: ${h.topic} Timestamp: ${h.timestamp}`);
      }
      return successResponse(request, resetOffsetBody(plan.offsets));
    }
    if (this.deps.isSlave()) return errorResponse(request, ResponseCode.SYSTEM_ERROR, 'Can not reset offset in slave broker');
    if (!this.deps.groups.containsSubscriptionGroup(h.group)) return errorResponse(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `Group ${h.group} does not exist`);
    const plan = await planServerSideReset(sources, config, target);
    if (!plan.ok) return errorResponse(request, plan.code, plan.remark);
    for (const [mq, offset] of plan.offsets) {
      if (!this.deps.offsets.assignResetOffset(h.topic, h.group, mq.queueId, offset)) {
        return errorResponse(request, ResponseCode.SYSTEM_ERROR, `offset table is full; reset of ${h.group} on ${h.topic}:${mq.queueId} not stored`);
      }
    }
    const reached = await this.pushToClients(target, plan.offsets, isC);
    this.deps.log.info({ topic: h.topic, group: h.group, timestamp: h.timestamp, queues: plan.offsets.size, clients: reached ?? [], caller: ctx.channel.remoteAddress }, 'offsets reset by admin');
    return successResponse(request, resetOffsetBody(plan.offsets));
  }

  /** 220 to the group's online consumers; the client ids reached, or undefined when none is online. */
  private async pushToClients(target: ResetTarget, offsets: ReadonlyMap<MessageQueue, number>, isC: boolean): Promise<string[] | undefined> {
    const clients = this.deps.consumers.getConsumerGroupInfo(target.group)?.allChannels() ?? [];
    if (clients.length === 0) return undefined;
    const body = isC ? resetOffsetBodyForC(offsets) : resetOffsetBody(offsets);
    return this.deps.clientCalls.pushResetOffset(clients, { topic: target.topic, group: target.group, timestamp: target.timestamp, isForce: target.isForce, body });
  }
}
