// Finding messages by id and handing one to a consumer (the -g/-d path of queryMsgById and
// queryMsgByUniqueKey), and the -c (cluster) option of the key/id queries.

import { type MessageExt, decodeOffsetMessageId, formatSocketAddress, isLmqTopic } from '@apogee/common';
import { type ConsumeMessageDirectlyAnswer, type DefaultMQAdminExt, MQClientError } from '@apogee/client';
import { ResponseCode } from '@apogee/remoting';
import { CommandFailedError, UsageError, describeError } from '../../errors.js';
import type { CommandOptions } from '../../options.js';

/**
 * The message `msgId` names, as RocketMQ's admin queryMessage(cluster, topic, msgId) finds it:
 * an offset message id is read at its store host; an id that is not one, or names nothing
 * there, is looked up as the producer's unique key (stored in the last 3 days).
 */
export async function findMessage(admin: DefaultMQAdminExt, topic: string, msgId: string, cluster: ClusterFilter): Promise<MessageExt> {
  let viewError: unknown;
  if (decodeOffsetMessageId(msgId).ok) {
    try {
      return await admin.viewMessage(msgId, topic);
    } catch (err) {
      viewError = err;
    }
  }
  const found = (await messagesByUniqKey(admin, topic, msgId, cluster, Date.now() - 3 * 86_400_000))[0];
  if (found !== undefined) return found;
  const why = viewError === undefined ? '' : ` (as an offset id: ${describeError(viewError)})`;
  throw new CommandFailedError(`no message ${msgId} in topic ${topic}${why}`);
}

/** RocketMQ's query of a unique key: at most 32 messages. */
export const UNIQ_KEY_QUERY_MAX = 32;

/**
 * Every message of `topic` (on the cluster's brokers) whose unique key is `uniqKey`, stored since
 * `sinceMs`, oldest first; [] when there is none.
 */
export async function messagesByUniqKey(admin: DefaultMQAdminExt, topic: string, uniqKey: string, cluster: ClusterFilter, sinceMs = 0): Promise<MessageExt[]> {
  let list: MessageExt[];
  try {
    list = (await admin.queryMessage(topic, uniqKey, UNIQ_KEY_QUERY_MAX, sinceMs, Number.MAX_SAFE_INTEGER, true)).messageList;
  } catch (err) {
    if (err instanceof MQClientError && err.clientErrorCode === ResponseCode.NO_MESSAGE) return [];
    throw err;
  }
  return (await cluster.keep(admin, list)).sort((a, b) => a.storeTimestamp - b.storeTimestamp);
}

/** What `-g group -d clientId` printed for one message id. */
export interface ConsumeDirectlyRow {
  msgId: string;
  consumerGroup: string;
  clientId: string;
  /** the consumer's answer, when it was asked */
  result?: ConsumeMessageDirectlyAnswer;
  /** why it was not asked or did not answer */
  error?: string;
}

/**
 * Asks the push consumer `clientId` of `consumerGroup` to consume the message now (RocketMQ's
 * pushMsg): refused when the client's running info does not say it is a push consumer.
 */
export async function consumeDirectly(admin: DefaultMQAdminExt, row: { msgId: string; consumerGroup: string; clientId: string }, msg: () => Promise<MessageExt>): Promise<ConsumeDirectlyRow> {
  try {
    const info = await admin.getConsumerRunningInfo(row.consumerGroup, row.clientId).catch((err: unknown) => {
      throw new CommandFailedError(`get consumer runtime info for ${row.clientId} client failed: ${describeError(err)}`);
    });
    if (info.properties.get('PROP_CONSUME_TYPE') !== 'CONSUME_PASSIVELY') {
      throw new CommandFailedError(`this ${row.clientId} client is not push consumer, not support direct push`);
    }
    const found = await msg();
    return { ...row, result: await admin.consumeMessageDirectly(row.consumerGroup, row.clientId, found.topic, found.offsetMsgId) };
  } catch (err) {
    return { ...row, error: describeError(err) };
  }
}

/** RocketMQ's ConsumeMessageDirectlyResult.toString, or the reason it is missing. */
export function consumeDirectlyLine(row: ConsumeDirectlyRow): string {
  const r = row.result;
  if (r === undefined) return `${row.msgId}: ${row.error ?? 'no answer'}`;
  return `ConsumeMessageDirectlyResult [order=${r.order}, autoCommit=${r.autoCommit}, consumeResult=${r.consumeResult}, remark=${r.remark}, spentTimeMills=${r.spentTimeMills}]`;
}

/** -g and -d go together; either alone is a usage error (RocketMQ silently ignores it). */
export function directTarget(options: CommandOptions): { consumerGroup: string; clientId: string } | undefined {
  const consumerGroup = options.optionalText('consumerGroup');
  const clientId = options.optionalText('clientId');
  if (consumerGroup === undefined && clientId === undefined) return undefined;
  if (consumerGroup === undefined || clientId === undefined) throw new UsageError('options --consumerGroup (-g) and --clientId (-d) go together');
  return { consumerGroup, clientId };
}

/**
 * -c, --cluster: RocketMQ queries only the brokers of that cluster (for an LMQ topic it names the
 * parent topic instead; Apogee has no LMQ, so an LMQ topic is a usage error).
 */
export class ClusterFilter {
  private constructor(private readonly clusterName: string | undefined) {}

  static of(options: CommandOptions, topic: string): ClusterFilter {
    if (isLmqTopic(topic)) throw new UsageError(`LMQ topics (${topic}) are not supported`);
    return new ClusterFilter(options.optionalText('cluster'));
  }

  /** The messages stored on a broker of the cluster (all without -c). */
  async keep(admin: DefaultMQAdminExt, messages: MessageExt[]): Promise<MessageExt[]> {
    if (this.clusterName === undefined) return messages;
    const info = await admin.examineBrokerClusterInfo();
    const addrs = new Set<string>();
    for (const brokerName of info.clusterAddrTable.get(this.clusterName) ?? []) {
      for (const addr of info.brokerAddrTable.get(brokerName)?.brokerAddrs.values() ?? []) addrs.add(addr);
    }
    return messages.filter((m) => addrs.has(formatSocketAddress(m.storeHost)));
  }
}
