// QUERY_MESSAGE, VIEW_MESSAGE_BY_ID and the queue offset lookups against a real broker.

import { decodeOffsetMessageId } from '@apogee/common';
import {
  type RemotingClient, type RemotingCommand, GetEarliestMsgStoretimeRequestHeader, GetMinOffsetRequestHeader, QueryMessageRequestHeader,
  RequestCode, ResponseCode, SearchOffsetRequestHeader, ViewMessageRequestHeader, createRequestCommand,
} from '@apogee/remoting';
import { randomId } from '@apogee/remoting/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Fixture } from './helpers.js';
import { type RunningBroker, TIMEOUT_MS, createTopic, decodeBody, dispatched, maxOffset, send, startBroker } from './message-wire.js';

let f: Fixture;
let b: RunningBroker;
let client: RemotingClient;

beforeEach(async () => {
  f = new Fixture();
  b = await startBroker(f);
  client = f.client();
});

afterEach(async () => {
  await f.closeAll();
});

function invoke(code: number, ext: Record<string, string>): Promise<RemotingCommand> {
  return client.invokeSync(b.addr, createRequestCommand(code, ext), TIMEOUT_MS);
}

function query(topic: string, key: string, opts: { isUnique?: boolean; maxNum?: number; beginMs?: number; endMs?: number } = {}): Promise<RemotingCommand> {
  const ext = QueryMessageRequestHeader.encode({
    topic, key, maxNum: opts.maxNum ?? 32, beginTimestamp: opts.beginMs ?? 0, endTimestamp: opts.endMs ?? Number.MAX_SAFE_INTEGER,
    ...(opts.isUnique === undefined ? {} : { _UNIQUE_KEY_QUERY: opts.isUnique }),
  });
  return invoke(RequestCode.QUERY_MESSAGE, ext);
}

describe('QUERY_MESSAGE', () => {
  it('finds messages by a KEYS entry and by UNIQ_KEY, and answers 22 when nothing matches', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 2);
    const key = `order-${randomId()}`;
    const first = await send(client, b.addr, topic, 'a', { keys: `${key} other`, queueId: 0 });
    await send(client, b.addr, topic, 'b', { keys: key, queueId: 1 });
    await send(client, b.addr, topic, 'c', { keys: `unrelated-${randomId()}` });
    await dispatched(b);

    const byKey = await query(topic, key);
    expect(byKey.code).toBe(ResponseCode.SUCCESS);
    expect(Number(byKey.extFields?.['indexLastUpdateTimestamp'])).toBeGreaterThan(0);
    expect(byKey.extFields?.['indexLastUpdatePhyoffset']).toBeDefined();
    expect(decodeBody(byKey.body).map((m) => m.body.toString()).sort()).toEqual(['a', 'b']);
    expect(decodeBody((await query(topic, key, { maxNum: 1 })).body)).toHaveLength(1);

    const uniqKey = first.extFields!['transactionId']!;
    const byUniq = await query(topic, uniqKey, { isUnique: true, maxNum: 0 });
    expect(byUniq.code).toBe(ResponseCode.SUCCESS);
    expect(decodeBody(byUniq.body).map((m) => m.body.toString())).toEqual(['a']);

    const missing = await query(topic, `nope-${randomId()}`);
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect(missing.remark).toMatch(/time range/);
    expect(missing.extFields?.['indexLastUpdateTimestamp']).toBeDefined();
    const outOfRange = await query(topic, key, { beginMs: 1, endMs: 2 });
    expect(outOfRange.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    expect((await query(`other-${randomId()}`, key)).code).toBe(ResponseCode.QUERY_NOT_FOUND);
  });
});

describe('VIEW_MESSAGE_BY_ID', () => {
  it('returns the record at the commit-log offset of an offset message id, and 1 where there is none', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    await send(client, b.addr, topic, 'first');
    const second = await send(client, b.addr, topic, 'second');
    const id = decodeOffsetMessageId(second.extFields!['msgId']!);
    if (!id.ok) throw new Error('send answered a bad offset message id');
    const res = await invoke(RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader.encode({ offset: id.commitLogOffset }));
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const [msg] = decodeBody(res.body);
    expect(msg!.body.toString()).toBe('second');
    expect(msg!.offsetMsgId).toBe(second.extFields!['msgId']);

    const beyond = await invoke(RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader.encode({ offset: 10 * 1024 * 1024 }));
    expect(beyond.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(beyond.remark).toMatch(/10485760/);
    const inside = await invoke(RequestCode.VIEW_MESSAGE_BY_ID, ViewMessageRequestHeader.encode({ offset: id.commitLogOffset + 3 }));
    expect(inside.code).toBe(ResponseCode.SYSTEM_ERROR);
  });
});

describe('queue offsets', () => {
  it('answers max, min, earliest store time and offsets by time with both boundaries', async () => {
    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    expect(await maxOffset(client, b.addr, topic)).toBe(0);
    const emptyEarliest = await invoke(RequestCode.GET_EARLIEST_MSG_STORETIME, GetEarliestMsgStoretimeRequestHeader.encode({ topic, queueId: 0 }));
    expect([emptyEarliest.code, emptyEarliest.extFields?.['timestamp']]).toEqual([ResponseCode.SUCCESS, '-1']);

    for (let i = 0; i < 3; i++) await send(client, b.addr, topic, `m${i}`);
    await dispatched(b);
    const storeTimes = await Promise.all([0, 1, 2].map((o) => b.broker.messageStore.getMessageStoreTimeStamp(topic, 0, o)));
    expect(await maxOffset(client, b.addr, topic)).toBe(3);
    const min = await invoke(RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader.encode({ topic, queueId: 0 }));
    expect([min.code, min.extFields?.['offset']]).toEqual([ResponseCode.SUCCESS, '0']);
    const earliest = await invoke(RequestCode.GET_EARLIEST_MSG_STORETIME, GetEarliestMsgStoretimeRequestHeader.encode({ topic, queueId: 0 }));
    expect(earliest.extFields?.['timestamp']).toBe(String(storeTimes[0]));

    const search = async (timestamp: number, boundaryType?: 'LOWER' | 'UPPER'): Promise<number> => {
      const res = await invoke(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, SearchOffsetRequestHeader.encode({ topic, queueId: 0, timestamp, ...(boundaryType === undefined ? {} : { boundaryType }) }));
      expect(res.code).toBe(ResponseCode.SUCCESS);
      return Number(res.extFields?.['offset']);
    };
    expect(await search(storeTimes[0]! - 60_000)).toBe(0);
    expect(await search(storeTimes[2]! + 60_000)).toBe(3);
    expect(await search(storeTimes[2]! + 60_000, 'UPPER')).toBe(2);
    expect(await search(storeTimes[1]!, 'LOWER')).toBe(storeTimes.indexOf(storeTimes[1]!));
    expect(await search(storeTimes[1]!, 'UPPER')).toBe(storeTimes.lastIndexOf(storeTimes[1]!));
  });

  it('reads an unknown queue as empty, as RocketMQ does', async () => {
    const topic = `missing-${randomId()}`;
    expect(await maxOffset(client, b.addr, topic, 3)).toBe(0);
    const min = await invoke(RequestCode.GET_MIN_OFFSET, GetMinOffsetRequestHeader.encode({ topic, queueId: 3 }));
    expect(min.extFields?.['offset']).toBe('0');
  });
});
