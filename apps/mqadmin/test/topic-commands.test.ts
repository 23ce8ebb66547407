// topicStatus, topicClusterList, updateTopic, updateTopicPerm and deleteTopic against an
// in-process cluster: the Harness's master in DefaultCluster and a master in OtherCluster; a
// ghost master (listed by the NameServer, not answering) shows one failing broker of several.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerController } from '@apogee/broker';
import type { DefaultMQAdminExt } from '@apogee/client';
import { randomId } from '@apogee/remoting/testing';
import { ExitStatus } from '../src/index.js';
import type { DeleteTopicResult } from '../src/commands/topic/delete-topic.js';
import type { TopicStatusRow } from '../src/commands/topic/topic-status.js';
import type { UpdateTopicPermResult } from '../src/commands/topic/update-topic-perm.js';
import type { UpdateTopicResult } from '../src/commands/topic/update-topic.js';
import { DEAD_ADDR, re, registerGhostBroker, startAdmin, startExtraBroker, widestLine } from './cluster-fixtures.js';
import { Harness } from './harness.js';

let h: Harness;
let other: BrokerController;
let otherName: string;
let admin: DefaultMQAdminExt;
beforeAll(async () => {
  h = await Harness.start();
  otherName = `broker-other-${randomId()}`;
  other = await startExtraBroker(h, { clusterName: 'OtherCluster', brokerName: otherName });
  admin = await startAdmin(h);
});
afterAll(async () => {
  await h?.shutdown();
});

const newTopic = (): string => `t-${randomId()}`;
const routeOf = (topic: string): Promise<{ queueDatas: Array<{ brokerName: string; readQueueNums: number; writeQueueNums: number; perm: number; topicSysFlag: number }> }> =>
  h.json(['topicRoute', '-t', topic]);

describe('topicStatus', () => {
  it('prints #Broker Name #QID #Min Offset #Max Offset #Last Updated per queue, and the rows as JSON', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 2);
    await h.send(topic, 3);
    const result = await h.run(['topicStatus', '-t', topic]);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^#Broker Name +#QID +#Min Offset +#Max Offset +#Last Updated$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${re(h.brokerName)} +0 +0 +\\d+( +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3})?$`));
    expect(result.stdout).toMatch(/ \d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}$/m);
    const rows = await h.json<TopicStatusRow[]>(['topicStatus', '-t', topic]);
    expect(rows.map((r) => [r.brokerName, r.queueId, r.minOffset])).toEqual([[h.brokerName, 0, 0], [h.brokerName, 1, 0]]);
    expect(rows.reduce((n, r) => n + r.maxOffset, 0)).toBe(3);
    for (const r of rows) expect(r.lastUpdateTimestamp > 0).toBe(r.maxOffset > 0);
  });

  it('-c keeps the brokers of that cluster; a cluster without the topic or an unknown one exits 1', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 2);
    expect((await h.json<TopicStatusRow[]>(['topicStatus', '-t', topic, '-c', 'DefaultCluster'])).map((r) => r.brokerName)).toEqual([h.brokerName, h.brokerName]);
    const elsewhere = await h.run(['topicStatus', '-t', topic, '-c', 'OtherCluster']);
    expect(elsewhere.status).toBe(ExitStatus.FAILED);
    expect(elsewhere.stderr).toBe(`mqadmin: topic ${topic} has no queue in cluster OtherCluster\n`);
    const unknown = await h.run(['topicStatus', '-t', topic, '-c', 'NoSuchCluster']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('cluster "NoSuchCluster" not found');
  });

  it('an unknown topic exits 1 naming TOPIC_NOT_EXIST', async () => {
    const result = await h.run(['topicStatus', '-t', `missing-${randomId()}`]);
    expect(result.status).toBe(ExitStatus.FAILED);
    expect(result.stderr).toMatch(/^mqadmin: .*TOPIC_NOT_EXIST \(17\).*\n$/);
    expect(result.stdout).toBe('');
  });

  it('fits 80 columns', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 1);
    await h.send(topic, 1);
    const result = await h.run(['topicStatus', '-t', topic], { ttyColumns: 80 });
    expect(widestLine(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(new RegExp(`^${re(h.brokerName)} +0 +0 +1 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}$`, 'm'));
  });
});

