// resetOffsetByTime and cloneGroupOffset against an in-process Apogee NameServer + broker: the
// broker-side reset with a consumer online, the fallback to the old method when a broker that
// resets through its clients answers CONSUMER_NOT_ONLINE (206), the clone of a group's offsets,
// RocketMQ's lines and tables, --json and the exit statuses of the clear failures.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId, waitFor } from '@apogee/remoting/testing';
import { ExitStatus } from '../src/index.js';
import type { CloneGroupOffsetJson } from '../src/commands/group/clone-group-offset.js';
import type { ResetOffsetByTimeJson } from '../src/commands/group/reset-offset-by-time.js';
import { Harness } from './harness.js';
import { commitOffsets, committedOffsets, consumedTopic, expectFits, re, setBrokerConfig, sleepMs, startConsumer, sum, waitCommitted } from './group-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.shutdown();
});

/** `yyyy-MM-dd#HH:mm:ss:SSS` in local time, mqadmin's timestamp format. */
function rocketmqTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}#${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}:${p(d.getMilliseconds(), 3)}`;
}

/** Sends `before` messages, then `after` more at least 50 ms later; returns a time between the two batches. */
async function twoBatches(topic: string, before: number, after: number): Promise<number> {
  await h.send(topic, before, { body: 'before' });
  await sleepMs(50);
  const mid = Date.now();
  await sleepMs(50);
  await h.send(topic, after, { body: 'after' });
  return mid;
}

