import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MessageConst, createOffsetMessageId, encodeMessageRecord, propertiesToString, tagsHashCode } from '@apogee/common';
import { APPEND_SLAB_BYTES, APPEND_SLAB_RECORD_BYTES_MAX, APPEND_SLABS_FREE_MAX, AppendSlabs } from '../src/commitlog/append-slabs.js';
import { WRITTEN_WINDOW_BYTES_MAX, WrittenWindow } from '../src/commitlog/written-window.js';
import { DispatchRequestReader, tagsHashCodeOfBytes } from '../src/dispatch/dispatch-request.js';
import { indexKeyHash } from '../src/index.js';
import { indexKeyHashContinued } from '../src/index/index-file.js';
import { HOST_CACHE_ENTRIES_MAX, HostAddressCache, OffsetMessageIdCache, TopicCache, offsetHex } from '../src/store/record-caches.js';

// Unit tests for the pieces of the append and dispatch paths: write slabs, the written-bytes
// window, the dispatch reader's byte-level property scan, and the per-store caches.

describe('AppendSlabs', () => {
  it('hands out consecutive room in one slab, and a new slab when it is full', () => {
    const slabs = new AppendSlabs();
    const a = slabs.reserve(1000, 1000);
    expect([a.length, slabs.reservedAt]).toEqual([APPEND_SLAB_BYTES, 0]);
    const b = slabs.reserve(2000, 3000);
    expect([b === a, slabs.reservedAt]).toEqual([true, 1000]);
    const c = slabs.reserve(APPEND_SLAB_RECORD_BYTES_MAX, 3000 + APPEND_SLAB_RECORD_BYTES_MAX);
    expect(c).toBe(a);
    for (let end = 3000 + APPEND_SLAB_RECORD_BYTES_MAX; slabs.reservedAt + 2 * APPEND_SLAB_RECORD_BYTES_MAX <= APPEND_SLAB_BYTES; ) {
      end += APPEND_SLAB_RECORD_BYTES_MAX;
      slabs.reserve(APPEND_SLAB_RECORD_BYTES_MAX, end);
    }
    const d = slabs.reserve(APPEND_SLAB_RECORD_BYTES_MAX, 10 * APPEND_SLAB_BYTES);
    expect([d === a, slabs.reservedAt]).toEqual([false, 0]);
  });

  it('gives a record over the slab limit a buffer of its own', () => {
    const slabs = new AppendSlabs();
    const slab = slabs.reserve(100, 100);
    const own = slabs.reserve(APPEND_SLAB_RECORD_BYTES_MAX + 1, 100 + APPEND_SLAB_RECORD_BYTES_MAX + 1);
    expect([own === slab, own.length, slabs.reservedAt]).toEqual([false, APPEND_SLAB_RECORD_BYTES_MAX + 1, 0]);
    expect([slabs.reserve(100, 10 ** 6) === slab, slabs.reservedAt]).toEqual([true, 100]);
  });

  it('takes back only the last reservation', () => {
    const slabs = new AppendSlabs();
    const s = slabs.reserve(100, 100);
    slabs.reserve(50, 150);
    slabs.unreserve(s, 0, 100); // not the last one: kept
    slabs.unreserve(s, 100, 50);
    slabs.reserve(10, 160);
    expect(slabs.reservedAt).toBe(100);
  });

  it('reuses a retired slab only once everything in it is released, keeping at most a few', () => {
    const slabs = new AppendSlabs();
    const quarter = APPEND_SLAB_RECORD_BYTES_MAX;
    const seen: Buffer[] = [];
    let end = 0;
    // Fill 6 slabs (4 records each), so that 5 are retired.
    for (let i = 0; i < 24; i++) {
      end += quarter;
      const s = slabs.reserve(quarter, end);
      if (!seen.includes(s)) seen.push(s);
    }
    expect(seen).toHaveLength(6);
    slabs.release(4 * quarter - 1); // the first slab ends at 4 quarters: still needed
    end += quarter;
    expect(seen).not.toContain(slabs.reserve(quarter, end));
    slabs.release(end); // now every retired slab is free; at most APPEND_SLABS_FREE_MAX are kept
    const reused = new Set<Buffer>();
    for (let i = 0; i < 4 * (APPEND_SLABS_FREE_MAX + 2); i++) {
      end += quarter;
      reused.add(slabs.reserve(quarter, end));
    }
    expect([...reused].filter((s) => seen.includes(s))).toHaveLength(APPEND_SLABS_FREE_MAX);
  });
});

