import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError, propertiesToString, stringToProperties } from '../src/index.js';
import { arbProperties } from './arbitraries.js';

describe('properties string', () => {
  it('encodes name 0x01 value 0x02 for each pair, in map order', () => {
    const props = new Map([
      ['TAGS', 'TagA'],
      ['WAIT', 'true'],
    ]);
    expect(propertiesToString(props)).toBe('TAGS\u0001TagA\u0002WAIT\u0001true\u0002');
    expect(propertiesToString(new Map())).toBe('');
  });

  it('decodes by RocketMQ rules: short, keyless and valueless segments are skipped, later pairs win', () => {
    const text = 'A\u0001\u0002\u0001b\u0002ab\u0002K\u00011\u0002K\u00012\u0002X\u0001y\u0001z';
    expect([...stringToProperties(text)]).toEqual([
      ['K', '2'],
      ['X', 'y\u0001z'], // the value runs to the next 0x02; only the first 0x01 splits
    ]);
  });

  it('decodes a string without a final separator', () => {
    expect([...stringToProperties('KEYS\u0001k1 k2')]).toEqual([['KEYS', 'k1 k2']]);
  });

  it('refuses separators that would not read back rather than corrupting the neighbours', () => {
    expect(() => propertiesToString(new Map([['a', 'x\u0002b\u0001c']]))).toThrow(InvalidArgumentError);
    expect(() => propertiesToString(new Map([['a\u0001', 'x']]))).toThrow(/separator/);
    expect(() => propertiesToString(new Map([['a\u0002', 'x']]))).toThrow(/separator/);
  });

  it('keeps U+0001 inside a value, which decodes back (only the first U+0001 splits)', () => {
    const props = new Map([['X', 'y\u0001z']]);
    expect(stringToProperties(propertiesToString(props))).toEqual(props);
  });

  it('round-trips any map of non-empty names and values without separators', () => {
    fc.assert(
      fc.property(arbProperties(), (props) => {
        expect(stringToProperties(propertiesToString(props))).toEqual(props);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes any string without throwing; what it keeps re-encodes and decodes to the same map', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'b', '\u0001', '\u0002', 'é'), maxLength: 40 }), (text) => {
        const props = stringToProperties(text);
        for (const [k, v] of props) {
          expect(k.length).toBeGreaterThan(0);
          expect(v.length).toBeGreaterThan(0);
          expect(k.includes('\u0001') || k.includes('\u0002')).toBe(false);
        }
        expect(stringToProperties(propertiesToString(props))).toEqual(props);
      }),
      { numRuns: 3000 },
    );
  });
});