describe('resetOffsetByTime', () => {
  it('with a consumer online the broker moves the group back to the time; the consumer reads those messages again', async () => {
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    await h.createTopic(topic, 2);
    const mid = await twoBatches(topic, 4, 6);
    const { received } = await startConsumer(h, group, topic);
    await waitCommitted(h, group, topic, 10);
    const text = rocketmqTime(mid);
    const result = await h.run(['resetOffsetByTime', '-g', group, '-t', topic, '-s', text]);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`start reset consumer offset by specified, group[${group}], topic[${topic}], force[true], timestamp(string)[${text}], timestamp(long)[${mid}]`);
    expect(lines[1]).toMatch(/^#brokerName +#queueId +#offset$/);
    expect(lines.slice(2)).toEqual([expect.stringMatching(new RegExp(`^${re(h.brokerName)} +0 +2$`)), expect.stringMatching(new RegExp(`^${re(h.brokerName)} +1 +2$`))]);
    // the six messages after the time come again
    await waitFor(() => received.filter((b) => b === 'after').length === 12, { timeoutMs: 20_000 });
    expect(received.filter((b) => b === 'before')).toHaveLength(4);
  });

  it('--json reports the offsets set; epoch ms and `now` are timestamps too', async () => {
    const { topic, group } = await consumedTopic(h, 2, 6);
    const json = await h.json<ResetOffsetByTimeJson>(['resetOffsetByTime', '-g', group, '-t', topic, '-s', '0', '-f', 'false']);
    expect(json).toEqual({
      group, topic, force: false, timestampText: '0', timestamp: 0, method: 'broker',
      offsets: [{ brokerName: h.brokerName, queueId: 0, offset: 0 }, { brokerName: h.brokerName, queueId: 1, offset: 0 }],
    });
    await waitCommitted(h, group, topic, 6);
    const now = await h.json<ResetOffsetByTimeJson>(['resetOffsetByTime', '-g', group, '-t', topic, '-s', 'now']);
    expect(now.timestamp).toBeGreaterThan(Date.now() - 60_000);
    expect(now.method === 'broker' && now.offsets.map((o) => o.offset)).toEqual([3, 3]);
  });

  it('when the broker answers CONSUMER_NOT_ONLINE it falls back to the old method and commits the offsets itself', async () => {
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    await h.createTopic(topic, 2);
    const mid = await twoBatches(topic, 4, 6);
    await commitOffsets(h, group, topic, 2, 5);
    await setBrokerConfig(h, 'useServerSideResetOffset', 'false');
    try {
      const result = await h.run(['resetOffsetByTime', '-g', group, '-t', topic, '-s', String(mid)]);
      expect(result.status).toBe(ExitStatus.OK);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toBe(`reset consumer offset by specified consumerGroup[${group}], topic[${topic}], force[true], timestamp(string)[${mid}], timestamp(long)[${mid}]`);
      expect(lines[1]).toMatch(/^#brokerName +#queueId +#brokerOffset +#consumerOffset +#timestampOffset +#resetOffset$/);
      expect(lines[2]).toMatch(new RegExp(`^${re(h.brokerName)} +0 +5 +5 +2 +2$`));
      expect(lines[3]).toMatch(new RegExp(`^${re(h.brokerName)} +1 +5 +5 +2 +2$`));
      expect([...(await committedOffsets(h, group, topic)).values()]).toEqual([2, 2]);

      // without force a time ahead of the group's offsets leaves them where they are
      const json = await h.json<ResetOffsetByTimeJson>(['resetOffsetByTime', '-g', group, '-t', topic, '-s', 'now', '-f', 'false']);
      expect(json.method).toBe('old');
      expect(json.method === 'old' && json.queues).toEqual([
        { brokerName: h.brokerName, queueId: 0, brokerOffset: 5, consumerOffset: 2, timestampOffset: 5, resetOffset: 2 },
        { brokerName: h.brokerName, queueId: 1, brokerOffset: 5, consumerOffset: 2, timestampOffset: 5, resetOffset: 2 },
      ]);
      expect([...(await committedOffsets(h, group, topic)).values()]).toEqual([2, 2]);
      expectFits((await h.run(['resetOffsetByTime', '-g', group, '-t', topic, '-s', '0'], { ttyColumns: 80 })).stdout.split('\n').slice(1).join('\n'));
      expect(sum((await committedOffsets(h, group, topic)).values())).toBe(0);
    } finally {
      await setBrokerConfig(h, 'useServerSideResetOffset', 'true');
    }
  });

  it('an unknown topic or group exits 1 naming it; bad -s or -f values exit 2', async () => {
    const topic = `t-${randomId()}`;
    await h.createTopic(topic, 1);
    const unknownTopic = await h.run(['resetOffsetByTime', '-g', 'g1', '-t', 'no-such-topic', '-s', 'now']);
    expect(unknownTopic.status).toBe(ExitStatus.FAILED);
    expect(unknownTopic.stderr).toMatch(/^mqadmin: topic no-such-topic not found \(.*TOPIC_NOT_EXIST \(17\)/);
    const unknownGroup = await h.run(['resetOffsetByTime', '-g', 'no-such-group', '-t', topic, '-s', 'now']);
    expect(unknownGroup.status).toBe(ExitStatus.FAILED);
    expect(unknownGroup.stderr).toMatch(/^mqadmin: consumer group no-such-group does not exist on the broker \(.*SUBSCRIPTION_GROUP_NOT_EXIST \(26\)/);
    expect(unknownGroup.stdout).toBe('');
    for (const argv of [['-s', 'yesterday'], ['-s', 'now', '-f', 'sometimes'], []]) {
      const result = await h.run(['resetOffsetByTime', '-g', 'g1', '-t', topic, ...argv]);
      expect(result.status, argv.join(' ')).toBe(ExitStatus.USAGE);
    }
  });
});

describe('cloneGroupOffset', () => {
  it('copies the source group\'s offsets on the topic to the destination group', async () => {
    const { topic, group: src } = await consumedTopic(h, 2, 6);
    const dest = `cg-${randomId()}`;
    const result = await h.run(['cloneGroupOffset', '-s', src, '-d', dest, '-t', topic]);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`clone group offset success. srcGroup[${src}], destGroup=[${dest}], topic[${topic}]\n`);
    expect([...(await committedOffsets(h, dest, topic)).entries()]).toEqual([[0, 3], [1, 3]]);
    const again = `cg-${randomId()}`;
    const json = await h.json<CloneGroupOffsetJson>(['cloneGroupOffset', '-s', src, '-d', again, '-t', topic, '-o', 'true']);
    expect(json).toEqual({
      srcGroup: src, destGroup: again, topic, offline: true,
      offsets: [{ brokerName: h.brokerName, queueId: 0, consumerOffset: 3 }, { brokerName: h.brokerName, queueId: 1, consumerOffset: 3 }],
    });
  });

  it('an unknown topic, an unknown source group or one without offsets on the topic exits 1; a bad -o exits 2', async () => {
    const { topic, group: src } = await consumedTopic(h, 1, 1);
    const other = `t-${randomId()}`;
    await h.createTopic(other, 1);
    const unknownTopic = await h.run(['cloneGroupOffset', '-s', src, '-d', 'd1', '-t', 'no-such-topic']);
    expect(unknownTopic.status).toBe(ExitStatus.FAILED);
    expect(unknownTopic.stderr).toMatch(/^mqadmin: topic no-such-topic not found \(/);
    const unknownGroup = await h.run(['cloneGroupOffset', '-s', 'no-such-group', '-d', 'd1', '-t', topic]);
    expect(unknownGroup.status).toBe(ExitStatus.FAILED);
    expect(unknownGroup.stderr).toBe('mqadmin: consumer group no-such-group not found: the NameServer has no route for %RETRY%no-such-group (it never had a consumer online)\n');
    const noOffsets = await h.run(['cloneGroupOffset', '-s', src, '-d', 'd1', '-t', other]);
    expect(noOffsets.status).toBe(ExitStatus.FAILED);
    expect(noOffsets.stderr).toBe(`mqadmin: consumer group ${src} has no committed offsets on topic ${other}\n`);
    expect((await h.run(['cloneGroupOffset', '-s', src, '-d', 'd1', '-t', topic, '-o', 'yes'])).status).toBe(ExitStatus.USAGE);
  });
});
