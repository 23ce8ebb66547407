// Durable write bandwidth: ASYNC_FLUSH appends timed until the store reports them flushed
// (fdatasync'ed), next to a raw sequential write of exactly the same number of bytes ended by
// fdatasync, on the same disk (same directory), alternated raw, store, raw, store ...
//
// - raw: the bytes in ~1 MiB sequential positional writes (whole records per write) into fresh
//   files pre-sized (sparse, ftruncate) to the store's segment size, as the store creates its
//   segments; then fdatasync of every file. Time: first write until the last fdatasync returns.
// - store: a fresh MessageStore with the default ASYNC_FLUSH settings (interval flush every
//   flushIntervalCommitLog when at least flushCommitLogLeastPages are dirty); `appenders`
//   concurrent putMessage loops append the same number of records. Time: first append until
//   getFlushedPhyOffset() reaches the end of the log (polled every millisecond). Should fewer
//   than flushCommitLogLeastPages remain unflushed two intervals after the last put, the run
//   ends with shutdown(), whose final flush is timed too. ConsumeQueue and index files are
//   rebuilt from the commit log after a crash; their own flush (at shutdown) is not timed.
// - RocketMQ (when the reference runs, rocketmq-store-ref.ts): after each round's store run, RocketMQ
//   5.3.3's DefaultMessageStore appends the same messages in a fresh JVM (warmed up on a throwaway
//   store, then synced and settled again), timed the same way with its flushed offset; when fewer
//   than flushCommitLogLeastPages remain it ends with a final flush, as Apogee's run does.
// - state: before each timed part every earlier file is synced (`sync`, then Dirty+Writeback
//   in /proc/meminfo below 16 MiB) and earlier runs' directories are gone. Page-cache pages
//   then come in one of two states, chosen per run:
//     cold: wait COLD_WAIT_MS after the sync, so memory freed by earlier runs has gone back to
//       the host (free page reporting) and each page the run writes is first faulted in;
//     warm: write a scratch file of the run's size and unlink it before it is written back,
//       so the run recycles pages the guest already holds.
//   On a VM the two differ by a factor of two or more for the same disk; both are printed
//   (bodies under SMALL_BODY_BYTES: the first state only).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MiB } from '@apogee/common';
import { MessageStore, PutMessageStatus, createMessageStoreConfig } from '@apogee/store';
import { message, recordBytes, silent } from './records.js';
import { REFERENCE_NAME, runReference } from './rocketmq-store-ref.js';

export type PageState = 'cold' | 'warm';

/** After a sync: long enough for the kernel (2 s reporting delay) to hand freed memory back to the host. */
export const COLD_WAIT_MS = 4000;
const DIRTY_SETTLED_BYTES = 16 * MiB;
const OS_PAGE_BYTES = 4096;
/** Bodies under this size run in the first page state only. */
export const SMALL_BODY_BYTES = 1024;
/** Bound on the wait for the flushed offset after the last put (a disk far behind). */
const FLUSH_WAIT_MAX_MS = 120_000;

export interface DurableOptions {
  bodySizes: number[];
  /** Bytes of records per run (rounded up to whole records). */
  bytes: number;
  rounds: number;
  states: PageState[];
  appenders: number;
  segmentBytes: number;
  /** Also run RocketMQ's store (rocketmq-store-ref.ts) each round, after Apogee's. */
  reference: boolean;
}

interface RawRun {
  seconds: number;
  /** First write until the last write returned (page cache), before the fdatasyncs. */
  writeSeconds: number;
}

interface StoreRun {
  seconds: number;
  /** First append until the last append was answered. */
  putSeconds: number;
  cpuUsPerMsg: number;
  endedBy: 'interval flush' | 'shutdown flush';
}

export interface DurableSummary {
  bodyBytes: number;
  recordSize: number;
  msgs: number;
  state: PageState;
  rawMBps: number[];
  storeMBps: number[];
  storeMsgps: number[];
  /** store / raw of the same round, in %. */
  pct: number[];
  /** RocketMQ's store, when it ran: MB/s, msg/s and % of the same round's raw figure. */
  refMBps: number[];
  refMsgps: number[];
  refPct: number[];
}

export function loadavg(): string {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').trim();
  } catch {
    return os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ');
  }
}

function dirtyBytes(): number {
  try {
    const info = fs.readFileSync('/proc/meminfo', 'utf8');
    let kib = 0;
    for (const m of info.matchAll(/^(Dirty|Writeback):\s+(\d+) kB$/gm)) kib += Number(m[2]);
    return kib * 1024;
  } catch {
    return 0;
  }
}

