// Which consumer groups have consumed a message (RocketMQ's DefaultMQAdminExtImpl.messageTrackDetail),
// printed after a message's detail block as a #ConsumerGroup #TrackType table.
//   every group consuming the topic (queryTopicConsumeByWho), then per group:
//   - its connection cannot be read: NOT_ONLINE (consumer not online) or UNKNOWN, with the reason;
//   - pull consumers (CONSUME_ACTIVELY): PULL;
//   - push consumers (CONSUME_PASSIVELY): CONSUMED when the group's consumer offset on the
//     message's queue at its store host is past the message, CONSUMED_BUT_FILTERED when the
//     group's subscription of the topic does not take the message's tag, else NOT_CONSUME_YET;
//     NOT_ONLINE / CONSUME_BROADCASTING when its consume stats say so.

import { type MessageExt, MASTER_ID, formatSocketAddress } from '@apogee/common';
import { type ConsumerConnection, type DefaultMQAdminExt, MQBrokerError, MQClientError } from '@apogee/client';
import { ResponseCode } from '@apogee/remoting';
import type { OutputBlock } from '../../command.js';

export type TrackType = 'CONSUMED' | 'CONSUMED_BUT_FILTERED' | 'PULL' | 'NOT_CONSUME_YET' | 'NOT_ONLINE' | 'CONSUME_BROADCASTING' | 'UNKNOWN';

export interface MessageTrack {
  consumerGroup: string;
  trackType: TrackType;
  /** why the track type could not be told (RocketMQ's exceptionDesc), null otherwise */
  exceptionDesc: string | null;
}

export async function messageTrackDetail(admin: DefaultMQAdminExt, msg: MessageExt): Promise<MessageTrack[]> {
  const groups = [...(await admin.queryTopicConsumeByWho(msg.topic))].sort();
  const tracks: MessageTrack[] = [];
  for (const consumerGroup of groups) tracks.push(await trackOfGroup(admin, msg, consumerGroup));
  return tracks;
}

async function trackOfGroup(admin: DefaultMQAdminExt, msg: MessageExt, consumerGroup: string): Promise<MessageTrack> {
  let connection: ConsumerConnection;
  try {
    connection = await admin.examineConsumerConnectionInfo(consumerGroup);
  } catch (err) {
    const notOnline = codeOf(err) === ResponseCode.CONSUMER_NOT_ONLINE;
    return { consumerGroup, trackType: notOnline ? 'NOT_ONLINE' : 'UNKNOWN', exceptionDesc: describe(err) };
  }
  if (connection.consumeType === 'CONSUME_ACTIVELY') return { consumerGroup, trackType: 'PULL', exceptionDesc: null };
  if (connection.consumeType !== 'CONSUME_PASSIVELY') return { consumerGroup, trackType: 'UNKNOWN', exceptionDesc: null };
  let consumed: boolean;
  try {
    consumed = await isConsumed(admin, msg, consumerGroup);
  } catch (err) {
    const code = codeOf(err);
    if (code === ResponseCode.CONSUMER_NOT_ONLINE) return { consumerGroup, trackType: 'NOT_ONLINE', exceptionDesc: describe(err) };
    if (code === ResponseCode.BROADCAST_CONSUMPTION) return { consumerGroup, trackType: 'CONSUME_BROADCASTING', exceptionDesc: null };
    return { consumerGroup, trackType: 'UNKNOWN', exceptionDesc: describe(err) };
  }
  if (!consumed) return { consumerGroup, trackType: 'NOT_CONSUME_YET', exceptionDesc: null };
  const expression = connection.subscriptionTable.get(msg.topic);
  return { consumerGroup, trackType: expression === undefined || takesTag(expression, msg.getTags()) ? 'CONSUMED' : 'CONSUMED_BUT_FILTERED', exceptionDesc: null };
}

async function isConsumed(admin: DefaultMQAdminExt, msg: MessageExt, consumerGroup: string): Promise<boolean> {
  const stats = await admin.examineConsumeStats(consumerGroup);
  const info = await admin.examineBrokerClusterInfo();
  const storeHost = formatSocketAddress(msg.storeHost);
  return stats.offsetTable.some((o) => {
    const mq = o.messageQueue;
    if (mq.topic !== msg.topic || mq.queueId !== msg.queueId) return false;
    return info.brokerAddrTable.get(mq.brokerName)?.brokerAddrs.get(MASTER_ID) === storeHost && o.consumerOffset > msg.queueOffset;
  });
}

function takesTag(expression: string, tag: string | undefined): boolean {
  const tags = expression.split('||').map((t) => t.trim()).filter((t) => t !== '');
  return tags.length === 0 || tags.includes('*') || (tag !== undefined && tags.includes(tag));
}

function codeOf(err: unknown): number | undefined {
  if (err instanceof MQBrokerError) return err.responseCode;
  if (err instanceof MQClientError) return err.clientErrorCode;
  return undefined;
}

function describe(err: unknown): string {
  if (err instanceof MQBrokerError) return `CODE:${err.responseCode} DESC:${err.remark}`;
  return err instanceof Error ? err.message : String(err);
}

/** The table after a detail block, or RocketMQ's `WARN: No Consumer`. */
export function trackBlock(tracks: readonly MessageTrack[]): OutputBlock {
  if (tracks.length === 0) return '\nWARN: No Consumer\n';
  return {
    columns: [
      { header: '#ConsumerGroup', overflow: 'wrap', widthMin: 20 },
      { header: '#TrackType', widthMin: 15 },
      { header: '#ExceptionDesc', overflow: 'wrap', widthMin: 20, hideable: true },
    ],
    rows: tracks.map((t) => [t.consumerGroup, t.trackType, t.exceptionDesc ?? '']),
  };
}

/** Tracking that failed as a whole is reported in the output, as RocketMQ prints its stack and goes on. */
export async function tracksOrError(admin: DefaultMQAdminExt, msg: MessageExt): Promise<{ tracks: MessageTrack[]; trackError?: string }> {
  try {
    return { tracks: await messageTrackDetail(admin, msg) };
  } catch (err) {
    return { tracks: [], trackError: describe(err) };
  }
}
