import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '@apogee/common';
import { encodeFrame, encodeFrameHeader, wireSerializeTypeOf } from '../../src/codec/frame-encoder.js';
import { decodeFrame } from '../../src/codec/frame-decoder.js';
import { DEFAULT_FRAME_LIMITS, FRAME_BYTES_MAX, HEADER_BYTES_MAX } from '../../src/limits.js';
import { createRequestCommand, createResponseCommand, SerializeType, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { RequestCode } from '../../src/protocol/request-code.js';
import { commandArb, expectedAfterTrip, plain } from './arbitraries.js';

function frameOf(result: ReturnType<typeof decodeFrame>): RemotingCommand {
  if (result.kind !== 'frame') throw new Error(`expected a frame, got ${JSON.stringify(result)}`);
  return result.command;
}

describe('frame round trips (fast-check)', () => {
  for (const [name, type] of Object.entries(SerializeType)) {
    test(`encodeFrame then decodeFrame gives the command back, ${name}`, () => {
      fc.assert(
        fc.property(commandArb([type]), (cmd) => {
          const frame = encodeFrame(cmd);
          const result = decodeFrame(frame);
          expect(result.kind).toBe('frame');
          if (result.kind !== 'frame') return;
          expect(result.frameBytes).toBe(frame.length);
          expect(frame.readInt32BE(0)).toBe(frame.length - 4);
          expect(frame[4]).toBe(type);
          expect(plain(result.command)).toEqual(plain(expectedAfterTrip(cmd)));
        }),
        { numRuns: 300 },
      );
    });
  }

  test('encodeFrameHeader + body is exactly encodeFrame', () => {
    fc.assert(
      fc.property(commandArb(), (cmd) => {
        const whole = encodeFrame(cmd);
        const head = encodeFrameHeader(cmd);
        const joined = cmd.body === undefined ? head : Buffer.concat([head, cmd.body]);
        expect(joined.equals(whole)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('decodeFrame', () => {
  test('decoded body is a view of the input, not a copy', () => {
    const body = Buffer.from('pull response body bytes');
    const frame = encodeFrame(createRequestCommand(RequestCode.PULL_MESSAGE, { topic: 't-view' }, body));
    const cmd = frameOf(decodeFrame(frame));
    expect(cmd.body?.toString()).toBe('pull response body bytes');
    expect(cmd.body?.buffer).toBe(frame.buffer);
    frame[frame.length - 1] = 0x21; // the view sees writes to the input
    expect(cmd.body?.toString()).toBe('pull response body byte!');
  });

  test('reads consecutive frames at offsets', () => {
    const a = { ...createRequestCommand(RequestCode.HEART_BEAT, undefined, Buffer.from('a')), opaque: 1 };
    const b = { ...createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'T' }), opaque: 2, serializeType: SerializeType.ROCKETMQ };
    const buf = Buffer.concat([encodeFrame(a), encodeFrame(b)]);
    const first = decodeFrame(buf, 0);
    if (first.kind !== 'frame') throw new Error('first frame missing');
    const second = frameOf(decodeFrame(buf, first.frameBytes));
    expect(second.opaque).toBe(2);
    expect(second.serializeType).toBe(SerializeType.ROCKETMQ);
    expect(decodeFrame(buf, buf.length)).toEqual({ kind: 'needMore' });
  });

  test('an offset outside the buffer is invalid, not a throw', () => {
    expect(decodeFrame(Buffer.alloc(4), 5)).toEqual({ kind: 'invalid', reason: 'offset 5 outside a buffer of 4 bytes' });
    expect(decodeFrame(Buffer.alloc(4), -1).kind).toBe('invalid');
    expect(decodeFrame(Buffer.alloc(4), 1.5).kind).toBe('invalid');
  });

  test('every proper prefix of a frame needs more; the whole frame decodes', () => {
    const frame = encodeFrame({ ...createRequestCommand(RequestCode.SEND_MESSAGE_V2, { a: 'pg' }, Buffer.from('xyz')), opaque: 9 });
    for (let n = 0; n < frame.length; n++) expect(decodeFrame(frame.subarray(0, n))).toEqual({ kind: 'needMore' });
    expect(decodeFrame(frame).kind).toBe('frame');
  });

  test('refuses an oversized frame from its first 4 bytes and a bad header word from its first 8', () => {
    const lengthOnly = Buffer.alloc(4);
    lengthOnly.writeInt32BE(FRAME_BYTES_MAX); // 4 + FRAME_BYTES_MAX > FRAME_BYTES_MAX
    expect(decodeFrame(lengthOnly)).toEqual({ kind: 'invalid', reason: `frame bytes ${FRAME_BYTES_MAX + 4} > frameBytesMax ${FRAME_BYTES_MAX}` });
    const prefix = Buffer.alloc(8);
    prefix.writeInt32BE(100);
    prefix.writeUInt32BE((7 << 24) | 10, 4);
    expect(decodeFrame(prefix)).toEqual({ kind: 'invalid', reason: 'unknown serialize type 7' });
    prefix.writeUInt32BE(97, 4);
    expect(decodeFrame(prefix)).toEqual({ kind: 'invalid', reason: 'header bytes 97 > frame length 100 - 4' });
    prefix.writeInt32BE(HEADER_BYTES_MAX + 100);
    prefix.writeUInt32BE(HEADER_BYTES_MAX + 1, 4);
    expect(decodeFrame(prefix)).toEqual({ kind: 'invalid', reason: `header bytes ${HEADER_BYTES_MAX + 1} > headerBytesMax ${HEADER_BYTES_MAX}` });
    prefix.writeInt32BE(3);
    expect(decodeFrame(prefix)).toEqual({ kind: 'invalid', reason: 'frame length 3 < 4' });
    prefix.writeInt32BE(-1);
    expect(decodeFrame(prefix)).toEqual({ kind: 'invalid', reason: 'frame length -1 < 4' });
  });

  test('a frame of exactly frameBytesMax decodes; one byte more does not', () => {
    const limits = { frameBytesMax: 4096, headerBytesMax: 1024 };
    const base = encodeFrame(createRequestCommand(RequestCode.SEND_MESSAGE, { a: 'b' }));
    const bodyBytes = limits.frameBytesMax - base.length;
    const exact = encodeFrame(createRequestCommand(RequestCode.SEND_MESSAGE, { a: 'b' }, Buffer.alloc(bodyBytes, 7)));
    expect(exact.length).toBe(limits.frameBytesMax);
    expect(decodeFrame(exact, 0, limits).kind).toBe('frame');
    const over = encodeFrame(createRequestCommand(RequestCode.SEND_MESSAGE, { a: 'b' }, Buffer.alloc(bodyBytes + 1, 7)));
    expect(decodeFrame(over, 0, limits)).toEqual({ kind: 'invalid', reason: 'frame bytes 4097 > frameBytesMax 4096' });
  });

  test('a header that does not decode makes the frame invalid with the codec named', () => {
    const header = Buffer.from('{"code":"x"}');
    const frame = Buffer.alloc(8 + header.length);
    frame.writeInt32BE(4 + header.length);
    frame.writeUInt32BE(header.length, 4);
    header.copy(frame, 8);
    expect(decodeFrame(frame)).toEqual({ kind: 'invalid', reason: 'JSON header: JSON header: code x is not an int32' });
    expect(DEFAULT_FRAME_LIMITS.frameBytesMax).toBe(FRAME_BYTES_MAX);
  });
});

describe('encodeFrame', () => {
  test('a ROCKETMQ command whose code does not fit an int16 goes out as JSON and still decodes', () => {
    const pop = { ...createRequestCommand(RequestCode.POP_MESSAGE, { topic: 't-pop' }), opaque: 3, serializeType: SerializeType.ROCKETMQ };
    expect(wireSerializeTypeOf(pop)).toBe(SerializeType.JSON);
    const frame = encodeFrame(pop);
    expect(frame[4]).toBe(SerializeType.JSON);
    const cmd = frameOf(decodeFrame(frame));
    expect(cmd.code).toBe(200050);
    expect(cmd.serializeType).toBe(SerializeType.JSON);
  });

  test('a response keeps the request serialize type', () => {
    const request = { ...createRequestCommand(RequestCode.GET_MAX_OFFSET, { topic: 'T', queueId: '0' }), opaque: 77, serializeType: SerializeType.MSGPACK };
    const response = createResponseCommand(request, 0, undefined, { offset: '12' });
    const frame = encodeFrame(response);
    expect(frame[4]).toBe(SerializeType.MSGPACK);
    expect(frameOf(decodeFrame(frame))).toMatchObject({ opaque: 77, flag: 1, extFields: { offset: '12' } });
  });

  test('commands no peer could read are refused with InvalidArgumentError naming the field', () => {
    const ok = createRequestCommand(RequestCode.HEART_BEAT);
    const cases: Array<[Partial<RemotingCommand> | Record<string, unknown>, string]> = [
      [{ opaque: 2 ** 31 }, 'opaque'],
      [{ code: 1.5 }, 'code'],
      [{ flag: Number.NaN }, 'flag'],
      [{ version: -(2 ** 31) - 1 }, 'version'],
      [{ language: 'KLINGON' }, 'language'],
      [{ serializeType: 9 }, 'serializeType'],
      [{ extFields: { queueId: 3 } }, 'extFields'],
      [{ body: 'not a buffer' }, 'body'],
    ];
    for (const [patch, argumentName] of cases) {
      const bad = { ...ok, ...patch } as RemotingCommand;
      let thrown: unknown;
      try {
        encodeFrame(bad);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, JSON.stringify(patch)).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).argumentName).toBe(argumentName);
    }
  });

  test('ext fields with null or undefined values are left out, as Java skips nulls', () => {
    for (const serializeType of [0, 1, 2] as const) {
      const ext = { topic: 'T', gone: undefined, none: null } as unknown as Record<string, string>;
      const cmd = { ...createRequestCommand(RequestCode.GET_MIN_OFFSET, ext), serializeType };
      expect(frameOf(decodeFrame(encodeFrame(cmd))).extFields).toEqual({ topic: 'T' });
    }
  });
});
