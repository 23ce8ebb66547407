// Queue allocation for clustering consumers (reference §7.2 step 5b). Every member of a group
// runs the same strategy on the same sorted inputs (queues by topic/broker/queue id, client ids
// in string order), so they agree without talking. Results match Java's strategies exactly,
// which lets TS and Java consumers share one group.

import { createHash } from 'node:crypto';
import { InvalidArgumentError, type MessageQueue } from '@apogee/common';
import { messageQueueToString } from '../message-queue.js';

export interface AllocateMessageQueueStrategy {
  readonly name: string;
  /** The queues of `mqAll` that `currentCID` takes; [] when it is not in `cidAll`. */
  allocate(consumerGroup: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[];
}

function check(currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): boolean {
  if (currentCID === '') throw new InvalidArgumentError('currentCID', 'currentCID is empty');
  if (mqAll.length === 0) throw new InvalidArgumentError('mqAll', 'mqAll is null or mqAll empty');
  if (cidAll.length === 0) throw new InvalidArgumentError('cidAll', 'cidAll is null or cidAll empty');
  return cidAll.includes(currentCID);
}

/** Consecutive blocks: the first `Q % C` clients get one queue more. The default. */
export class AllocateMessageQueueAveragely implements AllocateMessageQueueStrategy {
  readonly name = 'AVG';

  allocate(_group: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    if (!check(currentCID, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCID);
    const q = mqAll.length;
    const c = cidAll.length;
    const mod = q % c;
    const averageSize = q <= c ? 1 : mod > 0 && index < mod ? Math.floor(q / c) + 1 : Math.floor(q / c);
    const startIndex = mod > 0 && index < mod ? index * averageSize : index * averageSize + mod;
    const range = Math.min(averageSize, q - startIndex);
    return range > 0 ? mqAll.slice(startIndex, startIndex + range) : [];
  }
}

/** Round robin: queue i goes to client i % C. */
export class AllocateMessageQueueAveragelyByCircle implements AllocateMessageQueueStrategy {
  readonly name = 'AVG_BY_CIRCLE';

  allocate(_group: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    if (!check(currentCID, mqAll, cidAll)) return [];
    const index = cidAll.indexOf(currentCID);
    return mqAll.filter((_mq, i) => i % cidAll.length === index);
  }
}

/** Virtual nodes per client on the hash ring (Java's default). */
export const CONSISTENT_HASH_VIRTUAL_NODES_DEFAULT = 10;

/** MD5 of the UTF-8 key, first 4 bytes as an unsigned big-endian number (ConsistentHashRouter.MD5Hash). */
export function md5Hash32(key: string): number {
  return createHash('md5').update(key, 'utf8').digest().readUInt32BE(0);
}

/**
 * A consistent-hash ring of `virtualNodeCnt` nodes per client (`<clientId>-<i>`); each queue goes
 * to the first node at or after the hash of its Java toString(). Few queues move when clients
 * come and go.
 */
export class AllocateMessageQueueConsistentHash implements AllocateMessageQueueStrategy {
  readonly name = 'CONSISTENT_HASH';

  constructor(private readonly virtualNodeCnt = CONSISTENT_HASH_VIRTUAL_NODES_DEFAULT) {
    if (!Number.isInteger(virtualNodeCnt) || virtualNodeCnt < 1 || virtualNodeCnt > 10_000) {
      throw new InvalidArgumentError('virtualNodeCnt', `virtualNodeCnt ${virtualNodeCnt} must be an integer in 1..10000`);
    }
  }

  allocate(_group: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    if (!check(currentCID, mqAll, cidAll)) return [];
    const ring: Array<{ hash: number; clientId: string }> = [];
    for (const clientId of cidAll) {
      for (let i = 0; i < this.virtualNodeCnt; i++) ring.push({ hash: md5Hash32(`${clientId}-${i}`), clientId });
    }
    // Java's TreeMap keeps the last node put for a hash; equal hashes are vanishingly rare.
    ring.sort((a, b) => a.hash - b.hash);
    return mqAll.filter((mq) => routeNode(ring, md5Hash32(messageQueueToString(mq))) === currentCID);
  }
}

function routeNode(ring: ReadonlyArray<{ hash: number; clientId: string }>, hash: number): string {
  let lo = 0;
  let hi = ring.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ring[mid] as { hash: number }).hash < hash) lo = mid + 1;
    else hi = mid;
  }
  return (ring[lo === ring.length ? 0 : lo] as { clientId: string }).clientId;
}

/** A fixed list, whatever the group looks like (AllocateMessageQueueByConfig). */
export class AllocateMessageQueueByConfig implements AllocateMessageQueueStrategy {
  readonly name = 'CONFIG';

  constructor(private readonly messageQueueList: readonly MessageQueue[]) {}

  allocate(): MessageQueue[] {
    return [...this.messageQueueList];
  }
}

/**
 * Brokers named `<room>@<brokerName>`: only queues of brokers in `consumeridcs` rooms are
 * shared out, in blocks, the remainder one each (AllocateMessageQueueByMachineRoom).
 */
export class AllocateMessageQueueByMachineRoom implements AllocateMessageQueueStrategy {
  readonly name = 'MACHINE_ROOM';

  constructor(private readonly consumeridcs: ReadonlySet<string>) {}

  allocate(_group: string, currentCID: string, mqAll: readonly MessageQueue[], cidAll: readonly string[]): MessageQueue[] {
    if (!check(currentCID, mqAll, cidAll)) return [];
    const currentIndex = cidAll.indexOf(currentCID);
    const premqAll = mqAll.filter((mq) => {
      const parts = mq.brokerName.split('@');
      return parts.length === 2 && this.consumeridcs.has(parts[0] as string);
    });
    const mod = Math.floor(premqAll.length / cidAll.length);
    const rem = premqAll.length % cidAll.length;
    const result = premqAll.slice(mod * currentIndex, mod * currentIndex + mod);
    if (rem > currentIndex) result.push(premqAll[currentIndex + mod * cidAll.length] as MessageQueue);
    return result;
  }
}