describe('WrittenWindow', () => {
  it('answers views of kept runs, bounded by a run and by maxBytes, and drops what dispatch passed', () => {
    const w = new WrittenWindow();
    const a = Buffer.from('aaaaaaaaaa');
    const b = Buffer.from('bbbbb');
    w.add(100, a);
    w.add(110, b);
    w.add(200, Buffer.from('cc')); // a gap: 115..200 is not kept
    expect(w.view(103, 100)?.toString()).toBe('aaaaaaa');
    expect(w.view(103, 2)?.toString()).toBe('aa');
    expect(w.view(112, 100)?.toString()).toBe('bbb');
    expect(w.view(99, 10)).toBeUndefined();
    expect(w.view(150, 10)).toBeUndefined();
    expect(w.startOffset).toBe(100);
    w.dropBefore(112);
    expect(w.startOffset).toBe(110);
    expect(w.view(105, 5)).toBeUndefined();
    w.dropBefore(202);
    expect(w.startOffset).toBeUndefined();
  });

  it('keeps at most WRITTEN_WINDOW_BYTES_MAX, dropping the oldest runs', () => {
    const w = new WrittenWindow();
    const run = Buffer.alloc(1024 * 1024);
    const runs = WRITTEN_WINDOW_BYTES_MAX / run.length;
    for (let i = 0; i < runs + 3; i++) w.add(i * run.length, run);
    expect(w.startOffset).toBe(3 * run.length);
    expect(w.view(2 * run.length, 10)).toBeUndefined();
    expect(w.view((runs + 2) * run.length, 10)).toHaveLength(10);
  });

  it('refuses a run that goes backwards', () => {
    const w = new WrittenWindow();
    w.add(100, Buffer.alloc(10));
    expect(() => w.add(105, Buffer.alloc(10))).toThrow(/before the last one/);
  });
});

describe('DispatchRequestReader', () => {
  const arbText = (max: number) => fc.string({ unit: 'binary', maxLength: max }).filter((s) => !/[\u0001\u0002]/.test(s));
  const arbName = fc.oneof(fc.constantFrom('TAGS', 'KEYS', 'UNIQ_KEY', 'TAG', 'UNIQ_KEYS', 'tags', 'WAIT'), arbText(10));

  /** The text scan dispatch used before reading bytes (kept here as the reference). */
  function referenceScan(props: string): { tags: string | undefined; keys: string | undefined; uniqKey: string | undefined } {
    let tags: string | undefined;
    let keys: string | undefined;
    let uniqKey: string | undefined;
    for (let start = 0; start < props.length; ) {
      const sep = props.indexOf('\u0001', start);
      if (sep < 0) break;
      let end = props.indexOf('\u0002', sep + 1);
      if (end < 0) end = props.length;
      const nameLen = sep - start;
      if (nameLen === 4 && props.startsWith('TAGS', start)) tags = props.slice(sep + 1, end);
      else if (nameLen === 4 && props.startsWith('KEYS', start)) keys = props.slice(sep + 1, end);
      else if (nameLen === 8 && props.startsWith('UNIQ_KEY', start)) uniqKey = props.slice(sep + 1, end);
      start = end + 1;
    }
    return { tags, keys, uniqKey };
  }

  function recordWith(topic: string, properties: string, physicalOffset: number): Buffer {
    return encodeMessageRecord({
      topic, queueId: 7, flag: 0, sysFlag: 0, bornTimestamp: 1, bornHost: { host: '127.0.0.1', port: 1 }, storeTimestamp: 1_700_000_000_000,
      storeHost: { host: '127.0.0.1', port: 2 }, reconsumeTimes: 0, preparedTransactionOffset: 0, queueOffset: 42, physicalOffset,
      body: Buffer.from('body'), properties,
    });
  }

  it('finds TAGS, KEYS and UNIQ_KEY in the bytes as the text scan does, any properties text (fast-check)', () => {
    const arbProps = fc.oneof(
      fc.array(fc.tuple(arbName, arbText(20)), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}\u0001${v}\u0002`).join('')),
      fc.string({ unit: fc.constantFrom('T', 'A', 'G', 'S', 'K', 'E', 'Y', '\u0001', '\u0002', 'é', 'x'), maxLength: 40 }),
    );
    const reader = new DispatchRequestReader();
    fc.assert(
      fc.property(arbProps, (props) => {
        const buf = recordWith('TopicX', props, 4096);
        expect(reader.frameAt(buf, 0, 4096).kind).toBe('message');
        const req = reader.request(buf, undefined);
        const ref = referenceScan(props);
        expect([req.keys, req.uniqKey]).toEqual([ref.keys, ref.uniqKey]);
        expect(req.tagsCode).toBe(ref.tags ? tagsHashCode(ref.tags) : 0);
        expect(req.properties).toBe(props);
      }),
      { numRuns: 500 },
    );
  });

  it('reads every field and gives the tags-code hook its say', () => {
    const reader = new DispatchRequestReader();
    const props = propertiesToString(new Map([[MessageConst.PROPERTY_TAGS, 'TagA'], [MessageConst.PROPERTY_KEYS, 'k1 k2']]));
    const buf = Buffer.concat([Buffer.alloc(10), recordWith('Tópico', props, 500)]);
    expect(reader.frameAt(buf, 10, 499)).toMatchObject({ kind: 'invalid' });
    expect(reader.frameAt(buf, 10, 500).kind).toBe('message');
    const seen: unknown[] = [];
    const req = reader.request(buf, (topic, properties, storeTimestamp, tagsCode) => {
      seen.push(topic, properties, storeTimestamp, tagsCode);
      return 99;
    });
    expect(seen).toEqual(['Tópico', props, 1_700_000_000_000, tagsHashCode('TagA')]);
    expect(req).toEqual({
      topic: 'Tópico', queueId: 7, commitLogOffset: 500, msgSize: buf.length - 10, tagsCode: 99, storeTimestamp: 1_700_000_000_000,
      consumeQueueOffset: 42, keys: 'k1 k2', uniqKey: undefined, sysFlag: 0, preparedTransactionOffset: 0, properties: props,
    });
  });

  it('names each topic right, also when topics share a cache slot', () => {
    const reader = new DispatchRequestReader();
    const topics: string[] = [];
    for (let i = 0; i < 600; i++) {
      const buf = recordWith(`topic-${i % 300}`, '', 0);
      reader.frameAt(buf, 0, 0);
      topics.push(reader.request(buf, undefined).topic);
    }
    expect(topics.slice(0, 300)).toEqual(Array.from({ length: 300 }, (_, i) => `topic-${i}`));
    expect(topics.slice(300)).toEqual(topics.slice(0, 300));
  });

  it('hashes tag bytes like String.hashCode of their text, non-ASCII included (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), (tags) => {
        const buf = Buffer.concat([Buffer.from('xx'), Buffer.from(tags, 'utf8'), Buffer.from('yy')]);
        expect(tagsHashCodeOfBytes(buf, 2, buf.length - 2)).toBe(tagsHashCode(Buffer.from(tags, 'utf8').toString('utf8')));
      }),
    );
  });
});

describe('index key hashes', () => {
  it('continuing String.hashCode of `topic#` over the key equals hashing `topic#key` (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 60 }), (topic, key) => {
        expect(indexKeyHashContinued(tagsHashCode(`${topic}#`), key)).toBe(indexKeyHash(`${topic}#${key}`));
      }),
    );
  });
});

