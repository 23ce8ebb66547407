import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_MESSAGE_DELAY_LEVEL, InvalidArgumentError, parseDelayLevels } from '../src/index.js';

describe('parseDelayLevels', () => {
  it('parses the 18 default levels', () => {
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    expect(parseDelayLevels(DEFAULT_MESSAGE_DELAY_LEVEL)).toEqual([
      1 * s, 5 * s, 10 * s, 30 * s, 1 * m, 2 * m, 3 * m, 4 * m, 5 * m, 6 * m, 7 * m, 8 * m, 9 * m, 10 * m, 20 * m, 30 * m, 1 * h, 2 * h,
    ]);
  });

  it('supports days and tolerates extra whitespace', () => {
    expect(parseDelayLevels('  2d\t1h  ')).toEqual([2 * 86_400_000, 3_600_000]);
  });

  const bad: [string, RegExp][] = [
    ['1s 5x 10s', /token "5x" \(level 2\)/],
    ['1s s', /token "s" \(level 2\)/],
    ['10', /token "10" \(level 1\)/],
    ['-1s', /token "-1s"/],
    ['1.5m', /token "1.5m"/],
    ['', /has no levels/],
    ['999999999999999d', /too large/],
  ];
  for (const [text, why] of bad) {
    it(`rejects ${JSON.stringify(text)} naming the bad token`, () => {
      expect(() => parseDelayLevels(text)).toThrow(InvalidArgumentError);
      expect(() => parseDelayLevels(text)).toThrow(why);
    });
  }

  it('parses any list of <n><unit> tokens to n times the unit', () => {
    const unitMs = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(100_000), fc.constantFrom('s', 'm', 'h', 'd')), { minLength: 1, maxLength: 30 }), (levels) => {
        const text = levels.map(([n, u]) => `${n}${u}`).join(' ');
        expect(parseDelayLevels(text)).toEqual(levels.map(([n, u]) => n * unitMs[u]));
      }),
    );
  });
});
