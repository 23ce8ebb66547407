import os from 'node:os';
import path from 'node:path';
import { GiB, InvalidArgumentError, KiB, MiB } from '@apogee/common';

// MessageStoreConfig: one schema row per key, RocketMQ's names and defaults (reference §23.2,
// MessageStoreConfig.java). Apogee-only keys end in their unit. Defaults live only here.

export type FlushDiskType = 'ASYNC_FLUSH' | 'SYNC_FLUSH';
export type BrokerRole = 'ASYNC_MASTER' | 'SYNC_MASTER' | 'SLAVE';

export interface MessageStoreConfig {
  storePathRootDir: string;
  mappedFileSizeCommitLog: number;
  mappedFileSizeConsumeQueue: number;
  flushDiskType: FlushDiskType;
  brokerRole: BrokerRole;
  flushIntervalCommitLog: number;
  flushCommitLogLeastPages: number;
  flushCommitLogThoroughInterval: number;
  flushIntervalConsumeQueue: number;
  flushConsumeQueueLeastPages: number;
  flushConsumeQueueThoroughInterval: number;
  syncFlushTimeout: number;
  fileReservedTime: number;
  deleteWhen: string;
  deleteFileBatchMax: number;
  diskMaxUsedSpaceRatio: number;
  diskSpaceCleanForciblyRatio: number;
  diskSpaceWarningLevelRatio: number;
  cleanFileForciblyEnable: boolean;
  cleanResourceInterval: number;
  destroyMapedFileIntervalForcibly: number;
  maxMessageSize: number;
  maxTransferBytesOnMessageInMemory: number;
  maxTransferCountOnMessageInMemory: number;
  maxTransferBytesOnMessageInDisk: number;
  maxTransferCountOnMessageInDisk: number;
  accessMessageInMemoryMaxRatio: number;
  maxFilterMessageSize: number;
  messageIndexEnable: boolean;
  messageIndexSafe: boolean;
  maxHashSlotNum: number;
  maxIndexNum: number;
  maxMsgsNumBatch: number;
  defaultQueryMaxNum: number;
  checkCRCOnRecover: boolean;
  osPageCacheBusyTimeOutMills: number;
  offsetCheckInSlave: boolean;
  /** Apogee: delay before the first retention run (RocketMQ hard-codes 60 s). */
  cleanResourceInitialDelayMs: number;
  /** Apogee: most bytes one commit-log writev carries; appends beyond it wait for the next write. */
  appendWriteBytesMax: number;
  /** Apogee: most commit-log bytes one dispatch round reads and parses (bounds event-loop slices). */
  dispatchReadBytesMax: number;
  /**
   * Apogee: getMessage reads records that are likely in the page cache (the in-memory share of
   * RAM from the end of the log, as RocketMQ's isInMem) synchronously, up to this many bytes per
   * call (a 256 KiB page-cache copy takes tens of microseconds; a thread-pool round trip costs
   * more than the copy). 0 reads everything asynchronously.
   */
  readSyncBytesMax: number;
}

type Row =
  | { key: keyof MessageStoreConfig; type: 'int'; default: number; unit: string; min: number; max?: number }
  | { key: keyof MessageStoreConfig; type: 'bool'; default: boolean }
  | { key: keyof MessageStoreConfig; type: 'string'; default: string }
  | { key: keyof MessageStoreConfig; type: 'enum'; default: string; values: readonly string[] };

const INT32_MAX = 2 ** 31 - 1;