describe('record caches', () => {
  it('offset message ids equal createOffsetMessageId for any host and offset, across host changes (fast-check)', () => {
    const ids = new OffsetMessageIdCache();
    const arbHost = fc.record({
      host: fc.oneof(fc.constantFrom('127.0.0.1', '10.0.0.255', '::1', '2001:db8::7'), fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'))),
      port: fc.integer({ min: 0, max: 65535 }),
    });
    fc.assert(
      fc.property(arbHost, fc.array(fc.oneof(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32)), { minLength: 1, maxLength: 5 }), (host, offsets) => {
        for (const offset of offsets) expect(ids.idOf(host, offset)).toBe(createOffsetMessageId(host, offset));
      }),
    );
    expect(offsetHex(0x1234_5678_9abc)).toBe('0000123456789ABC');
    expect(() => ids.idOf({ host: 'broker', port: 1 }, 0)).toThrow(/not an IP literal/);
  });

  it('host addresses: bytes for IP literals, undefined otherwise, and a bounded table', () => {
    const hosts = new HostAddressCache();
    expect(hosts.addressOf('10.1.2.3')).toEqual(Buffer.from([10, 1, 2, 3]));
    expect(hosts.addressOf('::1')).toHaveLength(16);
    expect(hosts.addressOf('localhost')).toBeUndefined();
    for (let i = 0; i < HOST_CACHE_ENTRIES_MAX + 10; i++) hosts.addressOf(`10.0.${i >> 8}.${i & 255}`);
    expect(hosts.addressOf('10.1.2.3')).toEqual(Buffer.from([10, 1, 2, 3]));
  });

  it('topic info: UTF-8 bytes, retry flag and queue keys built once', () => {
    const topics = new TopicCache();
    const info = topics.infoOf('%RETRY%grp');
    expect([info.utf8.toString(), info.isRetry]).toEqual(['%RETRY%grp', true]);
    expect(topics.infoOf('%RETRY%grp')).toBe(info);
    const key = topics.queueKey(info, 3);
    expect(key).toBe('%RETRY%grp-3');
    expect(topics.queueKey(info, 3)).toBe(key);
    expect(topics.queueKey(info, 100_000)).toBe('%RETRY%grp-100000');
  });
});
