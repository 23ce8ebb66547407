// Reading a topic's queues at given offsets, as RocketMQ's tools do with a DefaultMQPullConsumer
// (printMsg, consumeMessage, queryMsgByOffset): plain PULL_MESSAGE requests (no suspension, no
// offset commit) through the SDK's PullAPIWrapper on the admin client's instance, which finds
// the broker of a queue from the topic's route.

import { type MessageExt, type MessageQueue, TOOLS_CONSUMER_GROUP } from '@apogee/common';
import { type DefaultMQAdminExt, type PullResult, type PullStatus, type SubscriptionData, PullAPIWrapper, buildSubscriptionData, subscribeQueuesOf } from '@apogee/client';
import { PullSysFlag } from '@apogee/remoting';
import { CommandFailedError, UsageError } from '../../errors.js';

/** Messages a tool pull asks for at most (RocketMQ's printMsg pulls 32 at a time). */
export const PULL_BATCH_MAX = 32;

/** What reading a queue range yields, in order. */
export type ReadEvent =
  | { readonly kind: 'found'; readonly messages: MessageExt[]; readonly nextOffset: number }
  /** a batch none of whose messages matched the subscription */
  | { readonly kind: 'noMatched'; readonly nextOffset: number }
  /** the broker had nothing more (NO_NEW_MSG) or the offset was out of the queue (OFFSET_ILLEGAL) */
  | { readonly kind: 'finished'; readonly status: PullStatus; readonly nextOffset: number };

export interface OffsetRange {
  /** first offset to read */
  readonly minOffset: number;
  /** first offset not to read */
  readonly maxOffset: number;
}

export class QueueReader {
  private readonly pullApi: PullAPIWrapper;

  constructor(
    private readonly admin: DefaultMQAdminExt,
    private readonly consumerGroup: string = TOOLS_CONSUMER_GROUP,
  ) {
    const instance = admin.clientInstance;
    if (instance === undefined) throw new Error('the admin client is not started');
    this.pullApi = new PullAPIWrapper(instance, consumerGroup);
  }

  /** The readable queues of `topic` (fetchSubscribeMessageQueues), sorted. */
  async queuesOf(topic: string): Promise<MessageQueue[]> {
    return subscribeQueuesOf(topic, await this.admin.examineTopicRouteInfo(topic));
  }

  /**
   * Queue `queueId` of `topic` on broker `brokerName`, checked against the topic's route: an
   * unknown topic fails as the route lookup does, a broker or queue the route lacks is named.
   */
  async queueOf(topic: string, brokerName: string, queueId: number): Promise<MessageQueue> {
    const queues = await this.queuesOf(topic);
    const onBroker = queues.filter((q) => q.brokerName === brokerName);
    if (onBroker.length === 0) throw new CommandFailedError(`topic ${topic} has no readable queue on broker ${brokerName}`);
    const mq = onBroker.find((q) => q.queueId === queueId);
    if (mq === undefined) throw new CommandFailedError(`topic ${topic} has ${onBroker.length} readable queues on broker ${brokerName}, no queue ${queueId}`);
    return mq;
  }

  /** One pull of at most `maxNums` messages from `offset`. */
  pull(mq: MessageQueue, subscription: SubscriptionData, offset: number, maxNums: number): Promise<PullResult> {
    return this.pullApi.pullKernelImpl({
      consumerGroup: this.consumerGroup, mq, queueOffset: offset, maxMsgNums: maxNums, sysFlag: PullSysFlag.SUBSCRIPTION,
      commitOffset: 0, suspendTimeoutMs: 0, subscription,
    }, this.admin.timeoutMs);
  }

  /**
   * The queue's min and max offsets, or those of the begin/end times (searchOffset) when given,
   * as RocketMQ's printMsg and consumeMessage take them.
   */
  async range(mq: MessageQueue, beginMs: number | undefined, endMs: number | undefined): Promise<OffsetRange> {
    const minOffset = beginMs === undefined ? await this.admin.minOffset(mq) : await this.admin.searchOffset(mq, beginMs);
    const maxOffset = endMs === undefined ? await this.admin.maxOffset(mq) : await this.admin.searchOffset(mq, endMs);
    return { minOffset, maxOffset };
  }

  /** Reads [range.minOffset, range.maxOffset) in batches of at most PULL_BATCH_MAX; stops at the first `finished`. */
  async *read(mq: MessageQueue, subscription: SubscriptionData, range: OffsetRange): AsyncGenerator<ReadEvent> {
    let offset = range.minOffset;
    while (offset < range.maxOffset) {
      const result = await this.pull(mq, subscription, offset, Math.min(PULL_BATCH_MAX, range.maxOffset - offset));
      const nextOffset = result.nextBeginOffset;
      if (result.pullStatus === 'NO_NEW_MSG' || result.pullStatus === 'OFFSET_ILLEGAL' || nextOffset <= offset) {
        yield { kind: 'finished', status: result.pullStatus, nextOffset };
        return;
      }
      if (result.pullStatus === 'FOUND' && result.msgFoundList.length > 0) {
        yield { kind: 'found', messages: result.msgFoundList.filter((m) => m.queueOffset < range.maxOffset), nextOffset };
      } else {
        yield { kind: 'noMatched', nextOffset };
      }
      offset = nextOffset;
    }
  }
}

/** -s subExpression (`TagA || TagB`, default `*`) as a tag subscription; a UsageError when malformed. */
export function tagSubscription(topic: string, expression: string | undefined): SubscriptionData {
  try {
    return buildSubscriptionData(topic, expression ?? '*', 0);
  } catch (err) {
    throw new UsageError(`option --subExpression: ${(err as Error).message}`);
  }
}
