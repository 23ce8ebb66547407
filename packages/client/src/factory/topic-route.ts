// From a topic's route to the queues a client uses (reference §3.1.4, MQClientInstance):
// - publish queues: for each QueueData with WRITE perm (sorted by brokerName) whose broker has a
//   master (id 0): queues 0..writeQueueNums-1; an `orderTopicConf` ("b1:4;b2:4") replaces that;
// - subscribe queues: each QueueData with READ perm: queues 0..readQueueNums-1.
// Also: which address serves a broker name (master for publishing; master or any for
// consuming), and whether two routes differ.

import { type MessageQueue, MASTER_ID, isReadable, isWriteable } from '@apogee/common';
import type { BrokerData, QueueData, TopicRouteData } from '@apogee/remoting';
import { compareMessageQueue } from '../message-queue.js';

export function publishQueuesOf(topic: string, route: TopicRouteData): { queues: MessageQueue[]; isOrderTopic: boolean } {
  const queues: MessageQueue[] = [];
  if (route.orderTopicConf !== undefined && route.orderTopicConf.length > 0) {
    for (const item of route.orderTopicConf.split(';')) {
      const [brokerName, nums] = item.split(':');
      const count = Number(nums);
      if (brokerName === undefined || brokerName === '' || !Number.isInteger(count) || count < 0) continue;
      for (let queueId = 0; queueId < count; queueId++) queues.push({ topic, brokerName, queueId });
    }
    return { queues, isOrderTopic: true };
  }
  const sorted = [...route.queueDatas].sort(byBrokerName);
  for (const qd of sorted) {
    if (!isWriteable(qd.perm)) continue;
    const broker = route.brokerDatas.find((b) => b.brokerName === qd.brokerName);
    if (broker === undefined || !broker.brokerAddrs.has(MASTER_ID)) continue;
    for (let queueId = 0; queueId < qd.writeQueueNums; queueId++) queues.push({ topic, brokerName: qd.brokerName, queueId });
  }
  return { queues, isOrderTopic: false };
}

/** Readable queues of the route, sorted (topic, brokerName, queueId). */
export function subscribeQueuesOf(topic: string, route: TopicRouteData): MessageQueue[] {
  const queues: MessageQueue[] = [];
  for (const qd of route.queueDatas) {
    if (!isReadable(qd.perm)) continue;
    for (let queueId = 0; queueId < qd.readQueueNums; queueId++) queues.push({ topic, brokerName: qd.brokerName, queueId });
  }
  return queues.sort(compareMessageQueue);
}

/** The auto-create fallback (TBW102's route) cut to `queueNums` queues per broker. */
export function limitQueueNums(route: TopicRouteData, queueNums: number): TopicRouteData {
  return {
    ...route,
    queueDatas: route.queueDatas.map((qd) => {
      const n = Math.min(queueNums, qd.readQueueNums);
      return { ...qd, readQueueNums: n, writeQueueNums: n };
    }),
  };
}

export function topicRouteEquals(a: TopicRouteData | undefined, b: TopicRouteData): boolean {
  if (a === undefined) return false;
  if (a.orderTopicConf !== b.orderTopicConf) return false;
  if (a.queueDatas.length !== b.queueDatas.length || a.brokerDatas.length !== b.brokerDatas.length) return false;
  const qa = [...a.queueDatas].sort(byBrokerName);
  const qb = [...b.queueDatas].sort(byBrokerName);
  for (let i = 0; i < qa.length; i++) if (!queueDataSame(qa[i] as QueueData, qb[i] as QueueData)) return false;
  const ba = [...a.brokerDatas].sort(byBrokerName);
  const bb = [...b.brokerDatas].sort(byBrokerName);
  for (let i = 0; i < ba.length; i++) if (!brokerDataSame(ba[i] as BrokerData, bb[i] as BrokerData)) return false;
  return true;
}

function queueDataSame(a: QueueData, b: QueueData): boolean {
  return a.brokerName === b.brokerName && a.perm === b.perm && a.readQueueNums === b.readQueueNums &&
    a.writeQueueNums === b.writeQueueNums && a.topicSysFlag === b.topicSysFlag;
}

function brokerDataSame(a: BrokerData, b: BrokerData): boolean {
  if (a.brokerName !== b.brokerName || a.cluster !== b.cluster || a.brokerAddrs.size !== b.brokerAddrs.size) return false;
  for (const [id, addr] of a.brokerAddrs) if (b.brokerAddrs.get(id) !== addr) return false;
  return true;
}

function byBrokerName(a: { brokerName: string }, b: { brokerName: string }): number {
  return a.brokerName < b.brokerName ? -1 : a.brokerName > b.brokerName ? 1 : 0;
}
