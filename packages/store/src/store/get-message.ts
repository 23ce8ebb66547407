import type { MessageStoreConfig } from '../config/message-store-config.js';
import type { CommitLog } from '../commitlog/commit-log.js';
import type { ConsumeQueueStore } from '../consumequeue/consume-queue-store.js';
import { CQ_UNIT_BYTES } from '../consumequeue/consume-queue.js';
import { readInt64BE } from '@apogee/common';
import type { MessageFilter } from './message-filter.js';
import { GetMessageStatus } from './statuses.js';

// getMessage (reference §14.1): statuses, nextBeginOffset rules and batch limits as RocketMQ's
// DefaultMessageStore.getMessage. The scan over ConsumeQueue units decides what to return from
// sizes and tags alone; the chosen records are then read with one read per run of records that
// sit back to back in the commit log, and returned as views into those reads (the stored bytes
// are the pull-response format).

export interface GetMessageResult {
  status: GetMessageStatus;
  nextBeginOffset: number;
  minOffset: number;
  maxOffset: number;
  /** One raw record per message; the pull response body is their concatenation. */
  buffers: Buffer[];
  /** Queue offset of each returned message. */
  queueOffsets: number[];
  messageCount: number;
  bufferTotalBytes: number;
  suggestPullingFromSlave: boolean;
}

export interface GetMessageContext {
  config: MessageStoreConfig;
  commitLog: CommitLog;
  consumeQueues: ConsumeQueueStore;
  /** totalPhysicalMemory x accessMessageInMemoryMaxRatio / 100, in bytes. */
  memoryBytes: number;
}

export async function getMessage(
  ctx: GetMessageContext,
  topic: string,
  queueId: number,
  offset: number,
  maxMsgNums: number,
  maxTotalMsgSize: number,
  filter: MessageFilter | undefined,
): Promise<GetMessageResult> {
  const { config, commitLog } = ctx;
  const correct = (oldOffset: number, newOffset: number): number =>
    config.brokerRole !== 'SLAVE' || config.offsetCheckInSlave ? newOffset : oldOffset;
  const result = emptyResult(offset);
  const cq = ctx.consumeQueues.find(topic, queueId);
  if (!cq) {
    result.status = GetMessageStatus.NO_MATCHED_LOGIC_QUEUE;
    result.nextBeginOffset = correct(offset, 0);
    return result;
  }
  const minOffset = cq.minOffsetInQueue;
  const maxOffset = cq.maxOffsetInQueue;
  result.minOffset = minOffset;
  result.maxOffset = maxOffset;
  if (maxOffset === 0) {
    result.status = GetMessageStatus.NO_MESSAGE_IN_QUEUE;
    result.nextBeginOffset = correct(offset, 0);
  } else if (offset < minOffset) {
    result.status = GetMessageStatus.OFFSET_TOO_SMALL;
    result.nextBeginOffset = correct(offset, minOffset);
  } else if (offset === maxOffset) {
    result.status = GetMessageStatus.OFFSET_OVERFLOW_ONE;
    result.nextBeginOffset = correct(offset, offset);
  } else if (offset > maxOffset) {
    result.status = GetMessageStatus.OFFSET_OVERFLOW_BADLY;
    result.nextBeginOffset = correct(offset, maxOffset);
  } else {
    const maxFilterBytes = Math.max(config.maxFilterMessageSize, maxMsgNums * CQ_UNIT_BYTES);
    const units = cq.readUnits(offset, Math.ceil(maxFilterBytes / CQ_UNIT_BYTES));
    if (!units) {
      result.status = GetMessageStatus.OFFSET_FOUND_NULL;
      result.nextBeginOffset = correct(offset, cq.rollNextFile(offset));
    } else {
      await scanUnits(ctx, result, units, offset, maxMsgNums, maxTotalMsgSize, filter);
    }
  }
  return result;
}

interface Pick {
  queueOffset: number;
  phy: number;
  size: number;
  isInMem: boolean;
}

