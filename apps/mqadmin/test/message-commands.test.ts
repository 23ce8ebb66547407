// sendMessage, printMsg, consumeMessage and statsAll against an in-process Apogee cluster: the
// tables and lines RocketMQ prints, --json, progress on a terminal, exit statuses, 80 columns.

import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '@apogee/remoting/testing';
import { BufferedOutput, ExitStatus, runMqadmin } from '../src/index.js';
import type { ConsumeMessageResult } from '../src/commands/message/consume-message.js';
import type { MessageView } from '../src/commands/message/message-view.js';
import type { PrintedQueue } from '../src/commands/message/queue-print.js';
import type { SendResultRow } from '../src/commands/message/send-result-table.js';
import type { StatsAllResult } from '../src/commands/message/stats-all.js';
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

/** A stdout like a pipe whose every write reports a full buffer, then drains, or fails (EPIPE). */
class PipeLike extends EventEmitter {
  writes = 0;
  /** writes made while the previous one had not drained yet */
  overruns = 0;
  text = '';
  private full = false;

  constructor(private readonly then: 'drain' | 'error') {
    super();
  }

  write(text: string): boolean {
    this.writes++;
    if (this.full) this.overruns++;
    this.full = true;
    this.text += text;
    setImmediate(() => {
      this.full = false;
      if (this.then === 'drain') this.emit('drain');
      else this.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    });
    return false;
  }

  listenerCounts(): number[] {
    return ['drain', 'close', 'error'].map((e) => this.listenerCount(e));
  }
}

