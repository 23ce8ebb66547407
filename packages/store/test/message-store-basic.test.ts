import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessageRecord } from '@apogee/common';
import { GetMessageStatus, PutMessageStatus, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

describe('MessageStore put and get', () => {
  it('appends messages, assigns queue offsets in order and reads them back as raw records', async () => {
    const dir = tempDir();
    const { store } = await openStore(dir);
    stores.push(store);
    const topic = `t-${randomId()}`;
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putMessage(makeMessage(topic, 1, `body-${i}`))));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(PutMessageStatus.PUT_OK));
    expect(results.map((r) => r.result!.queueOffset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await store.waitForDispatch();
    expect(store.getMaxOffsetInQueue(topic, 1)).toBe(10);
    const got = await store.getMessage('g', topic, 1, 0, 32);
    expect(got!.status).toBe(GetMessageStatus.FOUND);
    expect(got!.messageCount).toBe(10);
    expect(got!.nextBeginOffset).toBe(10);
    const bodies = got!.buffers.map((b) => {
      const r = decodeMessageRecord(b, 0);
      if (r.kind !== 'message') throw new Error(r.kind);
      return { body: r.message.body.toString(), queueOffset: r.message.queueOffset, phy: r.message.commitLogOffset };
    });
    expect(bodies.map((b) => b.body)).toEqual(Array.from({ length: 10 }, (_, i) => `body-${i}`));
    expect(bodies.map((b) => b.queueOffset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(bodies.map((b) => b.phy)).toEqual(results.map((r) => r.result!.wroteOffset));
  });
});