/** Every key, with RocketMQ's default. Docs and loaders are derived from this table. */
export const MESSAGE_STORE_CONFIG_SCHEMA: readonly Row[] = [
  { key: 'storePathRootDir', type: 'string', default: path.join(os.homedir(), 'store') },
  { key: 'mappedFileSizeCommitLog', type: 'int', default: 1 * GiB, unit: 'bytes', min: 4 * KiB },
  { key: 'mappedFileSizeConsumeQueue', type: 'int', default: 300_000 * 20, unit: 'bytes', min: 20 },
  { key: 'flushDiskType', type: 'enum', default: 'ASYNC_FLUSH', values: ['ASYNC_FLUSH', 'SYNC_FLUSH'] },
  { key: 'brokerRole', type: 'enum', default: 'ASYNC_MASTER', values: ['ASYNC_MASTER', 'SYNC_MASTER', 'SLAVE'] },
  { key: 'flushIntervalCommitLog', type: 'int', default: 500, unit: 'ms', min: 1 },
  { key: 'flushCommitLogLeastPages', type: 'int', default: 4, unit: 'pages', min: 0 },
  { key: 'flushCommitLogThoroughInterval', type: 'int', default: 10_000, unit: 'ms', min: 0 },
  { key: 'flushIntervalConsumeQueue', type: 'int', default: 1000, unit: 'ms', min: 1 },
  { key: 'flushConsumeQueueLeastPages', type: 'int', default: 2, unit: 'pages', min: 0 },
  { key: 'flushConsumeQueueThoroughInterval', type: 'int', default: 60_000, unit: 'ms', min: 0 },
  { key: 'syncFlushTimeout', type: 'int', default: 5000, unit: 'ms', min: 1 },
  { key: 'fileReservedTime', type: 'int', default: 72, unit: 'hours', min: 0 },
  { key: 'deleteWhen', type: 'string', default: '04' },
  { key: 'deleteFileBatchMax', type: 'int', default: 10, unit: 'files', min: 1 },
  { key: 'diskMaxUsedSpaceRatio', type: 'int', default: 75, unit: '%', min: 10, max: 95 },
  { key: 'diskSpaceCleanForciblyRatio', type: 'int', default: 85, unit: '%', min: 30, max: 85 },
  { key: 'diskSpaceWarningLevelRatio', type: 'int', default: 90, unit: '%', min: 35, max: 90 },
  { key: 'cleanFileForciblyEnable', type: 'bool', default: true },
  { key: 'cleanResourceInterval', type: 'int', default: 10_000, unit: 'ms', min: 1 },
  { key: 'destroyMapedFileIntervalForcibly', type: 'int', default: 120_000, unit: 'ms', min: 0 },
  { key: 'maxMessageSize', type: 'int', default: 4 * MiB, unit: 'bytes', min: 1 * KiB },
  { key: 'maxTransferBytesOnMessageInMemory', type: 'int', default: 256 * KiB, unit: 'bytes', min: 1 },
  { key: 'maxTransferCountOnMessageInMemory', type: 'int', default: 32, unit: 'messages', min: 1 },
  { key: 'maxTransferBytesOnMessageInDisk', type: 'int', default: 64 * KiB, unit: 'bytes', min: 1 },
  { key: 'maxTransferCountOnMessageInDisk', type: 'int', default: 8, unit: 'messages', min: 1 },
  { key: 'accessMessageInMemoryMaxRatio', type: 'int', default: 40, unit: '%', min: 0, max: 100 },
  { key: 'maxFilterMessageSize', type: 'int', default: 16_000, unit: 'bytes', min: 20 },
  { key: 'messageIndexEnable', type: 'bool', default: true },
  { key: 'messageIndexSafe', type: 'bool', default: false },
  { key: 'maxHashSlotNum', type: 'int', default: 5_000_000, unit: 'slots', min: 1, max: INT32_MAX },
  { key: 'maxIndexNum', type: 'int', default: 20_000_000, unit: 'entries', min: 2, max: INT32_MAX },
  { key: 'maxMsgsNumBatch', type: 'int', default: 64, unit: 'messages', min: 1 },
  { key: 'defaultQueryMaxNum', type: 'int', default: 32, unit: 'messages', min: 1 },
  { key: 'checkCRCOnRecover', type: 'bool', default: true },
  { key: 'osPageCacheBusyTimeOutMills', type: 'int', default: 1000, unit: 'ms', min: 1 },
  { key: 'offsetCheckInSlave', type: 'bool', default: false },
  { key: 'cleanResourceInitialDelayMs', type: 'int', default: 60_000, unit: 'ms', min: 0 },
  { key: 'appendWriteBytesMax', type: 'int', default: 4 * MiB, unit: 'bytes', min: 4 * KiB },
  { key: 'dispatchReadBytesMax', type: 'int', default: 256 * KiB, unit: 'bytes', min: 4 * KiB },
  { key: 'readSyncBytesMax', type: 'int', default: 256 * KiB, unit: 'bytes', min: 0, max: 4 * MiB },
];

/** A ConsumeQueue file holds whole 20-byte units: RocketMQ rounds the configured size up. */
export function consumeQueueFileBytes(config: MessageStoreConfig): number {
  return Math.ceil(config.mappedFileSizeConsumeQueue / 20) * 20;
}

