import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '@apogee/common';
import { PutMessageStatus, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('flush', () => {
  it('SYNC_FLUSH is group commit: 256 concurrent appends are answered by far fewer fdatasyncs', async () => {
    const { store } = await openStore(tempDir(), { flushDiskType: 'SYNC_FLUSH' });
    stores.push(store);
    const topic = `gc-${randomId()}`;
    const before = store.getStats().commitLogFlushes;
    const results = await Promise.all(Array.from({ length: 256 }, (_, i) => store.putMessage(makeMessage(topic, i % 4, Buffer.alloc(100)))));
    expect(results.every((r) => r.status === PutMessageStatus.PUT_OK)).toBe(true);
    const flushes = store.getStats().commitLogFlushes - before;
    expect(flushes).toBeGreaterThan(0);
    expect(flushes).toBeLessThan(32);
    // Every acknowledged append is covered by the flushed offset.
    const end = Math.max(...results.map((r) => r.result!.wroteOffset + r.result!.wroteBytes));
    expect(store.getFlushedPhyOffset()).toBeGreaterThanOrEqual(end);
    // Under SYNC_FLUSH dispatch only sees flushed data.
    await store.waitForDispatch();
    expect(store.getDispatchedPhyOffset()).toBeLessThanOrEqual(store.getFlushedPhyOffset());
  });

  it('SYNC_FLUSH answers FLUSH_DISK_TIMEOUT (message stored) when fdatasync takes longer than syncFlushTimeout', async () => {
    // 1 ms timeout, 2 MiB records on a real disk: fdatasync of megabytes takes longer than 1 ms.
    const { store } = await openStore(tempDir(), {
      flushDiskType: 'SYNC_FLUSH',
      syncFlushTimeout: 1,
      mappedFileSizeCommitLog: 16 * MiB,
      maxMessageSize: 4 * MiB,
      appendWriteBytesMax: 16 * MiB,
    });
    stores.push(store);
    const topic = `timeout-${randomId()}`;
    const results = await Promise.all(Array.from({ length: 6 }, () => store.putMessage(makeMessage(topic, 0, Buffer.alloc(2 * MiB, 7)))));
    const statuses = results.map((r) => r.status);
    expect(statuses).toContain(PutMessageStatus.FLUSH_DISK_TIMEOUT);
    for (const r of results) expect(r.result).toBeDefined(); // stored either way
    // Dispatch follows the flush under SYNC_FLUSH: the queue fills once the slow flush lands.
    await waitFor(() => store.getMaxOffsetInQueue(topic, 0) === 6, 10_000);
  });

  it('WAIT=false under SYNC_FLUSH answers without waiting for the flush; the timer flushes it later', async () => {
    const { store } = await openStore(tempDir(), { flushDiskType: 'SYNC_FLUSH', flushIntervalCommitLog: 20 });
    stores.push(store);
    const r = await store.putMessage(makeMessage(`nowait-${randomId()}`, 0, 'x', { wait: false }));
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
    await waitFor(() => store.getFlushedPhyOffset() >= r.result!.wroteOffset + r.result!.wroteBytes, 5000);
  });

  it('ASYNC_FLUSH answers after the write and flushes once flushCommitLogLeastPages pages are dirty', async () => {
    const { store } = await openStore(tempDir(), { flushDiskType: 'ASYNC_FLUSH', flushIntervalCommitLog: 20, flushCommitLogLeastPages: 4, flushCommitLogThoroughInterval: 3_600_000 });
    stores.push(store);
    const topic = `async-${randomId()}`;
    const small = await store.putMessage(makeMessage(topic, 0, Buffer.alloc(100)));
    expect(small.status).toBe(PutMessageStatus.PUT_OK);
    // Less than 4 dirty pages: a few intervals pass without a flush.
    await new Promise((r) => setTimeout(r, 120));
    expect(store.getFlushedPhyOffset()).toBe(0);
    for (let i = 0; i < 20; i++) await store.putMessage(makeMessage(topic, 0, Buffer.alloc(1000)));
    await waitFor(() => store.getFlushedPhyOffset() > 16 * 1024, 5000);
  });
});