describe('topicClusterList', () => {
  it('prints the clusters the topic lives in, one a line; JSON is the list', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 1);
    const one = await h.run(['topicClusterList', '-t', topic]);
    expect(one.status).toBe(ExitStatus.OK);
    expect(one.stdout).toBe('DefaultCluster\n');
    expect((await h.run(['updateTopic', '-c', 'OtherCluster', '-t', topic])).status).toBe(ExitStatus.OK);
    expect((await h.run(['topicClusterList', '-t', topic])).stdout).toBe('DefaultCluster\nOtherCluster\n');
    expect(await h.json(['topicClusterList', '-t', topic])).toEqual(['DefaultCluster', 'OtherCluster']);
  });

  it('an unknown topic exits 1 naming TOPIC_NOT_EXIST', async () => {
    const result = await h.run(['topicClusterList', '-t', `missing-${randomId()}`]);
    expect(result.status).toBe(ExitStatus.FAILED);
    expect(result.stderr).toContain('TOPIC_NOT_EXIST (17)');
  });
});

describe('updateTopic', () => {
  it('-c creates the topic on the cluster\'s masters and prints the TopicConfig like RocketMQ', async () => {
    const topic = newTopic();
    const result = await h.run(['updateTopic', '-c', 'DefaultCluster', '-t', topic, '-r', '3', '-w', '5', '-p', '4']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`create topic to ${h.brokerAddr} success.\n`
      + `TopicConfig [topicName=${topic}, readQueueNums=3, writeQueueNums=5, perm=R--, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=false, attributes={}]\n`);
    expect((await routeOf(topic)).queueDatas).toEqual([{ brokerName: h.brokerName, readQueueNums: 3, writeQueueNums: 5, perm: 4, topicSysFlag: 0 }]);
  });

  it('defaults to 8 read / 8 write queues and perm 6; --json shows the config and each broker', async () => {
    const topic = newTopic();
    const json = await h.json<UpdateTopicResult>(['updateTopic', '-b', h.brokerAddr, '-t', topic]);
    expect(json).toEqual({
      topicConfig: { topicName: topic, readQueueNums: 8, writeQueueNums: 8, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {} },
      brokers: [{ brokerAddr: h.brokerAddr, ok: true }],
    });
    expect((await routeOf(topic)).queueDatas[0]).toMatchObject({ readQueueNums: 8, writeQueueNums: 8, perm: 6 });
  });

  it('-b with -o true, -u true and -a: the broker\'s orderConf on the NameServer, sysFlag and attributes', async () => {
    const topic = newTopic();
    const result = await h.run(['updateTopic', '-b', h.brokerAddr, '-t', topic, '-w', '4', '-r', '4', '-o', 'true', '-u', 'true', '-a', '+message.type=FIFO']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`set broker orderConf. isOrder=true, orderConf=[${h.brokerName}:4]\n`
      + `create topic to ${h.brokerAddr} success.\n`
      + `TopicConfig [topicName=${topic}, readQueueNums=4, writeQueueNums=4, perm=RW-, topicFilterType=SINGLE_TAG, topicSysFlag=1, order=true, attributes={+message.type=FIFO}]\n`);
    expect(await admin.getKVConfig('ORDER_TOPIC_CONFIG', topic)).toBe(`${h.brokerName}:4`);
    const config = await admin.examineTopicConfig(h.brokerAddr, topic);
    expect(config).toMatchObject({ order: true, topicSysFlag: 1, attributes: { 'message.type': 'FIFO' } });
    // -b merges its broker's pair into the entry the topic already has
    await admin.putKVConfig('ORDER_TOPIC_CONFIG', topic, `${otherName}:2;${h.brokerName}:4`);
    await h.run(['updateTopic', '-b', h.brokerAddr, '-t', topic, '-w', '6', '-r', '6', '-o', 'true']);
    expect(await admin.getKVConfig('ORDER_TOPIC_CONFIG', topic)).toBe(`${otherName}:2;${h.brokerName}:6`);
  });

  it('-c with -o true puts one brokerName:writeQueueNums per broker of the cluster', async () => {
    const topic = newTopic();
    const result = await h.run(['updateTopic', '-c', 'DefaultCluster', '-t', topic, '-o', 'true', '-w', '2', '-r', '2']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([`create topic to ${h.brokerAddr} success.`, `set cluster orderConf. isOrder=true, orderConf=[${h.brokerName}:2]`]);
    expect(await admin.getKVConfig('ORDER_TOPIC_CONFIG', topic)).toBe(`${h.brokerName}:2`);
    expect((await h.json<UpdateTopicResult>(['updateTopic', '-c', 'DefaultCluster', '-t', topic, '-o', 'true', '-w', '2', '-r', '2'])).orderConf).toBe(`${h.brokerName}:2`);
  });

  it('checks the topic name and option values before anything is sent (exit 2)', async () => {
    const cases: Array<[string[], string]> = [
      [['-c', 'DefaultCluster', '-t', 'bad topic'], 'option --topic: topic "bad topic" has characters outside'],
      [['-c', 'DefaultCluster', '-t', 'x'.repeat(128)], 'more than the limit of 127'],
      [['-t', 'ok'], 'one of -b/--brokerAddr'],
      [['-b', h.brokerAddr, '-c', 'DefaultCluster', '-t', 'ok'], 'not both'],
      [['-c', 'DefaultCluster', '-t', 'ok', '-r', 'many'], 'option --readQueueNums must be an integer'],
      [['-c', 'DefaultCluster', '-t', 'ok', '--writeQueueNums=-1'], 'option --writeQueueNums must be at least 0'],
      [['-c', 'DefaultCluster', '-t', 'ok', '-p', '9'], 'option --perm must be at most 7'],
      [['-c', 'DefaultCluster', '-t', 'ok', '-o', 'yes'], 'option --order must be true or false'],
      [['-c', 'DefaultCluster', '-t', 'ok', '-a', 'message.type=FIFO'], 'is not +key=value'],
      [['-c', 'DefaultCluster', '-t', 'ok', '-a', '+a=1,+a=2'], 'a is given twice'],
      [['-c', 'DefaultCluster', '-t', 'ok', '-a', '-message.type'], 'removing an attribute (-message.type) is not supported'],
    ];
    for (const [args, message] of cases) {
      const result = await h.run(['updateTopic', ...args]);
      expect(result.status, args.join(' ')).toBe(ExitStatus.USAGE);
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('a broker refusal exits 1 naming the response code; an unknown cluster exits 1', async () => {
    const single = await h.run(['updateTopic', '-b', h.brokerAddr, '-t', newTopic(), '-a', '+no.such.attribute=1']);
    expect(single.status).toBe(ExitStatus.FAILED);
    expect(single.stderr).toMatch(new RegExp(`^mqadmin: ${re(h.brokerAddr)} answered INVALID_PARAMETER \\(29\\): .*no\\.such\\.attribute.*\\n$`));
    const system = await h.run(['updateTopic', '-c', 'DefaultCluster', '-t', 'SCHEDULE_TOPIC_XXXX']);
    expect(system.status).toBe(ExitStatus.FAILED);
    expect(system.stdout).toMatch(new RegExp(`^create topic to ${re(h.brokerAddr)} failed: INVALID_PARAMETER \\(29\\): .*conflict with system topic`, 'm'));
    const unknown = await h.run(['updateTopic', '-c', 'NoSuchCluster', '-t', newTopic()]);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('cluster "NoSuchCluster" not found');
  });

  it('-c with a master that does not answer creates the topic on the others and exits 1', async () => {
    const ghost = await registerGhostBroker(h, { clusterName: 'OtherCluster', brokerName: `broker-ghost-${randomId()}`, brokerId: 0 });
    try {
      const topic = newTopic();
      const result = await h.run(['updateTopic', '-c', 'OtherCluster', '-t', topic, '--json']);
      expect(result.status).toBe(ExitStatus.FAILED);
      const json = JSON.parse(result.stdout) as UpdateTopicResult;
      expect(json.brokers).toContainEqual({ brokerAddr: other.brokerAddr, ok: true });
      expect(json.brokers).toContainEqual({ brokerAddr: DEAD_ADDR, ok: false, error: expect.any(String) });
      expect((await routeOf(topic)).queueDatas.map((q) => q.brokerName)).toEqual([otherName]);
      const text = await h.run(['updateTopic', '-c', 'OtherCluster', '-t', topic]);
      expect(text.stdout).toMatch(new RegExp(`^create topic to ${re(DEAD_ADDR)} failed: .+$`, 'm'));
      expect(text.stdout).toContain(`create topic to ${other.brokerAddr} success.\n`);
    } finally {
      await ghost.remove();
    }
  });
});

describe('updateTopicPerm', () => {
  it('-b changes only the perm and prints old and new perm and the config sent', async () => {
    const topic = newTopic();
    await h.run(['updateTopic', '-b', h.brokerAddr, '-t', topic, '-r', '3', '-w', '3', '-o', 'true', '-a', '+message.type=FIFO']);
    const result = await h.run(['updateTopicPerm', '-t', topic, '-p', '4', '-b', h.brokerAddr]);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`update topic perm from 6 to 4 in ${h.brokerAddr} success.\n`
      + `TopicConfig [topicName=${topic}, readQueueNums=3, writeQueueNums=3, perm=R--, topicFilterType=SINGLE_TAG, topicSysFlag=0, order=true, attributes={}].\n`);
    expect((await routeOf(topic)).queueDatas[0]).toMatchObject({ readQueueNums: 3, writeQueueNums: 3, perm: 4 });
    expect(await admin.examineTopicConfig(h.brokerAddr, topic)).toMatchObject({ perm: 4, order: true, attributes: { 'message.type': 'FIFO' } });
    const same = await h.run(['updateTopicPerm', '-t', topic, '-p', '4', '-b', h.brokerAddr]);
    expect(same.status).toBe(ExitStatus.OK);
    expect(same.stdout).toBe('new perm equals to the old one!\n');
    expect(await h.json<UpdateTopicPermResult>(['updateTopicPerm', '-t', topic, '-p', '4', '-b', h.brokerAddr])).toEqual({
      topic, perm: 4, brokers: [{ brokerAddr: h.brokerAddr, oldPerm: 4, newPerm: 4, updated: false }],
    });
  });

  it('-c changes it on the cluster\'s masters that host the topic', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 2);
    const result = await h.run(['updateTopicPerm', '-t', topic, '-p', '2', '-c', 'DefaultCluster']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`update topic perm from 6 to 2 in ${h.brokerAddr} success.\n`);
    expect((await routeOf(topic)).queueDatas[0]).toMatchObject({ readQueueNums: 2, writeQueueNums: 2, perm: 2 });
    expect(await h.json<UpdateTopicPermResult>(['updateTopicPerm', '-t', topic, '-p', '6', '-c', 'DefaultCluster'])).toEqual({
      topic, perm: 6, brokers: [{ brokerAddr: h.brokerAddr, oldPerm: 2, newPerm: 6, updated: true }],
    });
    const elsewhere = await h.run(['updateTopicPerm', '-t', topic, '-p', '6', '-c', 'OtherCluster']);
    expect(elsewhere.status).toBe(ExitStatus.FAILED);
    expect(elsewhere.stderr).toBe(`mqadmin: topic ${topic} has no master broker in cluster OtherCluster\n`);
  });

  it('accepts only perm 2, 4 or 6 (exit 2); an unknown topic or a broker not hosting it exits 1', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 1);
    for (const perm of ['7', '3', '0', 'rw']) {
      const result = await h.run(['updateTopicPerm', '-t', topic, '-p', perm, '-b', h.brokerAddr]);
      expect(result.status, perm).toBe(ExitStatus.USAGE);
    }
    expect((await h.run(['updateTopicPerm', '-t', topic, '-p', '7', '-b', h.brokerAddr])).stderr).toContain('option --perm must be 2 (W), 4 (R) or 6 (RW), got 7');
    expect((await h.run(['updateTopicPerm', '-t', topic, '-p', '4'])).status).toBe(ExitStatus.USAGE);
    const unknown = await h.run(['updateTopicPerm', '-t', `missing-${randomId()}`, '-p', '4', '-c', 'DefaultCluster']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('TOPIC_NOT_EXIST (17)');
    const notHosting = await h.run(['updateTopicPerm', '-t', topic, '-p', '4', '-b', other.brokerAddr]);
    expect(notHosting.status).toBe(ExitStatus.FAILED);
    expect(notHosting.stderr).toContain(`${other.brokerAddr} is not a master broker hosting topic ${topic}`);
  });
});

