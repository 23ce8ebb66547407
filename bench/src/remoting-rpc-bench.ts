// Remoting round trips on loopback: a RemotingServer in a child process answers a send-shaped
// request (13 ext fields, 1 KiB body) with a send-shaped response (3 ext fields, no body); one
// RemotingClient in this process keeps 1 or 64 requests in flight for a fixed time per
// serialize type, and reports round trips per second and p50/p99 latency.
//
//   pnpm -C bench run rpc                     (APOGEE_BENCH_SECONDS=3 per run by default)

import { spawn, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createLogger, KiB } from '@apogee/common';
import { createRequestCommand, createResponseCommand, RemotingClient, RemotingServer, ResponseCode, SerializeType, type InvokeResult } from '@apogee/remoting';

const BENCH_CODE = 310; // SEND_MESSAGE_V2's code; the processor here is only an echo of its shape.
const BODY_BYTES = 1 * KiB;
const IN_FLIGHT_CASES = [1, 64] as const;
const WARMUP_MS = 500;
const LATENCY_SAMPLES_MAX = 2_000_000;
const TIMEOUT_MS = 10_000;

const TYPES: Array<[string, SerializeType]> = [
  ['JSON', SerializeType.JSON],
  ['ROCKETMQ', SerializeType.ROCKETMQ],
  ['MSGPACK', SerializeType.MSGPACK],
];

async function serve(): Promise<void> {
  const logger = createLogger('rpc-bench-server');
  logger.level = 'warn';
  const server = new RemotingServer({ logger });
  let queueOffset = 0;
  server.registerProcessor(BENCH_CODE, {
    process: (_ctx, request) =>
      createResponseCommand(request, ResponseCode.SUCCESS, undefined, {
        msgId: '7F00000100002A9F0000000000000000',
        queueId: request.extFields?.e ?? '0',
        queueOffset: String(queueOffset++),
      }),
  });
  await server.start();
  process.stdout.write(`PORT ${server.port}\n`);
  const stop = (): void => void server.shutdown().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

function startServerProcess(): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`bench server exited early with code ${code}`)));
  });
}

function sendShapedRequest(body: Buffer, queueId: number): ReturnType<typeof createRequestCommand> {
  // SendMessageRequestHeaderV2's single-letter fields with realistic values.
  return createRequestCommand(
    BENCH_CODE,
    {
      a: 'bench-producer-group', b: 'BenchTopic', c: 'TBW102', d: '4', e: String(queueId), f: '0',
      g: String(Date.now()), h: '0', i: 'UNIQ_KEY\u00017F0000010000ABCDEF0123456789\u0002WAIT\u0001true\u0002', j: '0',
      k: 'false', m: 'false', n: 'broker-a',
    },
    body,
  );
}

interface RunResult {
  roundTrips: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

function run(client: RemotingClient, addr: string, inFlight: number, durationMs: number): Promise<RunResult> {
  const body = Buffer.alloc(BODY_BYTES, 0x61);
  const latenciesMs = new Float64Array(LATENCY_SAMPLES_MAX);
  let samples = 0;
  let roundTrips = 0;
  let errors = 0;
  let outstanding = 0;
  const startMs = performance.now();
  const endMs = startMs + durationMs;
  return new Promise((resolve) => {
    const sendOne = (): void => {
      const sentMs = performance.now();
      outstanding++;
      client.invokeAsync(addr, sendShapedRequest(body, roundTrips & 3), TIMEOUT_MS, (result: InvokeResult) => {
        outstanding--;
        const nowMs = performance.now();
        if (result.ok && result.response.code === ResponseCode.SUCCESS) {
          roundTrips++;
          if (samples < LATENCY_SAMPLES_MAX) latenciesMs[samples++] = nowMs - sentMs;
        } else {
          errors++;
        }
        if (nowMs < endMs) sendOne();
        else if (outstanding === 0) {
          const sorted = latenciesMs.subarray(0, samples).sort();
          resolve({
            roundTrips,
            seconds: (nowMs - startMs) / 1_000,
            p50Ms: sorted[Math.floor(samples * 0.5)] ?? Number.NaN,
            p99Ms: sorted[Math.floor(samples * 0.99)] ?? Number.NaN,
            errors,
          });
        }
      });
    };
    for (let i = 0; i < inFlight; i++) sendOne();
  });
}

async function main(): Promise<void> {
  const seconds = Number(process.env.APOGEE_BENCH_SECONDS ?? 3);
  console.log('command: pnpm -C bench run rpc' + (process.env.APOGEE_BENCH_SECONDS ? ` (APOGEE_BENCH_SECONDS=${seconds})` : ''));
  console.log(`node ${process.version}, ${cpus().length} cpus (${cpus()[0]?.model ?? 'unknown'}), server in a child process, loopback`);
  console.log(`request: 13 ext fields + ${BODY_BYTES} B body; response: 3 ext fields; ${seconds} s per run after ${WARMUP_MS} ms warm-up\n`);
  const { child, port } = await startServerProcess();
  const addr = `127.0.0.1:${port}`;
  const rows: string[] = [];
  try {
    for (const [name, serializeType] of TYPES) {
      const logger = createLogger('rpc-bench-client');
      logger.level = 'warn';
      const client = new RemotingClient({ serializeType, logger });
      try {
        for (const inFlight of IN_FLIGHT_CASES) {
          await run(client, addr, inFlight, WARMUP_MS);
          const r = await run(client, addr, inFlight, seconds * 1_000);
          const row = `${name.padEnd(9)} in-flight ${String(inFlight).padStart(3)}  ${Math.round(r.roundTrips / r.seconds).toLocaleString('en-US').padStart(8)} rt/s  p50 ${r.p50Ms.toFixed(3)} ms  p99 ${r.p99Ms.toFixed(3)} ms  errors ${r.errors}`;
          console.log(row);
          rows.push(row);
        }
      } finally {
        await client.shutdown();
      }
    }
  } finally {
    child.stdin?.end();
    child.kill('SIGTERM');
  }
}

if (process.argv.includes('--serve')) await serve();
else await main();