/**
 * Ceiling for one whole encoded record: RocketMQ's body limit plus 64 KiB of headers, and never
 * more than a segment minus the 8-byte BLANK header (records never straddle segment files).
 */
export function recordBytesMax(config: MessageStoreConfig): number {
  return Math.min(config.maxMessageSize + 64 * KiB, config.mappedFileSizeCommitLog - 8);
}

/**
 * Defaults overlaid with `overrides`, every value checked. An invalid value throws
 * InvalidArgumentError naming the key (configuration errors stop startup).
 */
export function createMessageStoreConfig(overrides: Partial<MessageStoreConfig> = {}): MessageStoreConfig {
  const out: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const row of MESSAGE_STORE_CONFIG_SCHEMA) {
    known.add(row.key);
    const given = (overrides as Record<string, unknown>)[row.key];
    const value = given === undefined ? row.default : given;
    checkRow(row, value);
    out[row.key] = value;
  }
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) throw new InvalidArgumentError(key, `unknown MessageStoreConfig key ${key}`);
  }
  const config = out as unknown as MessageStoreConfig;
  checkRelations(config);
  return Object.freeze(config);
}

/**
 * Small sizes so that roll-over, retention and index roll happen within a few hundred messages:
 * 64 KiB commit-log segments, 100-unit ConsumeQueue files, a small index, short intervals.
 */
export function messageStoreConfigForTest(
  storePathRootDir: string,
  overrides: Partial<MessageStoreConfig> = {},
): MessageStoreConfig {
  return createMessageStoreConfig({
    storePathRootDir,
    mappedFileSizeCommitLog: 64 * KiB,
    mappedFileSizeConsumeQueue: 100 * 20,
    maxMessageSize: 16 * KiB,
    maxHashSlotNum: 64,
    maxIndexNum: 400,
    flushIntervalCommitLog: 50,
    flushIntervalConsumeQueue: 50,
    syncFlushTimeout: 5000,
    cleanResourceInterval: 60 * 60_000,
    cleanResourceInitialDelayMs: 60 * 60_000,
    appendWriteBytesMax: 16 * KiB,
    dispatchReadBytesMax: 8 * KiB,
    ...overrides,
  });
}

function checkRow(row: Row, value: unknown): void {
  const bad = (why: string): never => {
    throw new InvalidArgumentError(row.key, `MessageStoreConfig.${row.key}: ${why} (got ${String(value)})`);
  };
  switch (row.type) {
    case 'int':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) bad('must be an integer');
      if ((value as number) < row.min) bad(`must be >= ${row.min} ${row.unit}`);
      if (row.max !== undefined && (value as number) > row.max) bad(`must be <= ${row.max} ${row.unit}`);
      return;
    case 'bool':
      if (typeof value !== 'boolean') bad('must be true or false');
      return;
    case 'string':
      if (typeof value !== 'string' || value.length === 0) bad('must be a non-empty string');
      return;
    case 'enum':
      if (typeof value !== 'string' || !row.values.includes(value)) bad(`must be one of ${row.values.join(', ')}`);
      return;
  }
}

function checkRelations(c: MessageStoreConfig): void {
  if (c.maxMessageSize + 200 > c.mappedFileSizeCommitLog - 8) {
    throw new InvalidArgumentError(
      'maxMessageSize',
      `a ${c.maxMessageSize}-byte body cannot fit in a ${c.mappedFileSizeCommitLog}-byte commit-log segment`,
    );
  }
  if (!parseDeleteWhen(c.deleteWhen).ok) {
    throw new InvalidArgumentError('deleteWhen', `deleteWhen must be hours 00-23 separated by ';' (got ${c.deleteWhen})`);
  }
}

/** `deleteWhen` is a `;`-separated list of local hours, e.g. "04" or "01;13". */
export function parseDeleteWhen(text: string): { ok: true; hours: ReadonlySet<number> } | { ok: false } {
  const hours = new Set<number>();
  for (const part of text.split(';')) {
    const t = part.trim();
    if (!/^[0-9]{1,2}$/.test(t)) return { ok: false };
    const h = Number(t);
    if (h > 23) return { ok: false };
    hours.add(h);
  }
  return { ok: true, hours };
}
