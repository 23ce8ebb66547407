// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361): RocketMQ's PullMessageProcessor and
// DefaultPullMessageResultHandler (reference §3.3.1). Checks, in order:
//   broker not readable 16 | group missing and not creatable 26 | group consume disabled 16 |
//   topic missing 17 | topic not readable 16 | queueId outside [0, readQueueNums) 29 |
//   subscription (pull-subscription.ts: 23, 24, 16, 25, 1)
// then a pending server-side offset reset answers 21 with the reset offset, else the store reads
// the queue and pull-status-mapping.ts turns its status into the code. On first arrival (not when
// a held pull runs again) a master stores commitOffset when the COMMIT_OFFSET flag is set.
// PULL_NOT_FOUND with the SUSPEND flag on first arrival is held by the PullRequestHoldService.
// The FOUND body is the stored records as the store returned them (pull-response-body.ts).

import { type Clock, type Logger, PermName } from '@apogee/common';
import {
  type Channel, type RemotingCommand, type RequestContext, type RequestProcessor, type TopicConfig, PullMessageRequestHeader,
  PullMessageResponseHeader, PullSysFlag, RequestCode, ResponseCode, createResponseCommand, decodeRequestHeader, errorResponse,
} from '@apogee/remoting';
import { type GetMessageResult, GetMessageStatus } from '@apogee/store';
import type { MessageReader } from '../pull/message-reader.js';
import { type HeldPull, PullRequestHoldService } from '../pull/pull-request-hold-service.js';
import { joinRecords } from '../pull/pull-response-body.js';
import { ForbiddenType, pullResponseCode } from '../pull/pull-status-mapping.js';
import { type PullConsumerGroups, resolvePullSubscription } from '../pull/pull-subscription.js';

/** RocketMQ's cap on the bytes of one pull (MAX_PULL_MSG_SIZE). */
export const PULL_BYTES_MAX = 128 * 1024 * 1024;

/** The broker settings a pull reads (BrokerConfig keys, read per request). */
export interface PullBrokerSettings {
  readonly brokerPermission: number;
  readonly brokerIP1: string;
  readonly brokerId: number;
  readonly longPollingEnable: boolean;
  readonly shortPollingTimeMills: number;
  readonly useServerSideResetOffset: boolean;
  readonly slaveReadEnable: boolean;
}

export interface PullGroupConfig {
  readonly consumeEnable: boolean;
  readonly consumeBroadcastEnable: boolean;
  readonly groupSysFlag: number;
  readonly brokerId: number;
  readonly whichBrokerWhenConsumeSlowly: number;
}

export interface PullMessageDeps {
  readonly settings: () => PullBrokerSettings;
  readonly isSlave: () => boolean;
  readonly groups: { findSubscriptionGroupConfig(group: string): PullGroupConfig | undefined };
  readonly topics: { selectTopicConfig(topic: string): Readonly<TopicConfig> | undefined };
  readonly consumers: PullConsumerGroups;
  readonly offsets: {
    commitOffset(clientHost: string, group: string, topic: string, queueId: number, offset: number): boolean;
    queryThenEraseResetOffset(topic: string, group: string, queueId: number): number | undefined;
    commitPullOffset(group: string, topic: string, queueId: number, offset: number): void;
  };
  readonly reader: MessageReader;
  readonly clock: Clock;
  readonly log: Logger;
}

type PullHeader = PullMessageRequestHeader;

export class PullMessageProcessor implements RequestProcessor {
  readonly holdService: PullRequestHoldService;

  constructor(private readonly deps: PullMessageDeps) {
    this.holdService = new PullRequestHoldService({
      maxOffset: (topic, queueId) => deps.reader.getMaxOffsetInQueue(topic, queueId),
      rerun: async (held) => (await this.processRequest(held.channel, held.request, false)) ?? pullError(held.request, ResponseCode.SYSTEM_ERROR, 'held pull produced no answer'),
      clock: deps.clock,
      log: deps.log,
      checkIntervalMs: deps.settings().longPollingEnable ? undefined : Math.max(1, deps.settings().shortPollingTimeMills),
    });
  }

