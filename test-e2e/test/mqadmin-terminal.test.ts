// Apogee's mqadmin in a real 80-column terminal (tmux) against an Apogee NameServer + broker
// started as processes: every table fits (no line wider than the terminal once tmux's own
// wrapping is undone), headers and rows are where an operator expects them, and the exit status
// is 0. Port slot 13.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApogeeCluster, type ApogeeCluster } from '../src/apogee-cluster.js';
import { MQADMIN_APP_DIR, mqadminShellCommand } from '../src/mqadmin-cli.js';
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
  const topic = `TerminalLayoutTopic_${Date.now().toString(36)}_with_a_rather_long_name`;

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
  }, 120_000);

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
});
