// PULL_MESSAGE (11) / LITE_PULL_MESSAGE (361) and what a response means (reference §3.3.1,
// MQClientAPIImpl.processPullResponse + PullAPIWrapper.processPullResult):
//   0 FOUND, 19 NO_NEW_MSG, 20 NO_MATCHED_MSG, 21 OFFSET_ILLEGAL; any other code is an error.
// FOUND bodies are decoded (compressed bodies inflated), re-filtered by exact tag, and every
// message gets MIN_OFFSET/MAX_OFFSET properties. A lite pull (sysFlag LITE_PULL) uses code 361.

import { MessageConst, type MessageExt, type MessageQueue, decodeMessageRecords } from '@apogee/common';
import {
  PullMessageRequestHeader, PullMessageResponseHeader, PullSysFlag, RequestCode, ResponseCode, type RemotingCommand, type SubscriptionData,
  createRequestCommand,
} from '@apogee/remoting';
import { matchesSubscription } from '../consumer/subscription-data.js';
import { errorFromResponse } from '../errors.js';
import { type ClientRemoting, readHeader } from './client-remoting.js';

export type PullStatus = 'FOUND' | 'NO_NEW_MSG' | 'NO_MATCHED_MSG' | 'OFFSET_ILLEGAL';

export interface PullResult {
  readonly pullStatus: PullStatus;
  /** The offset to pull from next. */
  readonly nextBeginOffset: number;
  readonly minOffset: number;
  readonly maxOffset: number;
  /** FOUND: the messages that match the subscription (possibly none after the tag re-check). */
  readonly msgFoundList: MessageExt[];
  /** The broker id the next pull of this queue should go to (0 = master). */
  readonly suggestWhichBrokerId: number;
}

const STATUS_OF_CODE: ReadonlyMap<number, PullStatus> = new Map([
  [ResponseCode.SUCCESS, 'FOUND'],
  [ResponseCode.PULL_NOT_FOUND, 'NO_NEW_MSG'],
  [ResponseCode.PULL_RETRY_IMMEDIATELY, 'NO_MATCHED_MSG'],
  [ResponseCode.PULL_OFFSET_MOVED, 'OFFSET_ILLEGAL'],
]);

export interface PullRequestSpec {
  readonly consumerGroup: string;
  readonly mq: MessageQueue;
  readonly queueOffset: number;
  readonly maxMsgNums: number;
  readonly sysFlag: number;
  readonly commitOffset: number;
  /** How long the broker may hold the request when nothing is there, ms (0 = answer at once). */
  readonly suspendTimeoutMs: number;
  readonly subscription: SubscriptionData;
  /** Default 262_144 (256 KiB, push default). */
  readonly maxMsgBytes?: number;
}

export function pullRequestCommand(spec: PullRequestSpec): RemotingCommand {
  const sub = spec.subscription;
  const withSubscription = (spec.sysFlag & PullSysFlag.SUBSCRIPTION) !== 0;
  const header = PullMessageRequestHeader.encode({
    consumerGroup: spec.consumerGroup,
    topic: spec.mq.topic,
    queueId: spec.mq.queueId,
    queueOffset: spec.queueOffset,
    maxMsgNums: spec.maxMsgNums,
    sysFlag: spec.sysFlag,
    commitOffset: spec.commitOffset,
    suspendTimeoutMillis: spec.suspendTimeoutMs,
    ...(withSubscription ? { subscription: sub.subString } : {}),
    subVersion: sub.expressionType === 'TAG' && withSubscription ? 0 : sub.subVersion,
    expressionType: sub.expressionType,
    ...(spec.maxMsgBytes === undefined ? {} : { maxMsgBytes: spec.maxMsgBytes }),
    bname: spec.mq.brokerName,
  });
  const code = (spec.sysFlag & PullSysFlag.LITE_PULL) !== 0 ? RequestCode.LITE_PULL_MESSAGE : RequestCode.PULL_MESSAGE;
  return createRequestCommand(code, header);
}

/** Sends one pull and reads its answer; non-pull codes reject with MQBrokerError. */
export async function pullMessage(remoting: ClientRemoting, addr: string, spec: PullRequestSpec, timeoutMs: number): Promise<PullResult> {
  const request = pullRequestCommand(spec);
  const response = await remoting.invoke(addr, request, timeoutMs);
  return processPullResponse(response, addr, spec);
}

export function processPullResponse(response: RemotingCommand, addr: string, spec: PullRequestSpec): PullResult {
  const pullStatus = STATUS_OF_CODE.get(response.code);
  if (pullStatus === undefined) throw errorFromResponse(response, addr);
  const header = readHeader(PullMessageResponseHeader, response, addr, RequestCode.PULL_MESSAGE);
  let msgFoundList: MessageExt[] = [];
  if (pullStatus === 'FOUND' && response.body !== undefined) {
    const decoded = decodeMessageRecords(response.body, { decompressBody: true, copyBody: true });
    msgFoundList = decoded.messages.filter((m) => matchesSubscription(spec.subscription, m));
    const minText = String(header.minOffset);
    const maxText = String(header.maxOffset);
    for (const msg of msgFoundList) {
      if (msg.getProperty(MessageConst.PROPERTY_TRANSACTION_PREPARED)?.toLowerCase() === 'true') {
        const uniq = msg.getProperty(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
        if (uniq !== undefined) msg.transactionId = uniq;
      }
      msg.putProperty(MessageConst.PROPERTY_MIN_OFFSET, minText);
      msg.putProperty(MessageConst.PROPERTY_MAX_OFFSET, maxText);
      msg.queueId = spec.mq.queueId;
      if (header.offsetDelta !== undefined) msg.queueOffset += header.offsetDelta;
    }
  }
  return {
    pullStatus,
    nextBeginOffset: header.nextBeginOffset,
    minOffset: header.minOffset,
    maxOffset: header.maxOffset,
    msgFoundList,
    suggestWhichBrokerId: header.suggestWhichBrokerId,
  };
}
