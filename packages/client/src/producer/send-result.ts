// SendResult (org.apache.rocketmq.client.producer.SendResult) and how a send response becomes
// one (MQClientAPIImpl.processSendResponse, reference §3.2.1): codes 0/10/11/12 mean "stored"
// with a status; anything else is an MQBrokerError. msgId is the client's UNIQ_KEY (a batch's
// keys joined by ","), offsetMsgId the broker's offset id, MSG_REGION/TRACE_ON raw ext fields.

import { DEFAULT_TRACE_REGION_ID, type MessageQueue } from '@apogee/common';
import { type RemotingCommand, RequestCode, ResponseCode, SendMessageResponseHeader } from '@apogee/remoting';
import { readHeader } from '../api/client-remoting.js';
import { errorFromResponse } from '../errors.js';

export type SendStatus = 'SEND_OK' | 'FLUSH_DISK_TIMEOUT' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE';

export interface SendResult {
  readonly sendStatus: SendStatus;
  /** The message's UNIQ_KEY (what consumers see as msgId); a batch's keys joined by ",". */
  readonly msgId: string;
  /** The broker's offset message id (store host + commit-log offset); a batch's ids joined by ",". */
  readonly offsetMsgId: string;
  /** Where it was stored (topic without namespace). */
  readonly messageQueue: MessageQueue;
  /** Its offset in that queue (a batch: the first message's). */
  readonly queueOffset: number;
  readonly transactionId: string | undefined;
  /** The broker's region (MSG_REGION), default 'DefaultRegion'. */
  readonly regionId: string;
  /** TRACE_ON as the broker sent it (true unless "false"). */
  readonly traceOn: boolean;
}

const STATUS_OF_CODE: ReadonlyMap<number, SendStatus> = new Map([
  [ResponseCode.SUCCESS, 'SEND_OK'],
  [ResponseCode.FLUSH_DISK_TIMEOUT, 'FLUSH_DISK_TIMEOUT'],
  [ResponseCode.FLUSH_SLAVE_TIMEOUT, 'FLUSH_SLAVE_TIMEOUT'],
  [ResponseCode.SLAVE_NOT_AVAILABLE, 'SLAVE_NOT_AVAILABLE'],
]);

export interface SendResponseContext {
  readonly brokerAddr: string;
  /** Topic as the application names it (namespace removed). */
  readonly topic: string;
  readonly brokerName: string;
  /** UNIQ_KEY of the message, or the inner keys of a batch joined by ",". */
  readonly uniqMsgId: string;
}

export function processSendResponse(response: RemotingCommand, ctx: SendResponseContext): SendResult {
  const sendStatus = STATUS_OF_CODE.get(response.code);
  if (sendStatus === undefined) throw errorFromResponse(response, ctx.brokerAddr);
  const header = readHeader(SendMessageResponseHeader, response, ctx.brokerAddr, RequestCode.SEND_MESSAGE_V2);
  const ext = response.extFields ?? {};
  return {
    sendStatus,
    msgId: ctx.uniqMsgId,
    offsetMsgId: header.msgId,
    messageQueue: { topic: ctx.topic, brokerName: ctx.brokerName, queueId: header.queueId },
    queueOffset: header.queueOffset,
    transactionId: header.transactionId,
    regionId: ext['MSG_REGION'] ?? DEFAULT_TRACE_REGION_ID,
    traceOn: ext['TRACE_ON'] !== 'false',
  };
}
