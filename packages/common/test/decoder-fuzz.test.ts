// The record and batch decoders are total: 100,000+ random and mutated inputs, none may throw,
// and whatever they accept must stay inside the input. fast-check prints the seed on failure.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BLANK_MAGIC_CODE,
  MESSAGE_MAGIC_CODE_V1,
  MESSAGE_MAGIC_CODE_V2,
  Message,
  decodeBatchBody,
  decodeMessageRecord,
  decodeMessageRecords,
  encodeBatchBody,
  encodeMessageRecord,
  recordBodyLengthPosition,
} from '../src/index.js';
import { arbInt32, arbProperties, arbRecordFields } from './arbitraries.js';

interface Mutation {
  kind: 'flip' | 'int32' | 'truncate' | 'magic';
  at: number;
  value: number;
}

const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'int32', 'truncate', 'magic'),
  at: fc.nat(),
  value: arbInt32(),
});

// Interesting int32 values for length fields: negatives, zero, off-by-one, huge.
const arbSuspiciousInt = fc.oneof(arbInt32(), fc.constantFrom(-1, 0, 1, 90, 91, 92, 127, 128, 255, 32_767, 32_768, 2 ** 31 - 1));

function mutate(input: Buffer, mutations: Mutation[]): Buffer {
  let buf = Buffer.from(input);
  for (const m of mutations) {
    if (buf.length === 0) break;
    const at = m.at % buf.length;
    if (m.kind === 'flip') buf[at] = (buf[at] ?? 0) ^ (1 << (m.value & 7));
    else if (m.kind === 'truncate') buf = buf.subarray(0, at);
    else if (m.kind === 'magic' && buf.length >= 8) {
      buf.writeInt32BE([MESSAGE_MAGIC_CODE_V1, MESSAGE_MAGIC_CODE_V2, BLANK_MAGIC_CODE][Math.abs(m.value) % 3] ?? 0, 4);
    } else if (m.kind === 'int32' && at + 4 <= buf.length) buf.writeInt32BE(m.value, at);
  }
  return buf;
}

// Where the length fields of a valid encoded record sit (walks the record's own lengths).
function lengthFieldPositions(buf: Buffer): { bodyLengthPos: number; topicLengthPos: number; propertiesLengthPos: number; isV2: boolean } {
  const bodyLengthPos = recordBodyLengthPosition(buf.readInt32BE(36));
  const isV2 = buf.readInt32BE(4) === MESSAGE_MAGIC_CODE_V2;
  const topicLengthPos = bodyLengthPos + 4 + buf.readInt32BE(bodyLengthPos);
  const topicLength = isV2 ? buf.readInt16BE(topicLengthPos) : buf.readInt8(topicLengthPos);
  return { bodyLengthPos, topicLengthPos, propertiesLengthPos: topicLengthPos + (isV2 ? 2 : 1) + topicLength, isV2 };
}

function checkRecordsResult(buf: Buffer): void {
  const decoded = decodeMessageRecords(buf);
  let total = 0;
  for (const m of decoded.messages) total += m.storeSize;
  expect(total).toBeLessThanOrEqual(buf.length);
  if (decoded.invalid === undefined) expect(total).toBe(buf.length);
}

function checkRecordResult(buf: Buffer, offset: number): void {
  const result = decodeMessageRecord(buf, offset, { checkCRC: (offset & 1) === 0, decompressBody: true });
  if (result.kind === 'message') {
    expect(result.size).toBeGreaterThanOrEqual(91);
    expect(offset + result.size).toBeLessThanOrEqual(buf.length);
    expect(Number.isSafeInteger(result.message.queueOffset)).toBe(true);
  } else if (result.kind === 'blank') {
    expect(result.size).toBeGreaterThanOrEqual(8);
  } else {
    expect(result.reason.length).toBeGreaterThan(0);
  }
}

describe('decoder fuzzing (total decoders never throw)', () => {
  it('decodeMessageRecord / decodeMessageRecords: 30,000 random byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.nat(), (bytes, at) => {
        const buf = Buffer.from(bytes);
        checkRecordResult(buf, buf.length === 0 ? 0 : at % buf.length);
        checkRecordsResult(buf);
      }),
      { numRuns: 30_000 },
    );
  });

  it('decodeMessageRecord / decodeMessageRecords: 40,000 mutated valid records', () => {
    // A fixed pool of valid records (generated from a fixed seed) keeps the run fast; the
    // mutations and the choice of records are what fast-check varies.
    const pool = fc.sample(arbRecordFields(), { numRuns: 300, seed: 20_251_122 }).map((f) => encodeMessageRecord(f));
    fc.assert(
      fc.property(
        fc.array(fc.nat(pool.length - 1), { minLength: 1, maxLength: 3 }),
        fc.array(arbMutation, { minLength: 1, maxLength: 4 }),
        (picks, mutations) => {
          const buf = mutate(Buffer.concat(picks.map((i) => pool[i] ?? Buffer.alloc(0))), mutations);
          checkRecordResult(buf, 0);
          checkRecordsResult(buf);
        },
      ),
      { numRuns: 40_000 },
    );
  });

  it('decodeMessageRecord: 10,000 records with a suspicious value in one length field', () => {
    const pool = fc.sample(arbRecordFields(), { numRuns: 100, seed: 11_22 }).map((f) => encodeMessageRecord(f));
    fc.assert(
      fc.property(fc.nat(pool.length - 1), arbSuspiciousInt, fc.constantFrom('total', 'body', 'topic', 'properties'), (pick, value, field) => {
        const buf = Buffer.from(pool[pick] ?? Buffer.alloc(0));
        const { bodyLengthPos, topicLengthPos, propertiesLengthPos, isV2 } = lengthFieldPositions(buf);
        if (field === 'total') buf.writeInt32BE(value, 0);
        else if (field === 'body') buf.writeInt32BE(value, bodyLengthPos);
        else if (field === 'properties') buf.writeInt16BE((value << 16) >> 16, propertiesLengthPos);
        else if (isV2) buf.writeInt16BE((value << 16) >> 16, topicLengthPos);
        else buf.writeInt8((value << 24) >> 24, topicLengthPos);
        checkRecordResult(buf, 0);
      }),
      { numRuns: 10_000 },
    );
  });

  it('decodeBatchBody: 20,000 random and mutated batch bodies', () => {
    const arbBatch = fc.array(
      fc.record({ body: fc.uint8Array({ maxLength: 100 }), flag: arbInt32(), props: arbProperties() }),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(arbBatch, fc.array(arbMutation, { maxLength: 4 }), fc.uint8Array({ maxLength: 200 }), (batch, mutations, noise) => {
        const messages = batch.map((b) => new Message('t', Buffer.from(b.body), { flag: b.flag, properties: b.props }));
        for (const input of [mutate(encodeBatchBody(messages), mutations), Buffer.from(noise)]) {
          const result = decodeBatchBody(input);
          if (result.ok) {
            const bodyBytes = result.messages.reduce((n, m) => n + m.body.length, 0);
            expect(bodyBytes).toBeLessThanOrEqual(input.length);
          } else {
            expect(result.reason).toMatch(/batch record \d+ at offset \d+/);
          }
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
