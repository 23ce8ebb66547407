// Storage engine throughput, side by side with the raw disk in the same run:
// - append: putMessage with 128 B, 1 KiB and 4 KiB bodies, under ASYNC_FLUSH (1 and 256
//   concurrent appenders) and SYNC_FLUSH (1, 16 and 256). Two raw references per body size:
//   sequential 1 MiB positional writes for the case length (the kernel's copy ceiling; and for
//   SYNC, the same writes each followed by fdatasync), and after each append case a raw run of
//   the SAME bytes in the SAME write sizes the store used (its average writev), into fresh files
//   of the store's segment size (and for SYNC, an fdatasync as often as the store flushed). The
//   % columns compare with both; the same-bytes one is the fair comparison.
//   Each append case also prints main-thread+pool CPU per message (process.cpuUsage, the figure
//   least disturbed by other load on the machine), the average write size, and how long dispatch
//   (ConsumeQueue + index) needed after the last put to catch up.
// - catch-up read: a consumer pulling a backlog (default 1 GiB of 4 KiB messages, one queue)
//   with getMessage from offset 0, with RocketMQ's default pull limits and with larger ones,
//   next to a raw sequential read of the same commit-log file (page cache).
// - durable write bandwidth (store/durable.ts): per body size, ASYNC_FLUSH appends of
//   APOGEE_STORE_DURABLE_MIB of records by 256 appenders, timed until the store reports them
//   all flushed, next to a raw sequential write of the same bytes ended by fdatasync (the
//   bandwidth the disk sustains), alternated raw/store for a few rounds from a synced machine,
//   with page-cache pages cold (faulted in from the host) and warm (recycled).
// - reference (store/rocketmq-store-ref.ts): Apache RocketMQ 5.3.3's own DefaultMessageStore,
//   from the Maven jars, with the same messages on the same disk: beside Apogee's ASYNC_FLUSH
//   256-appender case for the same seconds, and in every durable round. It puts from
//   min(4, cores) threads (RocketMQ's sendMessageThreadPoolNums default). Skipped with a note
//   without Java/Maven; APOGEE_STORE_REFERENCE=0 skips it.
// Messages carry TAGS and a UNIQ_KEY, as RocketMQ clients send them (so the index works too).
//
//   pnpm -C bench run store
//   APOGEE_BENCH_SECONDS=3 (per append case)  APOGEE_STORE_BACKLOG_MIB=1024 (0 skips it)
//   APOGEE_STORE_BODIES=128,1024,4096 (empty: only the catch-up read)  TMPDIR=<disk to test>
//   APOGEE_STORE_DURABLE_MIB=1024 (0 skips the durable section)  APOGEE_STORE_DURABLE_ROUNDS=3
//   APOGEE_STORE_DURABLE_PAGES=cold,warm (bodies under 1 KiB: the first one only)
//   APOGEE_STORE_REFERENCE=0 (skip RocketMQ's store)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { KiB, MiB } from '@apogee/common';
import { MessageStore, PutMessageStatus, createMessageStoreConfig, type FlushDiskType } from '@apogee/store';
import { durableSection, kilo, loadavg, range, type DurableSummary, type PageState } from './store/durable.js';
import { message, recordBytes, silent } from './store/records.js';
import { JAVA_HEAP_NOTE, REFERENCE_NAME, REFERENCE_THREADS, REFERENCE_WARMUP_MESSAGES, referenceUnavailable, runReference, type ReferenceRun } from './store/rocketmq-store-ref.js';

const CASE_MS = Number(process.env.APOGEE_BENCH_SECONDS ?? '3') * 1000;
const BACKLOG_BYTES = Number(process.env.APOGEE_STORE_BACKLOG_MIB ?? '1024') * MiB;
const BODY_SIZES = (process.env.APOGEE_STORE_BODIES ?? '128,1024,4096').split(',').map(Number).filter((n) => n > 0);
const DURABLE_BYTES = Number(process.env.APOGEE_STORE_DURABLE_MIB ?? '1024') * MiB;
const DURABLE_ROUNDS = Math.max(1, Number(process.env.APOGEE_STORE_DURABLE_ROUNDS ?? '3'));
const DURABLE_PAGES = (process.env.APOGEE_STORE_DURABLE_PAGES ?? 'cold,warm')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is PageState => s === 'cold' || s === 'warm');
const RAW_CHUNK_BYTES = 1 * MiB;
/** The store's default segment size: raw same-bytes runs roll files at the same size. */
const SEGMENT_BYTES = createMessageStoreConfig({}).mappedFileSizeCommitLog;

