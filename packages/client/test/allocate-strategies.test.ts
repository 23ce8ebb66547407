// Queue allocation strategies give Java's results on sorted inputs, and every strategy shares
// each queue out exactly once across the group.

import { describe, expect, it } from 'vitest';
import type { MessageQueue } from '@apogee/common';
import {
  AllocateMessageQueueAveragely, AllocateMessageQueueAveragelyByCircle, AllocateMessageQueueByConfig,
  AllocateMessageQueueByMachineRoom, AllocateMessageQueueConsistentHash, type AllocateMessageQueueStrategy, md5Hash32,
} from '../src/index.js';

const queues = (n: number, brokerName = 'b'): MessageQueue[] => Array.from({ length: n }, (_, queueId) => ({ topic: 'T', brokerName, queueId }));
const cids = (n: number): string[] => Array.from({ length: n }, (_, i) => `10.0.0.${i}@c${i}`);
const ids = (mqs: readonly MessageQueue[]): number[] => mqs.map((q) => q.queueId);

function shares(strategy: AllocateMessageQueueStrategy, mqAll: MessageQueue[], cidAll: string[]): number[][] {
  return cidAll.map((cid) => ids(strategy.allocate('g', cid, mqAll, cidAll)));
}

describe('allocation strategies', () => {
  it('averagely: consecutive blocks, the first Q % C clients one more', () => {
    const avg = new AllocateMessageQueueAveragely();
    expect(shares(avg, queues(5), cids(3))).toEqual([[0, 1], [2, 3], [4]]);
    expect(shares(avg, queues(8), cids(3))).toEqual([[0, 1, 2], [3, 4, 5], [6, 7]]);
    expect(shares(avg, queues(2), cids(3))).toEqual([[0], [1], []]);
    expect(avg.allocate('g', 'stranger', queues(4), cids(2))).toEqual([]);
  });

  it('by circle: queue i to client i % C', () => {
    expect(shares(new AllocateMessageQueueAveragelyByCircle(), queues(5), cids(3))).toEqual([[0, 3], [1, 4], [2]]);
  });

  it('consistent hash: every queue exactly once; adding a client moves only queues to it', () => {
    const hash = new AllocateMessageQueueConsistentHash();
    const mqAll = queues(32);
    const before = shares(hash, mqAll, cids(3));
    expect(before.flat().sort((a, b) => a - b)).toEqual(ids(mqAll));
    const after = shares(hash, mqAll, cids(4));
    expect(after.flat().sort((a, b) => a - b)).toEqual(ids(mqAll));
    for (let c = 0; c < 3; c++) for (const q of after[c]!) expect(before[c]).toContain(q);
    // MD5("abc") = 900150983cd24fb0...: the first 4 bytes, unsigned big-endian
    expect(md5Hash32('abc')).toBe(0x90015098);
  });

  it('by config and by machine room', () => {
    const fixed = [{ topic: 'T', brokerName: 'b', queueId: 7 }];
    expect(new AllocateMessageQueueByConfig(fixed).allocate()).toEqual(fixed);
    const mqAll = [...queues(3, 'room1@b1'), ...queues(2, 'room2@b2'), ...queues(2, 'plain')];
    const byRoom = new AllocateMessageQueueByMachineRoom(new Set(['room1']));
    const result = cids(2).map((cid) => byRoom.allocate('g', cid, mqAll, cids(2)).map((q) => `${q.brokerName}/${q.queueId}`));
    expect(result).toEqual([['room1@b1/0', 'room1@b1/2'], ['room1@b1/1']]);
  });
});