function expectFits(text: string, width = 80): void {
  for (const line of text.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(width);
}

describe('sendMessage', () => {
  it('sends one message and prints #Broker Name #QID #Send Result #MsgId; --json; the message is stored with its tags and keys', async () => {
    const topic = await newTopic();
    const result = await h.run(['sendMessage', '-t', topic, '-p', 'hello world', '-k', 'key-1', '-c', 'TagS']);
    expect(result.status).toBe(ExitStatus.OK);
    const [header, row, more] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^#Broker Name +#QID +#Send Result +#MsgId$/);
    expect(row).toMatch(new RegExp(`^${escapeRe(h.brokerName)} +[01] +SEND_OK +[0-9A-F]{32}$`));
    expect(more).toBeUndefined();
    const msgId = row!.split(/ +/)[3]!;
    const [stored] = await h.json<MessageView[]>(['queryMsgByKey', '-t', topic, '-k', 'key-1']);
    expect(stored).toMatchObject({ msgId, tags: 'TagS', keys: 'key-1', bodyLength: 11 });

    const json = await h.json<SendResultRow>(['sendMessage', '-t', topic, '-p', 'again']);
    expect(json).toMatchObject({ brokerName: h.brokerName, sendStatus: 'SEND_OK', msgId: expect.stringMatching(/^[0-9A-F]{32}$/), offsetMsgId: expect.stringMatching(/^[0-9A-F]{32}$/) });
    expect([0, 1]).toContain(json.queueId);
  });

  it('-b/-i choose the queue; -b alone one of that broker\'s queues; -m is accepted', async () => {
    const topic = await newTopic(4);
    for (const queueId of [3, 0, 2]) {
      const sent = await h.json<SendResultRow>(['sendMessage', '-t', topic, '-p', `q${queueId}`, '-b', h.brokerName, '-i', String(queueId), '-m', 'false']);
      expect(sent).toMatchObject({ brokerName: h.brokerName, queueId, queueOffset: 0 });
    }
    const anyQueue = await h.json<SendResultRow>(['sendMessage', '-t', topic, '-p', 'b only', '-b', h.brokerName, '-m', 'true']);
    expect(anyQueue.brokerName).toBe(h.brokerName);
  });

  it('fits 80 columns on a terminal', async () => {
    const topic = await newTopic();
    const result = await h.run(['sendMessage', '-t', topic, '-p', 'x'], { ttyColumns: 80 });
    expect(result.status).toBe(ExitStatus.OK);
    expectFits(result.stdout);
    expect(result.stdout).toMatch(/SEND_OK +[0-9A-F]{32}$/m);
  });

  it('exit 2 for bad options, exit 1 for an unknown broker or queue', async () => {
    const topic = await newTopic();
    for (const [argv, text] of [
      [['-t', topic, '-p', 'x', '-i', '1'], 'Broker name must be set if the queue is chosen'],
      [['-t', topic, '-p', 'x', '-b', h.brokerName, '-i', 'one'], '--qid must be an integer'],
      [['-t', topic, '-p', 'x', '-m', 'yes'], '--msgTraceEnable must be true or false'],
      [['-t', 'bad topic!', '-p', 'x'], 'has characters outside'],
      [['-t', 'TBW102', '-p', 'x'], 'auto-create template'],
      [['-t', topic], '--body <body>'],
    ] as const) {
      const result = await h.run(['sendMessage', ...argv]);
      expect(result.status, argv.join(' ')).toBe(ExitStatus.USAGE);
      expect(result.stderr).toContain(text);
    }
    const broker = await h.run(['sendMessage', '-t', topic, '-p', 'x', '-b', 'no-such-broker']);
    expect(broker.status).toBe(ExitStatus.FAILED);
    expect(broker.stderr).toMatch(/^mqadmin: broker no-such-broker has no writable queue of topic/);
    const queue = await h.run(['sendMessage', '-t', topic, '-p', 'x', '-b', h.brokerName, '-i', '7']);
    expect(queue.status).toBe(ExitStatus.FAILED);
    expect(queue.stderr).toContain('no writable queue 7');
  });
});

describe('printMsg', () => {
  it('prints every queue\'s range and MSGID … BODY lines with decoded properties; --json', async () => {
    const topic = await newTopic(2);
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await sendOne(h, topic, `body-${i}`, { tags: i % 2 === 0 ? 'TagA' : 'TagB', keys: `k${i}` }));
    const result = await h.run(['printMsg', '-t', topic]);
    expect(result.status).toBe(ExitStatus.OK);
    const out = result.stdout;
    for (const queueId of [0, 1]) {
      const count = sent.filter((s) => s.messageQueue.queueId === queueId).length;
      expect(out).toMatch(new RegExp(`^minOffset=0, maxOffset=${count}, MessageQueue \\[topic=${topic}, brokerName=${escapeRe(h.brokerName)}, queueId=${queueId}\\]$`, 'm'));
    }
    expect(linesMatching(out, /^-{56}$/)).toHaveLength(2);
    const msgLines = linesMatching(out, /^MSGID: /);
    expect(msgLines).toHaveLength(4);
    for (const [i, s] of sent.entries()) {
      const line = msgLines.find((l) => l.startsWith(`MSGID: ${s.msgId} `));
      expect(line).toMatch(new RegExp(`^MSGID: ${s.msgId} MessageExt \\[brokerName=${escapeRe(h.brokerName)}, queueId=${s.messageQueue.queueId}, storeSize=\\d+, queueOffset=${s.queueOffset}, .*msgId=${s.offsetMsgId}, .*toString\\(\\)=Message\\{topic='${topic}', flag=0, properties=\\{.*TAGS=${i % 2 === 0 ? 'TagA' : 'TagB'}, KEYS=k${i}, .*\\}, body=\\[98, 111, 100, 121, 45, ${48 + i}\\], transactionId='null'\\}\\] BODY: body-${i}$`));
    }
    const queues = await h.json<PrintedQueue[]>(['printMsg', '-t', topic]);
    expect(queues.map((q) => q.messageQueue.queueId)).toEqual([0, 1]);
    const messages = queues.flatMap((q) => q.messages);
    expect(messages.map((m) => m.body).sort()).toEqual(['body-0', 'body-1', 'body-2', 'body-3']);
    expect(messages.find((m) => m.body === 'body-1')).toMatchObject({ msgId: sent[1]!.msgId, tags: 'TagB', keys: 'k1', brokerName: h.brokerName, properties: expect.objectContaining({ TAGS: 'TagB', KEYS: 'k1' }) });
  });

  it('-s filters by tag, -d false leaves bodies out, -c decodes, -b/-e bound the store time', async () => {
    const topic = await newTopic(1);
    await sendOne(h, topic, 'early-A', { tags: 'TagA' });
    await sendOne(h, topic, 'early-B', { tags: 'TagB' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const mid = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 30));
    await sendOne(h, topic, 'late-A', { tags: 'TagA' });

    const tagged = await h.run(['printMsg', '-t', topic, '-s', 'TagA']);
    expect(linesMatching(tagged.stdout, /^MSGID: /).map((l) => l.replace(/.* BODY: /, ''))).toEqual(['early-A', 'late-A']);
    const noBody = await h.run(['printMsg', '-t', topic, '-d', 'false']);
    expect(linesMatching(noBody.stdout, /^MSGID: /).every((l) => l.endsWith(' BODY: NOT PRINT BODY'))).toBe(true);
    expect((await h.json<PrintedQueue[]>(['printMsg', '-t', topic, '-d', 'false']))[0]!.messages[0]!.body).toBeUndefined();
    const latin = await h.json<PrintedQueue[]>(['printMsg', '-t', topic, '-c', 'ISO-8859-1']);
    expect(latin[0]!.messages.map((m) => m.body)).toEqual(['early-A', 'early-B', 'late-A']);

    const late = await h.run(['printMsg', '-t', topic, '-b', String(mid)]);
    expect(late.stdout).toMatch(/^minOffset=2, maxOffset=3, /m);
    expect(linesMatching(late.stdout, /^MSGID: /).map((l) => l.replace(/.* BODY: /, ''))).toEqual(['late-A']);
    const early = await h.json<PrintedQueue[]>(['printMsg', '-t', topic, '-e', String(mid)]);
    expect(early[0]).toMatchObject({ minOffset: 0, maxOffset: 2 });
    expect(early[0]!.messages.map((m) => m.body)).toEqual(['early-A', 'early-B']);
  });

  it('shows a progress bar on a terminal only', async () => {
    const topic = await newTopic(1);
    await h.send(topic, 3);
    const tty = await h.run(['printMsg', '-t', topic], { ttyColumns: 80 });
    expect(tty.status).toBe(ExitStatus.OK);
    expect(tty.stderr).toContain('printMsg [');
    expect(tty.stderr).toContain(' 3/3');
    const piped = await h.run(['printMsg', '-t', topic]);
    expect(piped.stderr).toBe('');
    expect(linesMatching(piped.stdout, /^MSGID: /)).toHaveLength(3);
    const json = await h.run(['printMsg', '-t', topic, '--json'], { ttyColumns: 80 });
    expect(json.stderr).toBe('');
  });

  it('waits for a buffering stdout to drain, and stops reading when the reader goes away (EPIPE)', async () => {
    const topic = await newTopic(2);
    await h.send(topic, 6);
    const slow = new PipeLike('drain');
    const stderr = new BufferedOutput();
    expect(await runMqadmin(['printMsg', '-t', topic, '-n', h.namesrvAddr], { stdout: slow, stderr, env: {} })).toBe(ExitStatus.OK);
    expect(linesMatching(slow.text, /^MSGID: /)).toHaveLength(6);
    expect(linesMatching(slow.text, /^-{56}$/)).toHaveLength(2);
    expect(slow.overruns).toBe(0);
    expect(slow.listenerCounts()).toEqual([0, 0, 0]);

    const gone = new PipeLike('error');
    expect(await runMqadmin(['printMsg', '-t', topic, '-n', h.namesrvAddr], { stdout: gone, stderr, env: {} })).toBe(ExitStatus.OK);
    expect(gone.writes).toBe(1);
    expect(stderr.text).toBe('');
  });

  it('exit 1 for an unknown topic, exit 2 for bad options', async () => {
    const unknown = await h.run(['printMsg', '-t', `missing-${randomId()}`]);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('TOPIC_NOT_EXIST (17)');
    const topic = await newTopic(1);
    for (const [argv, text] of [
      [['-l', 'parent'], 'LMQ is not supported'],
      [['-c', 'no-such-charset'], 'unknown charset'],
      [['-d', 'maybe'], '--printBody must be true or false'],
      [['-b', 'soon'], 'is not a timestamp'],
    ] as const) {
      const result = await h.run(['printMsg', '-t', topic, ...argv]);
      expect(result.status, argv.join(' ')).toBe(ExitStatus.USAGE);
      expect(result.stderr).toContain(text);
    }
  });
});

