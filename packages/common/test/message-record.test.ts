import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BLANK_MAGIC_CODE,
  InvalidArgumentError,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  MessageSysFlag,
  RECORD_PHYSICAL_OFFSET_POSITION,
  RECORD_QUEUE_OFFSET_POSITION,
  compressBody,
  decodeMessageRecord,
  decodeMessageRecords,
  encodeMessageRecord,
  encodeMessageRecordInto,
  messageRecordSize,
  patchMessageRecord,
  propertiesToString,
  recordStoreTimestampPosition,
  type MessageRecordFields,
} from '../src/index.js';
import { arbRecordFields } from './arbitraries.js';

// Golden vector 1, derived by hand from the layout (store reference §2.2), one field per line.
// Inputs: topic "TopicTest", queueId 3, flag 0, sysFlag 0, bornTimestamp 1700000000000,
// bornHost 192.168.0.1:54321, storeTimestamp 1700000000123, storeHost 127.0.0.1:10911,
// reconsumeTimes 0, preparedTransactionOffset 0, queueOffset 5, physicalOffset 1024,
// body "Hello", properties TAGS=TagA.
//   1700000000000 = 0x18B * 2^32 + 0xCFE56800 (395 * 4294967296 = 1696512081920; rest 3487918080)
//   crc32("Hello") = 0xF7D18982 (Python zlib.crc32), masked with 0x7FFFFFFF -> 0x77D18982
//   TOTALSIZE = 91 fixed + 5 body + 9 topic + 10 properties = 115 = 0x73
const GOLDEN_V1_IPV4 = [
  '00000073', //                  TOTALSIZE 115
  'DAA320A7', //                  MAGICCODE V1
  '77D18982', //                  BODYCRC
  '00000003', //                  QUEUEID 3
  '00000000', //                  FLAG 0
  '0000000000000005', //          QUEUEOFFSET 5
  '0000000000000400', //          PHYSICALOFFSET 1024
  '00000000', //                  SYSFLAG 0 (both hosts IPv4)
  '0000018BCFE56800', //          BORNTIMESTAMP 1700000000000
  'C0A80001', '0000D431', //      BORNHOST 192.168.0.1, port 54321
  '0000018BCFE5687B', //          STORETIMESTAMP 1700000000123
  '7F000001', '00002A9F', //      STOREHOST 127.0.0.1, port 10911
  '00000000', //                  RECONSUMETIMES 0
  '0000000000000000', //          PREPARED TRANSACTION OFFSET 0
  '00000005', '48656C6C6F', //    BODY length 5, "Hello"
  '09', '546F70696354657374', //  TOPIC length 9 (1 byte, V1), "TopicTest"
  '000A', '544147530154616741' + '02', // PROPERTIES length 10, "TAGS" 01 "TagA" 02
].join('');

function goldenFields(): MessageRecordFields {
  return {
    topic: 'TopicTest',
    queueId: 3,
    flag: 0,
    sysFlag: 0,
    bornTimestamp: 1_700_000_000_000,
    bornHost: { host: '192.168.0.1', port: 54321 },
    storeTimestamp: 1_700_000_000_123,
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    queueOffset: 5,
    physicalOffset: 1024,
    body: Buffer.from('Hello'),
    properties: 'TAGS\u0001TagA\u0002',
  };
}

// Golden vector 2: IPv6 born and store hosts. Same inputs as vector 1 except
// bornHost [::1]:40000, storeHost [2001:db8::7]:10911, body "" and properties "".
// sysFlag goes in as 0; the encoder sets BORNHOST_V6 0x10 | STOREHOSTADDRESS_V6 0x20 = 0x30.
// Each host field is 16 + 4 bytes, so STORETIMESTAMP moves to @68 and the body length to @108.
//   crc32("") = 0.  TOTALSIZE = 91 + 12 + 12 + 0 + 9 + 0 = 124 = 0x7C
const GOLDEN_V1_IPV6 = [
  '0000007C', 'DAA320A7', '00000000', '00000003', '00000000',
  '0000000000000005', '0000000000000400',
  '00000030', //                                       SYSFLAG: both V6 bits
  '0000018BCFE56800',
  '00000000000000000000000000000001', '00009C40', //   BORNHOST ::1, port 40000
  '0000018BCFE5687B', //                               STORETIMESTAMP @68
  '20010DB8000000000000000000000007', '00002A9F', //   STOREHOST 2001:db8::7, port 10911
  '00000000', '0000000000000000',
  '00000000', //                                       BODY length 0 @108
  '09', '546F70696354657374',
  '0000', //                                           PROPERTIES length 0
].join('');

