import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeMessageRecord } from '@apogee/common';
import { GetMessageStatus, PutMessageStatus, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';
import { verifyStoreConsistency } from './helpers/verify-store.js';

// 64 KiB commit-log segments and 100-unit ConsumeQueue files (the test profile): roll-over
// happens within a few hundred messages.

const SEG = 64 * 1024;
const CQ_FILE_BYTES = 100 * 20;
const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

describe('segment roll-over', () => {
  it('fills segment ends with a BLANK filler, never splits a record, and keeps queue offsets across segments and restarts', async () => {
    const dir = tempDir();
    let { store } = await openStore(dir);
    const topic = `roll-${randomId()}`;
    const puts = [];
    for (let i = 0; i < 400; i++) puts.push(store.putMessage(makeMessage(topic, i % 2, Buffer.alloc(700 + (i % 7) * 31, i & 0xff), { uniqKey: `u${i}` })));
    const results = await Promise.all(puts);
    expect(results.every((r) => r.status === PutMessageStatus.PUT_OK)).toBe(true);
    const segments = fs.readdirSync(path.join(dir, 'commitlog')).sort();
    expect(segments.length).toBeGreaterThanOrEqual(4);
    expect(segments.slice(0, 3)).toEqual(['00000000000000000000', '00000000000000065536', '00000000000000131072']);
    for (const r of results) {
      const start = r.result!.wroteOffset;
      expect(Math.floor(start / SEG)).toBe(Math.floor((start + r.result!.wroteBytes - 1) / SEG));
    }
    // The first segment ends with a BLANK header whose size reaches the segment end.
    const lastInFirst = results.filter((r) => r.result!.wroteOffset < SEG).map((r) => r.result!.wroteOffset + r.result!.wroteBytes);
    const blankAt = Math.max(...lastInFirst);
    const seg0 = fs.readFileSync(path.join(dir, 'commitlog', segments[0]!));
    const blank = decodeMessageRecord(seg0, blankAt);
    expect(blank).toEqual({ kind: 'blank', size: SEG - blankAt });
    // ConsumeQueue files roll every 100 units (written out: the newest units are held in memory).
    await store.waitForDispatch();
    store.writeHeldLogics();
    expect(fs.readdirSync(path.join(dir, 'consumequeue', topic, '0')).sort()).toEqual(['00000000000000000000', '00000000000000002000']);
    await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
    await store.shutdown();

    ({ store } = await openStore(dir));
    stores.push(store);
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(200);
    const next = await store.putMessage(makeMessage(topic, 0, 'after restart'));
    expect(next.result!.queueOffset).toBe(200);
    // A pull across a ConsumeQueue file boundary stops at the file end (one file per pull).
    const got = await store.getMessage('g', topic, 0, 95, 32);
    expect([got!.status, got!.messageCount, got!.nextBeginOffset]).toEqual([GetMessageStatus.FOUND, 5, 100]);
    await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
  });

  it('random sizes and queues: every message is read back at its queue offset (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ queueId: fc.integer({ min: 0, max: 3 }), bytes: fc.integer({ min: 0, max: 9000 }) }), { minLength: 1, maxLength: 60 }),
        async (msgs) => {
          const dir = tempDir();
          const { store } = await openStore(dir);
          try {
            const topic = `prop-${randomId()}`;
            const results = await Promise.all(msgs.map((m, i) => store.putMessage(makeMessage(topic, m.queueId, Buffer.alloc(m.bytes, i & 0xff), { uniqKey: `u${i}` }))));
            await store.waitForDispatch();
            const expectedOffsets = new Map<number, number>();
            for (let i = 0; i < msgs.length; i++) {
              const q = msgs[i]!.queueId;
              const want = expectedOffsets.get(q) ?? 0;
              expectedOffsets.set(q, want + 1);
              expect(results[i]!.result!.queueOffset).toBe(want);
              const got = await store.getMessage('g', topic, q, want, 1);
              const rec = decodeMessageRecord(got!.buffers[0]!, 0, { checkCRC: true });
              expect(rec.kind === 'message' && rec.message.properties.get('UNIQ_KEY')).toBe(`u${i}`);
            }
          } finally {
            await store.shutdown();
            fs.rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 15 },
    );
  });
});
