import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessageRecord, MessageSysFlag } from '@apogee/common';
import { GetMessageStatus, PutMessageStatus, tagMessageFilter, type MessageStore } from '../src/index.js';
import { makeMessage, openStore, randomId, tempDir } from './helpers/store-fixture.js';

const stores: MessageStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

async function started(overrides = {}) {
  const dir = tempDir();
  const { store, log } = await openStore(dir, overrides);
  stores.push(store);
  return { store, dir, log };
}

function keysOf(buffers: Buffer[]): string[] {
  return buffers.map((b) => {
    const r = decodeMessageRecord(b, 0);
    if (r.kind !== 'message') throw new Error(r.kind);
    return r.message.properties.get('UNIQ_KEY') ?? '';
  });
}

describe('getMessage statuses and next offsets (RocketMQ rules)', () => {
  it('answers NO_MATCHED_LOGIC_QUEUE, NO_MESSAGE_IN_QUEUE, OFFSET_OVERFLOW_ONE/BADLY, OFFSET_TOO_SMALL', async () => {
    const { store } = await started();
    const topic = `st-${randomId()}`;
    let r = await store.getMessage('g', topic, 0, 5, 32);
    expect([r!.status, r!.nextBeginOffset]).toEqual([GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, 0]);
    for (let i = 0; i < 5; i++) await store.putMessage(makeMessage(topic, 0, `m${i}`, { uniqKey: `u${i}` }));
    await store.waitForDispatch();
    r = await store.getMessage('g', topic, 0, 5, 32);
    expect([r!.status, r!.nextBeginOffset, r!.minOffset, r!.maxOffset]).toEqual([GetMessageStatus.OFFSET_OVERFLOW_ONE, 5, 0, 5]);
    r = await store.getMessage('g', topic, 0, 9, 32);
    expect([r!.status, r!.nextBeginOffset]).toEqual([GetMessageStatus.OFFSET_OVERFLOW_BADLY, 5]);
    r = await store.getMessage('g', topic, 0, 2, 2);
    expect([r!.status, r!.nextBeginOffset, r!.messageCount]).toEqual([GetMessageStatus.FOUND, 4, 2]);
    expect(keysOf(r!.buffers)).toEqual(['u2', 'u3']);
    expect(r!.queueOffsets).toEqual([2, 3]);
    expect(r!.bufferTotalBytes).toBe(r!.buffers[0]!.length + r!.buffers[1]!.length);
  });

  it('a slave does not correct nextBeginOffset unless offsetCheckInSlave', async () => {
    const { store } = await started({ brokerRole: 'SLAVE' });
    const topic = `slave-${randomId()}`;
    const r = await store.getMessage('g', topic, 0, 7, 32);
    expect([r!.status, r!.nextBeginOffset]).toEqual([GetMessageStatus.NO_MATCHED_LOGIC_QUEUE, 7]);
    const put = await store.putMessage(makeMessage(topic, 0, 'x'));
    expect(put.status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
  });

  it('filters by tag on the ConsumeQueue and moves nextBeginOffset past filtered units', async () => {
    const { store } = await started();
    const topic = `tag-${randomId()}`;
    for (let i = 0; i < 12; i++) await store.putMessage(makeMessage(topic, 3, `m${i}`, { tags: i % 3 === 0 ? 'A' : 'B', uniqKey: `u${i}` }));
    await store.waitForDispatch();
    const onlyA = await store.getMessage('g', topic, 3, 0, 32, undefined, tagMessageFilter('A'));
    expect(keysOf(onlyA!.buffers)).toEqual(['u0', 'u3', 'u6', 'u9']);
    expect(onlyA!.nextBeginOffset).toBe(12);
    const none = await store.getMessage('g', topic, 3, 0, 32, undefined, tagMessageFilter('C || D'));
    expect([none!.status, none!.nextBeginOffset, none!.messageCount]).toEqual([GetMessageStatus.NO_MATCHED_MESSAGE, 12, 0]);
    const both = await store.getMessage('g', topic, 3, 1, 3, undefined, tagMessageFilter('A || B'));
    expect(keysOf(both!.buffers)).toEqual(['u1', 'u2', 'u3']);
    const all = await store.getMessage('g', topic, 3, 0, 32, undefined, tagMessageFilter('*'));
    expect(all!.messageCount).toBe(12);
  });

  it('stops a batch at maxTransferCountOnMessageInMemory and maxTotalMsgSize', async () => {
    const { store } = await started({ maxTransferCountOnMessageInMemory: 4 });
    const topic = `lim-${randomId()}`;
    for (let i = 0; i < 10; i++) await store.putMessage(makeMessage(topic, 0, Buffer.alloc(1000)));
    await store.waitForDispatch();
    const r = await store.getMessage('g', topic, 0, 0, 32);
    expect([r!.messageCount, r!.nextBeginOffset]).toEqual([4, 4]);
    const bytes = await store.getMessage('g', topic, 0, 0, 32, 2500);
    expect(bytes!.messageCount).toBe(2);
    const one = await store.getMessage('g', topic, 0, 0, 32, 10); // the first message always fits
    expect(one!.messageCount).toBe(1);
  });

  it('suggests pulling from a slave when the data is farther behind than the in-memory share of RAM', async () => {
    const dir = tempDir();
    const { MessageStore, messageStoreConfigForTest } = await import('../src/index.js');
    const store = new MessageStore(messageStoreConfigForTest(dir), { physicalMemoryBytes: 10_000, logger: { debug() {}, info() {}, warn() {}, error() {} } });
    await store.start();
    stores.push(store);
    const topic = `slow-${randomId()}`;
    for (let i = 0; i < 30; i++) await store.putMessage(makeMessage(topic, 0, Buffer.alloc(500)));
    await store.waitForDispatch();
    const old = await store.getMessage('g', topic, 0, 0, 1);
    expect(old!.suggestPullingFromSlave).toBe(true); // 40 % of 10 KB = 4 KB, the first message is ~18 KB behind
    const recent = await store.getMessage('g', topic, 0, 29, 1);
    expect(recent!.suggestPullingFromSlave).toBe(false);
  });
});

describe('putMessage checks and transaction types', () => {
  it('refuses oversize bodies, long topics and oversize properties with RocketMQ statuses', async () => {
    const { store } = await started();
    const big = await store.putMessage(makeMessage('t', 0, Buffer.alloc(16 * 1024 + 1)));
    expect(big.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    expect(big.remark).toMatch(/maxMessageSize/);
    const longTopic = await store.putMessage(makeMessage('x'.repeat(128), 0, 'b'));
    expect(longTopic.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    const props = await store.putMessage(makeMessage('t', 0, 'b', { properties: { big: 'v'.repeat(33_000) } }));
    expect(props.status).toBe(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED);
    const ok = await store.putMessage(makeMessage('%RETRY%' + 'g'.repeat(150), 0, 'b'));
    expect(ok.status).toBe(PutMessageStatus.PUT_OK);
  });

  it('PREPARED and ROLLBACK records take no queue offset and stay out of the ConsumeQueue; COMMIT does', async () => {
    const { store } = await started();
    const topic = `tx-${randomId()}`;
    const prepared = await store.putMessage(makeMessage(topic, 0, 'half', { sysFlag: MessageSysFlag.TRANSACTION_PREPARED_TYPE }));
    const rollback = await store.putMessage(makeMessage(topic, 0, 'rb', { sysFlag: MessageSysFlag.TRANSACTION_ROLLBACK_TYPE }));
    const plain = await store.putMessage(makeMessage(topic, 0, 'plain'));
    const commit = await store.putMessage(makeMessage(topic, 0, 'commit', { sysFlag: MessageSysFlag.TRANSACTION_COMMIT_TYPE }));
    expect([prepared, rollback, plain, commit].map((r) => r.result!.queueOffset)).toEqual([0, 0, 0, 1]);
    await store.waitForDispatch();
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(2);
    const half = await store.lookMessageByOffset(prepared.result!.wroteOffset);
    expect(half?.body.toString()).toBe('half');
    expect(half?.commitLogOffset).toBe(prepared.result!.wroteOffset);
  });

  it('a batch gets consecutive queue offsets, comma-joined offset ids and one contiguous run', async () => {
    const { store } = await started();
    const topic = `batch-${randomId()}`;
    await store.putMessage(makeMessage(topic, 2, 'first'));
    const batch = Array.from({ length: 5 }, (_, i) => makeMessage(topic, 2, `b${i}`, { uniqKey: `b${i}` }));
    const r = await store.putMessages(batch);
    expect(r.status).toBe(PutMessageStatus.PUT_OK);
    expect(r.result).toMatchObject({ queueOffset: 1, msgNum: 5 });
    expect(r.result!.msgId.split(',')).toHaveLength(5);
    await store.waitForDispatch();
    const got = await store.getMessage('g', topic, 2, 1, 32);
    expect(keysOf(got!.buffers)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
    const mixed = await store.putMessages([makeMessage(topic, 2, 'a'), makeMessage(topic, 3, 'b')]);
    expect(mixed.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
    const delayed = await store.putMessages([makeMessage(topic, 2, 'a', { properties: { DELAY: '3' } })]);
    expect(delayed.status).toBe(PutMessageStatus.MESSAGE_ILLEGAL);
  });

  it('put hooks can refuse or rewrite a message before it is stored', async () => {
    const { store } = await started();
    const topic = `hook-${randomId()}`;
    store.addPutMessageHook({
      hookName: 'redirect',
      executeBeforePutMessage: (msg) => {
        if (msg.topic === `${topic}-blocked`) return { status: PutMessageStatus.MESSAGE_ILLEGAL, remark: 'blocked by hook' };
        if (msg.topic === `${topic}-moved`) msg.topic = `${topic}-target`;
        return undefined;
      },
    });
    expect((await store.putMessage(makeMessage(`${topic}-blocked`, 0, 'x'))).remark).toBe('blocked by hook');
    await store.putMessage(makeMessage(`${topic}-moved`, 0, 'x'));
    await store.waitForDispatch();
    expect(store.getMaxOffsetInQueue(`${topic}-target`, 0)).toBe(1);
    expect(store.getMaxOffsetInQueue(`${topic}-moved`, 0)).toBe(0);
  });
});

describe('flow control and failures', () => {
  it('answers OS_PAGE_CACHE_BUSY while a commit-log write has been running longer than osPageCacheBusyTimeOutMills', async () => {
    const { ManualClock } = await import('@apogee/common');
    const clock = new ManualClock();
    const { store } = await openStore(tempDir(), {}, { clock });
    stores.push(store);
    const topic = `busy-${randomId()}`;
    const first = store.putMessage(makeMessage(topic, 0, Buffer.alloc(8000)));
    await new Promise((r) => setImmediate(r)); // the writer has taken the batch and is writing
    clock.advanceMs(1001);
    const refused = await store.putMessage(makeMessage(topic, 0, 'x'));
    expect(refused.status).toBe(PutMessageStatus.OS_PAGE_CACHE_BUSY);
    expect((await first).status).toBe(PutMessageStatus.PUT_OK);
    expect((await store.putMessage(makeMessage(topic, 0, 'y'))).status).toBe(PutMessageStatus.PUT_OK);
  });

  it('answers CREATE_MAPPED_FILE_FAILED when the next segment cannot be created, and stops accepting writes', async () => {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const { store, dir } = await started();
    // Something that is not a file sits where the second segment must go.
    fs.mkdirSync(path.join(dir, 'commitlog', '00000000000000065536'));
    const topic = `nofile-${randomId()}`;
    const statuses: string[] = [];
    for (let i = 0; i < 100 && !statuses.includes(PutMessageStatus.CREATE_MAPPED_FILE_FAILED); i++) {
      statuses.push((await store.putMessage(makeMessage(topic, 0, Buffer.alloc(1000)))).status);
    }
    expect(statuses[statuses.length - 1]).toBe(PutMessageStatus.CREATE_MAPPED_FILE_FAILED);
    const ok = statuses.filter((s) => s === PutMessageStatus.PUT_OK).length;
    expect(ok).toBeGreaterThan(40);
    expect((await store.putMessage(makeMessage(topic, 0, 'x'))).status).toBe(PutMessageStatus.SERVICE_NOT_AVAILABLE);
    await store.waitForDispatch();
    expect(store.getMaxOffsetInQueue(topic, 0)).toBe(ok);
  });
});

describe('time lookups', () => {
  it('finds offsets by store time (LOWER and UPPER) and the earliest message time', async () => {
    const { ManualClock } = await import('@apogee/common');
    const clock = new ManualClock(1_700_000_000_000);
    const dir = tempDir();
    const { store } = await openStore(dir, {}, { clock });
    stores.push(store);
    const topic = `time-${randomId()}`;
    for (let i = 0; i < 20; i++) {
      await store.putMessage(makeMessage(topic, 0, `m${i}`));
      if (i % 2 === 1) clock.advanceMs(1000); // two messages per second
    }
    await store.waitForDispatch();
    const t0 = 1_700_000_000_000;
    expect(await store.getEarliestMessageTime(topic, 0)).toBe(t0);
    expect(await store.getOffsetInQueueByTime(topic, 0, t0 + 3000, 'LOWER')).toBe(6);
    expect(await store.getOffsetInQueueByTime(topic, 0, t0 + 3000, 'UPPER')).toBe(7);
    expect(await store.getOffsetInQueueByTime(topic, 0, t0 + 3500, 'LOWER')).toBe(8);
    expect(await store.getOffsetInQueueByTime(topic, 0, t0 - 1, 'LOWER')).toBe(0);
    expect(await store.getOffsetInQueueByTime(topic, 0, t0 + 99_000, 'LOWER')).toBe(20);
    expect(await store.getMessageStoreTimeStamp(topic, 0, 5)).toBe(t0 + 2000);
    expect(await store.getOffsetInQueueByTime('nope', 0, t0)).toBe(0);
  });
});