describe('encodeMessageRecord / decodeMessageRecord golden bytes', () => {
  it('encodes the IPv4 V1 vector to exactly the hand-derived bytes', () => {
    const bytes = encodeMessageRecord(goldenFields());
    expect(bytes.toString('hex').toUpperCase()).toBe(GOLDEN_V1_IPV4);
  });

  it('decodes the IPv4 V1 vector back to every field', () => {
    const result = decodeMessageRecord(Buffer.from(GOLDEN_V1_IPV4, 'hex'), 0, { checkCRC: true });
    expect(result.kind).toBe('message');
    if (result.kind !== 'message') return;
    const m = result.message;
    expect(result.size).toBe(115);
    expect(m.storeSize).toBe(115);
    expect(m.topic).toBe('TopicTest');
    expect(m.queueId).toBe(3);
    expect(m.queueOffset).toBe(5);
    expect(m.commitLogOffset).toBe(1024);
    expect(m.bornTimestamp).toBe(1_700_000_000_000);
    expect(m.storeTimestamp).toBe(1_700_000_000_123);
    expect(m.bornHost).toEqual({ host: '192.168.0.1', port: 54321 });
    expect(m.storeHost).toEqual({ host: '127.0.0.1', port: 10911 });
    expect(m.bodyCRC).toBe(0x77d18982);
    expect(m.body.toString()).toBe('Hello');
    expect(m.getTags()).toBe('TagA');
    expect([...m.properties]).toEqual([['TAGS', 'TagA']]);
    // No UNIQ_KEY: msgId is the offset id, 127.0.0.1:10911 + offset 1024.
    expect(m.msgId).toBe('7F00000100002A9F0000000000000400');
    expect(m.offsetMsgId).toBe(m.msgId);
  });

  it('encodes and decodes the IPv6 vector, setting the V6 sysFlag bits itself', () => {
    const fields = {
      ...goldenFields(),
      bornHost: { host: '::1', port: 40000 },
      storeHost: { host: '2001:db8::7', port: 10911 },
      body: Buffer.alloc(0),
      properties: '',
    };
    const bytes = encodeMessageRecord(fields);
    expect(bytes.toString('hex').toUpperCase()).toBe(GOLDEN_V1_IPV6);
    expect(recordStoreTimestampPosition(0x30)).toBe(68);
    const result = decodeMessageRecord(bytes, 0);
    if (result.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(result)}`);
    expect(result.message.sysFlag).toBe(0x30);
    expect(result.message.bornHost).toEqual({ host: '::1', port: 40000 });
    expect(result.message.storeHost).toEqual({ host: '2001:db8::7', port: 10911 });
    expect(result.message.msgId).toBe('20010DB800000000000000000000000700002A9F0000000000000400');
  });

  it('clears V6 bits a caller passed for IPv4 hosts', () => {
    const bytes = encodeMessageRecord({ ...goldenFields(), sysFlag: 0x30 | MessageSysFlag.TRANSACTION_COMMIT_TYPE });
    expect(bytes.readInt32BE(36)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
  });
});

describe('record versions and positions', () => {
  it('uses V2 magic and a 2-byte topic length for a topic over 127 bytes', () => {
    const topic = `%RETRY%${'g'.repeat(150)}`; // 157 bytes
    const bytes = encodeMessageRecord({ ...goldenFields(), topic });
    expect(bytes.readInt32BE(4)).toBe(MESSAGE_MAGIC_CODE_V2);
    expect(bytes.length).toBe(91 + 1 + 5 + 157 + 10);
    expect(bytes.readInt16BE(84 + 4 + 5)).toBe(157);
    const result = decodeMessageRecord(bytes, 0);
    expect(result.kind === 'message' && result.message.topic).toBe(topic);
  });

  it('keeps V1 at exactly 127 topic bytes', () => {
    const bytes = encodeMessageRecord({ ...goldenFields(), topic: 't'.repeat(127) });
    expect(bytes.readInt32BE(4)).toBe(MESSAGE_MAGIC_CODE_V1);
    expect(bytes.readInt8(84 + 4 + 5)).toBe(127);
  });

  it('puts queue offset @20, physical offset @28 and store timestamp @56 (IPv4)', () => {
    const bytes = encodeMessageRecord(goldenFields());
    expect(bytes.readBigInt64BE(RECORD_QUEUE_OFFSET_POSITION)).toBe(5n);
    expect(bytes.readBigInt64BE(RECORD_PHYSICAL_OFFSET_POSITION)).toBe(1024n);
    expect(recordStoreTimestampPosition(0)).toBe(56);
    expect(bytes.readBigInt64BE(56)).toBe(1_700_000_000_123n);
    expect(messageRecordSize(5, 9, 10, 0)).toBe(115);
  });

  it('patches queue offset, physical offset and store timestamp in place', () => {
    const target = Buffer.alloc(300, 0xee);
    const written = encodeMessageRecordInto(target, 50, goldenFields());
    expect(written).toBe(115);
    patchMessageRecord(target, 50, { queueOffset: 77, physicalOffset: 2 ** 40, storeTimestamp: 1_800_000_000_000 });
    const result = decodeMessageRecord(target, 50, { checkCRC: true });
    if (result.kind !== 'message') throw new Error(JSON.stringify(result));
    expect(result.message.queueOffset).toBe(77);
    expect(result.message.commitLogOffset).toBe(2 ** 40);
    expect(result.message.storeTimestamp).toBe(1_800_000_000_000);
    expect(target[49]).toBe(0xee);
    expect(target[165]).toBe(0xee);
  });
});

describe('CRC, blank filler and bad records', () => {
  it('checkCRC rejects a record whose body was changed, and accepts it without the check', () => {
    const bytes = encodeMessageRecord(goldenFields());
    bytes[88] = 'J'.charCodeAt(0); // "Hello" -> "Jello"
    const checked = decodeMessageRecord(bytes, 0, { checkCRC: true });
    expect(checked.kind).toBe('invalid');
    expect(checked.kind === 'invalid' && checked.reason).toMatch(/body CRC/);
    expect(decodeMessageRecord(bytes, 0).kind).toBe('message');
  });

  it('uses a given bodyCRC as it is', () => {
    const bytes = encodeMessageRecord({ ...goldenFields(), bodyCRC: 12345 });
    expect(bytes.readInt32BE(8)).toBe(12345);
  });

  it('detects the BLANK filler from its 8-byte header alone', () => {
    const filler = Buffer.alloc(8);
    filler.writeInt32BE(4096, 0);
    filler.writeInt32BE(BLANK_MAGIC_CODE, 4);
    expect(decodeMessageRecord(filler, 0)).toEqual({ kind: 'blank', size: 4096 });
    expect(BLANK_MAGIC_CODE).toBe(-875286124);
  });

  it('reports a blank inside a pull body as invalid but keeps the messages before it', () => {
    const filler = Buffer.alloc(8);
    filler.writeInt32BE(8, 0);
    filler.writeInt32BE(BLANK_MAGIC_CODE, 4);
    const decoded = decodeMessageRecords(Buffer.concat([encodeMessageRecord(goldenFields()), filler]));
    expect(decoded.messages).toHaveLength(1);
    expect(decoded.invalid).toMatch(/blank filler at offset 115/);
  });

  it('reports truncation, bad magic and inconsistent lengths with a reason', () => {
    const bytes = encodeMessageRecord(goldenFields());
    const truncated = decodeMessageRecord(bytes.subarray(0, 114), 0);
    expect(truncated.kind === 'invalid' && truncated.reason).toMatch(/truncated: record of 115 bytes/);
    const badMagic = Buffer.from(bytes);
    badMagic.writeInt32BE(0x12345678, 4);
    expect(decodeMessageRecord(badMagic, 0)).toEqual({ kind: 'invalid', reason: 'unknown magic code 0x12345678 at offset 0' });
    const longer = Buffer.concat([bytes, Buffer.alloc(1)]);
    longer.writeInt32BE(116, 0); // TOTALSIZE no longer matches the parts
    const mismatch = decodeMessageRecord(longer, 0);
    expect(mismatch.kind === 'invalid' && mismatch.reason).toMatch(/TOTALSIZE says 116/);
    const badPort = Buffer.from(bytes);
    badPort.writeInt32BE(70000, 52);
    expect(decodeMessageRecord(badPort, 0)).toEqual({ kind: 'invalid', reason: 'born host port is not 0..65535' });
  });

  it('inflates a zlib body on request and clears only COMPRESSED_FLAG', () => {
    const original = Buffer.from('compress me '.repeat(500));
    const sysFlag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_ZLIB_TYPE;
    const bytes = encodeMessageRecord({ ...goldenFields(), sysFlag, body: compressBody(original) });
    const raw = decodeMessageRecord(bytes, 0);
    const inflated = decodeMessageRecord(bytes, 0, { decompressBody: true, checkCRC: true });
    if (raw.kind !== 'message' || inflated.kind !== 'message') throw new Error('expected messages');
    expect(raw.message.body.length).toBeLessThan(original.length);
    expect(inflated.message.body.equals(original)).toBe(true);
    expect(inflated.message.sysFlag).toBe(MessageSysFlag.COMPRESSION_ZLIB_TYPE);
  });

  it('reports an LZ4-flagged body as unsupported when asked to inflate it', () => {
    const sysFlag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.COMPRESSION_LZ4_TYPE;
    const bytes = encodeMessageRecord({ ...goldenFields(), sysFlag });
    expect(decodeMessageRecord(bytes, 0, { decompressBody: true })).toEqual({
      kind: 'invalid',
      reason: 'body compression type LZ4 is not supported',
    });
  });

  it('readBody false leaves the body empty; copyBody detaches it from the input', () => {
    const bytes = encodeMessageRecord(goldenFields());
    const skipped = decodeMessageRecord(bytes, 0, { readBody: false });
    expect(skipped.kind === 'message' && skipped.message.body.length).toBe(0);
    const copied = decodeMessageRecord(bytes, 0, { copyBody: true });
    const viewed = decodeMessageRecord(bytes, 0);
    bytes[88] = 0x4a;
    expect(copied.kind === 'message' && copied.message.body.toString()).toBe('Hello');
    expect(viewed.kind === 'message' && viewed.message.body.toString()).toBe('Jello');
  });
});

describe('encode refuses values that do not fit', () => {
  const cases: [string, Partial<MessageRecordFields>, string][] = [
    ['topic over 255 bytes', { topic: 'x'.repeat(256) }, 'topic'],
    ['properties over 32767 bytes', { properties: `k\u0001${'v'.repeat(32_765)}\u0002` }, 'properties'],
    ['queueId beyond int32', { queueId: 2 ** 31 }, 'queueId'],
    ['unsafe queue offset', { queueOffset: 2 ** 53 }, 'queueOffset'],
    ['fractional timestamp', { bornTimestamp: 1.5 }, 'bornTimestamp'],
    ['a host name', { storeHost: { host: 'localhost', port: 1 } }, 'storeHost'],
    ['a port beyond 65535', { bornHost: { host: '127.0.0.1', port: 65536 } }, 'bornHost'],
  ];
  for (const [name, patch, argumentName] of cases) {
    it(`throws InvalidArgumentError(${argumentName}) for ${name}`, () => {
      let caught: unknown;
      try {
        encodeMessageRecord({ ...goldenFields(), ...patch });
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect((caught as InvalidArgumentError).argumentName).toBe(argumentName);
    });
  }

  it('accepts properties of exactly 32767 bytes', () => {
    const properties = `k\u0001${'v'.repeat(32_764)}\u0002`;
    expect(Buffer.byteLength(properties)).toBe(32_767);
    expect(encodeMessageRecord({ ...goldenFields(), properties }).length).toBe(91 + 5 + 9 + 32_767);
  });
});

describe('record round trips (fast-check)', () => {
  it('decode(encode(fields)) gives every field back', () => {
    fc.assert(
      fc.property(arbRecordFields(), (fields) => {
        const bytes = encodeMessageRecord(fields);
        const result = decodeMessageRecord(bytes, 0, { checkCRC: true });
        if (result.kind !== 'message') return false;
        const m = result.message;
        expect(result.size).toBe(bytes.length);
        expect(m.topic).toBe(fields.topic);
        expect(m.queueId).toBe(fields.queueId);
        expect(m.flag).toBe(fields.flag);
        expect(m.queueOffset).toBe(fields.queueOffset);
        expect(m.commitLogOffset).toBe(fields.physicalOffset);
        expect(m.bornTimestamp).toBe(fields.bornTimestamp);
        expect(m.storeTimestamp).toBe(fields.storeTimestamp);
        expect(m.bornHost).toEqual(fields.bornHost);
        expect(m.storeHost).toEqual(fields.storeHost);
        expect(m.reconsumeTimes).toBe(fields.reconsumeTimes);
        expect(m.preparedTransactionOffset).toBe(fields.preparedTransactionOffset);
        expect(m.body.equals(fields.body)).toBe(true);
        expect(propertiesToString(m.properties)).toBe(fields.properties);
        expect(m.sysFlag & ~0x30).toBe(fields.sysFlag & ~0x30);
        // Re-encoding the decoded message gives the same bytes.
        const again = encodeMessageRecord({ ...fields, sysFlag: m.sysFlag, properties: propertiesToString(m.properties) });
        return again.equals(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('decodeMessageRecords reads any sequence of records back to back', () => {
    fc.assert(
      fc.property(fc.array(arbRecordFields(), { maxLength: 8 }), (all) => {
        const body = Buffer.concat(all.map((f) => encodeMessageRecord(f)));
        const decoded = decodeMessageRecords(body);
        expect(decoded.invalid).toBeUndefined();
        expect(decoded.messages.map((m) => m.topic)).toEqual(all.map((f) => f.topic));
        expect(decoded.messages.map((m) => m.queueOffset)).toEqual(all.map((f) => f.queueOffset));
      }),
      { numRuns: 200 },
    );
  });
});
