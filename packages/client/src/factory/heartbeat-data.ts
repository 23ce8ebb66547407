// HEART_BEAT body (HeartbeatData, reference §3.3.2), written as fastjson writes it (keys sorted):
//   {"clientID":"ip@instance","consumerDataSet":[ConsumerData...],"heartbeatFingerprint":0,
//    "producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"},{"groupName":"pg"}],"withoutSub":false}
// ConsumerData: consumeFromWhere, consumeType, groupName, messageModel, subscriptionDataSet, unitMode.

import { toFastjsonBuffer } from '@apogee/remoting';
import { type SubscriptionData, subscriptionDataJson } from '../consumer/subscription-data.js';

/** CONSUME_PASSIVELY = push; CONSUME_ACTIVELY = pull and lite pull. */
export type ConsumeType = 'CONSUME_ACTIVELY' | 'CONSUME_PASSIVELY';
export type MessageModel = 'CLUSTERING' | 'BROADCASTING';
export type ConsumeFromWhere =
  | 'CONSUME_FROM_LAST_OFFSET'
  | 'CONSUME_FROM_FIRST_OFFSET'
  | 'CONSUME_FROM_TIMESTAMP';

export interface ConsumerData {
  readonly groupName: string;
  readonly consumeType: ConsumeType;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly subscriptionDataSet: readonly SubscriptionData[];
  readonly unitMode: boolean;
}

export interface HeartbeatData {
  readonly clientID: string;
  readonly producerGroups: readonly string[];
  readonly consumerDataSet: readonly ConsumerData[];
}

export function encodeHeartbeatData(data: HeartbeatData): Buffer {
  return toFastjsonBuffer({
    clientID: data.clientID,
    consumerDataSet: data.consumerDataSet.map((c) => ({
      consumeFromWhere: c.consumeFromWhere,
      consumeType: c.consumeType,
      groupName: c.groupName,
      messageModel: c.messageModel,
      subscriptionDataSet: c.subscriptionDataSet.map(subscriptionDataJson),
      unitMode: c.unitMode,
    })),
    heartbeatFingerprint: 0,
    producerDataSet: data.producerGroups.map((groupName) => ({ groupName })),
    withoutSub: false,
  });
}
