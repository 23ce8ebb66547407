import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@apogee/common';
import { INDEX_HEADER_BYTES, indexFileBytes, indexKeyHash, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

describe('IndexFile', () => {
  it('finds messages by KEYS tokens and UNIQ_KEY within a time range, across index files', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const dir = tempDir();
    const { store } = await openStore(dir, { maxIndexNum: 50, maxHashSlotNum: 16 }, { clock });
    stores.push(store);
    const topic = `idx-${randomId()}`;
    const offsets: number[] = [];
    for (let i = 0; i < 60; i++) {
      const r = await store.putMessage(makeMessage(topic, 0, `m${i}`, { keys: `order-${i % 10} shared`, uniqKey: `uniq-${i}` }));
      offsets.push(r.result!.wroteOffset);
      clock.advanceMs(1000);
    }
    await store.waitForDispatch();
    // 3 keys per message, 49 entries per file: several files.
    expect(fs.readdirSync(path.join(dir, 'index')).length).toBeGreaterThanOrEqual(3);
    const t0 = 1_700_000_000_000;
    const byUniq = await store.queryMessage(topic, 'uniq-42', 32, 0, Number.MAX_SAFE_INTEGER);
    expect(byUniq.phyOffsets).toEqual([offsets[42]]);
    const byKey = await store.queryMessage(topic, 'order-3', 32, 0, Number.MAX_SAFE_INTEGER);
    expect(byKey.phyOffsets).toEqual([3, 13, 23, 33, 43, 53].map((i) => offsets[i]));
    const inRange = await store.queryMessage(topic, 'order-3', 32, t0 + 12_000, t0 + 35_000);
    expect(inRange.phyOffsets).toEqual([13, 23, 33].map((i) => offsets[i]));
    const limited = await store.queryMessage(topic, 'shared', 5, 0, Number.MAX_SAFE_INTEGER);
    expect(limited.phyOffsets).toHaveLength(5);
    expect(await store.queryMessage(`${topic}x`, 'order-3', 32, 0, Number.MAX_SAFE_INTEGER)).toMatchObject({ phyOffsets: [] });
    expect(byKey.indexLastUpdatePhyoffset).toBe(offsets[59]);
  });

  it('writes RocketMQ-shaped files: header, slot table and entries', async () => {
    const dir = tempDir();
    const { store } = await openStore(dir, { maxIndexNum: 100, maxHashSlotNum: 10 });
    const topic = `layout-${randomId()}`;
    const r = await store.putMessage(makeMessage(topic, 0, 'x', { uniqKey: 'only-key' }));
    await store.shutdown();
    const [name] = fs.readdirSync(path.join(dir, 'index'));
    expect(name).toMatch(/^\d{17}$/);
    const buf = fs.readFileSync(path.join(dir, 'index', name!));
    expect(buf.length).toBe(indexFileBytes(10, 100));
    expect(buf.readInt32BE(36)).toBe(2); // indexCount: entry 1 used
    expect(Number(buf.readBigInt64BE(16))).toBe(r.result!.wroteOffset); // beginPhyOffset
    const hash = indexKeyHash(`${topic}#only-key`);
    expect(buf.readInt32BE(INDEX_HEADER_BYTES + (hash % 10) * 4)).toBe(1);
    const entry = INDEX_HEADER_BYTES + 10 * 4 + 20;
    expect(buf.readInt32BE(entry)).toBe(hash);
    expect(Number(buf.readBigInt64BE(entry + 4))).toBe(r.result!.wroteOffset);
    expect(buf.readInt32BE(entry + 16)).toBe(0);
  });

  it('rebuilds the slot table after a crash (abort file present)', async () => {
    const dir = tempDir();
    const { store } = await openStore(dir);
    const topic = `crashidx-${randomId()}`;
    for (let i = 0; i < 30; i++) await store.putMessage(makeMessage(topic, 0, `m${i}`, { uniqKey: `u${i}` }));
    await store.shutdown();
    // Wipe the slot table on disk and pretend the last run crashed: slots come back from entries.
    const [name] = fs.readdirSync(path.join(dir, 'index'));
    const file = path.join(dir, 'index', name!);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(64 * 4), 0, 64 * 4, INDEX_HEADER_BYTES);
    fs.closeSync(fd);
    fs.writeFileSync(path.join(dir, 'abort'), '1');
    const reopened = await openStore(dir);
    stores.push(reopened.store);
    for (let i = 0; i < 30; i++) {
      expect((await reopened.store.queryMessage(topic, `u${i}`, 4, 0, Number.MAX_SAFE_INTEGER)).phyOffsets).toHaveLength(1);
    }
  });
});