  /** A slave serves pulls only with slaveReadEnable. */
  rejectRequest(): boolean {
    return this.deps.isSlave() && !this.deps.settings().slaveReadEnable;
  }

  process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand | null> {
    if (request.code !== RequestCode.PULL_MESSAGE && request.code !== RequestCode.LITE_PULL_MESSAGE) {
      return Promise.resolve(errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `pull processor does not handle request code ${request.code}`));
    }
    return this.processRequest(ctx.channel, request, true);
  }

  /** Answers every held pull; new pulls are answered at once from then on. */
  shutdown(): Promise<void> {
    return this.holdService.shutdown();
  }

  private async processRequest(channel: Channel, request: RemotingCommand, isFirstArrival: boolean): Promise<RemotingCommand | null> {
    const decoded = decodeRequestHeader(PullMessageRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const header = decoded.header;
    const settings = this.deps.settings();
    const { consumerGroup: group, topic, queueId } = header;
    if (!PermName.isReadable(settings.brokerPermission)) {
      return pullError(request, ResponseCode.NO_PERMISSION, `broker ${settings.brokerIP1} does not serve pulls: its permission ${PermName.perm2String(settings.brokerPermission)} has no read bit`, ForbiddenType.BROKER_FORBIDDEN);
    }
    const groupConfig = this.deps.groups.findSubscriptionGroupConfig(group);
    if (groupConfig === undefined) return pullError(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group ${group} does not exist on this broker`);
    if (!groupConfig.consumeEnable) return pullError(request, ResponseCode.NO_PERMISSION, `subscription group ${group} is not allowed to consume`, ForbiddenType.GROUP_FORBIDDEN);
    const topicConfig = this.deps.topics.selectTopicConfig(topic);
    if (topicConfig === undefined) return pullError(request, ResponseCode.TOPIC_NOT_EXIST, `topic ${topic} does not exist on this broker`);
    if (!PermName.isReadable(topicConfig.perm)) {
      return pullError(request, ResponseCode.NO_PERMISSION, `topic ${topic} does not serve pulls: its permission ${PermName.perm2String(topicConfig.perm)} has no read bit`, ForbiddenType.TOPIC_FORBIDDEN);
    }
    if (queueId < 0 || queueId >= topicConfig.readQueueNums) {
      return pullError(request, ResponseCode.INVALID_PARAMETER, `queueId ${queueId} is out of range for topic ${topic}, which has ${topicConfig.readQueueNums} read queues`);
    }
    const sub = resolvePullSubscription({
      consumerGroup: group, topic, hasSubscriptionFlag: (header.sysFlag & PullSysFlag.SUBSCRIPTION) !== 0, subscription: header.subscription,
      expressionType: header.expressionType, subVersion: header.subVersion, isBroadcastAllowed: groupConfig.consumeBroadcastEnable,
    }, this.deps.consumers);
    if (!sub.ok) return pullError(request, sub.code, sub.remark, sub.forbiddenType);

    const result = await this.readQueue(header, settings, sub.filter);
    if (result === undefined) return pullError(request, ResponseCode.SYSTEM_ERROR, 'the store is not readable now');
    const response = composeResponse(request, header, result, topicConfig.topicSysFlag, groupConfig, settings, this.deps.isSlave());
    this.deps.offsets.commitPullOffset(group, topic, queueId, result.nextBeginOffset);
    if (isFirstArrival && (header.sysFlag & PullSysFlag.COMMIT_OFFSET) !== 0 && !this.deps.isSlave()) {
      this.deps.offsets.commitOffset(channel.remoteAddress, group, topic, queueId, header.commitOffset);
    }
    if (response.code === ResponseCode.PULL_NOT_FOUND && isFirstArrival && (header.sysFlag & PullSysFlag.SUSPEND) !== 0) {
      const timeoutMs = settings.longPollingEnable ? header.suspendTimeoutMillis : settings.shortPollingTimeMills;
      return this.suspend(channel, request, header, sub.filter, timeoutMs, response);
    }
    return response;
  }

  private async readQueue(header: PullHeader, settings: PullBrokerSettings, filter: HeldPull['filter']): Promise<GetMessageResult | undefined> {
    const { reader, offsets } = this.deps;
    const { consumerGroup: group, topic, queueId } = header;
    const resetOffset = settings.useServerSideResetOffset ? offsets.queryThenEraseResetOffset(topic, group, queueId) : undefined;
    // A consumer that already moved (it got RESET_CONSUMER_CLIENT_OFFSET) pulls from the reset
    // offset: serve it. Telling it to move to where it is would make it drop the queue until the
    // next rebalance.
    if (resetOffset !== undefined && resetOffset !== header.queueOffset) {
      return {
        status: GetMessageStatus.OFFSET_RESET, nextBeginOffset: resetOffset, minOffset: reader.getMinOffsetInQueue(topic, queueId),
        maxOffset: reader.getMaxOffsetInQueue(topic, queueId), buffers: [], queueOffsets: [], messageCount: 0, bufferTotalBytes: 0, suggestPullingFromSlave: false,
      };
    }
    const maxBytes = header.maxMsgBytes !== undefined && header.maxMsgBytes > 0 ? Math.min(header.maxMsgBytes, PULL_BYTES_MAX) : PULL_BYTES_MAX;
    return reader.getMessage(group, topic, queueId, header.queueOffset, Math.max(1, header.maxMsgNums), maxBytes, filter);
  }

  /** Holds a PULL_NOT_FOUND; answers it at once when the hold table is full or a message just arrived. */
  private suspend(channel: Channel, request: RemotingCommand, header: PullHeader, filter: HeldPull['filter'], timeoutMs: number, notFound: RemotingCommand): Promise<RemotingCommand | null> {
    // A message dispatched between the read and now raised its arrival before this pull was held.
    if (this.deps.reader.getMaxOffsetInQueue(header.topic, header.queueId) > header.queueOffset) return this.processRequest(channel, request, false);
    return new Promise((resolve) => {
      const held: HeldPull = {
        channel, request, pullFromOffset: header.queueOffset, filter, suspendedAtMs: this.deps.clock.monotonicMs(), timeoutMs: Math.max(0, timeoutMs), resolve,
      };
      if (this.holdService.suspend(header.topic, header.queueId, held)) return;
      if (this.holdService.size > 0) this.deps.log.warn({ held: this.holdService.size, topic: header.topic, group: header.consumerGroup }, 'pull not held: hold table full or stopped');
      resolve(notFound);
    });
  }
}

function composeResponse(
  request: RemotingCommand,
  header: PullHeader,
  result: GetMessageResult,
  topicSysFlag: number,
  group: PullGroupConfig,
  settings: PullBrokerSettings,
  isSlave: boolean,
): RemotingCommand {
  let code = pullResponseCode(result.status, header.queueOffset);
  let suggestWhichBrokerId = 0;
  if (settings.slaveReadEnable) suggestWhichBrokerId = result.suggestPullingFromSlave ? group.whichBrokerWhenConsumeSlowly : group.brokerId;
  if (settings.brokerId !== 0 && !result.suggestPullingFromSlave) {
    // A slave sends consumers back to the master unless it has the data they need.
    suggestWhichBrokerId = 0;
    if (result.status !== GetMessageStatus.FOUND) code = ResponseCode.PULL_RETRY_IMMEDIATELY;
  }
  if (code === ResponseCode.PULL_OFFSET_MOVED && isSlave) {
    suggestWhichBrokerId = group.brokerId;
    code = ResponseCode.PULL_RETRY_IMMEDIATELY;
  }
  const ext = PullMessageResponseHeader.encode({
    suggestWhichBrokerId, nextBeginOffset: result.nextBeginOffset, minOffset: result.minOffset, maxOffset: result.maxOffset,
    topicSysFlag, groupSysFlag: group.groupSysFlag,
  });
  const body = code === ResponseCode.SUCCESS ? joinRecords(result.buffers, result.bufferTotalBytes) : undefined;
  return createResponseCommand(request, code, result.status, ext, body);
}

function pullError(request: RemotingCommand, code: number, remark: string, forbiddenType?: number): RemotingCommand {
  return createResponseCommand(request, code, remark, forbiddenType === undefined ? undefined : { forbiddenType: String(forbiddenType) });
}
