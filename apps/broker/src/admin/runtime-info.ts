// GET_BROKER_RUNTIME_INFO (28): the KVTable mqadmin's clusterList and brokerStatus read. Key
// names are RocketMQ's (StoreStatsService.getRuntimeInfo, DefaultMessageStore.getRuntimeInfo,
// AdminBrokerProcessor.prepareRuntimeInfo); every value is a string, numbers in Java's text form.
// clusterList parses msgPut/GetTotal* and earliestMessageTimeStamp with Long.parseLong,
// putTps/getTransferredTps (first of three space-separated numbers) and commitLogDiskRatio with
// Double.parseDouble, so those are always present and numeric. 4.9 tools read the misspelt
// getTransferedTps: both spellings are sent. Apogee has no request thread pools: their queue
// sizes and waits are 0; capacities are RocketMQ's defaults.

import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { APOGEE_WIRE_VERSION } from '@apogee/remoting';
import { RECORD_SYSFLAG_POSITION, readInt64BE, recordStoreTimestampPosition } from '@apogee/common';
import type { AdminStore } from './admin-store.js';
import type { BrokerStats } from './broker-stats.js';

/** MQVersion names of the wire versions Apogee writes. */
const VERSION_DESCS: ReadonlyMap<number, string> = new Map([[479, 'V5_3_3']]);

/** RocketMQ's default queue capacities of the pools it reports (BrokerConfig). */
const THREAD_POOL_QUEUE_CAPACITIES: ReadonlyArray<readonly [string, number]> = [
  ['sendThreadPoolQueueCapacity', 10_000], ['pullThreadPoolQueueCapacity', 100_000], ['litePullThreadPoolQueueCapacity', 100_000],
  ['queryThreadPoolQueueCapacity', 20_000], ['ackThreadPoolQueueCapacity', 100_000], ['EndTransactionThreadPoolQueueCapacity', 100_000],
];

export interface RuntimeInfoSource {
  readonly store: AdminStore & { getFlushedPhyOffset?(): number };
  readonly stats: BrokerStats;
  readonly storePathRootDir: string;
  /** when the admin side started (ms), RocketMQ's messageStoreBootTimestamp */
  readonly bootTimestampMs: number;
  readonly nowMs: number;
  readonly isMaster: boolean;
  /** level → [delivered offset, queue max offset] of the delay levels, when the data path runs */
  readonly delayLevels?: ReadonlyMap<number, readonly [number, number]>;
}

export function versionDesc(version: number): string {
  return VERSION_DESCS.get(version) ?? String(version);
}

export async function buildRuntimeInfo(src: RuntimeInfoSource): Promise<Map<string, string>> {
  const info = new Map<string, string>();
  const put = (key: string, value: string | number | boolean): void => void info.set(key, String(value));
  const puts = src.stats.putTotals;
  const gets = src.stats.getTotals;
  put('brokerVersionDesc', versionDesc(APOGEE_WIRE_VERSION));
  put('brokerVersion', APOGEE_WIRE_VERSION);
  put('brokerActive', src.isMaster); // RocketMQ: true while the schedule and transaction-check services run (masters)
  put('bootTimestamp', src.bootTimestampMs);
  put('runtime', formatRuntime(src.nowMs - src.bootTimestampMs));
  put('msgPutTotalYesterdayMorning', puts.yesterdayMorning);
  put('msgPutTotalTodayMorning', puts.todayMorning);
  put('msgPutTotalTodayNow', puts.now);
  put('msgGetTotalYesterdayMorning', gets.yesterdayMorning);
  put('msgGetTotalTodayMorning', gets.todayMorning);
  put('msgGetTotalTodayNow', gets.now);
  put('putMessageTimesTotal', Math.max(1, puts.now));
  put('putTps', src.stats.putTps());
  put('getTransferredTps', src.stats.getTransferredTps());
  put('getTransferedTps', src.stats.getTransferredTps());
  const minPhy = src.store.getMinPhyOffset();
  const maxPhy = src.store.getMaxPhyOffset();
  put('commitLogMinOffset', minPhy);
  put('commitLogMaxOffset', maxPhy);
  put('dispatchBehindBytes', src.store.dispatchBehindBytes());
  put('pageCacheLockTimeMills', 0);
  put('earliestMessageTimeStamp', await earliestMessageTime(src.store, minPhy, maxPhy));
  put('startAcceptSendRequestTimeStamp', 0);
  put('remainHowManyDataToFlush', humanReadableByteCount(Math.max(0, maxPhy - (src.store.getFlushedPhyOffset?.() ?? maxPhy))));
  addDiskInfo(info, src.storePathRootDir);
  for (const key of ['timerReadBehind', 'timerOffsetBehind', 'timerCongestNum']) put(key, 0);
  for (const key of ['timerEnqueueTps', 'timerDequeueTps']) put(key, '0.0');
  for (const pool of ['send', 'pull', 'litePull', 'query', 'ack']) {
    put(`${pool}ThreadPoolQueueSize`, 0);
    put(`${pool}ThreadPoolQueueHeadWaitTimeMills`, 0);
  }
  put('EndTransactionQueueSize', 0);
  for (const [key, capacity] of THREAD_POOL_QUEUE_CAPACITIES) put(key, capacity);
  for (const [level, [delivered, max]] of src.delayLevels ?? []) put(`scheduleMessageOffset_${level}`, `${delivered},${max}`);
  return info;
}

