import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  MessageConst,
  MessageSysFlag,
  createOffsetMessageId,
  encodeMessageRecord,
  getTransactionValue,
  propertiesToString,
  type SocketAddress,
} from '@apogee/common';
import { PutMessageStatus, type MessageInner, type MessageStore } from '../src/index.js';
import { APPEND_SLAB_BYTES, APPEND_SLAB_RECORD_BYTES_MAX } from '../src/commitlog/append-slabs.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';
import { verifyStoreConsistency } from './helpers/verify-store.js';

// The append path encodes records straight into shared write slabs with pre-parsed hosts, cached
// topic bytes and the store-assigned fields in place. These tests hold it to the reference
// encoder (encodeMessageRecord with no hints), byte for byte, and check its refusals, its
// batches, records too big for a slab, slab reuse and sequential (awaited) appends.

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

async function started(overrides = {}) {
  const dir = tempDir();
  const { store, log } = await openStore(dir, overrides);
  stores.push(store);
  return { store, dir, log };
}

/** What encodeMessageRecord makes of `msg` at the place the store gave it. */
function referenceRecord(msg: MessageInner, at: { wroteOffset: number; queueOffset: number; storeTimestamp: number }): Buffer {
  return encodeMessageRecord({
    topic: msg.topic,
    queueId: msg.queueId,
    flag: msg.flag,
    sysFlag: msg.sysFlag,
    bornTimestamp: msg.bornTimestamp,
    bornHost: msg.bornHost,
    storeTimestamp: at.storeTimestamp,
    storeHost: msg.storeHost,
    reconsumeTimes: msg.reconsumeTimes,
    preparedTransactionOffset: msg.preparedTransactionOffset,
    queueOffset: at.queueOffset,
    physicalOffset: at.wroteOffset,
    body: msg.body,
    properties: msg.propertiesString ?? propertiesToString(msg.properties),
    ...(msg.bodyCRC === undefined ? {} : { bodyCRC: msg.bodyCRC }),
  });
}

const arbIPv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const arbIPv6 = fc.constantFrom('::1', '2001:db8::7', 'fe80::1:2:3:4', '1:2:3:4:5:6:7:8');
const arbHost: fc.Arbitrary<SocketAddress> = fc.record({ host: fc.oneof(arbIPv4, arbIPv6), port: fc.integer({ min: 0, max: 65535 }) });
const arbText = (maxLength: number) => fc.string({ unit: 'binary', minLength: 1, maxLength }).filter((s) => !/[\u0001\u0002]/.test(s));
const arbTopic = fc.oneof(
  arbText(40).filter((t) => Buffer.byteLength(t) <= 127 && !t.startsWith('%RETRY%')),
  fc.string({ unit: 'binary-ascii', minLength: 120, maxLength: 240 }).map((t) => `%RETRY%${t}`.slice(0, 255)),
);
const arbMessage: fc.Arbitrary<MessageInner> = fc
  .record({
    topic: arbTopic,
    queueId: fc.integer({ min: 0, max: 40 }),
    flag: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    body: fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
    props: fc.array(fc.tuple(arbText(12), arbText(30)), { maxLength: 6 }),
    tags: fc.option(arbText(10), { nil: undefined }),
    sysFlag: fc.constantFrom(0, MessageSysFlag.MULTI_TAGS_FLAG, MessageSysFlag.TRANSACTION_PREPARED_TYPE, MessageSysFlag.TRANSACTION_COMMIT_TYPE, 0x30),
    bornTimestamp: fc.integer({ min: 0, max: 2 ** 45 }),
    bornHost: arbHost,
    storeHost: arbHost,
    reconsumeTimes: fc.integer({ min: 0, max: 16 }),
    preparedTransactionOffset: fc.integer({ min: 0, max: 2 ** 40 }),
    bodyCRC: fc.option(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { nil: undefined }),
    withText: fc.boolean(),
  })
  .map((m) => {
    const properties = new Map(m.props);
    if (m.tags !== undefined) properties.set(MessageConst.PROPERTY_TAGS, m.tags);
    return {
      topic: m.topic,
      queueId: m.queueId,
      flag: m.flag,
      body: m.body,
      properties,
      ...(m.withText ? { propertiesString: propertiesToString(properties) } : {}),
      sysFlag: m.sysFlag,
      bornTimestamp: m.bornTimestamp,
      bornHost: m.bornHost,
      storeHost: m.storeHost,
      reconsumeTimes: m.reconsumeTimes,
      preparedTransactionOffset: m.preparedTransactionOffset,
      ...(m.bodyCRC === undefined ? {} : { bodyCRC: m.bodyCRC }),
    };
  });

