// Message record codec throughput: encodeMessageRecord (new buffer per record, CRC computed),
// encodeMessageRecordInto (into one preallocated segment-like buffer, as an append path would),
// decodeMessageRecord with and without the body, and with checkCRC, for 128 B, 1 KiB and 4 KiB
// bodies. Beside them, in the same run, the reference: Buffer.copy of the same record bytes.
// Decoding walks a buffer of records back to back, as a pull response body holds them.
//
//   pnpm -C bench run message                 (APOGEE_BENCH_SECONDS=0.8 per case by default)

import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  KiB,
  MiB,
  createUniqueMessageId,
  decodeMessageRecord,
  encodeMessageRecord,
  encodeMessageRecordInto,
  propertiesToString,
  type DecodeRecordOptions,
  type MessageRecordFields,
} from '@apogee/common';

const BODY_SIZES = [128, 1 * KiB, 4 * KiB] as const;
const CASE_MS = Number(process.env.APOGEE_BENCH_SECONDS ?? '0.8') * 1000;
const WARMUP_MS = 150;
/** Bytes of records laid back to back for the decode and copy loops (about one pull batch x 16). */
const RECORD_AREA_BYTES = 4 * MiB;

interface CaseResult {
  name: string;
  msgsPerSec: number;
  mbPerSec: number;
}

function fieldsFor(bodyBytes: number): MessageRecordFields {
  const properties = new Map([
    ['TAGS', 'TagA'],
    ['KEYS', 'order-4711 customer-42'],
    ['WAIT', 'true'],
    ['UNIQ_KEY', createUniqueMessageId()],
    ['CLUSTER', 'DefaultCluster'],
    ['MSG_REGION', 'DefaultRegion'],
    ['TRACE_ON', 'true'],
  ]);
  return {
    topic: 'BenchmarkTopic',
    queueId: 3,
    flag: 0,
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { host: '127.0.0.1', port: 51234 },
    storeTimestamp: Date.now(),
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
    queueOffset: 1_000_000,
    physicalOffset: 5 * 1024 * MiB,
    body: Buffer.alloc(bodyBytes, 0x61),
    properties: propertiesToString(properties),
  };
}

/** Runs `step` (one message per call) for CASE_MS after a warmup; returns calls per second. */
function measure(step: () => void): number {
  const warmupEnd = performance.now() + WARMUP_MS;
  while (performance.now() < warmupEnd) for (let i = 0; i < 256; i++) step();
  let calls = 0;
  const start = performance.now();
  const end = start + CASE_MS;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 256; i++) step();
    calls += 256;
    now = performance.now();
  }
  return calls / ((now - start) / 1000);
}

function runSize(bodyBytes: number): CaseResult[] {
  const fields = fieldsFor(bodyBytes);
  const record = encodeMessageRecord(fields);
  const recordBytes = record.length;
  const recordCount = Math.floor(RECORD_AREA_BYTES / recordBytes);
  const area = Buffer.alloc(recordCount * recordBytes);
  for (let i = 0; i < recordCount; i++) record.copy(area, i * recordBytes);
  const target = Buffer.alloc(area.length);

  let sink = 0;
  let offset = 0;
  const nextOffset = (): number => {
    const at = offset;
    offset = offset + recordBytes >= area.length ? 0 : offset + recordBytes;
    return at;
  };
  const decodeStep = (opts: DecodeRecordOptions) => (): void => {
    const result = decodeMessageRecord(area, nextOffset(), opts);
    sink += result.kind === 'message' ? result.message.queueId : -1;
  };

  const cases: [string, () => void][] = [
    ['Buffer.copy (reference)', () => {
      const at = nextOffset();
      sink += area.copy(target, at, at, at + recordBytes);
    }],
    ['encodeMessageRecord', () => {
      sink += encodeMessageRecord(fields).length;
    }],
    ['encodeMessageRecordInto', () => {
      sink += encodeMessageRecordInto(target, nextOffset(), fields);
    }],
    ['decode, with body', decodeStep({})],
    ['decode, readBody false', decodeStep({ readBody: false })],
    ['decode, with body + checkCRC', decodeStep({ checkCRC: true })],
  ];
  const results = cases.map(([name, step]) => {
    offset = 0;
    const msgsPerSec = measure(step);
    return { name, msgsPerSec, mbPerSec: (msgsPerSec * recordBytes) / MiB };
  });
  if (sink === Number.MIN_SAFE_INTEGER) console.log('unreachable', sink); // keeps `sink` observable
  console.log(`\nbody ${bodyBytes} B, record ${recordBytes} B (topic 14 B, properties ${Buffer.byteLength(fields.properties)} B)`);
  const copy = results[0]?.msgsPerSec ?? 1;
  for (const r of results) {
    const msgs = `${(r.msgsPerSec / 1e3).toFixed(0)}K msg/s`.padStart(14);
    const mb = `${r.mbPerSec.toFixed(0)} MB/s`.padStart(11);
    const vsCopy = `${((r.msgsPerSec / copy) * 100).toFixed(1)}% of copy`.padStart(16);
    console.log(`  ${r.name.padEnd(30)}${msgs}${mb}${vsCopy}`);
  }
  return results;
}

function main(): void {
  console.log('command: pnpm -C bench run message');
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'unknown cpu'} x${cpus().length}, ${CASE_MS} ms per case, MB = MiB of record bytes`);
  for (const size of BODY_SIZES) runSize(size);
}

main();