/** Brings the machine to the same starting point before a timed part (see the header). */
async function settle(state: PageState, primeBytes: number, scratchDir: string): Promise<void> {
  execFileSync('sync');
  const t0 = performance.now();
  while (dirtyBytes() > DIRTY_SETTLED_BYTES && performance.now() - t0 < 10_000) await sleep(20);
  if (state === 'cold') {
    await sleep(COLD_WAIT_MS);
    return;
  }
  const file = path.join(scratchDir, 'prime');
  const fd = fs.openSync(file, 'w');
  const buf = Buffer.alloc(MiB, 0x70);
  for (let pos = 0; pos < primeBytes; pos += MiB) fs.writeSync(fd, buf, 0, MiB, pos);
  fs.closeSync(fd);
  fs.unlinkSync(file); // dirty, never written back: its pages go straight back to the free lists
}

/** settle() for a run whose files live elsewhere (RocketMQ's): primes in a scratch directory of its own. */
async function settleForReference(state: PageState, primeBytes: number): Promise<void> {
  const dir = freshDir('durable-ref-prime');
  try {
    await settle(state, primeBytes, dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function freshDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `apogee-store-bench-${name}-`));
}

async function rawDurable(bytes: number, recordSize: number, segmentBytes: number, state: PageState): Promise<RawRun> {
  const dir = freshDir('durable-raw');
  try {
    await settle(state, bytes + 64 * MiB, dir);
    const chunk = Buffer.alloc(Math.max(1, Math.floor(MiB / recordSize)) * recordSize, 0x61);
    const files: fs.promises.FileHandle[] = [];
    let fileStart = -segmentBytes;
    let pos = 0;
    const t0 = performance.now();
    while (pos < bytes) {
      if (pos >= fileStart + segmentBytes) {
        fileStart = pos;
        const handle = await fs.promises.open(path.join(dir, String(fileStart).padStart(20, '0')), 'w+');
        await handle.truncate(segmentBytes);
        files.push(handle);
      }
      const n = Math.min(chunk.length, bytes - pos, fileStart + segmentBytes - pos);
      await files[files.length - 1]!.write(chunk, 0, n, pos - fileStart);
      pos += n;
    }
    const tw = performance.now();
    for (const f of files) await f.datasync();
    const t1 = performance.now();
    for (const f of files) await f.close();
    return { seconds: (t1 - t0) / 1000, writeSeconds: (tw - t0) / 1000 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function storeDurable(bodyBytes: number, msgs: number, appenders: number, state: PageState, primeBytes: number): Promise<StoreRun> {
  const dir = freshDir('durable-store');
  const config = createMessageStoreConfig({ storePathRootDir: dir, flushDiskType: 'ASYNC_FLUSH' });
  const store = new MessageStore(config, { logger: silent });
  try {
    await store.start();
    await settle(state, primeBytes, dir);
    const body = Buffer.alloc(bodyBytes, 0x61);
    let issued = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const worker = async (id: number): Promise<void> => {
      while (issued < msgs) {
        const r = await store.putMessage(message(body, issued++, id % 8));
        if (r.status !== PutMessageStatus.PUT_OK) throw new Error(`put failed: ${r.status} ${r.remark ?? ''}`);
      }
    };
    await Promise.all(Array.from({ length: appenders }, (_, i) => worker(i)));
    const tPut = performance.now();
    const end = store.getMaxPhyOffset();
    let endedBy: StoreRun['endedBy'] = 'interval flush';
    while (store.getFlushedPhyOffset() < end) {
      const waited = performance.now() - tPut;
      if (end - store.getFlushedPhyOffset() < config.flushCommitLogLeastPages * OS_PAGE_BYTES && waited > 2 * config.flushIntervalCommitLog) {
        await store.shutdown();
        endedBy = 'shutdown flush';
        break;
      }
      if (waited > FLUSH_WAIT_MAX_MS) throw new Error(`commit log not flushed ${FLUSH_WAIT_MAX_MS} ms after the last put`);
      await sleep(1);
    }
    const t1 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    return { seconds: (t1 - t0) / 1000, putSeconds: (tPut - t0) / 1000, cpuUsPerMsg: (cpu.user + cpu.system) / msgs, endedBy };
  } finally {
    await store.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const mbps = (bytes: number, seconds: number): number => bytes / MiB / seconds;
const range = (xs: number[], digits = 0): string => {
  const lo = Math.min(...xs).toFixed(digits);
  const hi = Math.max(...xs).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};
const kilo = (xs: number[]): string => `${range(xs.map((x) => x / 1000))}K`;

export async function durableSection(opts: DurableOptions): Promise<DurableSummary[]> {
  const summaries: DurableSummary[] = [];
  console.log(
    `\n-- durable write bandwidth: ${(opts.bytes / MiB).toFixed(0)} MiB per run, ${opts.rounds} rounds of raw then store, page states ${opts.states.join(', ')}` +
      ` (load ${loadavg()})`,
  );
  console.log(
    `raw: ~1 MiB sequential writes into fresh ${(opts.segmentBytes / MiB).toFixed(0)} MiB files, then fdatasync; store: ASYNC_FLUSH defaults, ` +
      `${opts.appenders} appenders, timed until getFlushedPhyOffset() covers the last put. % = store / raw of the same round.`,
  );
  for (const bodyBytes of opts.bodySizes) {
    const recordSize = recordBytes(bodyBytes);
    const msgs = Math.ceil(opts.bytes / recordSize);
    const bytes = msgs * recordSize;
    // Small bodies: the store is CPU-bound at a tenth of either raw figure, and a 1 GiB run of
    // 128 B records takes 15-20 s, so they run in the first page state only (keeps the bench short).
    const states = bodyBytes < SMALL_BODY_BYTES ? opts.states.slice(0, 1) : opts.states;
    for (const state of states) {
      console.log(`  ${bodyBytes} B bodies (${recordSize}-byte records), ${msgs} messages = ${(bytes / MiB).toFixed(0)} MiB, ${state} pages`);
      const s: DurableSummary = { bodyBytes, recordSize, msgs, state, rawMBps: [], storeMBps: [], storeMsgps: [], pct: [], refMBps: [], refMsgps: [], refPct: [] };
      for (let round = 1; round <= opts.rounds; round++) {
        const raw = await rawDurable(bytes, recordSize, opts.segmentBytes, state);
        const store = await storeDurable(bodyBytes, msgs, opts.appenders, state, bytes + 64 * MiB);
        const rawRate = mbps(bytes, raw.seconds);
        const storeRate = mbps(bytes, store.seconds);
        s.rawMBps.push(rawRate);
        s.storeMBps.push(storeRate);
        s.storeMsgps.push(msgs / store.seconds);
        s.pct.push((storeRate / rawRate) * 100);
        console.log(
          `    #${round} raw ${raw.seconds.toFixed(2)} s ${rawRate.toFixed(0).padStart(5)} MB/s (writes ${raw.writeSeconds.toFixed(2)} s + fdatasync ${(raw.seconds - raw.writeSeconds).toFixed(2)} s)` +
            ` | store ${store.seconds.toFixed(2)} s ${(msgs / store.seconds).toFixed(0).padStart(7)} msg/s ${storeRate.toFixed(0).padStart(5)} MB/s` +
            ` (puts ${store.putSeconds.toFixed(2)} s, flushed +${((store.seconds - store.putSeconds) * 1000).toFixed(0)} ms by ${store.endedBy}, cpu ${store.cpuUsPerMsg.toFixed(2)} us/msg)` +
            ` ${((storeRate / rawRate) * 100).toFixed(0).padStart(4)} %`,
        );
        if (opts.reference) {
          // Settled the same way; the JVM starts and warms up after the settle, untimed, then
          // syncs and (cold pages) waits again before its timed part.
          await settleForReference(state, bytes + 64 * MiB);
          const ref = await runReference('durable', bodyBytes, msgs, state === 'cold' ? COLD_WAIT_MS : 0);
          const refRate = mbps(ref.bytes, ref.seconds);
          s.refMBps.push(refRate);
          s.refMsgps.push(ref.msgsPerSec);
          s.refPct.push((refRate / rawRate) * 100);
          console.log(
            `       ${REFERENCE_NAME}: ${ref.seconds.toFixed(2)} s ${ref.msgsPerSec.toFixed(0).padStart(7)} msg/s ${refRate.toFixed(0).padStart(5)} MB/s` +
              ` (puts ${ref.putSeconds.toFixed(2)} s, flushed +${((ref.seconds - ref.putSeconds) * 1000).toFixed(0)} ms by ${ref.endedBy}, cpu ${ref.cpuUsPerMsg.toFixed(2)} us/msg)` +
              ` ${((refRate / rawRate) * 100).toFixed(0).padStart(4)} % of raw`,
          );
        }
      }
      console.log(
        `    ${bodyBytes} B ${state}: raw durable ${range(s.rawMBps)} MB/s; store durable ${kilo(s.storeMsgps)} msg/s, ${range(s.storeMBps)} MB/s; ` +
          `store/raw ${range(s.pct)} %` +
          (s.refMBps.length > 0 ? `; RocketMQ store ${kilo(s.refMsgps)} msg/s, ${range(s.refMBps)} MB/s, ${range(s.refPct)} % of raw` : '') +
          ` (load ${loadavg()})`,
      );
      summaries.push(s);
    }
  }
  return summaries;
}

export { range, kilo };
