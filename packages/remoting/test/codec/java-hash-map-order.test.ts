import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { javaHashMapBuckets, javaHashMapOrder, javaStringHash } from '../../src/codec/java-hash-map-order.js';

describe('javaHashMapOrder', () => {
  test('uses Java String.hashCode', () => {
    // Java: "".hashCode() 0, "a" 97, "topic" 110546223, and the well-known overflow case
    // "polygenelubricants".hashCode() == Integer.MIN_VALUE
    expect([javaStringHash(''), javaStringHash('a'), javaStringHash('topic'), javaStringHash('polygenelubricants')]).toEqual([0, 97, 110546223, -2147483648]);
  });

  test('doubles the table past 0.75 load', () => {
    expect([javaHashMapBuckets(0), javaHashMapBuckets(12), javaHashMapBuckets(13), javaHashMapBuckets(25), javaHashMapBuckets(1, 256)]).toEqual([16, 16, 32, 64, 256]);
  });

  test('orders keys as the Java pull response header iterates them (captured order)', () => {
    expect(javaHashMapOrder(['suggestWhichBrokerId', 'nextBeginOffset', 'minOffset', 'maxOffset'])).toEqual(['suggestWhichBrokerId', 'nextBeginOffset', 'maxOffset', 'minOffset']);
  });

  test('is a permutation that does not depend on insertion order across buckets (fast-check)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 10 }), { maxLength: 40 }), (keys) => {
        const ordered = javaHashMapOrder(keys);
        expect([...ordered].sort()).toEqual([...keys].sort());
        expect(javaHashMapOrder(ordered)).toEqual(ordered);
      }),
      { numRuns: 300 },
    );
  });
});