function freshDir(name: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `apogee-store-bench-${name}-`));
}

interface Rate {
  msgsPerSec: number;
  mbPerSec: number;
}

interface AppendRun extends Rate {
  bytes: number;
  msgs: number;
  /** Average bytes per commit-log writev. */
  writeBytes: number;
  /** Commit-log writes per fdatasync. */
  writesPerFlush: number;
  cpuUsPerMsg: number;
  dispatchLagMs: number;
}

async function appendCase(bodyBytes: number, flushDiskType: FlushDiskType, appenders: number): Promise<AppendRun> {
  const dir = freshDir('append');
  const store = new MessageStore(createMessageStoreConfig({ storePathRootDir: dir, flushDiskType }), { logger: silent });
  await store.start();
  const body = Buffer.alloc(bodyBytes, 0x61);
  let seq = 0;
  let msgs = 0;
  let bytes = 0;
  const stats0 = store.getStats();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + CASE_MS;
  const worker = async (id: number): Promise<void> => {
    while (performance.now() < deadline) {
      const r = await store.putMessage(message(body, seq++, id % 8));
      if (r.status !== PutMessageStatus.PUT_OK) throw new Error(`put failed: ${r.status} ${r.remark ?? ''}`);
      msgs++;
      bytes += r.result!.wroteBytes;
    }
  };
  await Promise.all(Array.from({ length: appenders }, (_, i) => worker(i)));
  const t1 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const stats = store.getStats();
  await store.waitForDispatch();
  const dispatchLagMs = performance.now() - t1;
  const seconds = (t1 - t0) / 1000;
  await store.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
  const writes = stats.commitLogWriteBatches - stats0.commitLogWriteBatches;
  const flushes = Math.max(1, stats.commitLogFlushes - stats0.commitLogFlushes);
  return {
    msgsPerSec: msgs / seconds,
    mbPerSec: bytes / MiB / seconds,
    bytes,
    msgs,
    writeBytes: bytes / Math.max(1, writes),
    writesPerFlush: writes / flushes,
    cpuUsPerMsg: (cpu.user + cpu.system) / msgs,
    dispatchLagMs,
  };
}

/** Raw sequential positional writes of 1 MiB blocks of `recordSize`-byte records, for the case length. */
async function rawWriteCase(recordSize: number, syncEachWrite: boolean): Promise<Rate> {
  const dir = freshDir('raw');
  const file = path.join(dir, 'raw');
  const handle = await fs.promises.open(file, 'w+');
  await handle.truncate(1 * 1024 * MiB);
  const perChunk = Math.floor(RAW_CHUNK_BYTES / recordSize);
  const chunk = Buffer.alloc(perChunk * recordSize, 0x61);
  let pos = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < CASE_MS) {
    await handle.write(chunk, 0, chunk.length, pos % (1024 * MiB));
    if (syncEachWrite) await handle.datasync();
    pos += chunk.length;
  }
  const seconds = (performance.now() - t0) / 1000;
  await handle.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { msgsPerSec: pos / recordSize / seconds, mbPerSec: pos / MiB / seconds };
}

/**
 * The raw counterpart of an append run: exactly its bytes, in writes of its average size, into
 * fresh pre-sized files of the store's segment size (so every page is touched for the first time,
 * as in the store), with an fdatasync every `writesPerFlush` writes when `sync`.
 */
async function rawSameBytesCase(run: AppendRun, recordSize: number, sync: boolean): Promise<Rate> {
  const dir = freshDir('raw-same');
  const writeBytes = Math.max(recordSize, Math.round(run.writeBytes / recordSize) * recordSize);
  const chunk = Buffer.alloc(writeBytes, 0x61);
  const syncEvery = Math.max(1, Math.round(run.writesPerFlush));
  let handle: fs.promises.FileHandle | undefined;
  let fileStart = -SEGMENT_BYTES;
  let pos = 0;
  let writes = 0;
  const t0 = performance.now();
  while (pos < run.bytes) {
    if (pos + chunk.length > fileStart + SEGMENT_BYTES || handle === undefined) {
      await handle?.close();
      fileStart = pos;
      handle = await fs.promises.open(path.join(dir, String(fileStart).padStart(20, '0')), 'w+');
      await handle.truncate(SEGMENT_BYTES);
    }
    const n = Math.min(chunk.length, run.bytes - pos);
    await handle.write(chunk, 0, n, pos - fileStart);
    pos += n;
    if (sync && ++writes % syncEvery === 0) await handle.datasync();
  }
  if (sync) await handle?.datasync();
  const seconds = (performance.now() - t0) / 1000;
  await handle?.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return { msgsPerSec: pos / recordSize / seconds, mbPerSec: pos / MiB / seconds };
}

