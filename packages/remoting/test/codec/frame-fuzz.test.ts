// Fuzzing the frame decoder: 100,000 random and mutated frames. The decoder must never throw,
// must answer every input (frame, needMore or invalid with a reason), must call the frames that
// are certainly broken invalid, and the streaming decoder must agree with decodeFrame.
// The seed is printed; rerun one with FUZZ_SEED=<seed>.

import fc from 'fast-check';
import { expect, test } from 'vitest';
import { encodeFrame } from '../../src/codec/frame-encoder.js';
import { decodeFrame, FrameDecoder, type FrameResult } from '../../src/codec/frame-decoder.js';
import type { FrameLimits } from '../../src/limits.js';
import type { RemotingCommand } from '../../src/protocol/remoting-command.js';
import { commandArb, plain, splitAt } from './arbitraries.js';

const INPUTS = 100_000;
const STREAM_CHECK_EVERY = 10;
const LIMITS: FrameLimits = { frameBytesMax: 64 * 1024, headerBytesMax: 16 * 1024 };

/** mulberry32: small, seedable, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mutation = 'random' | 'flip' | 'truncate' | 'oversize' | 'badType' | 'headerPastFrame' | 'headerNoise' | 'headerLength';

interface Case {
  mutation: Mutation;
  input: Buffer;
}

function makeCase(next: () => number, pool: readonly Buffer[]): Case {
  const int = (n: number) => Math.floor(next() * n);
  const mutations: Mutation[] = ['random', 'flip', 'truncate', 'oversize', 'badType', 'headerPastFrame', 'headerNoise', 'headerLength'];
  const mutation = mutations[int(mutations.length)] as Mutation;
  if (mutation === 'random') {
    const input = Buffer.alloc(int(96));
    for (let i = 0; i < input.length; i++) input[i] = int(256);
    return { mutation, input };
  }
  const input = Buffer.from(pool[int(pool.length)] as Buffer);
  const headerBytes = input.readUInt32BE(4) & 0xff_ffff;
  switch (mutation) {
    case 'flip':
      for (let k = 1 + int(4); k > 0; k--) input[int(input.length)] = int(256);
      return { mutation, input };
    case 'truncate':
      return { mutation, input: input.subarray(0, int(input.length)) };
    case 'oversize':
      input.writeInt32BE(next() < 0.5 ? LIMITS.frameBytesMax - 3 + int(1 << 30) : -1 - int(1 << 30), 0);
      return { mutation, input };
    case 'badType':
      input[4] = 3 + int(253);
      return { mutation, input };
    case 'headerPastFrame':
      input.writeUInt32BE(((input[4] as number) << 24) | (input.length - 7 + int(1000)), 4);
      return { mutation, input };
    case 'headerNoise':
      for (let i = 8; i < 8 + headerBytes; i++) if (next() < 0.3) input[i] = int(256);
      return { mutation, input };
    case 'headerLength':
      input.writeUInt32BE(((input[4] as number) << 24) | int(headerBytes + 1), 4);
      return { mutation, input };
  }
}

const CERTAIN_REASONS: Partial<Record<Mutation, RegExp>> = {
  oversize: /^frame (bytes \d+ > frameBytesMax|length -\d+ < 4)/,
  badType: /^unknown serialize type \d+$/,
  headerPastFrame: /^header bytes \d+ > frame length \d+ - 4$/,
};

/** What a stream of `input` decodes to, frame by frame, with decodeFrame alone. */
function sequential(input: Buffer): { frames: RemotingCommand[]; invalid?: string } {
  const frames: RemotingCommand[] = [];
  let offset = 0;
  while (offset < input.length) {
    const r: FrameResult = decodeFrame(input, offset, LIMITS);
    if (r.kind === 'needMore') break;
    if (r.kind === 'invalid') return { frames, invalid: r.reason };
    frames.push(r.command);
    offset += r.frameBytes;
  }
  return { frames };
}

test(`decoder survives ${INPUTS} random and mutated frames`, () => {
  const seed = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
  console.log(`frame fuzz seed ${seed}`);
  const next = rng(seed);
  const pool = fc.sample(commandArb(), { numRuns: 300, seed }).map(encodeFrame).filter((f) => f.length <= LIMITS.frameBytesMax);
  const counts: Record<string, number> = {};
  for (let i = 0; i < INPUTS; i++) {
    const { mutation, input } = makeCase(next, pool);
    let result: FrameResult;
    try {
      result = decodeFrame(input, 0, LIMITS);
    } catch (err) {
      throw new Error(`seed ${seed} case ${i} (${mutation}) threw: ${String(err)}; input ${input.toString('hex')}`);
    }
    counts[`${mutation}:${result.kind}`] = (counts[`${mutation}:${result.kind}`] ?? 0) + 1;
    if (result.kind === 'invalid') {
      expect(result.reason.length, `seed ${seed} case ${i}`).toBeGreaterThan(0);
    }
    const certain = CERTAIN_REASONS[mutation];
    if (certain !== undefined) {
      expect(result.kind === 'invalid' && certain.test(result.reason), `seed ${seed} case ${i} (${mutation}): ${JSON.stringify(result)}`).toBe(true);
    }
    if (result.kind === 'frame') {
      // whatever decodes can be encoded again, and decodes to the same command
      const again = decodeFrame(encodeFrame(result.command), 0, { frameBytesMax: 2 ** 31 - 1, headerBytesMax: 0xff_ffff });
      expect(again.kind === 'frame' && plain(again.command), `seed ${seed} case ${i}`).toEqual(plain(result.command));
    }
    if (i % STREAM_CHECK_EVERY === 0) checkStreamAgrees(input, pool[i % pool.length] as Buffer, next, `seed ${seed} case ${i}`);
  }
  console.log(`frame fuzz outcomes ${JSON.stringify(counts)}`);
  expect(Object.keys(counts).some((k) => k.endsWith(':invalid'))).toBe(true);
  expect(Object.keys(counts).some((k) => k.endsWith(':frame'))).toBe(true);
}, 120_000);

/** A valid frame, the fuzzed input, then the valid frame again, fed in random pieces. */
function checkStreamAgrees(input: Buffer, valid: Buffer, next: () => number, label: string): void {
  const stream = Buffer.concat([valid, input, valid]);
  const expected = sequential(stream);
  const frames: RemotingCommand[] = [];
  const invalid: string[] = [];
  const decoder = new FrameDecoder(LIMITS, (cmd) => frames.push(cmd), (reason) => invalid.push(reason));
  const cuts = Array.from({ length: Math.floor(next() * 6) }, () => Math.floor(next() * stream.length));
  for (const piece of splitAt(stream, cuts)) decoder.push(piece);
  expect(frames.map(plain), label).toEqual(expected.frames.map(plain));
  expect(invalid, label).toEqual(expected.invalid === undefined ? [] : [expected.invalid]);
}
