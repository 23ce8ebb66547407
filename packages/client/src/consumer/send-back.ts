// A consumed message that failed goes back to the broker for a later retry (reference §3.2.2,
// §7.2 step 7): CONSUMER_SEND_MSG_BACK to the master of the broker it came from; if that fails,
// the client sends a copy to `%RETRY%<group>` itself (a normal SEND_MESSAGE_V2 as the instance's
// CLIENT_INNER_PRODUCER) with RETRY_TOPIC, ORIGIN_MESSAGE_ID, RECONSUME_TIME, MAX_RECONSUME_TIMES
// and DELAY = 3 + reconsumeTimes. Resolves false only when both ways failed.

import {
  CLIENT_INNER_PRODUCER_GROUP, Message, MessageConst, type MessageExt, type MessageQueue, MASTER_ID, getRetryTopic,
} from '@apogee/common';
import { consumerSendMessageBack } from '../api/consumer-api.js';
import type { MQClientInstance } from '../factory/mq-client-instance.js';
import { publishQueuesOf } from '../factory/topic-route.js';
import { prepareSingle, sendRequestCommand } from '../producer/send-request.js';
import { processSendResponse } from '../producer/send-result.js';

export interface SendBackContext {
  readonly instance: MQClientInstance;
  /** Wire group name. */
  readonly groupName: string;
  readonly maxReconsumeTimes: number;
  /** Namespace, for INSTANCE_ID on the fallback copy. */
  readonly namespace: string | undefined;
}

/** `delayLevel`: 0 lets the broker choose; -1 sends straight to the DLQ. */
export async function sendMessageBack(ctx: SendBackContext, msg: MessageExt, mq: MessageQueue, delayLevel: number): Promise<boolean> {
  const { instance } = ctx;
  const brokerAddr = instance.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true)?.brokerAddr;
  if (brokerAddr !== undefined) {
    try {
      await consumerSendMessageBack(instance.remoting, brokerAddr, {
        commitLogOffset: msg.commitLogOffset, group: ctx.groupName, delayLevel, originMsgId: msg.msgId,
        originTopic: msg.topic, maxReconsumeTimes: ctx.maxReconsumeTimes, brokerName: mq.brokerName,
      });
      return true;
    } catch (err) {
      instance.log.warn({ err, msgId: msg.msgId, group: ctx.groupName }, 'CONSUMER_SEND_MSG_BACK failed; sending to the retry topic directly');
    }
  }
  try {
    await sendToRetryTopic(ctx, msg, delayLevel);
    return true;
  } catch (err) {
    instance.log.warn({ err, msgId: msg.msgId, group: ctx.groupName }, 'sending to the retry topic failed');
    return false;
  }
}

/** The fallback copy of `msg` for `%RETRY%<group>` (DefaultMQPushConsumerImpl.sendMessageBack); it keeps the UNIQ_KEY, so consumers see the same msgId. */
export function retryCopyOf(msg: MessageExt, groupName: string, maxReconsumeTimes: number, delayLevel: number): Message {
  const copy = new Message(getRetryTopic(groupName), msg.body, { properties: new Map(msg.properties), flag: msg.flag });
  copy.putProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID, msg.getProperty(MessageConst.PROPERTY_ORIGIN_MESSAGE_ID) ?? msg.msgId);
  copy.putProperty(MessageConst.PROPERTY_RETRY_TOPIC, msg.getProperty(MessageConst.PROPERTY_RETRY_TOPIC) ?? msg.topic);
  copy.putProperty(MessageConst.PROPERTY_RECONSUME_TIME, String(msg.reconsumeTimes + 1));
  copy.putProperty(MessageConst.PROPERTY_MAX_RECONSUME_TIMES, String(maxReconsumeTimes));
  copy.clearProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED);
  copy.setDelayTimeLevel(delayLevel > 0 ? delayLevel : 3 + msg.reconsumeTimes);
  return copy;
}

async function sendToRetryTopic(ctx: SendBackContext, msg: MessageExt, delayLevel: number): Promise<void> {
  const { instance } = ctx;
  const copy = retryCopyOf(msg, ctx.groupName, ctx.maxReconsumeTimes, delayLevel);
  await instance.updateTopicRouteInfoFromNameServer(copy.topic).catch(() => false);
  const route = instance.topicRoute(copy.topic);
  const queues = route === undefined ? [] : publishQueuesOf(copy.topic, route).queues;
  const mq = queues[Math.floor(Math.random() * queues.length)];
  if (mq === undefined) throw new Error(`no route to ${copy.topic}`);
  const addr = instance.findBrokerAddressInPublish(mq.brokerName);
  if (addr === undefined) throw new Error(`no master for ${mq.brokerName}`);
  const settings = {
    producerGroup: CLIENT_INNER_PRODUCER_GROUP, createTopicKey: 'TBW102', defaultTopicQueueNums: 4,
    compressMsgBodyOverHowmuch: 4096, compressLevel: 5, maxMessageSize: 4 * 1024 * 1024,
  };
  const prepared = prepareSingle(copy, copy.topic, settings, ctx.namespace);
  const response = await instance.remoting.invoke(addr, sendRequestCommand(prepared, settings, mq.queueId, mq.brokerName, instance.config.clock.nowMs()));
  processSendResponse(response, { brokerAddr: addr, topic: copy.topic, brokerName: mq.brokerName, uniqMsgId: prepared.uniqMsgId });
}
