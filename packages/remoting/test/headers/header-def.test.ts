import fc from 'fast-check';
import { describe, expect, expectTypeOf, test } from 'vitest';
import { InvalidArgumentError } from '@apogee/common';
import { defineHeader, field, type HeaderInputOf, type HeaderValue } from '../../src/protocol/header-def.js';
import { headerValueArb, withDefaults } from './header-arbitraries.js';

const Sample = defineHeader('SampleHeader', {
  group: field.string().required(),
  queueId: field.int().required(),
  offset: field.long().required(),
  committed: field.bool().default(true),
  boundary: field.enumOf(['LOWER', 'UPPER']).optional(),
  remarkText: field.string().optional(),
  retries: field.int().default(-1),
});
type Sample = HeaderValue<typeof Sample>;

describe('defineHeader', () => {
  test('derives the TS types from the definition', () => {
    expectTypeOf<Sample>().toEqualTypeOf<{
      group: string; queueId: number; offset: number; committed: boolean; retries: number;
      boundary?: 'LOWER' | 'UPPER'; remarkText?: string;
    }>();
    expectTypeOf<HeaderInputOf<typeof Sample>>().toEqualTypeOf<{
      group: string; queueId: number; offset: number;
      committed?: boolean; retries?: number; boundary?: 'LOWER' | 'UPPER'; remarkText?: string;
    }>();
  });

  test('round trips any value (fast-check)', () => {
    fc.assert(
      fc.property(headerValueArb(Sample as never), (value) => {
        expect(Sample.decode(Sample.encode(value as never))).toEqual({ ok: true, value: withDefaults(Sample as never, value) });
      }),
      { numRuns: 300 },
    );
  });

  test('writes decimal strings, in definition order, defaults included, optional fields only when set', () => {
    const ext = Sample.encode({ group: 'g', queueId: -3, offset: 9007199254740991 });
    expect(ext).toEqual({ group: 'g', queueId: '-3', offset: '9007199254740991', committed: 'true', retries: '-1' });
    expect(Object.keys(ext)).toEqual(['group', 'queueId', 'offset', 'committed', 'retries']);
    expect(Sample.encode({ group: 'g', queueId: 1, offset: 2, committed: false, boundary: 'UPPER' })).toMatchObject({ committed: 'false', boundary: 'UPPER' });
  });

  test('reads Java-style text: signs, leading zeros, booleans in any case; ignores unknown keys', () => {
    expect(Sample.decode({ group: 'g', queueId: '+007', offset: '-0', committed: 'FALSE', retries: '2', unknown: 'x' })).toEqual({
      ok: true, value: { group: 'g', queueId: 7, offset: -0, committed: false, retries: 2 },
    });
  });

  test('absent and empty non-string values take the default; an empty string is a string', () => {
    expect(Sample.decode({ group: '', queueId: '1', offset: '2', committed: '', retries: '' })).toEqual({
      ok: true, value: { group: '', queueId: 1, offset: 2, committed: true, retries: -1 },
    });
    expect(Sample.decode({ group: 'g', queueId: '', offset: '2' })).toEqual({ ok: false, reason: 'missing required field queueId' });
  });

  test('one reason per kind of bad value', () => {
    const base = { group: 'g', queueId: '1', offset: '2' };
    const cases: Array<[Record<string, string>, string]> = [
      [{ queueId: 'abc' }, 'bad int field queueId: "abc"'],
      [{ queueId: '2147483648' }, 'bad int field queueId: "2147483648"'],
      [{ queueId: '1.0' }, 'bad int field queueId: "1.0"'],
      [{ queueId: ' 1' }, 'bad int field queueId: " 1"'],
      [{ offset: '9007199254740993' }, 'long field offset "9007199254740993" is outside the safe integer range'],
      [{ offset: '0x10' }, 'bad long field offset: "0x10"'],
      [{ committed: 'yes' }, 'bad boolean field committed: "yes"'],
      [{ boundary: 'lower' }, 'bad enum field boundary: "lower" (expected LOWER|UPPER)'],
    ];
    for (const [patch, reason] of cases) expect(Sample.decode({ ...base, ...patch })).toEqual({ ok: false, reason });
    expect(Sample.decode(undefined)).toEqual({ ok: false, reason: 'missing required field group' });
  });

  test('reads only own ext fields', () => {
    const inherited = Object.create({ group: 'from-prototype' }) as Record<string, string>;
    Object.assign(inherited, { queueId: '1', offset: '2' });
    expect(Sample.decode(inherited)).toEqual({ ok: false, reason: 'missing required field group' });
  });

  test('encode refuses missing required fields and wrong kinds with InvalidArgumentError naming the field', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ queueId: 1, offset: 2 }, 'group'],
      [{ group: 'g', queueId: 1.5, offset: 2 }, 'queueId'],
      [{ group: 'g', queueId: 2 ** 31, offset: 2 }, 'queueId'],
      [{ group: 'g', queueId: 1, offset: 2 ** 53 }, 'offset'],
      [{ group: 'g', queueId: 1, offset: 2, committed: 'true' }, 'committed'],
      [{ group: 'g', queueId: 1, offset: 2, boundary: 'MIDDLE' }, 'boundary'],
      [{ group: 7, queueId: 1, offset: 2 }, 'group'],
    ];
    for (const [value, argumentName] of cases) {
      let thrown: unknown;
      try {
        Sample.encode(value as never);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, JSON.stringify(value)).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).argumentName).toBe(argumentName);
    }
  });

  test('a default of the wrong kind is refused when the header is defined', () => {
    expect(() => defineHeader('Broken', { n: field.int().default(1.5) })).toThrow(InvalidArgumentError);
  });
});