describe('deleteTopic', () => {
  it('deletes from the cluster\'s masters and the NameServer, as RocketMQ prints it', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 2);
    const result = await h.run(['deleteTopic', '-t', topic, '-c', 'DefaultCluster']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`delete topic [${topic}] from cluster [DefaultCluster] success.\ndelete topic [${topic}] from NameServer success.\n`);
    expect((await h.run(['topicRoute', '-t', topic])).stderr).toContain('TOPIC_NOT_EXIST (17)');
    await expect(admin.examineTopicConfig(h.brokerAddr, topic)).rejects.toThrow(/TOPIC_NOT_EXIST/);
  });

  it('--json names the masters; a topic known to nobody exits 1 with TOPIC_NOT_EXIST', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 1);
    expect(await h.json<DeleteTopicResult>(['deleteTopic', '-t', topic, '-c', 'DefaultCluster'])).toEqual({ topic, clusterName: 'DefaultCluster', brokerAddrs: [h.brokerAddr] });
    const again = await h.run(['deleteTopic', '-t', topic, '-c', 'DefaultCluster']);
    expect(again.status).toBe(ExitStatus.FAILED);
    expect(again.stderr).toBe(`mqadmin: topic ${topic} does not exist: neither the NameServer nor a master of cluster DefaultCluster knows it (TOPIC_NOT_EXIST)\n`);
    expect(again.stdout).toBe('');
  });

  it('finishes a half-done delete: a topic the broker still has but the NameServer no longer routes', async () => {
    const topic = newTopic();
    await h.createTopic(topic, 1);
    await admin.deleteTopicInNameServer(topic);
    expect((await h.run(['topicRoute', '-t', topic])).status).toBe(ExitStatus.FAILED);
    const result = await h.run(['deleteTopic', '-t', topic, '-c', 'DefaultCluster']);
    expect(result.status).toBe(ExitStatus.OK);
    await expect(admin.examineTopicConfig(h.brokerAddr, topic)).rejects.toThrow(/TOPIC_NOT_EXIST/);
  });

  it('needs -t and -c (exit 2); an unknown cluster exits 1', async () => {
    const missing = await h.run(['deleteTopic', '-t', 'x']);
    expect(missing.status).toBe(ExitStatus.USAGE);
    expect(missing.stderr).toContain("required option '-c, --clusterName <cluster>' not specified");
    const unknown = await h.run(['deleteTopic', '-t', 'x', '-c', 'NoSuchCluster']);
    expect(unknown.status).toBe(ExitStatus.FAILED);
    expect(unknown.stderr).toContain('cluster "NoSuchCluster" not found');
  });
});
