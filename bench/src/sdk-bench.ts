// SDK benchmark: the Apogee SDK (DefaultMQProducer, DefaultMQPushConsumer) against an Apogee
// NameServer + broker in a child process and, side by side in the same run, against Apache
// RocketMQ 5.3.3 from the Maven jars (skipped with a note when Java/Maven are missing).
//
// Per broker: sync sends of 1 KiB bodies with 1, 8 and 64 concurrent senders (a few seconds each,
// latency of every send); then a backlog is filled with many concurrent sends and a fresh push
// consumer group (Java defaults: 20 listener calls at once, 1 message per call, pulls of 32)
// consumes it from the first offset; the figure is backlog / time to the last message.
//
// Run: pnpm -C bench run sdk
// Env: APOGEE_BENCH_SECONDS (per sender count, default 5), APOGEE_BENCH_BACKLOG (1_000_000),
//      APOGEE_BENCH_FILL_SENDERS (256), APOGEE_BENCH_BODY_BYTES (1024),
//      APOGEE_BENCH_REFERENCE=0 to skip the RocketMQ reference.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Message, type MessageExt } from '@apogee/common';
import { DefaultMQProducer, DefaultMQPushConsumer } from '@apogee/client';
import { quietLogger } from '@apogee/remoting/testing';
import { startApogee, startRocketmq, type Target } from './e2e/targets.js';

const seconds = Number(process.env.APOGEE_BENCH_SECONDS ?? 5);
const backlog = Number(process.env.APOGEE_BENCH_BACKLOG ?? 1_000_000);
const fillSenders = Number(process.env.APOGEE_BENCH_FILL_SENDERS ?? 256);
const bodyBytes = Number(process.env.APOGEE_BENCH_BODY_BYTES ?? 1024);
const withReference = process.env.APOGEE_BENCH_REFERENCE !== '0';
const SENDER_COUNTS = [1, 8, 64] as const;
const BENCH_PORT_SLOT = 46;
/** Latencies kept per phase; later sends are counted but not sampled. */
const LATENCY_SAMPLES_MAX = 2_000_000;
/** A backlog that is not consumed within this long fails the run. */
const CONSUME_TIMEOUT_MS = 300_000;
const MiB = 1024 * 1024;

interface Figures {
  phase: string;
  messages: number;
  failed: number;
  elapsedMs: number;
  p50Ms?: number;
  p99Ms?: number;
}

/** `senders` loops of `await producer.send()` until `durationMs` (or `total` sends) is reached. */
async function sendLoad(producer: DefaultMQProducer, topic: string, senders: number, opts: { durationMs?: number; total?: number }): Promise<Omit<Figures, 'phase'>> {
  const body = Buffer.alloc(bodyBytes, 0x61);
  const latencies = new Float64Array(Math.min(LATENCY_SAMPLES_MAX, opts.total ?? LATENCY_SAMPLES_MAX));
  let samples = 0;
  let sent = 0;
  let failed = 0;
  let issued = 0;
  const start = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : start + opts.durationMs;
  const total = opts.total ?? Infinity;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline && issued < total) {
      issued++;
      const t0 = performance.now();
      try {
        await producer.send(new Message(topic, body));
        const ms = performance.now() - t0;
        if (samples < latencies.length) latencies[samples++] = ms;
        sent++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: senders }, worker));
  const elapsedMs = performance.now() - start;
  const sorted = latencies.subarray(0, samples).sort();
  const pct = (p: number): number => (samples === 0 ? NaN : sorted[Math.min(samples - 1, Math.floor(samples * p))]!);
  return { messages: sent, failed, elapsedMs, p50Ms: pct(0.5), p99Ms: pct(0.99) };
}

async function pushConsume(target: Target, topic: string, expected: number): Promise<Omit<Figures, 'phase'>> {
  const consumer = new DefaultMQPushConsumer({
    namesrvAddr: target.namesrvAddr, logger: quietLogger('bench'), consumerGroup: `bench_cg_${Date.now()}`, consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
  });
  let received = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  consumer.subscribe(topic, '*');
  consumer.registerMessageListener({
    consumeMessage: (msgs: readonly MessageExt[]) => {
      received += msgs.length;
      if (received >= expected) resolveDone();
      return 'CONSUME_SUCCESS';
    },
  });
  const start = performance.now();
  await consumer.start();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([done, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`push consumer got ${received} of ${expected} in ${CONSUME_TIMEOUT_MS} ms`)), CONSUME_TIMEOUT_MS)))]);
    return { messages: received, failed: 0, elapsedMs: performance.now() - start };
  } finally {
    clearTimeout(timer);
    await consumer.shutdown();
  }
}

