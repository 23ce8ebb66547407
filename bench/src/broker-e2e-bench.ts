// End-to-end broker benchmark: one Node client process, 1 KiB bodies, N sends in flight over
// loopback, ASYNC_FLUSH; then a catch-up consume of the backlog. Runs against an Apogee
// NameServer + broker in a child process and, side by side in the same run, against Apache
// RocketMQ 5.3.3 from the Maven jars (skipped with a note when Java/Maven are missing).
//
// Run: pnpm -C bench run broker-e2e
// Env: APOGEE_BENCH_SECONDS (default 10), APOGEE_BENCH_INFLIGHT (64), APOGEE_BENCH_BODY_BYTES (1024),
//      APOGEE_BENCH_REFERENCE=0 to skip the RocketMQ reference.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemotingClient, SerializeType } from '@apogee/remoting';
import { startApogee, startRocketmq, type Target } from './e2e/targets.js';
import { brokerAddrOf, consume, produce, type ConsumeFigures, type ProduceFigures } from './e2e/wire-load.js';

const seconds = Number(process.env.APOGEE_BENCH_SECONDS ?? 10);
const inFlight = Number(process.env.APOGEE_BENCH_INFLIGHT ?? 64);
const bodyBytes = Number(process.env.APOGEE_BENCH_BODY_BYTES ?? 1024);
const withReference = process.env.APOGEE_BENCH_REFERENCE !== '0';
const QUEUES = 4;
const BENCH_PORT_SLOT = 45;

async function run(target: Target): Promise<{ produce: ProduceFigures; consume: ConsumeFigures }> {
  const client = new RemotingClient({ serializeType: SerializeType.ROCKETMQ });
  try {
    const topic = `BenchE2E${Date.now()}`;
    // First send auto-creates the topic through TBW102 (4 queues), as a default producer would.
    const first = await produceOne(client, target, topic);
    const produced = await produce(client, first, topic, { seconds, inFlight, bodyBytes, queues: QUEUES });
    const consumed = await consume(client, first, topic, { queues: QUEUES, expected: produced.sent, maxMsgNums: 32, group: `bench_cg_${Date.now()}` });
    return { produce: produced, consume: consumed };
  } finally {
    await client.shutdown();
  }
}

async function produceOne(client: RemotingClient, target: Target, topic: string): Promise<string> {
  const template = await brokerAddrOf(client, target.namesrvAddr, 'TBW102');
  await produce(client, template, topic, { seconds: 0.2, inFlight: 1, bodyBytes, queues: QUEUES });
  for (let i = 0; i < 50; i++) {
    try {
      return await brokerAddrOf(client, target.namesrvAddr, topic);
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return template;
}

function row(name: string, r: { produce: ProduceFigures; consume: ConsumeFigures }): string {
  const p = r.produce;
  const c = r.consume;
  return `| ${name} | ${Math.round(p.msgPerSec).toLocaleString('en-US')} | ${p.mbPerSec.toFixed(1)} | ${p.p50Ms.toFixed(2)} | ${p.p99Ms.toFixed(2)} | ${p.failed} | ${Math.round(c.msgPerSec).toLocaleString('en-US')} (${c.received.toLocaleString('en-US')} msgs) |`;
}

async function main(): Promise<void> {
  const cmd = `pnpm -C bench run broker-e2e  # APOGEE_BENCH_SECONDS=${seconds} APOGEE_BENCH_INFLIGHT=${inFlight} APOGEE_BENCH_BODY_BYTES=${bodyBytes}`;
  console.log(`command: ${cmd}`);
  console.log(`one Node client, ${bodyBytes} B bodies, ${inFlight} sends in flight, ${QUEUES} queues, ASYNC_FLUSH, loopback; produce ${seconds} s then consume the backlog (pull 32 msgs, one pull in flight per queue)\n`);
  const rows: string[] = [];
  const notes: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'apogee-bench-e2e-'));
  try {
    const apogee = await startApogee(join(dir, 'apogee'));
    try {
      rows.push(row(apogee.name, await run(apogee)));
    } finally {
      await apogee.stop();
    }
    if (withReference) {
      const rocketmq = await startRocketmq(join(dir, 'rocketmq'), BENCH_PORT_SLOT);
      if (typeof rocketmq === 'string') notes.push(rocketmq);
      else {
        try {
          rows.push(row(rocketmq.name, await run(rocketmq)));
        } finally {
          await rocketmq.stop();
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('| broker | produce msg/s | produce MB/s | p50 ms | p99 ms | failed | consume msg/s |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  for (const n of notes) console.log(`\nnote: ${n}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
