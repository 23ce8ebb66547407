import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '@apogee/common';
import { decodeJsonHeader, encodeJsonHeader, jsonHeaderText } from '../../src/codec/header-json.js';
import { decodeRocketmqHeader, encodeRocketmqHeader } from '../../src/codec/header-rocketmq.js';
import { decodeMsgpackHeader, encodeMsgpackHeader } from '../../src/codec/header-msgpack.js';
import { headerCodecOf } from '../../src/codec/header-codecs.js';
import type { HeaderDecodeResult, RemotingHeader } from '../../src/codec/remoting-header.js';
import { SerializeType } from '../../src/protocol/remoting-command.js';
import { commandArb, expectedAfterTrip, plain } from './arbitraries.js';

function headerOf(result: HeaderDecodeResult): RemotingHeader {
  if (!result.ok) throw new Error(`expected a header, got: ${result.reason}`);
  return result.header;
}

function reasonOf(result: HeaderDecodeResult): string {
  if (result.ok) throw new Error(`expected a reason, got ${JSON.stringify(result.header)}`);
  return result.reason;
}

const BASE: RemotingHeader = { code: 11, language: 'JAVA', version: 479, opaque: 42, flag: 0 };

describe('each header codec round trips (fast-check)', () => {
  for (const [name, type] of Object.entries(SerializeType)) {
    test(`${name}: decode(encode(header)) is the header`, () => {
      const codec = headerCodecOf(type);
      if (codec === undefined) throw new Error('codec missing');
      fc.assert(
        fc.property(commandArb([type]), (cmd) => {
          const { body: _body, serializeType: _type, ...header } = cmd;
          const encoded = codec.encode(header);
          const into = codec.encodeInto(header, 3, 5);
          expect(into.subarray(3, into.length - 5).equals(encoded)).toBe(true);
          const { body: _b, serializeType: _s, ...expected } = expectedAfterTrip({ ...cmd, body: undefined });
          expect(plain({ ...headerOf(codec.decode(encoded)), serializeType: type })).toEqual(plain({ ...expected, serializeType: type }));
        }),
        { numRuns: 300 },
      );
    });
  }

  test('ext field keys and values from every Unicode plane, "__proto__" included, survive all codecs', () => {
    const ext: Record<string, string> = { 'ключ': 'значение', '键🔑': '值\u0000\u0001\u0002', '': 'empty key', emptyValue: '' };
    Object.defineProperty(ext, '__proto__', { value: 'not a prototype', enumerable: true, writable: true, configurable: true });
    for (const type of [0, 1, 2]) {
      const codec = headerCodecOf(type);
      if (codec === undefined) throw new Error('codec missing');
      const decoded = headerOf(codec.decode(codec.encode({ ...BASE, extFields: ext })));
      expect(Object.getPrototypeOf(decoded.extFields)).toBe(Object.prototype);
      expect(Object.entries(decoded.extFields ?? {}).sort()).toEqual(Object.entries(ext).sort());
    }
  });
});

