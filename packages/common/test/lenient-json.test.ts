import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../src/errors.js';
import { parseLenientJson } from '../src/json/lenient-json.js';
import { toFastjsonBuffer, toFastjsonString } from '../src/json/fastjson-writer.js';
import { JsonNumberText } from '../src/json/json-number-text.js';

function valueOf(text: string): unknown {
  const r = parseLenientJson(text);
  if (!r.ok) throw new Error(`did not parse: ${r.reason}`);
  return r.value;
}

/** JSON.parse's value, with integers it cannot hold exactly written as bigint (what the lenient parser returns). */
function exactly(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) && !Number.isSafeInteger(v) && !/e/i.test(String(v)) ? BigInt(String(v)) : v;
  if (Array.isArray(v)) return v.map(exactly);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: exactly(x), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return v;
}

/** What fastjson writes leaves out: object members that are null. */
function withoutNullMembers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNullMembers);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== null) Object.defineProperty(out, k, { value: withoutNullMembers(x), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return v;
}

describe('parseLenientJson', () => {
  test('standard JSON parses to what JSON.parse gives (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = JSON.stringify(v);
        expect(valueOf(text)).toEqual(exactly(JSON.parse(text)));
        expect(valueOf(JSON.stringify(v, null, 2))).toEqual(exactly(JSON.parse(text)));
      }),
      { numRuns: 500 },
    );
  });

  test('fastjson map keys: unquoted numbers, identifiers and whole objects', () => {
    expect(valueOf('{"brokerAddrs":{0:"10.0.0.1:10911",1:"10.0.0.2:10911"}}')).toEqual({ brokerAddrs: { 0: '10.0.0.1:10911', 1: '10.0.0.2:10911' } });
    expect(valueOf('{"offsetTable":{"t@g":{0:12,1:7}}}')).toEqual({ offsetTable: { 't@g': { 0: 12, 1: 7 } } });
    expect(valueOf('{offsetTable:{{"brokerName":"b","queueId":0,"topic":"T"}:{"brokerOffset":5,"consumerOffset":4}}}')).toEqual({
      offsetTable: { '{"brokerName":"b","queueId":0,"topic":"T"}': { brokerOffset: 5, consumerOffset: 4 } },
    });
    expect(valueOf('{-1:"a",true:1}')).toEqual({ '-1': 'a', true: 1 });
  });

  test('single quotes, \\x escapes, trailing commas, a BOM and whitespace', () => {
    expect(valueOf("\uFEFF { 'a' : 'it\\'s' , \"b\":\"\\x41\\u00e9\\/\" , 'c':[1,2,], } ")).toEqual({ a: "it's", b: 'Aé/', c: [1, 2] });
  });

  test('longs keep every digit as bigint; safe integers and floats stay numbers', () => {
    expect(valueOf('[9007199254740991,9007199254740993,-9223372036854775808,1.5,1e3,0.1]')).toEqual([
      9007199254740991, 9007199254740993n, -9223372036854775808n, 1.5, 1000, 0.1,
    ]);
    const raw = parseLenientJson('{"a":1.50,"b":[-0,18446744073709551615]}', { numbersAsText: true });
    expect(raw).toEqual({ ok: true, value: { a: new JsonNumberText('1.50'), b: [new JsonNumberText('-0'), new JsonNumberText('18446744073709551615')] } });
  });

  test('"__proto__" is an ordinary key, never the prototype', () => {
    const v = valueOf('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(Object.keys(v)).toEqual(['__proto__', 'a']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('bad input gets a reason with the offset, never a throw', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /unexpected end of input at offset 0/],
      ['{"a":}', /unexpected character "}" at offset 5/],
      ['{"a" 1}', /expected ":" after object key at offset 5/],
      ['[1 2]', /expected "," or "\]" in array/],
      ['"abc', /unterminated string/],
      ['"\\q"', /bad escape \\q/],
      ['"\\u12G4"', /bad hex escape/],
      ['-', /expected a digit/],
      ['1.', /expected a digit after "."/],
      ['1e+', /expected a digit in the exponent/],
      ['nul', /unexpected word "nul"/],
      ['{} {}', /unexpected text after the JSON value/],
      ['[' .repeat(513) + ']'.repeat(513), /nesting deeper than 512/],
      ['{'.repeat(100_000), /nesting deeper than 512/],
    ];
    for (const [text, reason] of cases) {
      const r = parseLenientJson(text);
      expect(r.ok, text.slice(0, 20)).toBe(false);
      if (!r.ok) expect(r.reason, text.slice(0, 20)).toMatch(reason);
    }
  });

  test('never throws on arbitrary text (fast-check)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 60 }), (text) => {
        const r = parseLenientJson(text);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.reason).toMatch(/^JSON/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('toFastjsonString', () => {
  test('writes sorted, compact JSON without null members that parses back (fast-check)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const text = toFastjsonString(v);
        expect(text).not.toMatch(/:null[,}]/);
        expect(valueOf(text)).toEqual(exactly(withoutNullMembers(JSON.parse(JSON.stringify(v)))));
      }),
      { numRuns: 500 },
    );
  });

  test('follows fastjson map rules and value forms', () => {
    expect(toFastjsonString({ b: 1, a: null, c: undefined, d: [null, undefined] })).toBe('{"b":1,"d":[null,null]}');
    expect(toFastjsonString(new Map<unknown, unknown>([[0, '10.0.0.1:10911'], [1n, 'x'], ['s', 2]]))).toBe('{0:"10.0.0.1:10911",1:"x","s":2}');
    const mq = { brokerName: 'b', queueId: 0, topic: 'T' };
    expect(toFastjsonString({ offsetTable: new Map([[mq, 5]]) })).toBe('{"offsetTable":{{"brokerName":"b","queueId":0,"topic":"T"}:5}}');
    expect(toFastjsonString({ brokerAddrs: { 0: 'a', 1: 'b' } }, { unquotedNumericKeys: true })).toBe('{"brokerAddrs":{0:"a",1:"b"}}');
    expect(toFastjsonString({ z: 1, a: 2 }, { sortKeys: false })).toBe('{"z":1,"a":2}');
    expect(toFastjsonString([9007199254740993n, Number.NaN, new Set(['x']), new Date(5), Buffer.from('hi')])).toBe('[9007199254740993,null,["x"],5,"aGk="]');
    expect(toFastjsonBuffer({ t: '主题' }).toString('utf8')).toBe('{"t":"主题"}');
  });

  test('a cycle is refused with InvalidArgumentError', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => toFastjsonString(a)).toThrow(InvalidArgumentError);
  });
});