async function run(target: Target): Promise<Figures[]> {
  const producer = new DefaultMQProducer({ namesrvAddr: target.namesrvAddr, logger: quietLogger('bench'), producerGroup: `bench_pg_${Date.now()}` });
  await producer.start();
  const figures: Figures[] = [];
  try {
    const topic = `BenchSdk${Date.now()}`;
    // The first send auto-creates the topic through TBW102 (4 queues); a short warm-up follows.
    await producer.send(new Message(topic, Buffer.alloc(bodyBytes, 0x61)));
    await sendLoad(producer, topic, 8, { durationMs: 1_000 });
    for (const senders of SENDER_COUNTS) {
      figures.push({ phase: `sync send, ${senders} sender${senders === 1 ? '' : 's'}`, ...(await sendLoad(producer, topic, senders, { durationMs: seconds * 1_000 })) });
    }
    const backlogTopic = `BenchSdkBacklog${Date.now()}`;
    await producer.send(new Message(backlogTopic, Buffer.alloc(bodyBytes, 0x61)));
    const fill = await sendLoad(producer, backlogTopic, fillSenders, { total: backlog - 1 });
    figures.push({ phase: `backlog fill, ${fillSenders} senders`, ...fill });
    const stored = fill.messages + 1;
    figures.push({ phase: `push consume ${stored.toLocaleString('en-US')} backlog`, ...(await pushConsume(target, backlogTopic, stored)) });
    return figures;
  } finally {
    await producer.shutdown();
  }
}

function fmt(n: number | undefined, digits: number): string {
  return n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits);
}

function rowsOf(name: string, figures: readonly Figures[]): Map<string, string> {
  const rows = new Map<string, string>();
  for (const f of figures) {
    const msgPerSec = f.messages / (f.elapsedMs / 1_000);
    rows.set(f.phase, `| ${f.phase} | ${name} | ${Math.round(msgPerSec).toLocaleString('en-US')} | ${((msgPerSec * bodyBytes) / MiB).toFixed(1)} | ${fmt(f.p50Ms, 2)} | ${fmt(f.p99Ms, 2)} | ${f.messages.toLocaleString('en-US')} | ${f.failed} |`);
  }
  return rows;
}

async function main(): Promise<void> {
  const cmd = `pnpm -C bench run sdk  # APOGEE_BENCH_SECONDS=${seconds} APOGEE_BENCH_BACKLOG=${backlog} APOGEE_BENCH_FILL_SENDERS=${fillSenders} APOGEE_BENCH_BODY_BYTES=${bodyBytes}`;
  console.log(`command: ${cmd}`);
  console.log(`Apogee SDK (DefaultMQProducer, DefaultMQPushConsumer) in one Node process, ${bodyBytes} B bodies, 4 queues, ASYNC_FLUSH, loopback; sync sends ${seconds} s per sender count; push consume (Java defaults) of a ${backlog.toLocaleString('en-US')}-message backlog\n`);
  const results: Array<Map<string, string>> = [];
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'apogee-bench-sdk-'));
  try {
    const apogee = await startApogee(join(dir, 'apogee'));
    try {
      results.push(rowsOf(apogee.name, await run(apogee)));
    } finally {
      await apogee.stop();
    }
    rmSync(join(dir, 'apogee'), { recursive: true, force: true });
    if (withReference) {
      const rocketmq = await startRocketmq(join(dir, 'rocketmq'), BENCH_PORT_SLOT);
      if (typeof rocketmq === 'string') notes.push(rocketmq);
      else {
        try {
          results.push(rowsOf(rocketmq.name, await run(rocketmq)));
        } finally {
          await rocketmq.stop();
        }
      }
    } else notes.push('Apache RocketMQ reference skipped: APOGEE_BENCH_REFERENCE=0');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| phase | broker | msg/s | MB/s | p50 send ms | p99 send ms | messages | failed |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const phase of results[0]?.keys() ?? []) for (const r of results) if (r.has(phase)) console.log(r.get(phase));
  for (const n of notes) console.log(`\nnote: ${n}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