describe('JSON header', () => {
  test('is written as fastjson writes a RemotingCommand', () => {
    expect(jsonHeaderText({ code: 105, language: 'JAVA', version: 479, opaque: 12, flag: 0, extFields: { topic: 'TopicTest' } })).toBe(
      '{"code":105,"extFields":{"topic":"TopicTest"},"flag":0,"language":"JAVA","opaque":12,"serializeTypeCurrentRPC":"JSON","version":479}',
    );
    expect(jsonHeaderText({ code: 1, language: 'GO', version: 317, opaque: -5, flag: 1, remark: 'a "quoted"\nline' })).toBe(
      '{"code":1,"flag":1,"language":"GO","opaque":-5,"remark":"a \\"quoted\\"\\nline","serializeTypeCurrentRPC":"JSON","version":317}',
    );
  });

  test('reads what other clients write: language by number, missing fields, numbers and booleans as ext values', () => {
    const text = '{"code":"310","language":12,"opaque":7,"extFields":{"e":1,"k":false,"g":1700000000123,"big":18446744073709551615,"f":-0.50,"n":null,"o":{"x":1}},"serializeTypeCurrentRPC":"ROCKETMQ","extra":[1]}';
    expect(headerOf(decodeJsonHeader(Buffer.from(text)))).toEqual({
      code: 310, language: 'RUST', version: 0, opaque: 7, flag: 0,
      extFields: { e: '1', k: 'false', g: '1700000000123', big: '18446744073709551615', f: '-0.50', o: '{"x":1}' },
    });
  });

  test('unknown language names and numbers read as OTHER; a missing language as JAVA', () => {
    expect(headerOf(decodeJsonHeader(Buffer.from('{"code":1,"language":"COBOL"}'))).language).toBe('OTHER');
    expect(headerOf(decodeJsonHeader(Buffer.from('{"code":1,"language":99}'))).language).toBe('OTHER');
    expect(headerOf(decodeJsonHeader(Buffer.from('{"code":1,"language":"NODE_JS"}'))).language).toBe('NODE_JS');
    expect(headerOf(decodeJsonHeader(Buffer.from('{"code":1}'))).language).toBe('JAVA');
  });

  test('reads fastjson-style unquoted keys and single quotes', () => {
    expect(headerOf(decodeJsonHeader(Buffer.from("{code:0,'remark':'ok',extFields:{0:12,1:'a'}}")))).toEqual({
      code: 0, language: 'JAVA', version: 0, opaque: 0, flag: 0, remark: 'ok', extFields: { 0: '12', 1: 'a' },
    });
  });

  test('refuses what is not a command header, with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /^JSON header: JSON: unexpected end of input/],
      ['[1,2]', /^JSON header is not an object$/],
      ['"code"', /^JSON header is not an object$/],
      ['{"flag":1}', /^JSON header has no code$/],
      ['{"code":1.5}', /code 1.5 is not an int32/],
      ['{"code":2147483648}', /code 2147483648 is not an int32/],
      ['{"code":1,"opaque":"x"}', /opaque x is not an int32/],
      ['{"code":1,"language":{"a":1}}', /bad language/],
      ['{"code":1,"remark":{"a":1}}', /remark is not a string/],
      ['{"code":1,"extFields":[1]}', /extFields is not an object/],
      ['{"code":1,"extFields":{"a":"b"}', /expected "," or "}" in object/],
      ['{"code":1} trailing', /unexpected text after the JSON value/],
      [`{code:1,x:${'['.repeat(600)}${']'.repeat(600)}}`, /nesting deeper than 512/],
    ];
    for (const [text, reason] of cases) expect(reasonOf(decodeJsonHeader(Buffer.from(text))), text.slice(0, 40)).toMatch(reason);
  });

  test('encoder refuses ext values that are not strings', () => {
    expect(() => encodeJsonHeader({ ...BASE, extFields: { queueId: 3 as unknown as string } })).toThrow(InvalidArgumentError);
  });
});

