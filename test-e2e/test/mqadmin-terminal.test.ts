// Apogee's mqadmin in a real 80-column terminal (tmux) against an Apogee NameServer + broker
// started as processes: every table fits (no line wider than the terminal once tmux's own
// wrapping is undone), headers and rows are where an operator expects them, and the exit status
// is 0. Port slot 13.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefaultMQPushConsumer } from '@apogee/client';
import { quietLogger, waitFor } from '@apogee/remoting/testing';
import { startApogeeCluster, type ApogeeCluster } from '../src/apogee-cluster.js';
import { MQADMIN_APP_DIR, mqadminShellCommand } from '../src/mqadmin-cli.js';
import { ourJson } from '../src/mqadmin-cli-scenario.js';
import { peerPorts } from '../src/ports.js';
import { hasTmux, runInTerminal } from '../src/tmux.js';

const TERMINAL_COLUMNS = 80;
const tmuxPresent = await hasTmux();
if (!tmuxPresent) {
  if (process.env.CI === 'true') throw new Error('tmux is required under CI=true (mqadmin-terminal.test.ts)');
  console.warn('!!! SKIPPED mqadmin-terminal.test.ts: tmux is not installed');
}

describe.skipIf(!tmuxPresent)(`mqadmin in a ${TERMINAL_COLUMNS}-column terminal`, () => {
  let cluster: ApogeeCluster;
  let dir: string;
  const uid = Date.now().toString(36);
  const topic = `TerminalLayoutTopic_${uid}_with_a_rather_long_name`;
  const group = `TerminalLayoutConsumerGroup_${uid}_with_a_long_name`;
  const sent: Array<{ msgId: string; offsetMsgId: string }> = [];

  const inTerminal = async (args: readonly string[]): Promise<string[]> => {
    const result = await runInTerminal(mqadminShellCommand([...args, '-n', cluster.namesrv.addr]), { columns: TERMINAL_COLUMNS, cwd: MQADMIN_APP_DIR, timeoutMs: 90_000 });
    const text = result.lines.join('\n');
    expect(result.exitStatus, `exit status of mqadmin ${args.join(' ')}; pane:\n${text}`).toBe(0);
    for (const line of result.lines) expect(line.length, `line wider than ${TERMINAL_COLUMNS} columns in mqadmin ${args[0]}:\n${line}`).toBeLessThanOrEqual(TERMINAL_COLUMNS);
    return result.lines.filter((l) => l !== '');
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apogee-mqadmin-terminal-'));
    const ports = peerPorts(13);
    cluster = await startApogeeCluster({ namesrvPort: ports.namesrvPort, brokerPort: ports.brokerPort, dir });
    // a topic with long names, three messages, and a consumer group that read them
    const ns = cluster.namesrv.addr;
    await ourJson(ns, ['updateTopic', '-c', cluster.broker.clusterName, '-t', topic, '-r', '2', '-w', '2']);
    await waitFor(async () => (await ourJson<string[]>(ns, ['topicList'])).includes(topic), { timeoutMs: 30_000 });
    for (let i = 0; i < 3; i++) {
      sent.push(await ourJson(ns, ['sendMessage', '-t', topic, '-p', `a body long enough to need more than one line ${'x'.repeat(60)} ${i}`, '-k', `order-key-${uid}-${i}`, '-c', 'TagA']));
    }
    const consumer = new DefaultMQPushConsumer({ namesrvAddr: ns, consumerGroup: group, logger: quietLogger('terminal-consumer'), persistConsumerOffsetIntervalMs: 500 });
    let seen = 0;
    consumer.subscribe(topic, '*');
    consumer.registerMessageListener({ consumeMessage: (msgs) => { seen += msgs.length; return 'CONSUME_SUCCESS'; } });
    await consumer.start();
    try {
      await waitFor(() => seen >= 3, { timeoutMs: 60_000, message: 'consumed' });
      await waitFor(async () => (await ourJson<{ diffTotal: number }>(ns, ['consumerProgress', '-g', group])).diffTotal === 0, { timeoutMs: 30_000 });
    } finally {
      await consumer.shutdown();
    }
  }, 180_000);

  afterAll(async () => {
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('clusterList', async () => {
    const lines = await inTerminal(['clusterList']);
    expect(lines[0]).toMatch(/^#Cluster N\S* +#Broker N\S* +#BID +#Addr/);
    expect(lines[1]).toContain(cluster.broker.addr);
  });

  it('topicList -c and topicRoute -l', async () => {
    const list = await inTerminal(['topicList', '-c']);
    expect(list[0]).toMatch(/^#Cluster Name +#Topic +#Consumer Group$/);
    expect(list.some((l) => l.includes('TBW102'))).toBe(true);
    const route = await inTerminal(['topicRoute', '-t', 'TBW102', '-l']);
    expect(route[0]).toMatch(/^#ClusterName +#BrokerName +#BrokerAddrs +#ReadQueue +#WriteQueue +#Perm$/);
    expect(route.join('\n').replace(/\s+/g, '')).toContain(cluster.broker.addr);
  });

  it('topicStatus, consumerProgress and statsAll', async () => {
    const status = await inTerminal(['topicStatus', '-t', topic]);
    expect(status[0]).toMatch(/^#Broker Name +#QID +#Min Offset +#Max Offset +#Last Updated$/);
    expect(status.length).toBeGreaterThanOrEqual(3);
    const progress = await inTerminal(['consumerProgress', '-g', group]);
    expect(progress[0]).toMatch(/^#Topic/);
    expect(progress.join('\n')).toMatch(/Consume Diff Total: 0/);
    const stats = await inTerminal(['statsAll', '-t', topic]);
    expect(stats[0]).toMatch(/^#Topic +#Consumer Group/);
  });

  it('queryMsgByKey, queryMsgById and printMsg', async () => {
    const byKey = await inTerminal(['queryMsgByKey', '-t', topic, '-k', `order-key-${uid}-1`]);
    expect(byKey[0]).toMatch(/^#Message ID +#QID +#Offset$/);
    expect(byKey.join('')).toContain(sent[1]!.msgId.slice(0, 16));
    const byId = await inTerminal(['queryMsgById', '-t', topic, '-i', sent[2]!.offsetMsgId]);
    expect(byId.join('\n')).toMatch(/^Topic: +TerminalLayoutTopic/m);
    const printed = await inTerminal(['printMsg', '-t', topic, '-d', 'true']);
    expect(printed.join('\n')).toContain('MSGID:');
  });

  it('brokerStatus, getBrokerConfig and sendMessage', async () => {
    const status = await inTerminal(['brokerStatus', '-b', cluster.broker.addr]);
    expect(status.join('\n')).toMatch(/^brokerVersionDesc +: V\d/m);
    const config = await inTerminal(['getBrokerConfig', '-b', cluster.broker.addr]);
    expect(config.join('\n')).toMatch(/^brokerName +=  /m);
    const send = await inTerminal(['sendMessage', '-t', topic, '-p', 'hello']);
    expect(send[0]).toMatch(/^#Broker Name +#QID +#Send Result +#MsgId$/);
  });
});
