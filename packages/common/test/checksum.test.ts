import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32Masked, tagsHashCode } from '../src/index.js';
import { crc32Table } from '../src/checksum.js';

describe('tagsHashCode (Java String.hashCode)', () => {
  // Expected values printed by Java 17 on this machine:
  //   System.out.println(s.hashCode()) for each string below (see the report for the command).
  const javaValues: [string, number][] = [
    ['TagA', 2598919],
    ['TagB', 2598920],
    ['TagC', 2598921],
    ['*', 42],
    ['', 0],
    ['中文', 646394],
    ['TagA||TagB', 1789476431],
    ['a-very-long-tag-name-for-overflow-1234567890', 869166361],
    ['😀', 1772899], // a surrogate pair: hashed as two UTF-16 code units
    ['\u0000x', 120],
  ];
  for (const [tags, expected] of javaValues) {
    it(`${JSON.stringify(tags)} -> ${expected}`, () => {
      expect(tagsHashCode(tags)).toBe(expected);
    });
  }

  it('always gives a signed 32-bit integer equal to the BigInt form of the formula', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 64 }), (s) => {
        let h = 0n;
        for (let i = 0; i < s.length; i++) h = BigInt.asIntN(32, h * 31n + BigInt(s.charCodeAt(i)));
        expect(tagsHashCode(s)).toBe(Number(h));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('crc32Masked', () => {
  it('matches zlib CRC-32 of "Hello" (0xF7D18982) masked to 0x77D18982', () => {
    expect(crc32Masked(Buffer.from('Hello'))).toBe(0x77d18982);
    expect(crc32Masked(Buffer.alloc(0))).toBe(0);
  });

  it('covers only [start, end)', () => {
    const buf = Buffer.from('xxHelloyy');
    expect(crc32Masked(buf, 2, 7)).toBe(0x77d18982);
  });

  it('agrees with the table fallback used on Node < 20.15', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        expect(crc32Masked(Buffer.from(bytes))).toBe(crc32Table(bytes) & 0x7fffffff);
      }),
      { numRuns: 500 },
    );
  });
});
