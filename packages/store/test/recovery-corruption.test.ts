import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GetMessageStatus, PutMessageStatus, StoreLoadError, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';
import { readCommitLogRecords, verifyStoreConsistency } from './helpers/verify-store.js';

// Damaged files at start: each case is recovered as RocketMQ would (cut the commit log at the
// first record that fails its checks) or better (rebuild derived data from the commit log), and
// logs a line saying what was dropped.

const CQ_FILE_BYTES = 100 * 20; // messageStoreConfigForTest
const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

async function fillStore(count: number, topic: string, opts: { bodyBytes?: number; queues?: number } = {}) {
  const dir = tempDir();
  const { store } = await openStore(dir);
  for (let i = 0; i < count; i++) {
    const q = i % (opts.queues ?? 2);
    const r = await store.putMessage(makeMessage(topic, q, Buffer.alloc(opts.bodyBytes ?? 200, i & 0xff), { uniqKey: `${topic}-u${i}`, keys: `key${i}`, tags: `tag${i % 3}` }));
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
  }
  await store.waitForDispatch();
  const before = readCommitLogRecords(dir, store.getMinPhyOffset(), store.getMaxPhyOffset(), store.config.mappedFileSizeCommitLog);
  await store.shutdown();
  return { dir, before };
}

function segmentPath(dir: string, offset: number, segmentBytes = 64 * 1024): string {
  return path.join(dir, 'commitlog', String(offset - (offset % segmentBytes)).padStart(20, '0'));
}

function patchFile(file: string, position: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, bytes, 0, bytes.length, position);
  fs.closeSync(fd);
}

