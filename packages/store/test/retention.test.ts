import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@apogee/common';
import { GetMessageStatus, PutMessageStatus, RunningFlag, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';
import { fillFile, mountTmpfs } from './helpers/tmpfs.js';

const HOUR_MS = 3_600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function hourText(ms: number): string {
  return String(new Date(ms).getHours()).padStart(2, '0');
}

async function fill(store: MessageStore, topic: string, count: number, bodyBytes = 900): Promise<number[]> {
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = await store.putMessage(makeMessage(topic, 0, Buffer.alloc(bodyBytes), { uniqKey: `u${i}` }));
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
    offsets.push(r.result!.wroteOffset);
  }
  await store.waitForDispatch();
  return offsets;
}

describe('retention', () => {
  it('deletes segments older than fileReservedTime at deleteWhen, then ConsumeQueue and index files below the new min', async () => {
    const start = Date.now();
    const later = start + 72 * HOUR_MS + 60_000;
    const clock = new ManualClock(start);
    const dir = tempDir();
    const { store } = await openStore(dir, { deleteWhen: hourText(later), fileReservedTime: 72, maxIndexNum: 60 }, { clock });
    cleanups.push(() => store.shutdown());
    const topic = `ret-${randomId()}`;
    const offsets = await fill(store, topic, 300);
    const segmentsBefore = fs.readdirSync(path.join(dir, 'commitlog')).length;
    expect(segmentsBefore).toBeGreaterThanOrEqual(5);
    expect((await store.cleanOnce()).deletedSegments).toBe(0); // not old enough (and maybe not the hour)

    clock.advanceMs(later - start);
    const pass = await store.cleanOnce();
    expect(pass.deletedSegments).toBe(segmentsBefore - 1); // never the last segment
    expect(pass.deletedConsumeQueueFiles).toBeGreaterThan(0);
    expect(pass.deletedIndexFiles).toBeGreaterThan(0);
    const minPhy = store.getMinPhyOffset();
    expect(minPhy).toBe((segmentsBefore - 1) * 64 * 1024);
    const firstKept = offsets.findIndex((o) => o >= minPhy);
    expect(store.getMinOffsetInQueue(topic, 0)).toBe(firstKept);
    const tooSmall = await store.getMessage('g', topic, 0, 0, 32);
    expect([tooSmall!.status, tooSmall!.nextBeginOffset]).toEqual([GetMessageStatus.OFFSET_TOO_SMALL, firstKept]);
    const found = await store.getMessage('g', topic, 0, firstKept, 32);
    expect(found!.status).toBe(GetMessageStatus.FOUND);
    expect((await store.queryMessage(topic, 'u299', 4, 0, Number.MAX_SAFE_INTEGER)).phyOffsets).toEqual([offsets[299]]);
    expect((await store.queryMessage(topic, 'u0', 4, 0, Number.MAX_SAFE_INTEGER)).phyOffsets).toEqual([]);
  });

  it('keeps young segments outside deleteWhen; deletes them forcibly over diskSpaceCleanForciblyRatio and marks DISK_FULL over the warning ratio', { timeout: 60_000 }, async () => {
    const fsys = mountTmpfs(2 * 1024 * 1024);
    cleanups.push(fsys.unmount);
    const clock = new ManualClock(Date.now());
    const notNow = hourText(clock.nowMs() + 6 * HOUR_MS);
    const { store } = await openStore(path.join(fsys.dir, 'store'), { deleteWhen: notNow }, { clock });
    cleanups.push(() => store.shutdown());
    const topic = `force-${randomId()}`;
    await fill(store, topic, 600); // ~580 KB of commit log
    const young = await store.cleanOnce();
    expect(young.deletedSegments).toBe(0);
    const filler = fillFile(fsys.dir, 'filler', 1300 * 1024); // push use over 90 %
    const forced = await store.cleanOnce();
    expect(forced.diskUsedRatio).toBeGreaterThan(0.9);
    expect(forced.deletedSegments).toBeGreaterThan(0); // young, but the disk is nearly full
    expect(store.runningFlags.has(RunningFlag.DISK_FULL)).toBe(true);
    expect((await store.putMessage(makeMessage(topic, 0, 'x'))).status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    fs.rmSync(filler);
    await store.cleanOnce();
    expect(store.runningFlags.has(RunningFlag.DISK_FULL)).toBe(false);
    expect((await store.putMessage(makeMessage(topic, 0, 'y'))).status).toBe(PutMessageStatus.PUT_OK);
  });
});