describe('consumeMessage', () => {
  it('pulls at most -c messages, oldest queue first, printing Consume ok and MSGID lines; --json', async () => {
    const topic = await newTopic(2);
    for (let i = 0; i < 6; i++) await sendOne(h, topic, `c-${i}`);
    const result = await h.run(['consumeMessage', '-t', topic, '-c', '4']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toMatch(/^Consume ok$/m);
    expect(result.stdout).toMatch(/^The older \d message of the \d queue will be provided$/m);
    expect(linesMatching(result.stdout, /^MSGID: [0-9A-F]{32} MessageExt \[.*\] BODY: c-\d$/)).toHaveLength(4);
    const all = await h.json<ConsumeMessageResult>(['consumeMessage', '-t', topic]);
    expect(all.consumerGroup).toBe('TOOLS_CONSUMER');
    expect(all.messageNumber).toBe(128);
    expect(all.queues.flatMap((q) => q.messages).map((m) => m.body).sort()).toEqual(['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5']);
  });

  it('-b -i -o read one queue from an offset; -o past the end prints no matched msg', async () => {
    const topic = await newTopic(1);
    for (let i = 0; i < 5; i++) await sendOne(h, topic, `o-${i}`);
    const json = await h.json<ConsumeMessageResult>(['consumeMessage', '-t', topic, '-b', h.brokerName, '-i', '0', '-o', '3', '-g', `cg-${randomId()}`]);
    expect(json.queues).toHaveLength(1);
    expect(json.queues[0]!.messages.map((m) => [m.queueOffset, m.body])).toEqual([[3, 'o-3'], [4, 'o-4']]);
    const two = await h.run(['consumeMessage', '-t', topic, '-b', h.brokerName, '-i', '0', '-c', '2']);
    expect(linesMatching(two.stdout, /^MSGID: /).map((l) => l.replace(/.* BODY: /, ''))).toEqual(['o-0', 'o-1']);
    const past = await h.run(['consumeMessage', '-t', topic, '-b', h.brokerName, '-i', '0', '-o', '9']);
    expect(past.status).toBe(ExitStatus.OK);
    expect(past.stdout.trimEnd()).toBe(`MessageQueue [topic=${topic}, brokerName=${h.brokerName}, queueId=0] no matched msg, offset=9`);
  });

  it('shows progress on a terminal; exit 2 for the combinations RocketMQ refuses; exit 1 for an unknown topic, broker or queue', async () => {
    const topic = await newTopic(1);
    await h.send(topic, 2);
    const tty = await h.run(['consumeMessage', '-t', topic], { ttyColumns: 80 });
    expect(tty.stderr).toContain('consumeMessage [');
    expect((await h.run(['consumeMessage', '-t', topic])).stderr).toBe('');
    const future = String(Date.now() + 3_600_000);
    for (const [argv, text] of [
      [['-i', '0'], 'Please set the brokerName before queueId'],
      [['-b', h.brokerName, '-o', '1'], 'Please set queueId before offset'],
      [['-c', '0'], '--MessageNumber must be at least 1'],
      [['-s', future], 'Please set the beginTimestamp before now'],
      [['-e', future], 'Please set the endTimestamp before now'],
      [['-s', '2000', '-e', '1000'], 'beginTimestamp is less than or equal to the endTimestamp'],
      [['-g', 'bad group!'], 'has characters outside'],
    ] as const) {
      const result = await h.run(['consumeMessage', '-t', topic, ...argv]);
      expect(result.status, argv.join(' ')).toBe(ExitStatus.USAGE);
      expect(result.stderr).toContain(text);
    }
    const broker = await h.run(['consumeMessage', '-t', topic, '-b', 'no-such-broker']);
    expect(broker.status).toBe(ExitStatus.FAILED);
    expect(broker.stderr).toContain(`topic ${topic} has no readable queue on broker no-such-broker`);
    const queue = await h.run(['consumeMessage', '-t', topic, '-b', h.brokerName, '-i', '5']);
    expect(queue.status).toBe(ExitStatus.FAILED);
    expect(queue.stderr).toContain(`topic ${topic} has 1 readable queues on broker ${h.brokerName}, no queue 5`);
    const unknown = await h.run(['consumeMessage', '-t', `missing-${randomId()}`]);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('TOPIC_NOT_EXIST (17)');
  });
});

describe('statsAll', () => {
  it('prints backlog and rates per topic and consumer group, NO_CONSUMER for unconsumed topics; -t, -a and --json', async () => {
    const consumed = await newTopic(2);
    const idle = await newTopic(1);
    const lonely = await newTopic(1);
    await h.send(consumed, 5);
    await h.send(lonely, 2);
    const group = `cg-${randomId()}`;
    const seen: string[] = [];
    await startPushConsumer(h, group, consumed, 2, seen);
    await waitFor(() => seen.length === 5, { timeoutMs: 10_000 });
    await h.send(consumed, 2); // a backlog the consumer will take, counted in 24 h
    // the broker samples its counters every 10 s
    await waitFor(async () => {
      const stats = await h.json<StatsAllResult>(['statsAll', '-t', consumed]);
      return stats.rows[0]?.inMsg24Hour === 7 && stats.rows[0]?.outMsg24Hour === 7;
    }, { timeoutMs: 25_000, intervalMs: 1_000 });

    const result = await h.run(['statsAll']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout.split('\n')[0]).toMatch(/^#Topic +#Consumer Group +#Accumulation +#InTPS +#OutTPS +#InMsg24Hour +#OutMsg24Hour$/);
    expect(result.stdout).toMatch(new RegExp(`^${consumed} +${group} +0 +\\d+\\.\\d\\d +\\d+\\.\\d\\d +7 +7$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^${lonely} +0 +\\d+\\.\\d\\d +2 +NO_CONSUMER$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^${idle} +0 +0\\.00 +0 +NO_CONSUMER$`, 'm'));
    expect(result.stdout).not.toContain('%RETRY%');

    const only = await h.json<StatsAllResult>(['statsAll', '-t', consumed]);
    expect(only).toEqual({ rows: [{ topic: consumed, consumerGroup: group, accumulation: 0, inTps: expect.any(Number), outTps: expect.any(Number), inMsg24Hour: 7, outMsg24Hour: 7 }], skipped: [] });
    const lonelyJson = await h.json<StatsAllResult>(['statsAll', '-t', lonely]);
    expect(lonelyJson.rows).toEqual([{ topic: lonely, consumerGroup: null, accumulation: 0, inTps: expect.any(Number), outTps: null, inMsg24Hour: 2, outMsg24Hour: null }]);
    const active = await h.json<StatsAllResult>(['statsAll', '-a']);
    expect(active.rows.map((r) => r.topic)).toEqual(expect.arrayContaining([consumed, lonely]));
    expect(active.rows.map((r) => r.topic)).not.toContain(idle);
    expect(await h.json<StatsAllResult>(['statsAll', '-t', `missing-${randomId()}`])).toEqual({ rows: [], skipped: [] });
  }, 60_000);

  it('counts the backlog of a group that is behind', async () => {
    const topic = await newTopic(1);
    const group = `cg-${randomId()}`;
    const seen: string[] = [];
    const consumer = await startPushConsumer(h, group, topic, 1, seen);
    await h.send(topic, 2);
    await waitFor(() => seen.length === 2, { timeoutMs: 10_000 });
    await waitFor(async () => (await h.json<StatsAllResult>(['statsAll', '-t', topic])).rows[0]?.accumulation === 0, { timeoutMs: 10_000 });
    await consumer.shutdown();
    await h.send(topic, 3);
    const rows = (await h.json<StatsAllResult>(['statsAll', '-t', topic])).rows;
    expect(rows).toEqual([expect.objectContaining({ topic, consumerGroup: group, accumulation: 3 })]);
  });

  it('fits 80 columns on a terminal: a long topic wraps, the 24-hour columns are hidden with a note', async () => {
    const topic = `t-${randomId()}-with-a-name-long-enough-to-wrap-in-eighty-columns`;
    await h.createTopic(topic, 1);
    const wide = await h.run(['statsAll', '-t', topic]);
    expect(wide.stdout).toMatch(new RegExp(`^${topic} +0 +0\\.00 +0 +NO_CONSUMER$`, 'm'));
    const result = await h.run(['statsAll', '-t', topic], { ttyColumns: 80 });
    expect(result.status).toBe(ExitStatus.OK);
    expectFits(result.stdout);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#Topic +#Consumer Group +#Accumulation +#InTPS +#OutTPS$/);
    expect(lines[1]).toMatch(new RegExp(`^${topic.slice(0, 20)}\\S* +0 +0\\.00$`));
    const note = lines.findIndex((l) => l.startsWith('('));
    expect(lines.slice(1, note).map((l) => l.split(' ')[0]).join('')).toBe(topic);
    expect(lines.slice(note).join(' ')).toBe('(#InMsg24Hour, #OutMsg24Hour hidden to fit 80 columns; use --json or a wider terminal)');
  });
});
