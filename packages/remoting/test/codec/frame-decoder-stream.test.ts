import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '@apogee/common';
import { encodeFrame } from '../../src/codec/frame-encoder.js';
import { FrameDecoder } from '../../src/codec/frame-decoder.js';
import { DEFAULT_FRAME_LIMITS, type FrameLimits } from '../../src/limits.js';
import { createRequestCommand, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { RequestCode } from '../../src/protocol/request-code.js';
import { commandArb, expectedAfterTrip, plain, splitAt } from './arbitraries.js';

interface Collected {
  frames: RemotingCommand[];
  invalid: string[];
  decoder: FrameDecoder;
}

function collector(limits: FrameLimits = DEFAULT_FRAME_LIMITS): Collected {
  const out: Collected = { frames: [], invalid: [], decoder: undefined as unknown as FrameDecoder };
  out.decoder = new FrameDecoder(limits, (cmd) => out.frames.push(cmd), (reason) => out.invalid.push(reason));
  return out;
}

function feed(pieces: readonly Buffer[], limits?: FrameLimits): Collected {
  const c = collector(limits);
  for (const piece of pieces) c.decoder.push(piece);
  return c;
}

function oneByteAtATime(buf: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) pieces.push(Buffer.from([buf[i] as number]));
  return pieces;
}

describe('FrameDecoder: same frames however the bytes arrive', () => {
  test('all at once, one byte at a time and random splits agree (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(commandArb(), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 30 }), (cmds, cuts) => {
        const stream = Buffer.concat(cmds.map(encodeFrame));
        const expected = cmds.map((cmd) => plain(expectedAfterTrip(cmd)));
        const whole = feed([stream]);
        const bytes = feed(oneByteAtATime(stream));
        const split = feed(splitAt(stream, cuts));
        for (const run of [whole, bytes, split]) {
          expect(run.invalid).toEqual([]);
          expect(run.frames.map(plain)).toEqual(expected);
          expect(run.decoder.bufferedBytes).toBe(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a trailing partial frame is held until the rest arrives', () => {
    const frame = encodeFrame({ ...createRequestCommand(RequestCode.SEND_MESSAGE, { a: 'x' }, Buffer.alloc(1000, 1)), opaque: 5 });
    const c = collector();
    c.decoder.push(Buffer.concat([frame, frame.subarray(0, 500)]));
    expect(c.frames.length).toBe(1);
    expect(c.decoder.bufferedBytes).toBe(500);
    c.decoder.push(frame.subarray(500, 900));
    expect(c.frames.length).toBe(1);
    c.decoder.push(Buffer.concat([frame.subarray(900), frame]));
    expect(c.frames.map((f) => f.opaque)).toEqual([5, 5, 5]);
    expect(c.decoder.bufferedBytes).toBe(0);
    expect(c.invalid).toEqual([]);
  });

  test('frames wholly inside one chunk get bodies that are views of that chunk (no copy)', () => {
    const body = Buffer.alloc(64 * 1024, 0xab);
    const chunk = Buffer.concat([encodeFrame(createRequestCommand(RequestCode.PULL_MESSAGE, {}, body)), encodeFrame(createRequestCommand(RequestCode.PULL_MESSAGE, {}, body))]);
    const c = feed([chunk]);
    expect(c.frames.length).toBe(2);
    for (const f of c.frames) expect(f.body?.buffer).toBe(chunk.buffer);
  });

  test('empty chunks change nothing', () => {
    const frame = encodeFrame(createRequestCommand(RequestCode.HEART_BEAT, {}, Buffer.from('{}')));
    const c = feed([Buffer.alloc(0), frame.subarray(0, 3), Buffer.alloc(0), frame.subarray(3), Buffer.alloc(0)]);
    expect(c.frames.length).toBe(1);
    expect(c.invalid).toEqual([]);
  });
});

describe('FrameDecoder: invalid input', () => {
  test('refuses an oversized frame as soon as its length arrives, buffering nothing', () => {
    const c = collector({ frameBytesMax: 64 * 1024, headerBytesMax: 1024 });
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(1 << 30);
    c.decoder.push(prefix.subarray(0, 2));
    expect(c.invalid).toEqual([]);
    c.decoder.push(prefix.subarray(2));
    expect(c.invalid).toEqual([`frame bytes ${(1 << 30) + 4} > frameBytesMax ${64 * 1024}`]);
    expect(c.decoder.failed).toBe(true);
    expect(c.decoder.bufferedBytes).toBe(0);
  });

  test('reports once, after good frames, and ignores everything after', () => {
    const good = encodeFrame({ ...createRequestCommand(RequestCode.HEART_BEAT), opaque: 1 });
    const bad = Buffer.from(good);
    bad[4] = 5; // serialize type 5
    const c = feed(oneByteAtATime(Buffer.concat([good, bad, good, good])));
    expect(c.frames.map((f) => f.opaque)).toEqual([1]);
    expect(c.invalid).toEqual(['unknown serialize type 5']);
    c.decoder.push(good);
    expect(c.frames.length).toBe(1);
    expect(c.invalid.length).toBe(1);
  });

  test('a throwing frame handler stops the decoder with a reason instead of throwing out of push', () => {
    const reasons: string[] = [];
    let seen = 0;
    const decoder = new FrameDecoder(
      DEFAULT_FRAME_LIMITS,
      () => {
        seen++;
        throw new Error('processor bug');
      },
      (reason) => reasons.push(reason),
    );
    const frame = encodeFrame(createRequestCommand(RequestCode.HEART_BEAT));
    expect(() => decoder.push(Buffer.concat([frame, frame]))).not.toThrow();
    expect(seen).toBe(1);
    expect(reasons).toEqual(['frame handler threw: processor bug']);
  });

  test('limits a decoder cannot work with are refused at construction', () => {
    const bad: FrameLimits[] = [
      { frameBytesMax: 100, headerBytesMax: 50 },
      { frameBytesMax: 2 ** 31, headerBytesMax: 1024 },
      { frameBytesMax: 4096, headerBytesMax: 4096 },
      { frameBytesMax: 4096, headerBytesMax: 10 },
      { frameBytesMax: Number.NaN, headerBytesMax: 1024 },
    ];
    for (const limits of bad) {
      expect(() => new FrameDecoder(limits, () => undefined, () => undefined), JSON.stringify(limits)).toThrow(InvalidArgumentError);
    }
  });
});
