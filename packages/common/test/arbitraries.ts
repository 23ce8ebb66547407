// fast-check arbitraries shared by the codec tests.
import fc from 'fast-check';
import type { MessageRecordFields, SocketAddress } from '../src/index.js';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

export const arbInt32 = (): fc.Arbitrary<number> => fc.integer({ min: INT32_MIN, max: INT32_MAX });

/** Safe integers, biased towards the edges (0, 2^32 boundaries, 2^53 - 1). */
export const arbLong = (): fc.Arbitrary<number> =>
  fc.oneof(fc.maxSafeInteger(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER));

export const arbIPv4Host = (): fc.Arbitrary<string> =>
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));

/** IPv6 literals in RFC 5952 form, biased towards runs of zero groups. */
export const arbIPv6Host = (): fc.Arbitrary<string> =>
  fc
    .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
    .map((groups) => canonicalIPv6(groups));

export const arbSocketAddress = (): fc.Arbitrary<SocketAddress> =>
  fc.record({ host: fc.oneof(arbIPv4Host(), arbIPv6Host()), port: fc.integer({ min: 0, max: 65535 }) });

/** Property names as they can round-trip: non-empty, no U+0001 / U+0002. */
export const arbPropertyName = (maxLength = 20): fc.Arbitrary<string> =>
  fc.string({ unit: 'binary', minLength: 1, maxLength }).filter((s) => !/[\u0001\u0002]/.test(s));

/** Property values as they can round-trip: non-empty, no U+0002 (U+0001 is fine). */
export const arbPropertyValue = (maxLength = 40): fc.Arbitrary<string> =>
  fc
    .string({ unit: fc.oneof(fc.constant('\u0001'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), minLength: 1, maxLength })
    .filter((s) => !s.includes('\u0002'));

export const arbProperties = (): fc.Arbitrary<Map<string, string>> =>
  fc.array(fc.tuple(arbPropertyName(), arbPropertyValue()), { maxLength: 8 }).map((pairs) => new Map(pairs));

export const arbTopic = (): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: 'binary-ascii', minLength: 120, maxLength: 255 }),
    )
    .filter((t) => Buffer.byteLength(t) <= 255);

export const arbRecordFields = (): fc.Arbitrary<MessageRecordFields> =>
  fc.record({
    topic: arbTopic(),
    queueId: arbInt32(),
    flag: arbInt32(),
    sysFlag: arbInt32(),
    bornTimestamp: arbLong(),
    bornHost: arbSocketAddress(),
    storeTimestamp: arbLong(),
    storeHost: arbSocketAddress(),
    reconsumeTimes: arbInt32(),
    preparedTransactionOffset: arbLong(),
    queueOffset: arbLong(),
    physicalOffset: arbLong(),
    body: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
    properties: arbProperties().map((m) => propertiesText(m)),
  });

function propertiesText(m: Map<string, string>): string {
  let text = '';
  for (const [k, v] of m) text += `${k}\u0001${v}\u0002`;
  return text;
}

// Independent of src/socket-address.ts on purpose: the first longest run (>= 2) of zeros
// becomes "::", hex lowercase without leading zeros.
export function canonicalIPv6(groups: number[]): string {
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      best = i;
      bestLength = j - i;
    }
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLength).join(':')}`;
}