async function scanUnits(
  ctx: GetMessageContext,
  result: GetMessageResult,
  units: Buffer,
  offset: number,
  maxMsgNums: number,
  maxTotalMsgSize: number,
  filter: MessageFilter | undefined,
): Promise<void> {
  const { config, commitLog } = ctx;
  const commitLogMax = commitLog.maxOffset;
  const commitLogMin = commitLog.minOffset;
  let status: GetMessageStatus = GetMessageStatus.NO_MATCHED_MESSAGE;
  let nextPhyFileStart = -1;
  let maxPhyPulling = 0;
  let count = 0;
  let bytes = 0;
  const picks: Pick[] = [];
  let i = 0;
  for (; i * CQ_UNIT_BYTES < units.length; i++) {
    const at = i * CQ_UNIT_BYTES;
    const phy = readInt64BE(units, at);
    const size = units.readInt32BE(at + 8);
    const tagsCode = readInt64BE(units, at + 12);
    maxPhyPulling = phy;
    if (nextPhyFileStart >= 0 && phy < nextPhyFileStart) continue;
    const isInMem = commitLogMax - phy <= ctx.memoryBytes;
    if (isBatchFull(config, size, maxMsgNums, maxTotalMsgSize, bytes, count, isInMem)) break;
    if (filter && !filter.isMatchedByConsumeQueue(tagsCode)) {
      if (count === 0) status = GetMessageStatus.NO_MATCHED_MESSAGE;
      continue;
    }
    if (!(phy >= commitLogMin && phy + size <= commitLogMax) || size <= 0) {
      // Removed by retention (or a blank pad unit): go on from the next commit-log file.
      if (count === 0) status = GetMessageStatus.MESSAGE_WAS_REMOVING;
      nextPhyFileStart = commitLog.rollNextFile(Math.max(phy, 0));
      continue;
    }
    picks.push({ queueOffset: offset + i, phy, size, isInMem });
    count++;
    bytes += size;
    status = GetMessageStatus.FOUND;
    nextPhyFileStart = -1;
  }
  result.nextBeginOffset = offset + i;
  if (picks.length > 0) {
    const buffers = await readRuns(commitLog, picks, config.readSyncBytesMax);
    for (let k = 0; k < picks.length; k++) {
      const buf = buffers[k];
      if (!buf || (filter?.isMatchedByCommitLog && !filter.isMatchedByCommitLog(buf))) continue;
      result.buffers.push(buf);
      result.queueOffsets.push(picks[k]!.queueOffset);
      result.bufferTotalBytes += buf.length;
    }
    result.messageCount = result.buffers.length;
    if (result.messageCount === 0) status = filter?.isMatchedByCommitLog ? GetMessageStatus.NO_MATCHED_MESSAGE : GetMessageStatus.MESSAGE_WAS_REMOVING;
  }
  result.status = status;
  result.suggestPullingFromSlave = commitLogMax - maxPhyPulling > ctx.memoryBytes;
}

/** RocketMQ's isTheBatchFull, checked before taking one more message of `size` bytes. */
function isBatchFull(
  c: MessageStoreConfig,
  size: number,
  maxMsgNums: number,
  maxTotalMsgSize: number,
  bytes: number,
  count: number,
  isInMem: boolean,
): boolean {
  if (bytes === 0 || count === 0) return false;
  if (count + 1 > maxMsgNums) return true;
  if (bytes + size > maxTotalMsgSize) return true;
  if (isInMem) {
    return bytes + size > c.maxTransferBytesOnMessageInMemory || count > c.maxTransferCountOnMessageInMemory - 1;
  }
  return bytes + size > c.maxTransferBytesOnMessageInDisk || count > c.maxTransferCountOnMessageInDisk - 1;
}

/**
 * Reads the picked records, one read per run of records that are back to back in one segment.
 * Runs likely in the page cache are read synchronously while `syncBudget` bytes last (see
 * readSyncBytesMax), the rest asynchronously and in parallel. A record whose bytes are gone
 * (retention raced the read) or whose TOTALSIZE does not match its unit comes back undefined.
 */
async function readRuns(commitLog: CommitLog, picks: readonly Pick[], syncBudget: number): Promise<(Buffer | undefined)[]> {
  const out: (Buffer | undefined)[] = new Array<Buffer | undefined>(picks.length);
  const reads: Promise<void>[] = [];
  let budget = syncBudget;
  let start = 0;
  while (start < picks.length) {
    let end = start + 1;
    const segEnd = commitLog.rollNextFile(picks[start]!.phy);
    while (end < picks.length && picks[end]!.phy === picks[end - 1]!.phy + picks[end - 1]!.size && picks[end]!.phy < segEnd) end++;
    const from = start;
    const to = end;
    const runPhy = picks[from]!.phy;
    const runBytes = picks[to - 1]!.phy + picks[to - 1]!.size - runPhy;
    const slice = (buf: Buffer | undefined): void => {
      for (let k = from; k < to; k++) {
        const p = picks[k]!;
        const rec = buf?.subarray(p.phy - runPhy, p.phy - runPhy + p.size);
        out[k] = rec && rec.length === p.size && rec.readInt32BE(0) === p.size ? rec : undefined;
      }
    };
    if (picks[from]!.isInMem && runBytes <= budget) {
      budget -= runBytes;
      slice(commitLog.readSync(runPhy, runBytes));
    } else {
      reads.push(commitLog.read(runPhy, runBytes).then(slice));
    }
    start = end;
  }
  await Promise.all(reads);
  return out;
}

function emptyResult(offset: number): GetMessageResult {
  return {
    status: GetMessageStatus.NO_MESSAGE_IN_QUEUE,
    nextBeginOffset: offset,
    minOffset: 0,
    maxOffset: 0,
    buffers: [],
    queueOffsets: [],
    messageCount: 0,
    bufferTotalBytes: 0,
    suggestPullingFromSlave: false,
  };
}
