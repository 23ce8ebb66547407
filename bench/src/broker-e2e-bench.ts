// End-to-end broker benchmark: one Node client process, 1 KiB bodies, N sends in flight over
// loopback, ASYNC_FLUSH; then a catch-up consume of the backlog. Runs against an Apogee
// NameServer + broker in a child process and, side by side in the same run, against Apache
// RocketMQ 5.3.3 from the Maven jars (skipped with a note when Java/Maven are missing).
//
// Run: pnpm -C bench run broker-e2e
// Env: APOGEE_BENCH_SECONDS (default 10), APOGEE_BENCH_INFLIGHT (64), APOGEE_BENCH_BODY_BYTES (1024),
//      APOGEE_BENCH_REFERENCE=0 to skip the RocketMQ reference.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RemotingClient, SerializeType } from '@apogee/remoting';
import { checkJavaPrerequisites, peerPorts, startJavaBroker, startJavaNamesrv } from '@apogee/test-e2e';
import { brokerAddrOf, consume, produce, type ConsumeFigures, type ProduceFigures } from './e2e/wire-load.js';

const seconds = Number(process.env.APOGEE_BENCH_SECONDS ?? 10);
const inFlight = Number(process.env.APOGEE_BENCH_INFLIGHT ?? 64);
const bodyBytes = Number(process.env.APOGEE_BENCH_BODY_BYTES ?? 1024);
const withReference = process.env.APOGEE_BENCH_REFERENCE !== '0';
const QUEUES = 4;
const BENCH_PORT_SLOT = 45;

interface Target {
  name: string;
  namesrvAddr: string;
  stop(): Promise<void>;
}

async function startApogee(dataDir: string): Promise<Target> {
  const cli = fileURLToPath(new URL('../../apps/standalone/src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@apogee/source', '--import', 'tsx', cli], {
    env: { ...process.env, APOGEE_DATA_DIR: dataDir, APOGEE_NAMESRV_PORT: '0', APOGEE_BROKER_PORT: '0', APOGEE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const namesrvAddr = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Apogee did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /NameServer\s+(\S+:\d+)/.exec(out);
      if (m !== null && out.includes('broker')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`Apogee exited with ${code}:\n${out}`)));
  });
  return { name: 'Apogee', namesrvAddr, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startRocketmq(dataDir: string): Promise<Target | string> {
  const pre = await checkJavaPrerequisites();
  if (!pre.ok) return `Apache RocketMQ reference skipped: ${pre.missing.join(', ')} not found`;
  const ports = peerPorts(BENCH_PORT_SLOT);
  const namesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: join(dataDir, 'namesrv') });
  const broker = await startJavaBroker({
    version: '5.3.3', namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: join(dataDir, 'broker'),
    extraProps: { mappedFileSizeCommitLog: 1024 * 1024 * 1024, flushDiskType: 'ASYNC_FLUSH', autoCreateTopicEnable: true },
  });
  return { name: 'RocketMQ 5.3.3', namesrvAddr: namesrv.addr, stop: async () => { await broker.stop(); await namesrv.stop(); } };
}

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
      const rocketmq = await startRocketmq(join(dir, 'rocketmq'));
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
