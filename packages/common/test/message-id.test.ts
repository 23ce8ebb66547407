import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  InvalidArgumentError,
  UniqueMessageIdGenerator,
  createOffsetMessageId,
  createUniqueMessageId,
  decodeOffsetMessageId,
  monthStartMs,
  uniqueMessageIdTimestamp,
} from '../src/index.js';
import { arbSocketAddress } from './arbitraries.js';

describe('offset message id', () => {
  it('matches the reference example: 192.168.0.1:10911 at offset 0', () => {
    expect(createOffsetMessageId({ host: '192.168.0.1', port: 10911 }, 0)).toBe('C0A8000100002A9F0000000000000000');
  });

  it('is 56 hex chars for an IPv6 store host', () => {
    const id = createOffsetMessageId({ host: '::1', port: 10911 }, 2 ** 40);
    expect(id).toBe('0000000000000000000000000000000100002A9F0000010000000000');
    expect(decodeOffsetMessageId(id)).toEqual({ ok: true, storeHost: { host: '::1', port: 10911 }, commitLogOffset: 2 ** 40 });
  });

  it('round-trips any store host and offset, reading lowercase hex too', () => {
    fc.assert(
      fc.property(arbSocketAddress(), fc.maxSafeNat(), (storeHost, commitLogOffset) => {
        const id = createOffsetMessageId(storeHost, commitLogOffset);
        expect(id).toBe(id.toUpperCase());
        expect(decodeOffsetMessageId(id)).toEqual({ ok: true, storeHost, commitLogOffset });
        expect(decodeOffsetMessageId(id.toLowerCase())).toEqual({ ok: true, storeHost, commitLogOffset });
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects bad ids with a reason and bad inputs with InvalidArgumentError', () => {
    expect(decodeOffsetMessageId('ABC')).toMatchObject({ ok: false, reason: expect.stringMatching(/3 chars/) });
    expect(decodeOffsetMessageId('Z'.repeat(32))).toEqual({ ok: false, reason: 'offset message id is not hex' });
    expect(decodeOffsetMessageId('7F000001FFFFFFFF0000000000000000')).toMatchObject({ ok: false, reason: expect.stringMatching(/port -1/) });
    expect(decodeOffsetMessageId('7F00000100002A9F8000000000000000')).toMatchObject({ ok: false });
    expect(() => createOffsetMessageId({ host: 'broker-a', port: 1 }, 0)).toThrow(InvalidArgumentError);
    expect(() => createOffsetMessageId({ host: '127.0.0.1', port: 1 }, -1)).toThrow(InvalidArgumentError);
  });
});

describe('unique message id (UNIQ_KEY)', () => {
  it('lays out ip, pid, a constant, the month offset and a counter as 32 uppercase hex chars', () => {
    const now = new Date(2025, 2, 10, 12, 0, 0, 250).getTime(); // local time, 10 March 2025
    const gen = new UniqueMessageIdGenerator({ ipv4: Buffer.from([10, 1, 2, 3]), pid: 0x12345, nowMs: () => now });
    const first = gen.next();
    const second = gen.next();
    expect(first).toMatch(/^[0-9A-F]{32}$/);
    expect(first.slice(0, 8)).toBe('0A010203'); // 10.1.2.3
    expect(first.slice(8, 12)).toBe('2345'); // low 16 bits of the pid
    expect(second.slice(0, 20)).toBe(first.slice(0, 20)); // the per-generator constant does not change
    const spanMs = now - new Date(2025, 2, 1).getTime();
    expect(first.slice(20, 28)).toBe(spanMs.toString(16).toUpperCase().padStart(8, '0'));
    expect(first.slice(28)).toBe('0000');
    expect(second.slice(28)).toBe('0001');
  });

  it('wraps the counter at 65536', () => {
    const gen = new UniqueMessageIdGenerator({ ipv4: Buffer.from([1, 2, 3, 4]), nowMs: () => 1_700_000_000_000 });
    let last = '';
    for (let i = 0; i < 65_537; i++) last = gen.next();
    expect(last.slice(28)).toBe('0000');
  });

  it('decodes its own creation time, also late in a month (span beyond 2^31 ms) and across a month change', () => {
    const times = [
      new Date(2025, 0, 31, 23, 59, 59, 999).getTime(), // 31 days into January: span > 2^31
      new Date(2025, 1, 1, 0, 0, 0, 0).getTime(),
      new Date(2024, 1, 29, 13, 14, 15, 16).getTime(),
    ];
    for (const t of times) {
      const id = new UniqueMessageIdGenerator({ nowMs: () => t }).next();
      expect(uniqueMessageIdTimestamp(id, t)).toBe(t);
      expect(uniqueMessageIdTimestamp(id, t + 60_000)).toBe(t);
    }
    // Made on 31 January, read on 2 February: the span lands in the previous month.
    const jan = new Date(2025, 0, 31, 10, 0).getTime();
    const janId = new UniqueMessageIdGenerator({ nowMs: () => jan }).next();
    expect(uniqueMessageIdTimestamp(janId, new Date(2025, 1, 2).getTime())).toBe(jan);
  });

  it('round-trips the timestamp of any time read within the next day', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 }),
        fc.integer({ min: 0, max: 86_400_000 }),
        (t, laterMs) => {
          const id = new UniqueMessageIdGenerator({ ipv4: Buffer.from([127, 0, 0, 1]), nowMs: () => t }).next();
          expect(uniqueMessageIdTimestamp(id, t + laterMs)).toBe(t);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('the process-wide generator gives distinct ids stamped now', () => {
    const before = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => createUniqueMessageId()));
    expect(ids.size).toBe(1000);
    const [one] = ids;
    const stamped = uniqueMessageIdTimestamp(one ?? '');
    expect(stamped).toBeGreaterThanOrEqual(before);
    expect(stamped).toBeLessThanOrEqual(Date.now());
  });

  it('gives undefined for malformed ids', () => {
    expect(uniqueMessageIdTimestamp('not an id')).toBeUndefined();
    expect(uniqueMessageIdTimestamp('G'.repeat(32))).toBeUndefined();
    expect(monthStartMs(new Date(2025, 6, 15, 8).getTime())).toBe(new Date(2025, 6, 1).getTime());
  });
});