describe('ROCKETMQ header', () => {
  test('has the reference 1.4 layout', () => {
    const bytes = encodeRocketmqHeader({ code: 105, language: 'GO', version: 317, opaque: -2, flag: 1, remark: 'é', extFields: { k: 'v' } });
    expect(bytes.toString('hex')).toBe(
      '0069' + '09' + '013d' + 'fffffffe' + '00000001' + '00000002' + 'c3a9' + '00000008' + '0001' + '6b' + '00000001' + '76',
    );
  });

  test('empty remark and empty ext map read back as absent; an empty value as ""', () => {
    const decoded = headerOf(decodeRocketmqHeader(encodeRocketmqHeader({ ...BASE, remark: '', extFields: {} })));
    expect(decoded.remark).toBeUndefined();
    expect(decoded.extFields).toBeUndefined();
    expect(headerOf(decodeRocketmqHeader(encodeRocketmqHeader({ ...BASE, extFields: { a: '' } }))).extFields).toEqual({ a: '' });
  });

  test('short, long, ASCII and non-ASCII strings, in small and large maps, read back exactly', () => {
    const small = { a: 'x'.repeat(64), b: 'y'.repeat(65), c: 'é'.repeat(10), d: `${'z'.repeat(60)}é`, e: '', properties: 'KEYS\u0001k\u0002' };
    const large = { ...small, big: 'p'.repeat(5000), after: 'short', bigUnicode: '🔑'.repeat(300) };
    for (const extFields of [small, large]) {
      const decoded = headerOf(decodeRocketmqHeader(encodeRocketmqHeader({ ...BASE, remark: 'r'.repeat(100), extFields })));
      expect(decoded.extFields).toEqual(extFields);
      expect(decoded.remark).toBe('r'.repeat(100));
    }
  });

  test('an unknown language byte reads as OTHER', () => {
    const bytes = encodeRocketmqHeader(BASE);
    bytes[2] = 200;
    expect(headerOf(decodeRocketmqHeader(bytes)).language).toBe('OTHER');
  });

  test('refuses lengths that do not add up, with a reason', () => {
    const good = encodeRocketmqHeader({ ...BASE, remark: 'rr', extFields: { key: 'value' } });
    // layout: fixed 0..16, remark len @13, remark @17..19, ext len @19, key len @23, key @25..28, value len @28, value @32..37
    const mutate = (at: number, write: (b: Buffer) => void): Buffer => {
      const b = Buffer.from(good);
      write(b);
      return at >= 0 ? b : b.subarray(0, b.length + at);
    };
    const cases: Array<[Buffer, RegExp]> = [
      [good.subarray(0, 20), /ext length \d+ but -?\d+ bytes remain|ROCKETMQ header of 20 bytes < 21/],
      [good.subarray(0, 10), /^ROCKETMQ header of 10 bytes < 21$/],
      [mutate(0, (b) => b.writeInt32BE(-1, 13)), /remark length -1 outside header/],
      [mutate(0, (b) => b.writeInt32BE(1000, 13)), /remark length 1000 outside header/],
      [mutate(0, (b) => b.writeInt32BE(99, 19)), /ext length 99 but 14 bytes remain/],
      [mutate(0, (b) => b.writeInt16BE(-3, 23)), /ext key length -3 at 23 overruns the map/],
      [mutate(0, (b) => b.writeInt16BE(20, 23)), /ext key length 20 at 23 overruns the map/],
      [mutate(0, (b) => b.writeInt32BE(6, 28)), /ext value length 6 at 28 overruns the map/],
      [mutate(0, (b) => b.writeInt32BE(-7, 28)), /ext value length -7 at 28 overruns the map/],
      [Buffer.concat([good, Buffer.from([0])]), /ext length 14 but 15 bytes remain/],
    ];
    for (const [bytes, reason] of cases) expect(reasonOf(decodeRocketmqHeader(bytes)), bytes.toString('hex')).toMatch(reason);
  });

  test('encoder refuses what the binary form cannot carry', () => {
    expect(() => encodeRocketmqHeader({ ...BASE, code: 200050 })).toThrow(InvalidArgumentError);
    expect(() => encodeRocketmqHeader({ ...BASE, version: 40000 })).toThrow(InvalidArgumentError);
    expect(() => encodeRocketmqHeader({ ...BASE, extFields: { ['k'.repeat(40000)]: 'v' } })).toThrow(/EXT_KEY_BYTES_MAX/);
  });
});

describe('MSGPACK header', () => {
  test('is one MessagePack array [code, language, version, opaque, flag, remark, extFields]', () => {
    expect(encodeMsgpackHeader({ code: 11, language: 'NODE_JS', version: 479, opaque: 1, flag: 2 }).toString('hex')).toBe('970b0dcd01df0102c0c0');
    expect(encodeMsgpackHeader({ ...BASE, remark: 'x', extFields: { a: 'b' } }).toString('hex')).toBe('970b00cd01df2a00a17881a161a162');
  });

  test('reads 5 or more elements; later ones are ignored', () => {
    expect(headerOf(decodeMsgpackHeader(Buffer.from('950b00cd01df2a00', 'hex')))).toEqual(BASE);
    expect(headerOf(decodeMsgpackHeader(Buffer.from('980b00cd01df2a00c0c0a3787878', 'hex')))).toEqual(BASE);
  });

  test('refuses malformed input with a reason', () => {
    const cases: Array<[string, RegExp]> = [
      ['', /^MSGPACK header: /],
      ['c1', /not an array of at least 5 fields/],
      ['940b00cd01df2a', /not an array of at least 5 fields/],
      ['95a10b00cd01df2a00', /code is not an int32/],
      ['950bc0cd01df2a00', /language is not an int32/],
      ['950b00cd01dfcb3ff800000000000000', /opaque is not an int32/],
      ['960b00cd01df2a0001', /remark is not a string/],
      ['970b00cd01df2a00c091a161', /extFields is not a map/],
      ['970b00cd01df2a00c081a16101', /string to string/],
      ['970b00cd01df2a00c081a161', /^MSGPACK header: /],
      ['950b00cd01df2a0000', /^MSGPACK header: Data read, but end of buffer not reached/],
    ];
    for (const [hex, reason] of cases) expect(reasonOf(decodeMsgpackHeader(Buffer.from(hex, 'hex'))), hex).toMatch(reason);
  });
});
