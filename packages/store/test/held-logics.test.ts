import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessageRecord } from '@apogee/common';
import { GetMessageStatus, PutMessageStatus, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';
import { readConsumeQueueUnits, verifyStoreConsistency } from './helpers/verify-store.js';
import { StoreCheckpoint } from '../src/checkpoint/store-checkpoint.js';

// The newest ConsumeQueue units and index entries are held in memory and reach their files in
// batches. Readers must not notice: pulls, offsets and key queries see held units at once, also
// across a ConsumeQueue file boundary, and a restart keeps everything.

const CQ_UNITS_PER_FILE = 50;
const CQ_FILE_BYTES = CQ_UNITS_PER_FILE * 20;

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

function uniqKeys(buffers: Buffer[]): string[] {
  return buffers.map((b) => {
    const r = decodeMessageRecord(b, 0);
    if (r.kind !== 'message') throw new Error(r.kind);
    return r.message.properties.get('UNIQ_KEY') ?? '';
  });
}

function cqFileBytesOnDisk(dir: string, topic: string): number {
  const qdir = path.join(dir, 'consumequeue', topic, '0');
  if (!fs.existsSync(qdir)) return 0;
  let units = 0;
  for (const name of fs.readdirSync(qdir)) {
    const buf = fs.readFileSync(path.join(qdir, name));
    for (let i = 0; i + 20 <= buf.length; i += 20) if (buf.readInt32BE(i + 8) > 0) units++;
  }
  return units;
}

/** The dispatched offset the checkpoint file on disk records. */
function checkpointDispatchedOffset(dir: string): number {
  const cp = StoreCheckpoint.openSync(path.join(dir, 'checkpoint'));
  try {
    return cp.dispatchedPhyOffset ?? -1;
  } finally {
    cp.closeSync();
  }
}

describe('ConsumeQueue units and index entries held in memory', () => {
  it('are read, pulled and queried before they reach their files, across a file boundary, and survive a restart', async () => {
    const dir = tempDir();
    const topic = `held-${randomId()}`;
    let { store } = await openStore(dir, { mappedFileSizeConsumeQueue: CQ_FILE_BYTES });
    stores.push(store);
    // 130 units: two whole files and part of a third, fewer than the units a queue holds back.
    const total = 130;
    for (let i = 0; i < total; i++) {
      const r = await store.putMessage(makeMessage(topic, 0, `body${i}`, { uniqKey: `k${i}`, tags: `t${i % 2}` }));
      expect(r.status).toBe(PutMessageStatus.PUT_OK);
    }
    await store.waitForDispatch();
    // Nothing forced them out yet: the files hold fewer units than readers see.
    expect(cqFileBytesOnDisk(dir, topic)).toBeLessThan(total);
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(total);

    // A pull that starts in one file and would run into the next stops at the file end (RocketMQ's rule).
    let r = await store.getMessage('g', topic, 0, 45, 32);
    expect([r!.status, r!.nextBeginOffset]).toEqual([GetMessageStatus.FOUND, 50]);
    expect(uniqKeys(r!.buffers)).toEqual(['k45', 'k46', 'k47', 'k48', 'k49']);
    r = await store.getMessage('g', topic, 0, 98, 10);
    expect(uniqKeys(r!.buffers)).toEqual(['k98', 'k99']);
    r = await store.getMessage('g', topic, 0, 120, 32);
    expect([r!.status, r!.nextBeginOffset]).toEqual([GetMessageStatus.FOUND, total]);
    expect(uniqKeys(r!.buffers)).toEqual(Array.from({ length: 10 }, (_, i) => `k${120 + i}`));
    expect(store.getCommitLogOffsetInQueue(topic, 0, total - 1)).toBeGreaterThan(0);
    expect((await store.queryMessage(topic, `k${total - 1}`, 32, 0, Number.MAX_SAFE_INTEGER)).phyOffsets).toHaveLength(1);
    expect(await store.getMessageStoreTimeStamp(topic, 0, total - 1)).toBeGreaterThan(0);

    // Written out on demand, the files say exactly what readers saw.
    store.writeHeldLogics();
    expect(cqFileBytesOnDisk(dir, topic)).toBe(total);
    const units = readConsumeQueueUnits(dir, topic, 0, 0, total, CQ_FILE_BYTES);
    expect(units).toHaveLength(total);
    await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });

    // More held units, then a clean restart: shutdown writes and flushes them.
    for (let i = total; i < total + 7; i++) await store.putMessage(makeMessage(topic, 0, `body${i}`, { uniqKey: `k${i}` }));
    await store.shutdown();
    stores.length = 0;
    ({ store } = await openStore(dir, { mappedFileSizeConsumeQueue: CQ_FILE_BYTES }));
    stores.push(store);
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(total + 7);
    r = await store.getMessage('g', topic, 0, total, 32);
    expect(uniqKeys(r!.buffers)).toEqual(Array.from({ length: 7 }, (_, i) => `k${total + i}`));
    await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
  });

  it('are written before a flush, so the checkpoint never claims units that are only in memory', async () => {
    const dir = tempDir();
    const topic = `held-flush-${randomId()}`;
    const { store } = await openStore(dir, { mappedFileSizeConsumeQueue: CQ_FILE_BYTES, flushIntervalConsumeQueue: 10, flushConsumeQueueThoroughInterval: 10 });
    stores.push(store);
    for (let i = 0; i < 20; i++) await store.putMessage(makeMessage(topic, 0, `b${i}`, { uniqKey: `f${i}` }));
    await store.waitForDispatch();
    // The logics flush (every 10 ms here) writes held units before it records the dispatched offset.
    const deadline = Date.now() + 20_000;
    while (checkpointDispatchedOffset(dir) < store.getMaxPhyOffset() && Date.now() < deadline) await new Promise((res) => setTimeout(res, 10));
    expect(checkpointDispatchedOffset(dir)).toBe(store.getMaxPhyOffset());
    expect(cqFileBytesOnDisk(dir, topic)).toBe(20);
  });
});
