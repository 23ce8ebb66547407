// Where a consumer starts in a queue it just got (RebalanceImpl.computePullFromWhereWithException,
// reference §7.2 step 5e): the stored offset when there is one; otherwise by consumeFromWhere:
// LAST_OFFSET -> the queue's max offset (a retry topic: 0), FIRST_OFFSET -> 0, TIMESTAMP -> the
// offset at consumeTimestamp (a retry topic: max offset). A store that could not be read is an
// error: the caller tries again later rather than guessing.

import { MASTER_ID, type MessageQueue, isRetryTopic } from '@apogee/common';
import type { ConsumeFromWhere as WireConsumeFromWhere } from '@apogee/remoting';
import { getMaxOffset, searchOffset } from '../api/consumer-api.js';
import { ClientErrorCode, MQClientError } from '../errors.js';
import type { MQClientInstance } from '../factory/mq-client-instance.js';
import { OFFSET_NOT_FOUND, type OffsetStore, type ReadOffsetType } from './offset-store.js';

/**
 * Where a consumer may be told to start: the ConsumeFromWhere values RocketMQ has not deprecated.
 * A heartbeat's ConsumerData carries it as the wire type, which names the deprecated ones too.
 */
export type ConsumeFromWhere = Extract<WireConsumeFromWhere, 'CONSUME_FROM_LAST_OFFSET' | 'CONSUME_FROM_FIRST_OFFSET' | 'CONSUME_FROM_TIMESTAMP'>;

export interface PullFromWhereContext {
  readonly instance: MQClientInstance;
  readonly offsetStore: OffsetStore;
  readonly consumeFromWhere: ConsumeFromWhere;
  /** Epoch ms for CONSUME_FROM_TIMESTAMP. */
  readonly consumeTimestampMs: number;
  /** Push reads READ_FROM_STORE, lite pull MEMORY_FIRST_THEN_STORE. */
  readonly readType: ReadOffsetType;
}

export async function computePullFromWhere(ctx: PullFromWhereContext, mq: MessageQueue): Promise<number> {
  const stored = await ctx.offsetStore.readOffset(mq, ctx.readType);
  if (stored >= 0) return stored;
  if (stored !== OFFSET_NOT_FOUND) throw new MQClientError(`Fetch consume offset from broker exception, queue ${mq.topic}/${mq.brokerName}/${mq.queueId}`);
  switch (ctx.consumeFromWhere) {
    case 'CONSUME_FROM_FIRST_OFFSET':
      return 0;
    case 'CONSUME_FROM_LAST_OFFSET':
      return isRetryTopic(mq.topic) ? 0 : maxOffsetOf(ctx.instance, mq);
    case 'CONSUME_FROM_TIMESTAMP':
      if (isRetryTopic(mq.topic)) return maxOffsetOf(ctx.instance, mq);
      return searchOffset(ctx.instance.remoting, await masterOf(ctx.instance, mq), mq, ctx.consumeTimestampMs);
  }
}

export async function maxOffsetOf(instance: MQClientInstance, mq: MessageQueue): Promise<number> {
  return getMaxOffset(instance.remoting, await masterOf(instance, mq), mq);
}

/** The master address of the queue's broker, refreshing the route once if it is unknown. */
export async function masterOf(instance: MQClientInstance, mq: MessageQueue): Promise<string> {
  let addr = instance.findBrokerAddressInPublish(mq.brokerName);
  if (addr === undefined) {
    await instance.updateTopicRouteInfoFromNameServer(mq.topic).catch(() => false);
    addr = instance.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, false)?.brokerAddr;
  }
  if (addr === undefined) throw new MQClientError(`The broker[${mq.brokerName}] not exist`, ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION);
  return addr;
}

/** `yyyyMMddHHmmss` (local time, Java's UtilAll.timeMillisToHumanString3) to epoch ms. */
export function parseConsumeTimestamp(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (m === null) throw new MQClientError(`consumeTimestamp ${JSON.stringify(text)} is not yyyyMMddHHmmss`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(y, mo - 1, d, h, mi, s).getTime();
}
