// queryMsgById, queryMsgByKey, queryMsgByUniqueKey and queryMsgByOffset against an in-process
// Apogee cluster: RocketMQ's detail block and tables, --json, consumer tracks and exit statuses.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOffsetMessageId } from '@apogee/common';
import { randomId } from '@apogee/remoting/testing';
import { ExitStatus } from '../src/index.js';
import type { MessageDetail } from '../src/commands/message/message-detail.js';
import type { ConsumeDirectlyRow } from '../src/commands/message/message-lookup.js';
import type { MessageView } from '../src/commands/message/message-view.js';
import type { QueryByIdRow, ResendRow } from '../src/commands/message/query-msg-by-id.js';
import { Harness } from './harness.js';
import { createRandomTopic, escapeRe, linesMatching, sendOne, startPushConsumer, waitFor } from './message-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.shutdown();
});

const newTopic = (queueNums = 2): Promise<string> => createRandomTopic(h, queueNums);

/** The value printed after a `%-20s` label. */
function labelValue(text: string, label: string): string | undefined {
  const line = text.split('\n').find((l) => l.startsWith(label));
  if (line === undefined) return undefined;
  expect(line.slice(0, 21)).toBe(label.padEnd(20) + ' ');
  return line.slice(21);
}

describe('queryMsgById', () => {
  it('prints the detail block of an offset message id, writes the body to a file, and --json', async () => {
    const topic = await newTopic();
    const sent = await sendOne(h, topic, 'hello body', { tags: 'TagA', keys: 'k1 k2' });
    const result = await h.run(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId]);
    expect(result.status).toBe(ExitStatus.OK);
    const out = result.stdout;
    expect(labelValue(out, 'OffsetID:')).toBe(sent.offsetMsgId);
    expect(labelValue(out, 'Topic:')).toBe(topic);
    expect(labelValue(out, 'Tags:')).toBe('[TagA]');
    expect(labelValue(out, 'Keys:')).toBe('[k1 k2]');
    expect(labelValue(out, 'Queue ID:')).toBe(String(sent.messageQueue.queueId));
    expect(labelValue(out, 'Queue Offset:')).toBe(String(sent.queueOffset));
    expect(labelValue(out, 'CommitLog Offset:')).toMatch(/^\d+$/);
    expect(labelValue(out, 'Reconsume Times:')).toBe('0');
    expect(labelValue(out, 'Born Timestamp:')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/);
    expect(labelValue(out, 'Store Timestamp:')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/);
    expect(labelValue(out, 'Born Host:')).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(labelValue(out, 'Store Host:')).toBe(h.brokerAddr);
    expect(labelValue(out, 'System Flag:')).toBe('0');
    expect(labelValue(out, 'Properties:')).toMatch(new RegExp(`^\\{.*TAGS=TagA, KEYS=k1 k2, UNIQ_KEY=${sent.msgId}.*\\}$`));
    const bodyPath = labelValue(out, 'Message Body Path:')!;
    expect(bodyPath).toMatch(new RegExp(`rocketmq[/\\\\]msgbodys[/\\\\]${sent.msgId}$`));
    expect(readFileSync(bodyPath, 'utf8')).toBe('hello body');
    expect(labelValue(out, 'Message Body:')).toBeUndefined();
    expect(out).toMatch(/\n\nWARN: No Consumer\n$/);

    const [row] = await h.json<QueryByIdRow[]>(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId]);
    expect(row!.msgId).toBe(sent.offsetMsgId);
    expect(row!.message).toMatchObject({
      msgId: sent.msgId, offsetMsgId: sent.offsetMsgId, topic, tags: 'TagA', keys: 'k1 k2', queueId: sent.messageQueue.queueId, queueOffset: sent.queueOffset,
      storeHost: h.brokerAddr, sysFlag: 0, reconsumeTimes: 0, bodyPath, tracks: [], bodyLength: 10,
    });
    expect(row!.message!.properties).toMatchObject({ TAGS: 'TagA', KEYS: 'k1 k2', UNIQ_KEY: sent.msgId });
  });

  it('-f prints the body decoded; a unique key is looked up too; several ids give several blocks', async () => {
    const topic = await newTopic();
    const a = await sendOne(h, topic, 'grüße', { tags: 'T' });
    const b = await sendOne(h, topic, 'second');
    const decoded = await h.run(['queryMsgById', '-t', topic, '-i', a.offsetMsgId, '-f', 'UTF-8']);
    expect(labelValue(decoded.stdout, 'Message Body:')).toBe('grüße');
    const latin = await h.run(['queryMsgById', '-t', topic, '-i', a.offsetMsgId, '-f', 'ISO-8859-1']);
    expect(labelValue(latin.stdout, 'Message Body:')).toBe(Buffer.from('grüße').toString('latin1'));

    const byUniq = await h.run(['queryMsgById', '-t', topic, '-i', b.msgId]);
    expect(byUniq.status).toBe(ExitStatus.OK);
    expect(labelValue(byUniq.stdout, 'OffsetID:')).toBe(b.offsetMsgId);

    const both = await h.run(['queryMsgById', '-t', topic, '-i', `${a.offsetMsgId}, ${b.offsetMsgId},`]);
    expect(both.status).toBe(ExitStatus.OK);
    expect(linesMatching(both.stdout, /^OffsetID: /)).toEqual([`OffsetID:            ${a.offsetMsgId}`, `OffsetID:            ${b.offsetMsgId}`]);
    const rows = await h.json<QueryByIdRow[]>(['queryMsgById', '-t', topic, '-i', `${a.offsetMsgId},${b.offsetMsgId}`, '-f', 'UTF-8']);
    expect(rows.map((r) => r.message?.body)).toEqual(['grüße', 'second']);
  });

  it('fails with exit 1 for an id that names no message; with several ids the others are still shown', async () => {
    const topic = await newTopic();
    const sent = await sendOne(h, topic, 'x');
    const [host, port] = h.brokerAddr.split(':') as [string, string];
    const nowhere = createOffsetMessageId({ host, port: Number(port) }, 987_654_321);
    const one = await h.run(['queryMsgById', '-t', topic, '-i', nowhere]);
    expect(one.status).toBe(ExitStatus.FAILED);
    expect(one.stderr).toMatch(new RegExp(`^mqadmin: no message ${nowhere} in topic ${topic}`));
    expect(one.stderr).not.toMatch(/\n\s+at /);
    expect(one.stdout).toBe('');

    const some = await h.run(['queryMsgById', '-t', topic, '-i', `${sent.offsetMsgId},${nowhere}`]);
    expect(some.status).toBe(ExitStatus.FAILED);
    expect(labelValue(some.stdout, 'OffsetID:')).toBe(sent.offsetMsgId);
    expect(some.stdout).toMatch(new RegExp(`^${nowhere}: no message ${nowhere}`, 'm'));
    const rows = JSON.parse((await h.run(['queryMsgById', '-t', topic, '-i', `${sent.offsetMsgId},${nowhere}`, '--json'])).stdout) as QueryByIdRow[];
    expect(rows[0]!.message?.offsetMsgId).toBe(sent.offsetMsgId);
    expect(rows[1]).toMatchObject({ msgId: nowhere, error: expect.stringContaining('no message') });

    const unknownTopic = await h.run(['queryMsgById', '-t', `missing-${randomId()}`, '-i', 'ABCDEF']);
    expect(unknownTopic.status).toBe(ExitStatus.FAILED);
    expect(unknownTopic.stderr).toContain('TOPIC_NOT_EXIST (17)');
  });

  it('rejects bad options with exit 2', async () => {
    const topic = await newTopic();
    const sent = await sendOne(h, topic, 'x');
    for (const [argv, text] of [
      [['-i', sent.offsetMsgId, '-f', 'no-such-charset'], 'unknown charset'],
      [['-i', sent.offsetMsgId, '-g', 'cg'], '--clientId (-d) go together'],
      [['-i', sent.offsetMsgId, '-s', 'maybe'], '--sendMessage must be true or false'],
      [['-i', ' , '], 'names no message id'],
      [['-i', sent.offsetMsgId, '-t', '%LMQ%x'], 'LMQ topics'],
    ] as const) {
      const result = await h.run(['queryMsgById', '-t', topic, ...argv]);
      expect(result.status, argv.join(' ')).toBe(ExitStatus.USAGE);
      expect(result.stderr).toContain(text);
    }
    const missing = await h.run(['queryMsgById', '-i', sent.offsetMsgId]);
    expect(missing.status).toBe(ExitStatus.USAGE);
    expect(missing.stderr).toContain('--topic <topic>');
  });

  it('tracks consumer groups (#ConsumerGroup #TrackType), pushes a message to a consumer with -g/-d and resends with -s true', async () => {
    const topic = await newTopic();
    const sent = await sendOne(h, topic, 'tracked', { tags: 'TagA', keys: 'resend-me' });
    const group = `cg-${randomId()}`;
    const seen: string[] = [];
    const consumer = await startPushConsumer(h, group, topic, 2, seen);
    await waitFor(() => seen.includes('tracked'), { timeoutMs: 10_000 });
    await waitFor(async () => (await h.json<QueryByIdRow[]>(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId]))[0]!.message!.tracks[0]?.trackType === 'CONSUMED', { timeoutMs: 10_000 });
    const result = await h.run(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId]);
    expect(result.stdout).toMatch(/^#ConsumerGroup +#TrackType +#ExceptionDesc$/m);
    expect(result.stdout).toMatch(new RegExp(`^${group} +CONSUMED$`, 'm'));
    expect(result.stdout).not.toContain('WARN: No Consumer');

    // -g/-d: the consumer consumes it again, now
    const clientId = consumer.clientInstance!.clientId;
    const pushed = await h.run(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId, '-g', group, '-d', clientId]);
    expect(pushed.status).toBe(ExitStatus.OK);
    expect(pushed.stdout).toMatch(/^ConsumeMessageDirectlyResult \[order=false, autoCommit=true, consumeResult=CR_SUCCESS, remark=, spentTimeMills=\d+\]$/m);
    expect(seen.filter((b) => b === 'tracked').length).toBeGreaterThanOrEqual(2);
    const [row] = await h.json<ConsumeDirectlyRow[]>(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId, '-g', group, '-d', clientId]);
    expect(row).toMatchObject({ msgId: sent.offsetMsgId, consumerGroup: group, clientId, result: { consumeResult: 'CR_SUCCESS' } });
    const wrongClient = await h.run(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId, '-g', group, '-d', 'no-such-client']);
    expect(wrongClient.status).toBe(ExitStatus.FAILED);
    expect(wrongClient.stdout).toMatch(new RegExp(`^${sent.offsetMsgId}: get consumer runtime info for no-such-client client failed`, 'm'));

    // -s true: sent again, so the key now finds two messages with the same unique key
    const resent = await h.run(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId, '-s', 'true']);
    expect(resent.status).toBe(ExitStatus.OK);
    expect(resent.stdout).toMatch(/^#Broker Name +#QID +#Send Result +#MsgId$/m);
    expect(resent.stdout).toMatch(new RegExp(`^${escapeRe(h.brokerName)} +\\d +SEND_OK +${sent.msgId}$`, 'm'));
    const keyed = await h.json<MessageView[]>(['queryMsgByKey', '-t', topic, '-k', 'resend-me']);
    expect(keyed).toHaveLength(2);
    const all = await h.json<MessageDetail[]>(['queryMsgByUniqueKey', '-t', topic, '-i', sent.msgId, '-a']);
    expect(all).toHaveLength(2);
    expect(all[0]!.bodyPath).toMatch(new RegExp(`${sent.msgId}$`));
    expect(all[1]!.bodyPath).toMatch(new RegExp(`${sent.msgId}_1$`));
    expect(all[0]!.storeTimestamp).toBeLessThanOrEqual(all[1]!.storeTimestamp);
    const resendRows = await h.json<ResendRow[]>(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId, '-s', 'true']);
    expect(resendRows[0]).toMatchObject({ originalMsgId: sent.offsetMsgId, sendResult: { sendStatus: 'SEND_OK', msgId: sent.msgId } });

    // the group offline: NOT_ONLINE with the broker's reason, wrapped to fit 80 columns
    await consumer.shutdown();
    const offline = await h.run(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId], { ttyColumns: 80 });
    expect(offline.status).toBe(ExitStatus.OK);
    const table = offline.stdout.slice(offline.stdout.indexOf('#ConsumerGroup'));
    expect(table).toMatch(new RegExp(`^${group} +NOT_ONLINE +CODE:206 DESC:`, 'm'));
    for (const line of table.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    const [offlineRow] = await h.json<QueryByIdRow[]>(['queryMsgById', '-t', topic, '-i', sent.offsetMsgId]);
    expect(offlineRow!.message!.tracks).toEqual([{ consumerGroup: group, trackType: 'NOT_ONLINE', exceptionDesc: expect.stringMatching(/^CODE:206 DESC:/) }]);
  });
});