async function backlogCase(): Promise<void> {
  const dir = freshDir('backlog');
  const bodyBytes = 4 * KiB;
  const writer = new MessageStore(createMessageStoreConfig({ storePathRootDir: dir }), { logger: silent });
  await writer.start();
  const body = Buffer.alloc(bodyBytes, 0x62);
  let seq = 0;
  let written = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (written < BACKLOG_BYTES) {
        const r = await writer.putMessage(message(body, seq++, 0));
        written += r.result!.wroteBytes;
      }
    }),
  );
  await writer.waitForDispatch();
  const writeSeconds = (performance.now() - t0) / 1000;
  const count = writer.getMaxOffsetInQueue('BenchmarkTopic', 0);
  await writer.shutdown();
  console.log(`backlog: ${count} x 4 KiB messages (${(written / MiB).toFixed(0)} MiB) written in ${writeSeconds.toFixed(1)} s`);

  await rawReadCase(dir); // first pass warms up whatever the writer left behind
  const raw = await rawReadCase(dir);
  row('raw sequential read of the commit log (1 MiB readSync)', raw, raw);
  for (const [label, overrides] of [
    ['getMessage, RocketMQ default pull limits (32 msgs / 256 KiB)', {}],
    ['getMessage, large pulls (1024 msgs / 4 MiB)', { maxTransferCountOnMessageInMemory: 1024, maxTransferBytesOnMessageInMemory: 4 * MiB }],
  ] as const) {
    const store = new MessageStore(createMessageStoreConfig({ storePathRootDir: dir, ...overrides }), { logger: silent });
    const s0 = performance.now();
    await store.start();
    console.log(`  clean start with a ${(BACKLOG_BYTES / MiB).toFixed(0)} MiB log: ${(performance.now() - s0).toFixed(0)} ms (last segment CRC-checked)`);
    let offset = 0;
    let bytes = 0;
    let msgs = 0;
    const r0 = performance.now();
    while (offset < count) {
      const got = await store.getMessage('bench', 'BenchmarkTopic', 0, offset, 1024);
      if (!got || got.messageCount === 0) throw new Error(`pull at ${offset}: ${got?.status}`);
      bytes += got.bufferTotalBytes;
      msgs += got.messageCount;
      offset = got.nextBeginOffset;
    }
    const seconds = (performance.now() - r0) / 1000;
    row(label, { msgsPerSec: msgs / seconds, mbPerSec: bytes / MiB / seconds }, raw);
    await store.shutdown();
  }
  fs.writeFileSync(path.join(dir, 'abort'), '0'); // as if the last run had crashed
  const crashed = new MessageStore(createMessageStoreConfig({ storePathRootDir: dir }), { logger: silent });
  const c0 = performance.now();
  await crashed.start();
  console.log(`  start after a crash (abort file present): ${(performance.now() - c0).toFixed(0)} ms`);
  await crashed.shutdown();
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Sequential 1 MiB reads of the segment files (synchronous: the page-cache copy speed). */
async function rawReadCase(dir: string): Promise<Rate> {
  const segDir = path.join(dir, 'commitlog');
  const buf = Buffer.allocUnsafe(RAW_CHUNK_BYTES);
  let bytes = 0;
  const t0 = performance.now();
  for (const name of fs.readdirSync(segDir).sort()) {
    const fd = fs.openSync(path.join(segDir, name), 'r');
    const size = Math.min(fs.fstatSync(fd).size, BACKLOG_BYTES + 64 * MiB);
    for (let pos = 0; pos < size; pos += RAW_CHUNK_BYTES) bytes += fs.readSync(fd, buf, 0, RAW_CHUNK_BYTES, pos);
    fs.closeSync(fd);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { msgsPerSec: bytes / (4 * KiB + 200) / seconds, mbPerSec: bytes / MiB / seconds };
}

function row(name: string, r: Rate, reference: Rate): void {
  const pct = ((r.mbPerSec / reference.mbPerSec) * 100).toFixed(0);
  console.log(`${name.padEnd(62)} ${r.msgsPerSec.toFixed(0).padStart(10)} msg/s ${r.mbPerSec.toFixed(1).padStart(9)} MB/s ${pct.padStart(5)} %`);
}

/** An append case and, under it, the raw run of the same bytes in the same write sizes. */
function appendRows(name: string, run: AppendRun, sameBytes: Rate, reference: Rate, isSync: boolean, extra = ''): void {
  const fair = ((run.mbPerSec / sameBytes.mbPerSec) * 100).toFixed(0);
  const ceiling = ((run.mbPerSec / reference.mbPerSec) * 100).toFixed(0);
  console.log(
    `${name.padEnd(62)} ${run.msgsPerSec.toFixed(0).padStart(10)} msg/s ${run.mbPerSec.toFixed(1).padStart(9)} MB/s ${fair.padStart(5)} % ${ceiling.padStart(5)} %${extra}`,
  );
  console.log(
    `${''.padEnd(4)}cpu ${run.cpuUsPerMsg.toFixed(2)} us/msg, writes of ${(run.writeBytes / KiB).toFixed(0)} KiB` +
      `${isSync ? `, ${run.writesPerFlush.toFixed(1)} writes per fdatasync` : ''}, dispatch caught up ${run.dispatchLagMs.toFixed(0)} ms after the last put`,
  );
  const sameName = `  raw: same ${(run.bytes / MiB).toFixed(0)} MiB in ${(run.writeBytes / KiB).toFixed(0)} KiB writes${isSync ? ', same fdatasyncs' : ''}`;
  console.log(`${sameName.padEnd(62)} ${sameBytes.msgsPerSec.toFixed(0).padStart(10)} msg/s ${sameBytes.mbPerSec.toFixed(1).padStart(9)} MB/s`);
}

interface PageCacheAsync {
  run: AppendRun;
  sameBytes: Rate;
  raw1MiB: Rate;
  reference: ReferenceRun | undefined;
}

/** The ASYNC_FLUSH 256-appender figures of both sections, one line per body size and page state. */
function sideBySide(pageCache: Map<number, PageCacheAsync>, durable: DurableSummary[]): void {
  console.log('\n-- ASYNC_FLUSH, 256 appenders, side by side (min–max over the durable rounds)');
  console.log(
    `${'body'.padEnd(7)}${'page cache: store'.padEnd(26)}${'raw, no fsync'.padEnd(22)}${'RocketMQ store'.padEnd(18)}${'pages'.padEnd(7)}${'durable: raw'.padEnd(16)}` +
      `${'store'.padEnd(26)}${'store/raw'.padEnd(12)}${'RocketMQ store'.padEnd(26)}RocketMQ/raw`,
  );
  for (const d of durable) {
    const pc = pageCache.get(d.bodyBytes);
    const pcStore = pc ? `${(pc.run.msgsPerSec / 1000).toFixed(0)}K, ${pc.run.mbPerSec.toFixed(0)} MB/s` : '-';
    const pcRaw = pc ? `${pc.sameBytes.mbPerSec.toFixed(0)} MB/s (${((pc.run.mbPerSec / pc.sameBytes.mbPerSec) * 100).toFixed(0)} %)` : '-';
    const pcRef = pc?.reference ? `${(pc.reference.msgsPerSec / 1000).toFixed(0)}K, ${pc.reference.mbPerSec.toFixed(0)} MB/s` : '-';
    const dRef = d.refMBps.length > 0 ? `${kilo(d.refMsgps)}, ${range(d.refMBps)} MB/s` : '-';
    const dRefPct = d.refPct.length > 0 ? `${range(d.refPct)} %` : '-';
    console.log(
      `${`${d.bodyBytes} B`.padEnd(7)}${pcStore.padEnd(26)}${pcRaw.padEnd(22)}${pcRef.padEnd(18)}${d.state.padEnd(7)}${`${range(d.rawMBps)} MB/s`.padEnd(16)}` +
        `${`${kilo(d.storeMsgps)}, ${range(d.storeMBps)} MB/s`.padEnd(26)}${`${range(d.pct)} %`.padEnd(12)}${dRef.padEnd(26)}${dRefPct}`,
    );
  }
}

/** RocketMQ's store for the same seconds, printed under Apogee's 256-appender ASYNC_FLUSH row. */
async function referenceRow(bodyBytes: number, ours: AppendRun, raw: Rate): Promise<ReferenceRun | undefined> {
  if (referenceSkipped !== undefined) return undefined;
  const ref = await runReference('pagecache', bodyBytes, CASE_MS / 1000);
  const name = `${REFERENCE_NAME}, ${REFERENCE_THREADS} put threads`;
  console.log(
    `${name.padEnd(62)} ${ref.msgsPerSec.toFixed(0).padStart(10)} msg/s ${ref.mbPerSec.toFixed(1).padStart(9)} MB/s ${`${((ref.mbPerSec / raw.mbPerSec) * 100).toFixed(0)} %`.padStart(5)}`,
  );
  console.log(
    `${''.padEnd(4)}cpu ${ref.cpuUsPerMsg.toFixed(2)} us/msg (every JVM thread); Apogee's store above: ${(ours.msgsPerSec / ref.msgsPerSec).toFixed(2)}x its msg/s, ` +
      `${(ref.cpuUsPerMsg / ours.cpuUsPerMsg).toFixed(2)}x less CPU per message`,
  );
  return ref;
}

let referenceSkipped: string | undefined;

async function main(): Promise<void> {
  console.log(
    `command: APOGEE_BENCH_SECONDS=${CASE_MS / 1000} APOGEE_STORE_BACKLOG_MIB=${BACKLOG_BYTES / MiB} APOGEE_STORE_BODIES=${BODY_SIZES.join(',')}` +
      ` APOGEE_STORE_DURABLE_MIB=${DURABLE_BYTES / MiB} APOGEE_STORE_DURABLE_ROUNDS=${DURABLE_ROUNDS} APOGEE_STORE_DURABLE_PAGES=${DURABLE_PAGES.join(',')}` +
      `${process.env.APOGEE_STORE_REFERENCE === '0' ? ' APOGEE_STORE_REFERENCE=0' : ''} pnpm -C bench run store`,
  );
  console.log(`node ${process.version}, ${os.cpus().length} cpus (${os.cpus()[0]?.model ?? '?'}), dir ${os.tmpdir()}, ${(CASE_MS / 1000).toFixed(1)} s per case`);
  console.log(`load at start: ${loadavg()}`);
  console.log('MB/s counts whole records (headers + body), in MiB. Append rows: % of the raw run of the same bytes in the same write sizes');
  console.log('(printed under each case), then % of the 1 MiB raw line of the body size. Catch-up rows: % of the raw read.');
  referenceSkipped = await referenceUnavailable();
  console.log(referenceSkipped ?? `reference: ${REFERENCE_NAME} (Maven jars, JVM ${JAVA_HEAP_NOTE}), same messages, ${REFERENCE_THREADS} put threads (RocketMQ's sendMessageThreadPoolNums default), warmed up by ${REFERENCE_WARMUP_MESSAGES} puts into a throwaway store`);
  const pageCache = new Map<number, PageCacheAsync>();
  for (const bodyBytes of BODY_SIZES) {
    const size = recordBytes(bodyBytes);
    console.log(`\n-- ${bodyBytes} B bodies (${size}-byte records)`);
    const raw = await rawWriteCase(size, false);
    row(`raw sequential write, 1 MiB writes for ${(CASE_MS / 1000).toFixed(1)} s, no fsync`, raw, raw);
    const asyncRuns: AppendRun[] = [];
    for (const appenders of [1, 256]) {
      const r = await appendCase(bodyBytes, 'ASYNC_FLUSH', appenders);
      asyncRuns.push(r);
      const sameBytes = await rawSameBytesCase(r, size, false);
      appendRows(`ASYNC_FLUSH, ${appenders} appender(s)`, r, sameBytes, raw, false);
      if (appenders === 256) pageCache.set(bodyBytes, { run: r, sameBytes, raw1MiB: raw, reference: await referenceRow(bodyBytes, r, raw) });
    }
    const rawSync = await rawWriteCase(size, true);
    row('raw sequential write, 1 MiB writes, fdatasync after each', rawSync, raw);
    for (const appenders of [1, 16, 256]) {
      const r = await appendCase(bodyBytes, 'SYNC_FLUSH', appenders);
      const vsAsync = ` (vs ASYNC 256: ${((r.mbPerSec / asyncRuns[1]!.mbPerSec) * 100).toFixed(0)} %)`;
      appendRows(`SYNC_FLUSH, ${appenders} appender(s)`, r, await rawSameBytesCase(r, size, true), raw, true, vsAsync);
    }
  }
  if (DURABLE_BYTES > 0 && BODY_SIZES.length > 0 && DURABLE_PAGES.length > 0) {
    const durable = await durableSection({
      bodySizes: BODY_SIZES,
      bytes: DURABLE_BYTES,
      rounds: DURABLE_ROUNDS,
      states: DURABLE_PAGES,
      appenders: 256,
      segmentBytes: SEGMENT_BYTES,
      reference: referenceSkipped === undefined,
    });
    sideBySide(pageCache, durable);
  }
  if (BACKLOG_BYTES > 0) {
    console.log(`\n-- catch-up read of a ${(BACKLOG_BYTES / MiB).toFixed(0)} MiB backlog (4 KiB bodies, one queue, page cache)`);
    await backlogCase();
  }
  console.log(`\nload at end: ${loadavg()}`);
}

await main();
