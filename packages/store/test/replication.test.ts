import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GetMessageStatus, PutMessageStatus, StoreLockedError, type MessageStore, type QueueArrival } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';
import { verifyStoreConsistency } from './helpers/verify-store.js';

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

describe('replication entry points', () => {
  it('a slave that appends the master raw bytes in odd-sized chunks builds the same queues and index', async () => {
    const masterDir = tempDir();
    const { store: master } = await openStore(masterDir);
    stores.push(master);
    const topic = `repl-${randomId()}`;
    for (let i = 0; i < 300; i++) {
      const r = await master.putMessage(makeMessage(topic, i % 3, Buffer.alloc(300 + (i % 11) * 50), { uniqKey: `u${i}`, tags: `t${i % 2}` }));
      expect(r.status).toBe(PutMessageStatus.PUT_OK);
    }
    await master.waitForDispatch();
    const slaveDir = tempDir();
    const { store: slave } = await openStore(slaveDir, { brokerRole: 'SLAVE' });
    stores.push(slave);
    // HA sends at most 32 KiB per transfer, never across a segment; we cut it finer still.
    let offset = 0;
    let chunk = 0;
    while (offset < master.getMaxPhyOffset()) {
      const data = await master.getCommitLogData(offset, 1000 + (chunk++ % 7) * 3001);
      expect(data?.startOffset).toBe(offset);
      const r = await slave.appendToCommitLog(offset, data!.data);
      expect(r).toEqual({ ok: true });
      offset += data!.data.length;
    }
    expect(await slave.appendToCommitLog(offset + 5, Buffer.alloc(10))).toMatchObject({ ok: false, reason: expect.stringMatching(/ends at/) });
    await slave.waitForDispatch();
    expect(slave.getMaxPhyOffset()).toBe(master.getMaxPhyOffset());
    for (const q of [0, 1, 2]) {
      expect(slave.getMaxOffsetInQueue(topic, q)).toBe(master.getMaxOffsetInQueue(topic, q));
      const a = await master.getMessage('g', topic, q, 10, 5);
      const b = await slave.getMessage('g', topic, q, 10, 5);
      expect(b!.buffers).toEqual(a!.buffers);
    }
    await verifyStoreConsistency(slave, slaveDir, { checkIndex: true, cqFileBytes: 2000 });
    expect(fs.readdirSync(path.join(slaveDir, 'commitlog'))).toEqual(fs.readdirSync(path.join(masterDir, 'commitlog')));
  });

  it('an empty slave starts at the segment where the master is (segment-aligned offset)', async () => {
    const masterDir = tempDir();
    const { store: master } = await openStore(masterDir);
    stores.push(master);
    const topic = `mid-${randomId()}`;
    for (let i = 0; i < 200; i++) await master.putMessage(makeMessage(topic, 0, Buffer.alloc(800), { uniqKey: `u${i}` }));
    await master.waitForDispatch();
    const lastSeg = master.getMaxPhyOffset() - (master.getMaxPhyOffset() % (64 * 1024));
    expect(lastSeg).toBeGreaterThan(0);
    const { store: slave } = await openStore(tempDir(), { brokerRole: 'SLAVE' });
    stores.push(slave);
    expect(await slave.appendToCommitLog(lastSeg + 1, Buffer.alloc(8))).toMatchObject({ ok: false });
    for (let off = lastSeg; off < master.getMaxPhyOffset(); ) {
      const d = await master.getCommitLogData(off, 32 * 1024);
      expect(await slave.appendToCommitLog(off, d!.data)).toEqual({ ok: true });
      off += d!.data.length;
    }
    await slave.waitForDispatch();
    expect(slave.getMinPhyOffset()).toBe(lastSeg);
    expect(slave.getMaxOffsetInQueue(topic, 0)).toBe(200);
    const first = master.getMinOffsetInQueue(topic, 0);
    expect(first).toBe(0);
    const slaveMin = slave.getMinOffsetInQueue(topic, 0);
    expect(slaveMin).toBeGreaterThan(0); // the queue starts mid-stream, padded below
    const got = await slave.getMessage('g', topic, 0, slaveMin, 3);
    const want = await master.getMessage('g', topic, 0, slaveMin, 3);
    expect(got!.buffers).toEqual(want!.buffers);
    const below = await slave.getMessage('g', topic, 0, 0, 3);
    expect(below!.status).toBe(GetMessageStatus.OFFSET_TOO_SMALL);
  });
});