describe('append path', () => {
  it('stores exactly the bytes the reference encoder makes, with the ids and offsets it reports (fast-check)', async () => {
    const { store } = await started({ mappedFileSizeCommitLog: 1024 * 1024 });
    await fc.assert(
      fc.asyncProperty(fc.array(arbMessage, { minLength: 1, maxLength: 12 }), async (messages) => {
        const results = await Promise.all(messages.map((m) => store.putMessage(m)));
        for (let i = 0; i < messages.length; i++) {
          const r = results[i]!;
          expect(r.status).toBe(PutMessageStatus.PUT_OK);
          const stored = await store.selectOneMessageByOffset(r.result!.wroteOffset);
          expect(stored?.equals(referenceRecord(messages[i]!, r.result!))).toBe(true);
          expect(r.result!.msgId).toBe(createOffsetMessageId(messages[i]!.storeHost, r.result!.wroteOffset));
          const transaction = getTransactionValue(messages[i]!.sysFlag);
          const takesOffset = transaction === MessageSysFlag.TRANSACTION_NOT_TYPE || transaction === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
          if (!takesOffset) expect(r.result!.queueOffset).toBe(0);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('stores a batch as consecutive records of the reference encoder, with comma-joined ids', async () => {
    const { store } = await started();
    const topic = `batch-${randomId()}`;
    await store.putMessage(makeMessage(topic, 2, 'first'));
    const batch = Array.from({ length: 5 }, (_, i) => makeMessage(topic, 2, Buffer.alloc(100 * i, i), { uniqKey: `b${i}`, tags: 'T' }));
    const r = await store.putMessages(batch);
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
    expect(r.result!.queueOffset).toBe(1);
    expect(r.result!.msgNum).toBe(5);
    let offset = r.result!.wroteOffset;
    const ids: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      const expected = referenceRecord(batch[i]!, { wroteOffset: offset, queueOffset: 1 + i, storeTimestamp: r.result!.storeTimestamp });
      expect((await store.selectOneMessageByOffset(offset))?.equals(expected)).toBe(true);
      ids.push(createOffsetMessageId(batch[i]!.storeHost, offset));
      offset += expected.length;
    }
    expect(offset - r.result!.wroteOffset).toBe(r.result!.wroteBytes);
    expect(r.result!.msgId).toBe(ids.join(','));
  });

  it('refuses a message the encoder cannot write, takes neither log space nor a queue offset, and goes on', async () => {
    const { store } = await started();
    const topic = `bad-${randomId()}`;
    const ok1 = await store.putMessage(makeMessage(topic, 0, 'one'));
    const end = ok1.result!.wroteOffset + ok1.result!.wroteBytes;
    const cases: [Partial<MessageInner>, RegExp][] = [
      [{ bornHost: { host: 'broker-a', port: 1 } }, /bornHost "broker-a" is not an IPv4 or IPv6 literal/],
      [{ storeHost: { host: '127.0.0.1', port: 70_000 } }, /storeHost port 70000/],
      [{ flag: 2 ** 31 }, /flag/],
      [{ bornTimestamp: 1.5 }, /bornTimestamp 1.5 is not a safe integer/],
      [{ bodyCRC: -(2 ** 40) }, /bodyCRC/],
      [{ properties: new Map([['a\u0002b', 'v']]) }, /separator/],
    ];
    for (const [patch, remark] of cases) {
      const r = await store.putMessage({ ...makeMessage(topic, 0, 'bad'), ...patch });
      expect(r.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
      expect(r.remark).toMatch(remark);
      expect(store.getMaxPhyOffset()).toBe(end);
    }
    const badBatch = [makeMessage(topic, 0, 'b0'), { ...makeMessage(topic, 0, 'b1'), reconsumeTimes: 0.5 }];
    expect((await store.putMessages(badBatch)).status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    const ok2 = await store.putMessage(makeMessage(topic, 0, 'two'));
    expect(ok2.result!.wroteOffset).toBe(end);
    expect(ok2.result!.queueOffset).toBe(1);
  });

  it('answers a put before the next one is made: 300 awaited appends under ASYNC_FLUSH and SYNC_FLUSH', async () => {
    for (const flushDiskType of ['ASYNC_FLUSH', 'SYNC_FLUSH'] as const) {
      const { store, dir } = await started({ flushDiskType });
      const topic = `seq-${randomId()}`;
      for (let i = 0; i < 300; i++) {
        const r = await store.putMessage(makeMessage(topic, i % 3, `m${i}`, { uniqKey: `u${i}` }));
        expect(r.status).toBe(PutMessageStatus.PUT_OK);
      }
      await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: 100 * 20 });
    }
  });

  it('dispatches written appends on its own (a turn after the write), and shuts down with a wake-up pending', async () => {
    const { store } = await started();
    const topic = `wake-${randomId()}`;
    const arrived: number[] = [];
    store.addMessageArrivingListener((a) => arrived.push(a.logicOffset));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.putMessage(makeMessage(topic, 0, `m${i}`))));
    const end = results[49]!.result!.wroteOffset + results[49]!.result!.wroteBytes;
    // No waitForDispatch: the write's own wake-up must get dispatch there.
    await new Promise<void>((resolve) => {
      const check = (): void => (store.getDispatchedPhyOffset() >= end ? resolve() : void setTimeout(check, 5));
      check();
    });
    expect(arrived).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(50);
    void store.putMessage(makeMessage(topic, 0, 'last'));
    await store.shutdown(); // a dispatch wake-up may be scheduled: shutdown still dispatches and ends
    expect(store.getDispatchedPhyOffset()).toBe(store.getMaxPhyOffset());
  });

  it('writes records too big for a slab from their own buffers, between slab records, and reuses slabs intact', async () => {
    const big = APPEND_SLAB_RECORD_BYTES_MAX + 1000;
    const { store, dir } = await started({ mappedFileSizeCommitLog: 4 * APPEND_SLAB_BYTES, maxMessageSize: 2 * big, appendWriteBytesMax: 4 * APPEND_SLAB_BYTES });
    const topic = `slab-${randomId()}`;
    const sent: MessageInner[] = [];
    // Several rounds of concurrent puts: the slabs fill, retire, and are handed out again.
    for (let round = 0; round < 12; round++) {
      const batch = Array.from({ length: 40 }, (_, i) => {
        const n = round * 40 + i;
        const body = Buffer.alloc(n % 13 === 0 ? big : 20_000 + (n % 5) * 3000, n & 0xff);
        return makeMessage(topic, n % 2, body, { uniqKey: `s${n}` });
      });
      const results = await Promise.all(batch.map((m) => store.putMessage(m)));
      for (let i = 0; i < batch.length; i++) {
        expect(results[i]!.status).toBe(PutMessageStatus.PUT_OK);
        const stored = await store.selectOneMessageByOffset(results[i]!.result!.wroteOffset);
        expect(stored?.equals(referenceRecord(batch[i]!, results[i]!.result!))).toBe(true);
      }
      sent.push(...batch);
    }
    // Every record still reads back CRC-valid at its place, and queues and index agree with it.
    const records = await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: 100 * 20 });
    expect(records.map((r) => r.uniqKey)).toEqual(expect.arrayContaining(sent.map((m) => m.properties.get('UNIQ_KEY'))));
    expect(records).toHaveLength(sent.length);
  });
});
