import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomId } from '@apogee/remoting/testing';
import { ExitStatus } from '../src/index.js';
import { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.shutdown();
});

describe('clusterList', () => {
  it('prints the broker row as a table and as JSON', async () => {
    const result = await h.run(['clusterList']);
    expect(result.status).toBe(ExitStatus.OK);
    const [header, row] = result.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^#Cluster Name +#Broker Name +#BID +#Addr +#Version +#InTPS\(LOAD\) +#OutTPS\(LOAD\) +#Timer\(Progress\) +#PCWait\(ms\) +#Hour +#SPACE +#ACTIVATED$/);
    const load = '\\d+\\.\\d\\d\\(\\d+,\\d+ms\\)';
    const outLoad = '\\d+\\.\\d\\d\\(\\d+,\\d+ms\\|(\\d+|N),(\\d+|N)ms\\)';
    const timer = '\\d+-\\d+\\(\\d+\\.\\dw, \\d+\\.\\d, \\d+\\.\\d\\)';
    expect(row).toMatch(new RegExp(`^DefaultCluster +${h.brokerName} +0 +${h.brokerAddr.replace(/\./g, '\\.')} +V\\d+_\\d+_\\d+ +${load} +${outLoad} +${timer} +\\d+ +\\d+\\.\\d\\d +\\d\\.\\d{4} +true$`));
    const rows = await h.json<Array<Record<string, unknown>>>(['clusterList']);
    expect(rows).toEqual([expect.objectContaining({
      clusterName: 'DefaultCluster', brokerName: h.brokerName, brokerId: 0, addr: h.brokerAddr, brokerActive: true, sendThreadPoolQueueSize: '0', ackThreadPoolQueueSize: expect.any(String), timerReadBehind: 0,
    })]);
  });

  it('fits 80 columns on a terminal, keeping cluster, broker, address and TPS and naming what it hid', async () => {
    const result = await h.run(['clusterList'], { ttyColumns: 80 });
    for (const line of result.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/^#Cluster Name +#Broker N\S* +#BID +#Addr +#InTPS\(LOAD\) +#OutTPS\(LOA\S*$/m);
    expect(result.stdout).toMatch(new RegExp(`^DefaultCluster +\\S+ +0 +${h.brokerAddr.replace(/\./g, '\\.')} +\\d+\\.\\d\\d\\(`, 'm'));
    expect(result.stdout).toContain('#Version, #Timer(Progress), #PCWait(ms), #Hour, #SPACE, #ACTIVATED hidden to');
  });

  it('-m prints yesterday/today totals that count sends', async () => {
    const topic = `t-${randomId()}`;
    await h.createTopic(topic, 2);
    await h.send(topic, 3);
    const rows = await h.json<Array<{ inTotalToday: number }>>(['clusterList', '-m']);
    expect(rows[0]!.inTotalToday).toBeGreaterThanOrEqual(3);
    const text = await h.run(['clusterList', '-m']);
    expect(text.stdout).toMatch(/^#Cluster Name +#Broker Name +#InTotalYest +#OutTotalYest +#InTotalToday +#OutTotalToday$/m);
  });

  it('-c for an unknown cluster prints no rows', async () => {
    expect(await h.json(['clusterList', '-c', 'NoSuchCluster'])).toEqual([]);
  });
});

describe('topicList and topicRoute', () => {
  it('topicList prints one topic per line, sorted; -c adds cluster and consumer group', async () => {
    const topic = `t-${randomId()}`;
    await h.createTopic(topic, 2);
    const plain = await h.run(['topicList']);
    expect(plain.status).toBe(ExitStatus.OK);
    const lines = plain.stdout.trimEnd().split('\n');
    expect(lines).toContain(topic);
    expect(lines).toEqual([...lines].sort());
    expect(await h.json<string[]>(['topicList'])).toContain(topic);
    const clustered = await h.json<Array<{ clusterName: string; topic: string; consumerGroup: string }>>(['topicList', '-c']);
    expect(clustered).toContainEqual({ clusterName: 'DefaultCluster', topic, consumerGroup: '' });
    const table = await h.run(['topicList', '-c']);
    expect(table.stdout).toMatch(new RegExp(`^DefaultCluster +${topic}$`, 'm'));
  });

  it('topicRoute prints the route as JSON by default and as a table with -l', async () => {
    const topic = `t-${randomId()}`;
    await h.createTopic(topic, 3);
    const route = await h.json<{ brokerDatas: Array<{ brokerName: string; brokerAddrs: Record<string, string> }>; queueDatas: unknown[] }>(['topicRoute', '-t', topic]);
    expect(route.brokerDatas[0]).toMatchObject({ brokerName: h.brokerName, brokerAddrs: { 0: h.brokerAddr } });
    expect(route.queueDatas).toEqual([{ brokerName: h.brokerName, readQueueNums: 3, writeQueueNums: 3, perm: 6, topicSysFlag: 0 }]);
    const plain = await h.run(['topicRoute', '-t', topic]);
    expect(JSON.parse(plain.stdout)).toEqual(route);
    const list = await h.run(['topicRoute', '-t', topic, '-l']);
    expect(list.stdout).toMatch(new RegExp(`^DefaultCluster +${h.brokerName} +\\{0=${h.brokerAddr.replace(/\./g, '\\.')}\\} +3 +3 +6$`, 'm'));
    expect(list.stdout).toMatch(/^Total: +1 +3 +3$/m);
  });

  it('topicRoute of an unknown topic exits 1 naming TOPIC_NOT_EXIST', async () => {
    const result = await h.run(['topicRoute', '-t', `missing-${randomId()}`]);
    expect(result.status).toBe(ExitStatus.FAILED);
    expect(result.stderr).toContain('TOPIC_NOT_EXIST (17)');
    expect(result.stdout).toBe('');
  });
});
