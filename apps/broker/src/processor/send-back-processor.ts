// CONSUMER_SEND_MSG_BACK (36): a consumed message that failed goes to its group's retry topic
// with a delay, or to the dead-letter queue (reference §3.2.2, rocketmq-store-ha.md §21.1):
//   group missing and not creatable 26 | broker not writable 16 | group retryQueueNums <= 0 -> 0
//   (dropped) | %RETRY%<group> created (retryQueueNums queues, RW) | topic not writable 16 |
//   message looked up by its commit-log offset (missing -> 1) |
//   reconsumeTimes >= maxReconsumeTimes, or delayLevel < 0 -> %DLQ%<group> queue 0 (1 queue, RW),
//   no delay; else delay level = header delayLevel, or 3 + reconsumeTimes when it is 0.
// Anything but PUT_OK answers 1 with the status name, as RocketMQ does (the client then sends the
// message to the retry topic itself).
// The new message keeps body, flag, properties, sysFlag, born timestamp and host; it gets
// RETRY_TOPIC (the original topic, if not yet set), ORIGIN_MESSAGE_ID (kept, else the message's
// offset id), WAIT=false, DELAY, reconsumeTimes + 1 and this broker as store host. The delay put
// hook sends it through SCHEDULE_TOPIC_XXXX to %RETRY%<group> when due.

import { type Logger, MessageConst, PermName, getDLQTopic, getRetryTopic, propertiesToString } from '@apogee/common';
import {
  type RemotingCommand, type RequestContext, type RequestProcessor, ConsumerSendMsgBackRequestHeader, RequestCode, ResponseCode,
  decodeRequestHeader, errorResponse, successResponse,
} from '@apogee/remoting';
import { type MessageInner, PutMessageStatus } from '@apogee/store';
import type { StoreHostCache } from '../send/host-addresses.js';
import type { MessageLookup, MessageWriter } from '../send/message-writer.js';
import { DLQ_QUEUE_NUMS, MAX_RECONSUME_TIMES_VERSION_MIN } from '../send/retry-dlq-redirect.js';
import { type SendTopicConfigs, TopicSysFlag, randomQueueId } from '../send/send-message-check.js';

/** Retry levels start here: the first retry waits level 3 (10 s by default). */
export const RETRY_DELAY_LEVEL_BASE = 3;

export interface SendBackGroupConfig {
  readonly retryQueueNums: number;
  readonly retryMaxTimes: number;
}

export interface SendBackDeps {
  readonly settings: () => { readonly brokerPermission: number; readonly brokerIP1: string };
  readonly groups: { findSubscriptionGroupConfig(group: string): SendBackGroupConfig | undefined };
  readonly topics: SendTopicConfigs;
  readonly store: MessageWriter & MessageLookup;
  readonly storeHost: StoreHostCache;
  readonly log: Logger;
}

export class SendBackProcessor implements RequestProcessor {
  constructor(private readonly deps: SendBackDeps) {}

  async process(_ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand> {
    if (request.code !== RequestCode.CONSUMER_SEND_MSG_BACK) {
      return errorResponse(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED, `send-back processor does not handle request code ${request.code}`);
    }
    const decoded = decodeRequestHeader(ConsumerSendMsgBackRequestHeader, request);
    if (!decoded.ok) return decoded.response;
    const header = decoded.header;
    const { group } = header;
    const settings = this.deps.settings();
    const groupConfig = this.deps.groups.findSubscriptionGroupConfig(group);
    if (groupConfig === undefined) return errorResponse(request, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, `subscription group ${group} does not exist on this broker`);
    if (!PermName.isWriteable(settings.brokerPermission)) {
      return errorResponse(request, ResponseCode.NO_PERMISSION, `broker ${settings.brokerIP1} does not accept messages: its permission ${PermName.perm2String(settings.brokerPermission)} has no write bit`);
    }
    if (groupConfig.retryQueueNums <= 0) return successResponse(request);

    const retryTopic = getRetryTopic(group);
    const topicSysFlag = header.unitMode ? TopicSysFlag.FLAG_UNIT_SUB : 0;
    const retryConfig = this.deps.topics.createTopicInSendMessageBackMethod(retryTopic, groupConfig.retryQueueNums, PermName.PERM_READ | PermName.PERM_WRITE, false, topicSysFlag);
    if (retryConfig === undefined) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `retry topic ${retryTopic} could not be created`);
    if (!PermName.isWriteable(retryConfig.perm)) return errorResponse(request, ResponseCode.NO_PERMISSION, `retry topic ${retryTopic} does not accept messages`);

    const original = header.offset >= 0 ? await this.deps.store.lookMessageByOffset(header.offset) : undefined;
    if (original === undefined) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `no message is stored at commit-log offset ${header.offset}; cannot send it back`);

    let maxReconsumeTimes = groupConfig.retryMaxTimes;
    if (request.version >= MAX_RECONSUME_TIMES_VERSION_MIN && header.maxReconsumeTimes !== undefined) maxReconsumeTimes = header.maxReconsumeTimes;
    const isDLQ = original.reconsumeTimes >= maxReconsumeTimes || header.delayLevel < 0;
    let topic = retryTopic;
    let queueId = randomQueueId(groupConfig.retryQueueNums);
    let delayLevel = header.delayLevel === 0 ? RETRY_DELAY_LEVEL_BASE + original.reconsumeTimes : header.delayLevel;
    if (isDLQ) {
      topic = getDLQTopic(group);
      queueId = 0;
      delayLevel = 0;
      if (this.deps.topics.createTopicInSendMessageBackMethod(topic, DLQ_QUEUE_NUMS, PermName.PERM_READ | PermName.PERM_WRITE, false, 0) === undefined) {
        return errorResponse(request, ResponseCode.SYSTEM_ERROR, `dead-letter topic ${topic} could not be created`);
      }
    }

    const properties = new Map(original.properties);
    if (!properties.has(MessageConst.PROPERTY_RETRY_TOPIC)) properties.set(MessageConst.PROPERTY_RETRY_TOPIC, original.topic);
    properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false');
    properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(delayLevel));
    const originMsgId = properties.get(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID);
    if (originMsgId === undefined || originMsgId.trim() === '') properties.set(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, original.offsetMsgId);
    const msg: MessageInner = {
      topic, queueId, flag: original.flag, body: original.body, properties, propertiesString: propertiesToString(properties),
      sysFlag: original.sysFlag, bornTimestamp: original.bornTimestamp, bornHost: original.bornHost, storeHost: this.deps.storeHost.get(),
      reconsumeTimes: original.reconsumeTimes + 1, preparedTransactionOffset: 0,
    };
    const put = await this.deps.store.putMessage(msg);
    if (put.status !== PutMessageStatus.PUT_OK) return errorResponse(request, ResponseCode.SYSTEM_ERROR, `message not sent back to ${topic}: ${put.status}${put.remark === undefined ? '' : ` (${put.remark})`}`);
    if (isDLQ) this.deps.log.info({ group, dlq: topic, originTopic: header.originTopic, reconsumeTimes: original.reconsumeTimes, uniqKey: properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) }, 'message moved to the dead-letter queue');
    return successResponse(request);
  }
}
