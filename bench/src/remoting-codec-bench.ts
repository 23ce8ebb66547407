// Remoting header codec throughput, per serialize type (JSON, ROCKETMQ, MSGPACK), for the two
// headers on the hot paths: a SEND_MESSAGE_V2 request header (as a Java producer sends it) and a
// PULL_MESSAGE request header (as a push consumer sends it). Two figures per case:
//   header  - the command header alone: encode(header) then decode(bytes), ext fields prebuilt
//   typed   - what a client and a server do per request: typed value -> ext fields -> frame
//             prefix+header (encodeFrameHeader) -> decodeFrame -> typed value (def.decode)
// Beside them, in the same run, the reference: JSON.stringify + JSON.parse of the same ext map.
//
//   pnpm -C bench run codec                   (APOGEE_BENCH_SECONDS=0.6 per case by default)

import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  APOGEE_WIRE_VERSION,
  PullMessageRequestHeader,
  SendMessageRequestHeaderV2,
  SerializeType,
  decodeFrame,
  encodeFrameHeader,
  headerCodecOf,
  type HeaderCodec,
  type RemotingCommand,
  type RemotingHeader,
} from '@apogee/remoting';

const CASE_MS = Number(process.env.APOGEE_BENCH_SECONDS ?? '0.6') * 1000;
const WARMUP_MS = 150;
const BATCH = 1_000;

const SEND_V2: SendMessageRequestHeaderV2 = {
  a: 'please_rename_unique_group_name',
  b: 'BenchmarkTopic',
  c: 'TBW102',
  d: 4,
  e: 3,
  f: 0,
  g: 1_732_000_000_123,
  h: 0,
  i: 'KEYS\u0001order-4711 customer-42\u0002UNIQ_KEY\u00017F000001B1A418B4AAC2743B2F4A0000\u0002WAIT\u0001true\u0002TAGS\u0001TagA',
  j: 0,
  k: false,
  m: false,
  n: 'broker-a',
  bname: 'broker-a',
};

const PULL: PullMessageRequestHeader = {
  consumerGroup: 'benchmark_consumer_group',
  topic: 'BenchmarkTopic',
  queueId: 3,
  queueOffset: 1_048_576,
  maxMsgNums: 32,
  sysFlag: 3,
  commitOffset: 1_048_500,
  suspendTimeoutMillis: 15_000,
  subscription: 'TagA || TagB',
  subVersion: 1_732_000_000_000,
  expressionType: 'TAG',
  maxMsgBytes: 262_144,
  bname: 'broker-a',
};

interface Case {
  name: string;
  code: number;
  extFields: Record<string, string>;
  typedRoundTrip: () => boolean;
}

interface Row {
  header: string;
  type: string;
  headerBytes: number;
  headerOpsPerSec: number;
  typedOpsPerSec: number;
}

/** Runs `op` in batches for CASE_MS after a warm-up; returns operations per second. */
function opsPerSec(op: () => unknown): number {
  const warmEnd = performance.now() + WARMUP_MS;
  while (performance.now() < warmEnd) for (let i = 0; i < BATCH; i++) op();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < CASE_MS) {
    for (let i = 0; i < BATCH; i++) op();
    ops += BATCH;
    now = performance.now();
  }
  return (ops * 1000) / (now - start);
}

function headerOf(code: number, extFields: Record<string, string>): RemotingHeader {
  return { code, language: 'JAVA', version: APOGEE_WIRE_VERSION, opaque: 123_456, flag: 0, extFields };
}

function typedCase(serializeType: SerializeType, code: number, encode: () => Record<string, string>, decode: (ext: Record<string, string> | undefined) => { ok: boolean }): () => boolean {
  return () => {
    const cmd: RemotingCommand = { ...headerOf(code, encode()), serializeType };
    const result = decodeFrame(encodeFrameHeader(cmd));
    if (result.kind !== 'frame') throw new Error(`bench frame did not decode: ${JSON.stringify(result)}`);
    return decode(result.command.extFields).ok;
  };
}

function measure(serializeType: SerializeType, typeName: string, c: Case): Row {
  const codec = headerCodecOf(serializeType) as HeaderCodec;
  const header = headerOf(c.code, c.extFields);
  const bytes = codec.encode(header);
  const check = codec.decode(bytes);
  if (!check.ok) throw new Error(`${typeName} ${c.name}: ${check.reason}`);
  return {
    header: c.name,
    type: typeName,
    headerBytes: bytes.length,
    headerOpsPerSec: opsPerSec(() => codec.decode(codec.encode(header))),
    typedOpsPerSec: opsPerSec(c.typedRoundTrip),
  };
}

function main(): void {
  console.log('remoting header codec: encode+decode round trips per second (one core)');
  console.log(`command: pnpm -C bench run codec   (node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}, ${CASE_MS} ms per case)`);
  const rows: Row[] = [];
  for (const [typeName, serializeType] of Object.entries(SerializeType)) {
    const cases: Case[] = [
      {
        name: 'SEND_MESSAGE_V2',
        code: 310,
        extFields: SendMessageRequestHeaderV2.encode(SEND_V2),
        typedRoundTrip: typedCase(serializeType, 310, () => SendMessageRequestHeaderV2.encode(SEND_V2), SendMessageRequestHeaderV2.decode),
      },
      {
        name: 'PULL_MESSAGE',
        code: 11,
        extFields: PullMessageRequestHeader.encode(PULL),
        typedRoundTrip: typedCase(serializeType, 11, () => PullMessageRequestHeader.encode(PULL), PullMessageRequestHeader.decode),
      },
    ];
    for (const c of cases) rows.push(measure(serializeType, typeName, c));
  }
  const reference = [
    { name: 'SEND_MESSAGE_V2', ext: SendMessageRequestHeaderV2.encode(SEND_V2) },
    { name: 'PULL_MESSAGE', ext: PullMessageRequestHeader.encode(PULL) },
  ].map(({ name, ext }) => ({ name, ops: opsPerSec(() => JSON.parse(JSON.stringify(ext)) as unknown) }));

  console.log('');
  console.log('header           type      bytes   header enc+dec/s   typed frame enc+dec/s');
  for (const r of rows) {
    console.log(
      `${r.header.padEnd(16)} ${r.type.padEnd(9)} ${String(r.headerBytes).padStart(5)}   ${fmt(r.headerOpsPerSec).padStart(16)}   ${fmt(r.typedOpsPerSec).padStart(21)}`,
    );
  }
  console.log('');
  for (const r of reference) console.log(`reference: JSON.stringify+JSON.parse of the ${r.name} ext map: ${fmt(r.ops)}/s`);
}

function fmt(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}K`;
}

main();