describe('synchronous replication hook', () => {
  it('a SYNC_MASTER put waits for the replication waiter and reports its failure statuses (message stored)', async () => {
    const { store } = await openStore(tempDir(), { brokerRole: 'SYNC_MASTER' });
    stores.push(store);
    const appended: number[] = [];
    store.onCommitLogAppended((max) => appended.push(max));
    const asked: number[] = [];
    let answer: 'ok' | 'FLUSH_SLAVE_TIMEOUT' | 'SLAVE_NOT_AVAILABLE' = 'ok';
    store.setPutReplicationWaiter(async (nextOffset) => {
      asked.push(nextOffset);
      return answer;
    });
    const topic = `sync-${randomId()}`;
    const ok = await store.putMessage(makeMessage(topic, 0, 'a'));
    expect(ok.status).toBe(PutMessageStatus.PUT_OK);
    expect(asked).toEqual([ok.result!.wroteOffset + ok.result!.wroteBytes]);
    expect(appended).toContain(ok.result!.wroteOffset + ok.result!.wroteBytes);
    answer = 'FLUSH_SLAVE_TIMEOUT';
    const slow = await store.putMessage(makeMessage(topic, 0, 'b'));
    expect(slow).toMatchObject({ status: PutMessageStatus.FLUSH_SLAVE_TIMEOUT, result: { queueOffset: 1 } });
    const noWait = await store.putMessage(makeMessage(topic, 0, 'c', { wait: false }));
    expect(noWait.status).toBe(PutMessageStatus.PUT_OK);
    expect(asked).toHaveLength(2);
  });
});

describe('listeners and lifecycle', () => {
  it('tells arrival listeners (after the queue is readable) and dispatched-offset listeners', async () => {
    const { store } = await openStore(tempDir());
    stores.push(store);
    const topic = `arr-${randomId()}`;
    const arrivals: QueueArrival[] = [];
    const readable: boolean[] = [];
    store.addMessageArrivingListener((a) => {
      arrivals.push(a);
      readable.push(store.getMaxOffsetInQueue(a.topic, a.queueId) >= a.logicOffset);
    });
    const advanced: number[] = [];
    const off = store.onDispatchedOffsetAdvanced((o) => advanced.push(o));
    const r = await store.putMessage(makeMessage(topic, 5, 'x', { tags: 'TagA' }));
    await store.waitForDispatch();
    expect(arrivals).toEqual([
      expect.objectContaining({ topic, queueId: 5, logicOffset: 1, storeTimestamp: r.result!.storeTimestamp }),
    ]);
    expect(readable).toEqual([true]);
    expect(advanced[advanced.length - 1]).toBe(r.result!.wroteOffset + r.result!.wroteBytes);
    off();
    const seen: string[] = [];
    store.addDispatcher({ name: 'spy', dispatch: (req) => seen.push(`${req.topic}:${req.consumeQueueOffset}`) });
    store.addDispatcher({ name: 'broken', dispatch: () => { throw new Error('listener bug'); } });
    await store.putMessage(makeMessage(topic, 5, 'y'));
    await store.waitForDispatch();
    expect(seen).toEqual([`${topic}:1`]);
    expect(store.getMaxOffsetInQueue(topic, 5)).toBe(2); // a failing listener does not stop dispatch
  });

  it('start and shutdown are idempotent; a second store on the same directory is refused', async () => {
    const dir = tempDir();
    const { store } = await openStore(dir);
    await store.start();
    await expect(openStore(dir)).rejects.toBeInstanceOf(StoreLockedError);
    await expect(openStore(dir)).rejects.toBeInstanceOf(StoreLockedError); // the refusal did not drop the lock
    expect(fs.readFileSync(path.join(dir, 'lock'), 'utf8')).toBe(String(process.pid));
    await Promise.all([store.shutdown(), store.shutdown()]);
    await store.shutdown();
    expect(fs.existsSync(path.join(dir, 'abort'))).toBe(false);
    expect((await store.putMessage(makeMessage('t', 0, 'x'))).status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    const again = await openStore(dir);
    stores.push(again.store);
    expect(again.store.isRunning).toBe(true);
  });

  it('loads @apogee/common from its source (the @apogee/source condition), not a stale dist', async () => {
    const { assert } = await import('@apogee/common');
    expect(() => assert(false, 'where am I')).toThrow(expect.objectContaining({ stack: expect.stringMatching(/packages\/common\/src\/errors\.ts/) }));
  });
});
