import fs from 'node:fs';
import path from 'node:path';
import { decodeMessageRecord, readInt64BE, tagsHashCode } from '@apogee/common';
import type { MessageStore } from '../../src/index.js';

// An independent check of a store's files: it parses the commit-log segments and ConsumeQueue
// files itself (not through the store's code) and compares them with each other and with what
// the running store answers.

export interface StoredRecord {
  phy: number;
  size: number;
  topic: string;
  queueId: number;
  queueOffset: number;
  keys: string | undefined;
  uniqKey: string | undefined;
  tags: string | undefined;
}

/** Every record between the store's min and max commit-log offsets, read from the files. */
export function readCommitLogRecords(storeDir: string, minPhy: number, maxPhy: number, segmentBytes: number): StoredRecord[] {
  const out: StoredRecord[] = [];
  let pos = minPhy;
  let seg: Buffer | undefined;
  let segStart = -1;
  while (pos < maxPhy) {
    const start = pos - (pos % segmentBytes);
    if (start !== segStart) {
      seg = fs.readFileSync(path.join(storeDir, 'commitlog', String(start).padStart(20, '0')));
      segStart = start;
    }
    const r = decodeMessageRecord(seg!, pos - start, { readBody: true, checkCRC: true });
    if (r.kind === 'invalid') throw new Error(`invalid record at ${pos}: ${r.reason}`);
    if (r.kind === 'blank') {
      pos = start + segmentBytes;
      continue;
    }
    const m = r.message;
    if (m.commitLogOffset !== pos) throw new Error(`record at ${pos} says it is at ${m.commitLogOffset}`);
    out.push({
      phy: pos,
      size: r.size,
      topic: m.topic,
      queueId: m.queueId,
      queueOffset: m.queueOffset,
      keys: m.properties.get('KEYS'),
      uniqKey: m.properties.get('UNIQ_KEY'),
      tags: m.properties.get('TAGS'),
    });
    pos += r.size;
  }
  if (pos !== maxPhy) throw new Error(`records end at ${pos}, store says ${maxPhy}`);
  return out;
}

export interface CqUnitOnDisk {
  phy: number;
  size: number;
  tagsCode: number;
}

/** Units of one ConsumeQueue, read from its files, from queue offset `minOffset` to `maxOffset`. */
export function readConsumeQueueUnits(storeDir: string, topic: string, queueId: number, minOffset: number, maxOffset: number, cqFileBytes: number): CqUnitOnDisk[] {
  const units: CqUnitOnDisk[] = [];
  for (let i = minOffset; i < maxOffset; i++) {
    const at = i * 20;
    const start = at - (at % cqFileBytes);
    const file = path.join(storeDir, 'consumequeue', topic, String(queueId), String(start).padStart(20, '0'));
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(20);
    fs.readSync(fd, buf, 0, 20, at - start);
    fs.closeSync(fd);
    units.push({ phy: readInt64BE(buf, 0), size: buf.readInt32BE(8), tagsCode: readInt64BE(buf, 12) });
  }
  return units;
}

/**
 * Commit log, ConsumeQueues and index agree: per queue, queue offsets of the records are
 * 0..n-1 with no repeat and no gap, the ConsumeQueue holds exactly those units, and every key is
 * found through the index. Returns the records for further checks.
 */
export async function verifyStoreConsistency(
  store: MessageStore,
  storeDir: string,
  opts: { checkIndex: boolean; cqFileBytes: number },
): Promise<StoredRecord[]> {
  await store.waitForDispatch();
  store.writeHeldLogics(); // units and index entries the store still holds in memory
  const records = readCommitLogRecords(storeDir, store.getMinPhyOffset(), store.getMaxPhyOffset(), store.config.mappedFileSizeCommitLog);
  const byQueue = new Map<string, StoredRecord[]>();
  for (const r of records) {
    const k = `${r.topic}\u0000${r.queueId}`;
    let list = byQueue.get(k);
    if (!list) byQueue.set(k, (list = []));
    list.push(r);
  }
  for (const list of byQueue.values()) {
    const { topic, queueId } = list[0]!;
    list.forEach((r, i) => {
      if (r.queueOffset !== list[0]!.queueOffset + i) {
        throw new Error(`${topic}/${queueId}: record at ${r.phy} has queue offset ${r.queueOffset}, expected ${list[0]!.queueOffset + i}`);
      }
    });
    const min = store.getMinOffsetInQueue(topic, queueId);
    const max = store.getMaxOffsetInQueue(topic, queueId);
    if (max !== list[list.length - 1]!.queueOffset + 1) throw new Error(`${topic}/${queueId}: max offset ${max}, commit log ends at ${list[list.length - 1]!.queueOffset + 1}`);
    const units = readConsumeQueueUnits(storeDir, topic, queueId, min, max, opts.cqFileBytes);
    const firstRecord = list.findIndex((r) => r.queueOffset === min);
    units.forEach((u, i) => {
      const r = list[firstRecord + i];
      if (!r || u.phy !== r.phy || u.size !== r.size || u.tagsCode !== (r.tags ? tagsHashCode(r.tags) : 0)) {
        throw new Error(`${topic}/${queueId}: unit ${min + i} ${JSON.stringify(u)} does not match record ${JSON.stringify(r)}`);
      }
    });
    if (opts.checkIndex) {
      for (const r of list) {
        if (!r.uniqKey) continue;
        const q = await store.queryMessage(topic, r.uniqKey, 32, 0, Number.MAX_SAFE_INTEGER);
        if (!q.phyOffsets.includes(r.phy)) throw new Error(`${topic}: key ${r.uniqKey} (record at ${r.phy}) not found through the index`);
      }
    }
  }
  return records;
}
