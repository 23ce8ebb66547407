import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageStore, PutMessageStatus, RunningFlag, messageStoreConfigForTest } from '../src/index.js';
import { captureLogger, makeMessage, randomId } from './helpers/store-fixture.js';
import { fillFile, mountTmpfs } from './helpers/tmpfs.js';
import { verifyStoreConsistency } from './helpers/verify-store.js';

// A real full disk: the store lives on a 4 MiB tmpfs, half of it taken by a filler file.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('full disk (ENOSPC)', () => {
  it('refuses writes with SERVICE_NOT_AVAILABLE and DISK_FULL, keeps every acknowledged message, recovers when space returns', { timeout: 60_000 }, async () => {
    const fsys = mountTmpfs(4 * 1024 * 1024);
    cleanups.push(fsys.unmount);
    const filler = fillFile(fsys.dir, 'filler', 2 * 1024 * 1024);
    const storeDir = path.join(fsys.dir, 'store');
    const config = messageStoreConfigForTest(storeDir, { flushDiskType: 'SYNC_FLUSH' });
    const log = captureLogger();
    let store = new MessageStore(config, { logger: log });
    await store.start();
    cleanups.push(() => store.shutdown());
    const topic = `full-${randomId()}`;
    const acked: { phy: number; queueOffset: number; i: number }[] = [];
    let refusal: Awaited<ReturnType<MessageStore['putMessage']>> | undefined;
    for (let i = 0; i < 5000 && !refusal; i++) {
      // Several in flight at once, so a failing write carries others queued behind it.
      const batch = await Promise.all(
        [0, 1, 2, 3].map((k) => store.putMessage(makeMessage(topic, 0, Buffer.alloc(1000, (i * 4 + k) & 0xff), { uniqKey: `u${i * 4 + k}` }))),
      );
      batch.forEach((r, k) => {
        if (r.status === PutMessageStatus.PUT_OK) acked.push({ phy: r.result!.wroteOffset, queueOffset: r.result!.queueOffset, i: i * 4 + k });
        else refusal ??= r;
      });
    }
    expect(refusal?.status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    expect(refusal?.remark).toMatch(/disk full \(ENOSPC\)/);
    expect(store.runningFlags.has(RunningFlag.DISK_FULL)).toBe(true);
    expect(log.find(/disk full \(ENOSPC\)/)?.level).toBe('error');
    const after = await store.putMessage(makeMessage(topic, 0, 'more'));
    expect(after).toMatchObject({ status: PutMessageStatus.SERVICE_NOT_AVAILABLE, remark: expect.stringMatching(/DISK_FULL/) });
    expect(acked.length).toBeGreaterThan(100);
    // Acknowledged queue offsets are 0..n-1: refused appends gave theirs back.
    expect(acked.map((a) => a.queueOffset).sort((a, b) => a - b)).toEqual(acked.map((_, k) => k));
    for (const a of acked) {
      const m = await store.lookMessageByOffset(a.phy);
      expect(m?.properties.get('UNIQ_KEY')).toBe(`u${a.i}`);
    }

    // Space comes back: the retention pass sees the ratio drop and clears DISK_FULL.
    fs.rmSync(filler);
    const pass = await store.cleanOnce();
    expect(pass.diskUsedRatio).toBeLessThan(0.85);
    expect(store.runningFlags.isWriteable() || store.runningFlags.has(RunningFlag.WRITE_LOGICS_QUEUE_ERROR) || store.runningFlags.has(RunningFlag.WRITE_INDEX_FILE_ERROR)).toBe(true);
    await waitFor(() => store.getMaxOffsetInQueue(topic, 0) === acked.length && store.runningFlags.isWriteable(), 10_000);
    const again = await store.putMessage(makeMessage(topic, 0, 'again', { uniqKey: 'again' }));
    expect(again.status).toBe(PutMessageStatus.PUT_OK);
    expect(again.result!.queueOffset).toBe(acked.length);
    await store.shutdown();

    store = new MessageStore(config, { logger: captureLogger() });
    await store.start();
    const records = await verifyStoreConsistency(store, storeDir, { checkIndex: true, cqFileBytes: 100 * 20 });
    expect(records.length).toBe(acked.length + 1);
  });
});
