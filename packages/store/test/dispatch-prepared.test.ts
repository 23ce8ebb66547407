import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MessageConst, MessageSysFlag, propertiesToString } from '@apogee/common';
import { PutMessageStatus, type DispatchRequest, type MessageInner, type MessageStore } from '../src/index.js';
import { DispatchRequestReader, type EncodedRecord } from '../src/dispatch/dispatch-request.js';
import { PreparedDispatches } from '../src/dispatch/prepared-dispatches.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';

// Local puts hand dispatch a request built at encode time; replicated raw bytes (and recovery)
// are parsed. Both must give the same requests, ConsumeQueues and index files.

const stores: MessageStore[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

/** Every file under `dir`, relative path -> bytes. */
function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p), fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return out;
}

/** Index files' contents in name order (names are local creation times, so they differ between stores). */
function indexContents(root: string): Buffer[] {
  const dir = path.join(root, 'index');
  return fs
    .readdirSync(dir)
    .sort()
    .map((n) => fs.readFileSync(path.join(dir, n)));
}

function recordingDispatcher(into: DispatchRequest[]) {
  return { name: 'record', dispatch: (req: DispatchRequest) => void into.push({ ...req }) };
}

/** Messages that exercise every field dispatch takes: tags (ASCII and not), keys, transactions, hosts. */
function variedMessages(topics: string[]): MessageInner[] {
  const out: MessageInner[] = [];
  for (let i = 0; i < 420; i++) {
    const topic = topics[i % topics.length]!;
    const tags = i % 5 === 0 ? undefined : i % 5 === 1 ? `tag-${i % 4}` : i % 5 === 2 ? `标签${i % 3}` : `t${i % 7}`;
    const keys = i % 3 === 0 ? undefined : `k${i} order-${i % 13} 键${i % 5}`;
    const msg = makeMessage(topic, i % 3, Buffer.alloc(100 + (i % 17) * 61, i), { tags, keys, uniqKey: i % 4 === 3 ? undefined : `U${randomId()}${i}` });
    if (i % 11 === 0) msg.sysFlag = MessageSysFlag.TRANSACTION_PREPARED_TYPE;
    if (i % 11 === 1) msg.sysFlag = MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    if (i % 11 === 2) msg.sysFlag = MessageSysFlag.TRANSACTION_ROLLBACK_TYPE;
    if (i % 11 === 3) msg.preparedTransactionOffset = 1000 + i;
    if (i % 9 === 0) msg.bornHost = { host: '::1', port: 40000 };
    if (i % 8 === 0) {
      // A later pair wins, as in the byte scan; a duplicate name can only come from a given string.
      msg.propertiesString = `${propertiesToString(msg.properties)}${MessageConst.PROPERTY_TAGS}\u0001late-${i}\u0002`;
    }
    out.push(msg);
  }
  return out;
}

