// The message a due SCHEDULE_TOPIC_XXXX record becomes (RocketMQ's messageTimeUp, reference
// rocketmq-store-ha.md §18 step 3): same body, flag, sysFlag, born timestamp/host, store host and
// reconsumeTimes; properties without DELAY, TIMER_DELIVER_MS and TIMER_DELAY_SEC, with WAIT=false;
// topic and queue restored from REAL_TOPIC / REAL_QID (those two properties stay on it).
// A record whose real topic is the half-message topic is discarded, as RocketMQ does.

import { MessageConst, type MessageExt, TopicValidator, propertiesToString } from '@apogee/common';
import type { MessageInner } from '@apogee/store';

export type DeliveredMessage = { ok: true; msg: MessageInner } | { ok: false; reason: string };

export function deliveredMessageOf(ext: MessageExt): DeliveredMessage {
  const properties = new Map(ext.properties);
  const realTopic = properties.get(MessageConst.PROPERTY_REAL_TOPIC);
  const realQueueIdText = properties.get(MessageConst.PROPERTY_REAL_QUEUE_ID);
  if (realTopic === undefined || realTopic === '') return { ok: false, reason: 'delayed message has no REAL_TOPIC' };
  if (realQueueIdText === undefined || !/^\d{1,10}$/.test(realQueueIdText) || Number(realQueueIdText) > 0x7fff_ffff) {
    return { ok: false, reason: `delayed message has REAL_QID ${JSON.stringify(realQueueIdText)}, not a queue id` };
  }
  if (realTopic === TopicValidator.RMQ_SYS_TRANS_HALF_TOPIC) return { ok: false, reason: `delayed message to ${realTopic} is discarded` };
  properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'false');
  properties.delete(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  properties.delete(MessageConst.PROPERTY_TIMER_DELIVER_MS);
  properties.delete(MessageConst.PROPERTY_TIMER_DELAY_SEC);
  return {
    ok: true,
    msg: {
      topic: realTopic,
      queueId: Number(realQueueIdText),
      flag: ext.flag,
      body: ext.body,
      properties,
      propertiesString: propertiesToString(properties),
      sysFlag: ext.sysFlag,
      bornTimestamp: ext.bornTimestamp,
      bornHost: ext.bornHost,
      storeHost: ext.storeHost,
      reconsumeTimes: ext.reconsumeTimes,
      preparedTransactionOffset: 0,
    },
  };
}
