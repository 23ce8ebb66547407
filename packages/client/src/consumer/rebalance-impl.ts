// Rebalancing (RebalanceImpl, reference §7.2 step 5): per subscribed topic, the readable queues
// from the route and (clustering) the group's live client ids from a broker hosting the topic,
// both sorted, go through the allocation strategy; the consumer then applies the result (start
// pulling new queues, persist and drop removed ones). Broadcasting consumers take every queue.
// A round where a step fails leaves that topic as it was and reports "not balanced"; so does one
// where an allocated orderly queue is still locked by its previous owner.

import type { MessageQueue } from '@apogee/common';
import type { MessageModel, SubscriptionData } from '@apogee/remoting';
import { getConsumerIdListByGroup } from '../api/consumer-api.js';
import type { MQClientInstance } from '../factory/mq-client-instance.js';
import { compareMessageQueue } from '../message-queue.js';
import type { AllocateMessageQueueStrategy } from './allocate-strategies.js';

export interface AllocationApplied {
  /** The set of queues worked on changed. */
  readonly changed: boolean;
  /**
   * Every allocated queue was taken. False when an orderly queue's broker lock is still held by
   * its previous owner: the round then counts as unbalanced and runs again soon (Java's
   * rebalanceLater), instead of after the full rebalance interval.
   */
  readonly allTaken: boolean;
}

export interface RebalanceTarget {
  /** Make `allocated` the queues of `topic` this consumer works on. Called only when the allocation could be computed. */
  applyAllocation(topic: string, allocated: readonly MessageQueue[], all: readonly MessageQueue[]): Promise<AllocationApplied>;
}

/** Topics one consumer may subscribe to. */
export const SUBSCRIPTIONS_PER_CONSUMER_MAX = 4096;

export class RebalanceImpl {
  /** topic (wire name) -> subscription */
  readonly subscriptionInner = new Map<string, SubscriptionData>();
  /** topic (wire name) -> readable queues from the latest route */
  readonly topicSubscribeInfoTable = new Map<string, readonly MessageQueue[]>();

  constructor(
    private readonly instance: MQClientInstance,
    private readonly groupName: string,
    readonly messageModel: MessageModel,
    readonly strategy: AllocateMessageQueueStrategy,
    private readonly target: RebalanceTarget,
  ) {}

  /** Resolves true when every topic got an allocation. */
  async doRebalance(): Promise<boolean> {
    let isBalanced = true;
    for (const topic of this.subscriptionInner.keys()) {
      try {
        if (!(await this.rebalanceByTopic(topic))) isBalanced = false;
      } catch (err) {
        isBalanced = false;
        this.instance.log.warn({ err, topic, group: this.groupName }, 'rebalance of topic failed');
      }
    }
    return isBalanced;
  }

  /** The group's client ids, sorted, as a broker hosting `topic` lists them. */
  async findConsumerIdList(topic: string): Promise<string[]> {
    let addr = this.instance.findBrokerAddrByTopic(topic);
    if (addr === undefined) {
      await this.instance.updateTopicRouteInfoFromNameServer(topic).catch(() => false);
      addr = this.instance.findBrokerAddrByTopic(topic);
    }
    if (addr === undefined) return [];
    return (await getConsumerIdListByGroup(this.instance.remoting, addr, this.groupName)).sort();
  }

  private async rebalanceByTopic(topic: string): Promise<boolean> {
    const mqSet = this.topicSubscribeInfoTable.get(topic);
    if (mqSet === undefined) {
      // the retry topic does not exist until the broker creates it: not an imbalance
      if (!topic.startsWith('%RETRY%')) this.instance.log.debug({ topic, group: this.groupName }, 'rebalance: no route for topic yet');
      return topic.startsWith('%RETRY%');
    }
    const mqAll = [...mqSet].sort(compareMessageQueue);
    if (this.messageModel === 'BROADCASTING') return (await this.target.applyAllocation(topic, mqAll, mqAll)).allTaken;
    const cidAll = await this.findConsumerIdList(topic);
    if (cidAll.length === 0 || mqAll.length === 0) {
      this.instance.log.warn({ topic, group: this.groupName, queues: mqAll.length, clients: cidAll.length }, 'rebalance: nothing to allocate');
      return false;
    }
    const allocated = this.strategy.allocate(this.groupName, this.instance.clientId, mqAll, cidAll);
    return (await this.target.applyAllocation(topic, allocated.sort(compareMessageQueue), mqAll)).allTaken;
  }
}