describe('recovery from damaged files', () => {
  it('a torn write at the tail: the half-written last record is cut, queues and index follow', async () => {
    const topic = `torn-${randomId()}`;
    const { dir, before } = await fillStore(60, topic);
    const last = before[before.length - 1]!;
    // Zero the second half of the last record, as a write cut short by a power loss leaves it.
    patchFile(segmentPath(dir, last.phy), (last.phy % (64 * 1024)) + Math.floor(last.size / 2), Buffer.alloc(last.size - Math.floor(last.size / 2)));
    fs.writeFileSync(path.join(dir, 'abort'), '1'); // the crash that tore it
    const { store, log } = await openStore(dir);
    stores.push(store);
    const line = log.find(/commit log recovery: truncated at offset/);
    expect(line?.msg).toContain(`truncated at offset ${last.phy}`);
    expect(line?.obj).toMatchObject({ offset: last.phy, droppedSegments: 0 });
    expect((line?.obj as { droppedBytes: number }).droppedBytes).toBeGreaterThan(0);
    expect(log.find(/consume queues: dropped 1 units/)).toBeDefined();
    expect(store.getMaxPhyOffset()).toBe(last.phy);
    expect(store.getMaxOffsetInQueue(topic, last.queueId)).toBe(last.queueOffset);
    expect((await store.queryMessage(topic, last.uniqKey!, 32, 0, Number.MAX_SAFE_INTEGER)).phyOffsets).toEqual([]);
    // The next append takes the lost record's place and queue offset.
    const r = await store.putMessage(makeMessage(topic, last.queueId, 'after', { uniqKey: `${topic}-after` }));
    expect(r.result).toMatchObject({ wroteOffset: last.phy, queueOffset: last.queueOffset });
    await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
  });

  it('a flipped byte in the middle of the last segment: everything from that record on is dropped', async () => {
    const topic = `flip-${randomId()}`;
    const { dir, before } = await fillStore(120, topic, { bodyBytes: 900 });
    const lastSegStart = before[before.length - 1]!.phy - (before[before.length - 1]!.phy % (64 * 1024));
    const inLast = before.filter((r) => r.phy >= lastSegStart);
    expect(inLast.length).toBeGreaterThan(10);
    const victim = inLast[Math.floor(inLast.length / 2)]!;
    const bodyPos = (victim.phy % (64 * 1024)) + 100; // inside the body
    const file = segmentPath(dir, victim.phy);
    const b = fs.readFileSync(file).subarray(bodyPos, bodyPos + 1);
    patchFile(file, bodyPos, Buffer.from([b[0]! ^ 0x40]));
    const { store, log } = await openStore(dir); // a clean shutdown before: the scan still checks CRCs
    stores.push(store);
    const line = log.find(/commit log recovery: truncated at offset/);
    expect(line?.msg).toContain(`truncated at offset ${victim.phy}`);
    expect(line?.msg).toMatch(/body CRC/);
    const dropped = before.filter((r) => r.phy >= victim.phy);
    expect(log.find(new RegExp(`consume queues: dropped ${dropped.length} units`))).toBeDefined();
    expect(store.getMaxPhyOffset()).toBe(victim.phy);
    for (const q of [0, 1]) {
      const kept = before.filter((r) => r.queueId === q && r.phy < victim.phy);
      expect(store.getMaxOffsetInQueue(topic, q)).toBe(kept.length);
    }
    const records = await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
    expect(records.length).toBe(before.length - dropped.length);
  });

  it('a truncated ConsumeQueue file: the queue is repaired and rebuilt from the commit log', async () => {
    const topic = `cqcut-${randomId()}`;
    const { dir, before } = await fillStore(150, topic, { queues: 1 });
    const cqFile = path.join(dir, 'consumequeue', topic, '0', String(CQ_FILE_BYTES).padStart(20, '0'));
    expect(fs.statSync(cqFile).size).toBe(CQ_FILE_BYTES);
    fs.truncateSync(cqFile, 7 * 20 + 5); // 7 whole units and a torn one
    const { store, log } = await openStore(dir);
    stores.push(store);
    const line = log.find(/consume queue .*: kept \d+ units, dropped what followed; rebuilding/);
    expect(line?.msg).toContain(`consume queue ${topic}/0: kept 107 units`);
    expect(JSON.stringify(line?.obj)).toContain('was 145 bytes, expected 2000: resized');
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(150);
    const got = await store.getMessage('g', topic, 0, 140, 32);
    expect(got?.status).toBe(GetMessageStatus.FOUND);
    expect(got?.messageCount).toBe(10);
    const records = await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
    expect(records.length).toBe(before.length);
  });

  it('a missing index file: the index is rebuilt from the commit log', async () => {
    const topic = `noidx-${randomId()}`;
    const { dir, before } = await fillStore(80, topic);
    const indexDir = path.join(dir, 'index');
    const files = fs.readdirSync(indexDir).sort();
    expect(files.length).toBeGreaterThan(0);
    fs.rmSync(path.join(indexDir, files[files.length - 1]!));
    const { store, log } = await openStore(dir);
    stores.push(store);
    const line = log.find(/index file \d{17} is missing: rebuilding the index from commit-log offset/);
    expect(line?.msg).toContain(files[files.length - 1]!);
    for (const r of before) {
      const q = await store.queryMessage(topic, r.uniqKey!, 4, 0, Number.MAX_SAFE_INTEGER);
      expect(q.phyOffsets).toEqual([r.phy]);
    }
    await verifyStoreConsistency(store, dir, { checkIndex: true, cqFileBytes: CQ_FILE_BYTES });
  });

  it('a commit-log segment of the wrong size refuses the start, as RocketMQ does', async () => {
    const topic = `badseg-${randomId()}`;
    const { dir } = await fillStore(10, topic);
    fs.truncateSync(segmentPath(dir, 0), 1000);
    await expect(openStore(dir)).rejects.toBeInstanceOf(StoreLoadError);
  });

  it('a missing commit-log segment in the middle refuses the start', async () => {
    const topic = `gap-${randomId()}`;
    const { dir, before } = await fillStore(250, topic, { bodyBytes: 900 });
    expect(before[before.length - 1]!.phy).toBeGreaterThan(2 * 64 * 1024);
    fs.rmSync(segmentPath(dir, 64 * 1024));
    await expect(openStore(dir)).rejects.toThrow(/a file is missing before it/);
  });
});
