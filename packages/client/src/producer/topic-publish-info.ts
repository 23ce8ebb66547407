// The queues a producer may send a topic's messages to, and the round-robin cursor over them
// (TopicPublishInfo). Selection walks the list from the cursor and returns the first queue every
// filter accepts (at most one pass), as Java does; the cursor starts at a random place so that
// producers spread over the queues.

import type { MessageQueue } from '@apogee/common';
import type { TopicRouteData } from '@apogee/remoting';

export type QueueFilter = (mq: MessageQueue) => boolean;

export class TopicPublishInfo {
  readonly messageQueueList: readonly MessageQueue[];
  readonly isOrderTopic: boolean;
  /** True when the route came from the NameServer for this very topic (not the TBW102 fallback). */
  readonly haveTopicRouterInfo: boolean;
  readonly route: TopicRouteData | undefined;
  private sendWhichQueue: number;

  constructor(queues: readonly MessageQueue[], options: { isOrderTopic?: boolean; haveTopicRouterInfo?: boolean; route?: TopicRouteData } = {}) {
    this.messageQueueList = queues;
    this.isOrderTopic = options.isOrderTopic ?? false;
    this.haveTopicRouterInfo = options.haveTopicRouterInfo ?? false;
    this.route = options.route;
    this.sendWhichQueue = randomIndex();
  }

  /** True when there is at least one queue to send to. */
  ok(): boolean {
    return this.messageQueueList.length > 0;
  }

  /** Moves the cursor to a new random place (Java resets it on every retry when latency faults are on). */
  resetIndex(): void {
    this.sendWhichQueue = randomIndex();
  }

  /** The next queue (round robin) that every filter accepts, or undefined. */
  selectOneMessageQueue(...filters: QueueFilter[]): MessageQueue | undefined {
    const list = this.messageQueueList;
    const count = list.length;
    if (count === 0) return undefined;
    if (filters.length === 0) return list[this.nextIndex() % count];
    for (let i = 0; i < count; i++) {
      const mq = list[this.nextIndex() % count] as MessageQueue;
      if (filters.every((accepts) => accepts(mq))) return mq;
    }
    return undefined;
  }

  /** The write queue count of `brokerName` in the route (-1 when the broker is not in it). */
  writeQueueNumsOf(brokerName: string): number {
    const qd = this.route?.queueDatas.find((q) => q.brokerName === brokerName);
    return qd === undefined ? -1 : qd.writeQueueNums;
  }

  private nextIndex(): number {
    const index = this.sendWhichQueue;
    this.sendWhichQueue = (this.sendWhichQueue + 1) % 0x7fff_ffff;
    return index;
  }
}

function randomIndex(): number {
  return Math.floor(Math.random() * 0x7fff_ffff);
}
