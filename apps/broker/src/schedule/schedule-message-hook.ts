// The two store hooks of delay levels (reference rocketmq-store-ha.md §18; RocketMQ's
// HookUtils.handleScheduleMessage and the dispatch-time tags code of checkMessageAndReturnSize):
//
// Put hook: a message of transaction type NOT_TYPE or COMMIT with DELAY > 0 is written to
//   SCHEDULE_TOPIC_XXXX queue level-1 instead, its level clamped to the highest one, with
//   REAL_TOPIC / REAL_QID keeping where it goes when due. It applies to every put (sends,
//   send-backs, committed transactions), wherever it comes from.
// Tags code hook: the ConsumeQueue unit of a SCHEDULE_TOPIC_XXXX record holds its delivery time
//   (store time + the level's delay) instead of a tag hash, so the delivery service knows when a
//   unit is due from the 20-byte unit alone, as on a RocketMQ disk.

import { MessageConst, MessageSysFlag, TopicValidator, getTransactionValue, propertiesToString, stringToProperties } from '@apogee/common';
import type { MessageInner, PutMessageHook, PutMessageResult, TagsCodeHook } from '@apogee/store';
import { delayLevelOf } from '../send/transaction-hook.js';
import { type DelayLevelTable, queueIdOfDelayLevel } from './delay-level-table.js';

const SCHEDULE_TOPIC = TopicValidator.RMQ_SYS_SCHEDULE_TOPIC;

export class ScheduleMessagePutHook implements PutMessageHook {
  readonly hookName = 'scheduleMessage';

  constructor(private readonly levels: DelayLevelTable) {}

  executeBeforePutMessage(msg: MessageInner): PutMessageResult | undefined {
    const tranType = getTransactionValue(msg.sysFlag);
    if (tranType !== MessageSysFlag.TRANSACTION_NOT_TYPE && tranType !== MessageSysFlag.TRANSACTION_COMMIT_TYPE) return undefined;
    const requested = delayLevelOf(msg.properties);
    if (requested <= 0) return undefined;
    const level = this.levels.clamp(requested);
    if (level !== requested) msg.properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
    msg.properties.set(MessageConst.PROPERTY_REAL_TOPIC, msg.topic);
    msg.properties.set(MessageConst.PROPERTY_REAL_QUEUE_ID, String(msg.queueId));
    msg.propertiesString = propertiesToString(msg.properties);
    msg.topic = SCHEDULE_TOPIC;
    msg.queueId = queueIdOfDelayLevel(level);
    return undefined;
  }
}

/** The dispatch-time tags code of SCHEDULE_TOPIC_XXXX units: their delivery time in ms. */
export function scheduleTagsCodeHook(levels: DelayLevelTable): TagsCodeHook {
  return (topic, properties, storeTimestamp, tagsCode) => {
    if (topic !== SCHEDULE_TOPIC) return tagsCode;
    const level = delayLevelOf(stringToProperties(properties));
    if (level <= 0) return tagsCode;
    return levels.deliverTimestampMs(levels.clamp(level), storeTimestamp);
  };
}