describe('prepared dispatch requests', () => {
  it('local puts and the same bytes appended raw give the same requests, ConsumeQueues and index files', async () => {
    const masterDir = tempDir();
    const { store: master } = await openStore(masterDir);
    stores.push(master);
    const slaveDir = tempDir();
    const { store: slave } = await openStore(slaveDir, { brokerRole: 'SLAVE' });
    stores.push(slave);
    const topics = [`pa-${randomId()}`, `pb-${randomId()}`, `%RETRY%g-${randomId()}`];
    // The hook sees what the reader gives it, either way.
    const hook = (topic: string, properties: string, storeTimestamp: number, tagsCode: number) =>
      topic === topics[1] && properties.includes('tag-1') ? storeTimestamp : tagsCode;
    master.setTagsCodeHook(hook);
    slave.setTagsCodeHook(hook);
    const fromPuts: DispatchRequest[] = [];
    const fromRaw: DispatchRequest[] = [];
    master.addDispatcher(recordingDispatcher(fromPuts));
    slave.addDispatcher(recordingDispatcher(fromRaw));

    const parses = vi.spyOn(DispatchRequestReader.prototype, 'request');
    const msgs = variedMessages(topics);
    for (let i = 0; i < msgs.length; i += 20) {
      // Concurrent puts (records share writes) and one batch per round.
      const rs = await Promise.all(msgs.slice(i, i + 18).map((m) => master.putMessage(m)));
      const batch = [0, 1, 2].map((k) => makeMessage(topics[0]!, 1, Buffer.alloc(50 + k), { tags: 'batch', keys: `b${i}-${k}` }));
      rs.push(await master.putMessages(batch));
      for (const r of rs) expect(r.status).toBe(PutMessageStatus.PUT_OK);
    }
    await master.waitForDispatch();
    // Every local record came with its request: dispatch parsed none.
    expect(parses).not.toHaveBeenCalled();
    expect(master.getMaxPhyOffset()).toBeGreaterThan(3 * 64 * 1024); // several segments, BLANK ends

    let offset = 0;
    while (offset < master.getMaxPhyOffset()) {
      const data = await master.getCommitLogData(offset, 7000);
      expect(await slave.appendToCommitLog(offset, data!.data)).toEqual({ ok: true });
      offset += data!.data.length;
    }
    await slave.waitForDispatch();
    expect(parses).toHaveBeenCalledTimes(fromRaw.length);

    expect(fromRaw.length).toBe(fromPuts.length);
    expect(fromRaw).toEqual(fromPuts);
    expect([...slave.getQueueOffsetTable()].sort()).toEqual([...master.getQueueOffsetTable()].sort());
    for (const topic of topics) {
      for (const key of ['k4', 'order-5', '键2', 'b40-1']) {
        const a = await master.queryMessage(topic, key, 64, 0, Date.now() + 1000);
        const b = await slave.queryMessage(topic, key, 64, 0, Date.now() + 1000);
        expect(b.phyOffsets).toEqual(a.phyOffsets);
      }
    }

    await master.shutdown();
    await slave.shutdown();
    const cqA = filesUnder(path.join(masterDir, 'consumequeue'));
    const cqB = filesUnder(path.join(slaveDir, 'consumequeue'));
    expect([...cqB.keys()].sort()).toEqual([...cqA.keys()].sort());
    for (const [name, bytes] of cqA) expect(cqB.get(name)!.equals(bytes), name).toBe(true);
    const ixA = indexContents(masterDir);
    const ixB = indexContents(slaveDir);
    expect(ixA.length).toBeGreaterThan(1);
    expect(ixB.length).toBe(ixA.length);
    ixA.forEach((bytes, i) => expect(ixB[i]!.equals(bytes), `index file ${i}`).toBe(true));
  });

  it('text that does not decode back unchanged (a lone surrogate) is left to the parse', async () => {
    const { store } = await openStore(tempDir());
    stores.push(store);
    const seen: DispatchRequest[] = [];
    store.addDispatcher(recordingDispatcher(seen));
    const parses = vi.spyOn(DispatchRequestReader.prototype, 'request');
    const topic = `ls-${randomId()}`;
    expect((await store.putMessage(makeMessage(topic, 0, 'a', { keys: 'ok' }))).status).toBe(PutMessageStatus.PUT_OK);
    expect((await store.putMessage(makeMessage(topic, 0, 'b', { keys: 'bad\ud800' }))).status).toBe(PutMessageStatus.PUT_OK);
    await store.waitForDispatch();
    expect(parses).toHaveBeenCalledTimes(1);
    expect(seen.map((r) => r.keys)).toEqual(['ok', 'bad\ufffd']);
  });

  it('a failed append drops the requests from its offset; stale and missing ones are skipped by offset', () => {
    const prepared = new PreparedDispatches();
    const req = (physicalOffset: number, recordBytes: number): EncodedRecord => ({
      topic: 't',
      queueId: 0,
      physicalOffset,
      recordBytes,
      storeTimestamp: 1,
      queueOffset: 0,
      recordSysFlag: 0,
      preparedTransactionOffset: 0,
      properties: '',
    });
    prepared.push(req(0, 10));
    prepared.push(req(10, 10));
    prepared.push(req(20, 10));
    prepared.push(req(40, 10));
    prepared.dropFrom(20);
    expect(prepared.size).toBe(2);
    expect(prepared.take(0, 5)).toBeUndefined(); // not wholly in the bytes at hand
    expect(prepared.take(0, 10)?.physicalOffset).toBe(0);
    expect(prepared.take(0, 10)).toBeUndefined(); // handed out once
    expect(prepared.take(15, 100)).toBeUndefined(); // the one at 10 is passed and dropped
    expect(prepared.size).toBe(0);
  });
});