describe('queryMsgByKey', () => {
  it('prints #Message ID #QID #Offset for the messages with that key, and --json', async () => {
    const topic = await newTopic();
    const a = await sendOne(h, topic, 'a', { keys: 'order-1 other' });
    await sendOne(h, topic, 'b', { keys: 'order-2' });
    const c = await sendOne(h, topic, 'c', { keys: 'order-1' });
    const result = await h.run(['queryMsgByKey', '-t', topic, '-k', 'order-1']);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#Message ID +#QID +#Offset$/);
    for (const s of [a, c]) expect(result.stdout).toMatch(new RegExp(`^${s.msgId} +${s.messageQueue.queueId} +${s.queueOffset}$`, 'm'));
    expect(lines).toHaveLength(3);
    const rows = await h.json<MessageView[]>(['queryMsgByKey', '-t', topic, '-k', 'order-1']);
    expect(rows.map((r) => r.msgId).sort()).toEqual([a.msgId, c.msgId].sort());
    expect(rows.find((r) => r.msgId === a.msgId)).toMatchObject({ offsetMsgId: a.offsetMsgId, keys: 'order-1 other', topic });
  });

  it('-m bounds the count, -b/-e the store time, -c the cluster', async () => {
    const topic = await newTopic();
    for (let i = 0; i < 3; i++) await sendOne(h, topic, `dup-${i}`, { keys: 'dup' });
    expect(await h.json<unknown[]>(['queryMsgByKey', '-t', topic, '-k', 'dup'])).toHaveLength(3);
    expect((await h.json<unknown[]>(['queryMsgByKey', '-t', topic, '-k', 'dup', '-m', '2'])).length).toBeLessThanOrEqual(2);
    expect(await h.json<unknown[]>(['queryMsgByKey', '-t', topic, '-k', 'dup', '-b', '0', '-e', String(Date.now() + 60_000)])).toHaveLength(3);
    expect(await h.json<unknown[]>(['queryMsgByKey', '-t', topic, '-k', 'dup', '-c', 'DefaultCluster'])).toHaveLength(3);
    const future = await h.run(['queryMsgByKey', '-t', topic, '-k', 'dup', '-b', String(Date.now() + 3_600_000)]);
    expect(future.status).toBe(ExitStatus.FAILED);
    const otherCluster = await h.run(['queryMsgByKey', '-t', topic, '-k', 'dup', '-c', 'NoSuchCluster']);
    expect(otherCluster.status).toBe(ExitStatus.OK);
    expect(otherCluster.stdout.trimEnd()).toMatch(/^#Message ID +#QID +#Offset$/);
  });

  it('exit 1 for no match or an unknown topic, exit 2 for bad values', async () => {
    const topic = await newTopic();
    await sendOne(h, topic, 'x', { keys: 'present' });
    const none = await h.run(['queryMsgByKey', '-t', topic, '-k', 'absent']);
    expect(none.status).toBe(ExitStatus.FAILED);
    expect(none.stderr).toMatch(/^mqadmin: query message by key finished, but no message\.\n$/);
    const unknown = await h.run(['queryMsgByKey', '-t', `missing-${randomId()}`, '-k', 'present']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('TOPIC_NOT_EXIST (17)');
    for (const argv of [['-m', 'x'], ['-m', '0'], ['-b', 'yesterday']]) {
      const bad = await h.run(['queryMsgByKey', '-t', topic, '-k', 'present', ...argv]);
      expect(bad.status, argv.join(' ')).toBe(ExitStatus.USAGE);
    }
  });
});

describe('queryMsgByUniqueKey', () => {
  it('prints the detail block without OffsetID, and --json', async () => {
    const topic = await newTopic();
    const sent = await sendOne(h, topic, 'uniq', { tags: 'TagU' });
    const result = await h.run(['queryMsgByUniqueKey', '-t', topic, '-i', sent.msgId]);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout.split('\n')[0]).toBe(`${'Topic:'.padEnd(20)} ${topic}`);
    expect(labelValue(result.stdout, 'OffsetID:')).toBeUndefined();
    expect(labelValue(result.stdout, 'Tags:')).toBe('[TagU]');
    expect(labelValue(result.stdout, 'Keys:')).toBe('[null]');
    expect(readFileSync(labelValue(result.stdout, 'Message Body Path:')!, 'utf8')).toBe('uniq');
    const rows = await h.json<MessageDetail[]>(['queryMsgByUniqueKey', '-t', topic, '-i', sent.msgId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ msgId: sent.msgId, offsetMsgId: sent.offsetMsgId, tags: 'TagU', keys: null });
  });

  it('exit 1 when no message has the key, exit 2 without -t', async () => {
    const topic = await newTopic();
    const none = await h.run(['queryMsgByUniqueKey', '-t', topic, '-i', '0A0B0C0D0E0F00000000000000000000']);
    expect(none.status).toBe(ExitStatus.FAILED);
    expect(none.stderr).toContain('no message with unique key 0A0B0C0D0E0F00000000000000000000');
    const noTopic = await h.run(['queryMsgByUniqueKey', '-i', 'X']);
    expect(noTopic.status).toBe(ExitStatus.USAGE);
  });
});

describe('queryMsgByOffset', () => {
  it('prints the message at a queue offset, and --json', async () => {
    const topic = await newTopic(1);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await sendOne(h, topic, `off-${i}`));
    const result = await h.run(['queryMsgByOffset', '-t', topic, '-b', h.brokerName, '-i', '0', '-o', '1']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(labelValue(result.stdout, 'OffsetID:')).toBe(sent[1]!.offsetMsgId);
    expect(labelValue(result.stdout, 'Queue Offset:')).toBe('1');
    expect(readFileSync(labelValue(result.stdout, 'Message Body Path:')!, 'utf8')).toBe('off-1');
    const json = await h.json<MessageDetail>(['queryMsgByOffset', '-t', topic, '-b', h.brokerName, '-i', '0', '-o', '2', '-f', 'UTF-8']);
    expect(json).toMatchObject({ msgId: sent[2]!.msgId, queueId: 0, queueOffset: 2, body: 'off-2' });
  });

  it('exit 1 past the end or for an unknown topic, broker or queue, exit 2 for bad numbers', async () => {
    const topic = await newTopic(1);
    await sendOne(h, topic, 'only');
    const past = await h.run(['queryMsgByOffset', '-t', topic, '-b', h.brokerName, '-i', '0', '-o', '5']);
    expect(past.status).toBe(ExitStatus.FAILED);
    expect(past.stderr).toContain(`no message at offset 5 of MessageQueue [topic=${topic}, brokerName=${h.brokerName}, queueId=0]`);
    const broker = await h.run(['queryMsgByOffset', '-t', topic, '-b', 'no-such-broker', '-i', '0', '-o', '0']);
    expect(broker.status).toBe(ExitStatus.FAILED);
    expect(broker.stderr).toContain(`topic ${topic} has no readable queue on broker no-such-broker`);
    const queue = await h.run(['queryMsgByOffset', '-t', topic, '-b', h.brokerName, '-i', '3', '-o', '0']);
    expect(queue.status).toBe(ExitStatus.FAILED);
    expect(queue.stderr).toContain('no queue 3');
    const unknown = await h.run(['queryMsgByOffset', '-t', `missing-${randomId()}`, '-b', h.brokerName, '-i', '0', '-o', '0']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('TOPIC_NOT_EXIST (17)');
    for (const argv of [['-i', 'x', '-o', '0'], ['-i', '0', '-o', '-1']]) {
      const bad = await h.run(['queryMsgByOffset', '-t', topic, '-b', h.brokerName, ...argv]);
      expect(bad.status, argv.join(' ')).toBe(ExitStatus.USAGE);
    }
  });
});