/** Store time of the first record in the commit log (RocketMQ's getEarliestMessageTime), -1 when empty. */
async function earliestMessageTime(store: AdminStore, minPhy: number, maxPhy: number): Promise<number> {
  if (maxPhy <= minPhy) return -1;
  const record = await store.selectOneMessageByOffset(minPhy);
  if (record === undefined || record.length < RECORD_SYSFLAG_POSITION + 4) return -1;
  const at = recordStoreTimestampPosition(record.readInt32BE(RECORD_SYSFLAG_POSITION));
  if (record.length < at + 8) return -1;
  const storeMs = readInt64BE(record, at);
  return Number.isSafeInteger(storeMs) ? storeMs : -1;
}

/** commitLogDiskRatio (used / total of the partition, 0..1), as File.getTotalSpace/getFreeSpace give it. */
function addDiskInfo(info: Map<string, string>, root: string): void {
  const commitLogDir = join(root, 'commitlog');
  for (const [key, dir] of [['commitLogDiskRatio', commitLogDir], ['consumeQueueDiskRatio', join(root, 'consumequeue')]] as const) {
    const usage = diskUsage(dir) ?? diskUsage(root);
    info.set(key, String(usage === undefined ? -1 : usage.usedRatio));
    if (key === 'commitLogDiskRatio') info.set(`commitLogDiskRatio_${commitLogDir}`, info.get(key)!);
    if (key === 'commitLogDiskRatio' && usage !== undefined) {
      info.set('commitLogDirCapacity', `Total : ${humanReadableByteCount(usage.totalBytes)}, Free : ${humanReadableByteCount(usage.freeBytes)}.`);
    }
  }
}

function diskUsage(dir: string): { usedRatio: number; totalBytes: number; freeBytes: number } | undefined {
  try {
    const s = statfsSync(dir);
    const totalBytes = s.blocks * s.bsize;
    const freeBytes = s.bfree * s.bsize;
    return { usedRatio: totalBytes > 0 ? (totalBytes - freeBytes) / totalBytes : -1, totalBytes, freeBytes };
  } catch {
    return undefined;
  }
}

/** MixAll.humanReadableByteCount(bytes, false): "512 B", "1.5 KiB", "2.0 GiB". */
export function humanReadableByteCount(bytes: number): string {
  const unit = 1024;
  if (bytes < unit) return `${bytes} B`;
  const exp = Math.min(6, Math.floor(Math.log(bytes) / Math.log(unit)));
  return `${(bytes / unit ** exp).toFixed(1)} ${'KMGTPE'.charAt(exp - 1)}iB`;
}

/** StoreStatsService.getFormatRuntime: "[ 0 days, 1 hours, 2 minutes, 3 seconds ]". */
export function formatRuntime(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return `[ ${days} days, ${hours} hours, ${minutes} minutes, ${seconds % 60} seconds ]`;
}
