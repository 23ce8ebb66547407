import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessageRecord } from '@apogee/common';
import { MessageStore, messageStoreConfigForTest } from '../../src/index.js';
import { captureLogger, tempDir } from '../helpers/store-fixture.js';
import { verifyStoreConsistency } from '../helpers/verify-store.js';
import { CRASH_CONFIG, CRASH_CQ_FILE_BYTES } from './crash-config.js';

// Crash test with real processes: a child appends under SYNC_FLUSH with 24 concurrent
// appenders and is killed with SIGKILL at a random moment (a quarter of the rounds soon after
// spawn, often during its start-up recovery); 20 rounds on one store. After each kill the parent
// recovers the store and checks that every acknowledged append is there at its queue offset and
// commit-log offset, that ConsumeQueues and the index agree with the commit log, and that no
// queue offset repeats. A shorter ASYNC_FLUSH run checks the same (SIGKILL keeps the page
// cache, so acknowledged ASYNC appends must survive too). Seeded; the seed is printed.

const SYNC_ROUNDS = 20;
const ASYNC_ROUNDS = 5;
const here = path.dirname(fileURLToPath(import.meta.url));
const packageDir = path.resolve(here, '../..');

interface Ack {
  topic: string;
  queueId: number;
  queueOffset: number;
  phy: number;
  key: string;
}

function runChildUntilKilled(
  dir: string,
  round: number,
  flushDiskType: string,
  kill: { afterReadyMs: number; afterAcks: number; afterSpawnMs: number | undefined },
): Promise<{ acks: Ack[]; ready: boolean; stderr: string }> {
  const killAfterMs = kill.afterReadyMs;
  const killAfterAcks = kill.afterAcks;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@apogee/source', '--import', 'tsx', path.join(here, 'crash-child.ts'), dir, String(round), flushDiskType], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acks: Ack[] = [];
    let ready = false;
    let buffered = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    const kill_ = (): void => {
      if (timer) clearTimeout(timer);
      child.kill('SIGKILL');
    };
    if (kill.afterSpawnMs !== undefined) timer = setTimeout(kill_, kill.afterSpawnMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (line === 'READY') {
          ready = true;
          if (kill.afterSpawnMs === undefined) timer = setTimeout(kill_, killAfterMs);
        } else if (line.startsWith('ACK ')) {
          const [, topic, q, qo, phy, key] = line.split(' ');
          acks.push({ topic: topic!, queueId: Number(q), queueOffset: Number(qo), phy: Number(phy), key: key! });
          if (acks.length >= killAfterAcks) kill_();
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code ?? signal}: ${stderr}`));
      else resolve({ acks, ready, stderr });
    });
  });
}

async function crashRounds(flushDiskType: 'SYNC_FLUSH' | 'ASYNC_FLUSH', rounds: number): Promise<void> {
  const seed = Number(process.env.CRASH_SEED ?? Date.now() % 1_000_000);
  console.log(`${flushDiskType} crash test seed ${seed} (rerun with CRASH_SEED=${seed})`);
  let rng = seed >>> 0;
  const rand = (n: number): number => {
    // mulberry32
    rng = (rng + 0x6d2b79f5) >>> 0;
    let t = rng;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
  const dir = tempDir('apogee-crash-');
  const acked: Ack[] = [];
  let totalRecords = 0;
  let killedBeforeReady = 0;
  for (let round = 1; round <= rounds; round++) {
    const early = round > 1 && rand(4) === 0;
    const { acks, ready, stderr } = await runChildUntilKilled(dir, round, flushDiskType, {
      afterReadyMs: 30 + rand(400),
      afterAcks: 50 + rand(600),
      afterSpawnMs: early ? 200 + rand(900) : undefined,
    });
    if (!early) expect(ready, `round ${round} child never became ready: ${stderr}`).toBe(true);
    if (!ready) killedBeforeReady++;
    acked.push(...acks);
    const log = captureLogger();
    const store = new MessageStore(messageStoreConfigForTest(dir, { ...CRASH_CONFIG, flushDiskType }), { logger: log });
    await store.start();
    try {
      const records = await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CRASH_CQ_FILE_BYTES });
      totalRecords = records.length;
      const byPhy = new Map(records.map((r) => [r.phy, r]));
      for (const a of acked) {
        const r = byPhy.get(a.phy);
        expect(r, `round ${round}: acked ${a.key} at ${a.phy} is missing`).toBeDefined();
        expect([r!.topic, r!.queueId, r!.queueOffset, r!.uniqKey]).toEqual([a.topic, a.queueId, a.queueOffset, a.key]);
      }
      // Spot-check the read path for acked appends of this round.
      for (const a of acks.slice(-5)) {
        const got = await store.getMessage('g', a.topic, a.queueId, a.queueOffset, 1);
        const rec = decodeMessageRecord(got!.buffers[0]!, 0);
        expect(rec.kind === 'message' && rec.message.properties.get('UNIQ_KEY')).toBe(a.key);
      }
    } finally {
      await store.shutdown();
    }
  }
  console.log(`${flushDiskType} crash test: ${acked.length} acknowledged appends over ${rounds} kills (${killedBeforeReady} during start-up), ${totalRecords} records in the log`);
  expect(acked.length).toBeGreaterThan(rounds * 10);
}

describe('crash recovery with SIGKILL', () => {
  it(`keeps every acknowledged SYNC_FLUSH append across ${SYNC_ROUNDS} kills`, { timeout: 120_000 }, async () => {
    await crashRounds('SYNC_FLUSH', SYNC_ROUNDS);
  });

  it(`keeps every acknowledged ASYNC_FLUSH append across ${ASYNC_ROUNDS} kills`, { timeout: 60_000 }, async () => {
    await crashRounds('ASYNC_FLUSH', ASYNC_ROUNDS);
  });
});
