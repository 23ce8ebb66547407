// brokerStatus, getBrokerConfig and updateBrokerConfig against an in-process cluster: the
// Harness's master, a slave of it, and a master of another cluster; a ghost broker (listed by
// the NameServer, not answering) shows how one failing broker of several is reported.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerController } from '@apogee/broker';
import { randomId } from '@apogee/remoting/testing';
import { ExitStatus } from '../src/index.js';
import type { BrokerConfigEntry } from '../src/commands/cluster/get-broker-config.js';
import type { BrokerStatusEntry } from '../src/commands/cluster/broker-status.js';
import type { UpdateBrokerConfigResult } from '../src/commands/cluster/update-broker-config.js';
import { DEAD_ADDR, re, registerGhostBroker, startExtraBroker, widestLine } from './cluster-fixtures.js';
import { Harness } from './harness.js';

let h: Harness;
let slave: BrokerController;
let other: BrokerController;
beforeAll(async () => {
  h = await Harness.start();
  slave = await startExtraBroker(h, { clusterName: 'DefaultCluster', brokerName: h.brokerName, slave: true });
  other = await startExtraBroker(h, { clusterName: 'OtherCluster', brokerName: `broker-other-${randomId()}` });
});
afterAll(async () => {
  await h?.shutdown();
});

/** Runs with a ghost slave (id 2) of the Harness's broker listed in DefaultCluster. */
async function withGhostSlave<T>(body: () => Promise<T>): Promise<T> {
  const ghost = await registerGhostBroker(h, { clusterName: 'DefaultCluster', brokerName: h.brokerName, brokerId: 2 });
  try {
    return await body();
  } finally {
    await ghost.remove();
  }
}

describe('the -b / -c choice', () => {
  for (const command of [['brokerStatus'], ['getBrokerConfig'], ['updateBrokerConfig', '-k', 'traceOn', '-v', 'true']]) {
    it(`${command[0]} wants exactly one of -b and -c (exit 2), and a known cluster (exit 1)`, async () => {
      const none = await h.run(command);
      expect(none.status).toBe(ExitStatus.USAGE);
      expect(none.stderr).toBe('mqadmin: one of -b/--brokerAddr <host:port> or -c/--clusterName <cluster> is required\n');
      const both = await h.run([...command, '-b', h.brokerAddr, '-c', 'DefaultCluster']);
      expect(both.status).toBe(ExitStatus.USAGE);
      expect(both.stderr).toContain('not both');
      const unknown = await h.run([...command, '-c', 'NoSuchCluster']);
      expect(unknown.status).toBe(ExitStatus.FAILED);
      expect(unknown.stderr).toBe('mqadmin: cluster "NoSuchCluster" not found; the NameServer knows DefaultCluster, OtherCluster\n');
      expect(unknown.stdout).toBe('');
    });

    it(`${command[0]} -b of a broker that does not answer exits 1 with one line naming it`, async () => {
      const result = await h.run([...command, '-b', DEAD_ADDR]);
      expect(result.status).toBe(ExitStatus.FAILED);
      expect(result.stderr).toMatch(new RegExp(`^mqadmin: .*${re(DEAD_ADDR)}.*\\n$`));
      expect(result.stdout).toBe('');
    });
  }
});

describe('brokerStatus', () => {
  it('-b prints the runtime KV table sorted by key as `%-32s: %s`, and an object per broker in JSON', async () => {
    const result = await h.run(['brokerStatus', '-b', h.brokerAddr]);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toContain(`brokerVersionDesc${' '.repeat(32 - 'brokerVersionDesc'.length)}: V5_3_3`);
    expect(result.stdout).toMatch(/^brokerActive {20}: true$/m);
    expect(result.stdout).toMatch(/^putTps {26}: \d+\.\d\d \d+\.\d\d \d+\.\d\d$/m);
    const keys = lines.map((l) => l.split(/ *: /)[0]!);
    expect(keys).toEqual([...keys].sort());
    const json = await h.json<BrokerStatusEntry[]>(['brokerStatus', '-b', h.brokerAddr]);
    expect(json).toEqual([{ brokerAddr: h.brokerAddr, runtime: expect.objectContaining({ brokerActive: 'true', brokerVersionDesc: 'V5_3_3' }) }]);
    expect(Object.keys(json[0]!.runtime!)).toEqual(keys);
  });

  it('-c prints every master and slave of the cluster, each line led by the address', async () => {
    const result = await h.run(['brokerStatus', '-c', 'DefaultCluster']);
    expect(result.status).toBe(ExitStatus.OK);
    for (const addr of [h.brokerAddr, slave.brokerAddr]) expect(result.stdout).toMatch(new RegExp(`^${re(addr.padEnd(24))} brokerVersionDesc {15}: V5_3_3$`, 'm'));
    // a slave's special services (schedule, transaction check) do not run, as in RocketMQ
    expect(result.stdout).toMatch(new RegExp(`^${re(h.brokerAddr.padEnd(24))} brokerActive {20}: true$`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^${re(slave.brokerAddr.padEnd(24))} brokerActive {20}: false$`, 'm'));
    expect(result.stdout).not.toContain(other.brokerAddr);
    const json = await h.json<BrokerStatusEntry[]>(['brokerStatus', '-c', 'DefaultCluster']);
    expect(json.map((e) => e.brokerAddr).sort()).toEqual([h.brokerAddr, slave.brokerAddr].sort());
    expect(json.every((e) => e.runtime?.['brokerVersionDesc'] === 'V5_3_3' && e.error === undefined)).toBe(true);
  });

  it('-c fits an 80-column terminal, long keys and values going on over further lines', async () => {
    const result = await h.run(['brokerStatus', '-c', 'DefaultCluster'], { ttyColumns: 80 });
    expect(result.status).toBe(ExitStatus.OK);
    expect(widestLine(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(new RegExp(`^${re(h.brokerAddr)} +brokerVersionDesc +: V5_3_3$`, 'm'));
  });

  it('-c reports a broker that does not answer in its place, keeps the others, and exits 1', async () => {
    await withGhostSlave(async () => {
      const result = await h.run(['brokerStatus', '-c', 'DefaultCluster']);
      expect(result.status).toBe(ExitStatus.FAILED);
      expect(result.stdout).toMatch(new RegExp(`^${re(DEAD_ADDR.padEnd(24))} failed: .+$`, 'm'));
      expect(result.stdout).toMatch(new RegExp(`^${re(h.brokerAddr.padEnd(24))} brokerActive {20}: true$`, 'm'));
      const json = await h.run(['brokerStatus', '-c', 'DefaultCluster', '--json']);
      expect(json.status).toBe(ExitStatus.FAILED);
      const entries = JSON.parse(json.stdout) as BrokerStatusEntry[];
      expect(entries.find((e) => e.brokerAddr === DEAD_ADDR)).toEqual({ brokerAddr: DEAD_ADDR, error: expect.any(String) });
      expect(entries.filter((e) => e.runtime !== undefined)).toHaveLength(2);
    });
  });
});

describe('getBrokerConfig', () => {
  it('-b prints `============<addr>============` then `%-50s=  %s` lines, keys sorted', async () => {
    const result = await h.run(['getBrokerConfig', '-b', h.brokerAddr]);
    expect(result.status).toBe(ExitStatus.OK);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe(`============${h.brokerAddr}============`);
    expect(result.stdout).toMatch(new RegExp(`^brokerName {40}=  ${re(h.brokerName)}$`, 'm'));
    expect(result.stdout).toMatch(/^brokerClusterName {33}=  DefaultCluster$/m);
    expect(result.stdout.endsWith('\n\n')).toBe(true);
    const keys = lines.slice(1).filter((l) => l !== '').map((l) => l.split(' ')[0]!);
    expect(keys).toEqual([...keys].sort());
    const json = await h.json<BrokerConfigEntry[]>(['getBrokerConfig', '-b', h.brokerAddr]);
    expect(json).toEqual([{ brokerAddr: h.brokerAddr, config: expect.objectContaining({ brokerName: h.brokerName, brokerId: '0', brokerClusterName: 'DefaultCluster' }) }]);
  });

  it('-c prints each master, then its slaves, with RocketMQ\'s Master / My Master…Slave separators', async () => {
    const result = await h.run(['getBrokerConfig', '-c', 'DefaultCluster']);
    expect(result.status).toBe(ExitStatus.OK);
    const titles = result.stdout.split('\n').filter((l) => l.startsWith('============'));
    expect(titles).toEqual([
      `============Master: ${h.brokerAddr}============`,
      `============My Master: ${h.brokerAddr}=====Slave: ${slave.brokerAddr}============`,
    ]);
    expect(result.stdout).toMatch(/^brokerRole {40}=  SLAVE$/m);
    const json = await h.json<BrokerConfigEntry[]>(['getBrokerConfig', '-c', 'DefaultCluster']);
    expect(json.map(({ brokerAddr, role, masterAddr }) => ({ brokerAddr, role, masterAddr }))).toEqual([
      { brokerAddr: h.brokerAddr, role: 'master', masterAddr: undefined },
      { brokerAddr: slave.brokerAddr, role: 'slave', masterAddr: h.brokerAddr },
    ]);
    expect(json[1]!.config?.['brokerId']).toBe('1');
  });

  it('fits an 80-column terminal: long values (paths, delay levels) wrap under the value column', async () => {
    const result = await h.run(['getBrokerConfig', '-b', h.brokerAddr], { ttyColumns: 80 });
    expect(result.status).toBe(ExitStatus.OK);
    expect(widestLine(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/^messageDelayLevel {33}=  1s 5s .*\n {53}\S/m);
  });

  it('-c reports a broker that does not answer under its separator and exits 1', async () => {
    await withGhostSlave(async () => {
      const result = await h.run(['getBrokerConfig', '-c', 'DefaultCluster']);
      expect(result.status).toBe(ExitStatus.FAILED);
      expect(result.stdout).toMatch(new RegExp(`^============My Master: ${re(h.brokerAddr)}=====Slave: ${re(DEAD_ADDR)}============\\nfailed: .+$`, 'm'));
      expect(result.stdout).toContain(`============Master: ${h.brokerAddr}============\naccessMessageInMemoryMaxRatio`);
    });
  });
});

describe('updateBrokerConfig', () => {
  const configOf = async (addr: string): Promise<Record<string, string>> => (await h.json<BrokerConfigEntry[]>(['getBrokerConfig', '-b', addr]))[0]!.config!;

  it('-b sets a key on that broker: `update broker config success, <addr>`', async () => {
    const result = await h.run(['updateBrokerConfig', '-b', h.brokerAddr, '-k', 'shortPollingTimeMills', '-v', '1500']);
    expect(result.status).toBe(ExitStatus.OK);
    expect(result.stdout).toBe(`update broker config success, ${h.brokerAddr}\n`);
    expect((await configOf(h.brokerAddr))['shortPollingTimeMills']).toBe('1500');
    const json = await h.json<UpdateBrokerConfigResult>(['updateBrokerConfig', '-b', h.brokerAddr, '-k', 'shortPollingTimeMills', '-v', '1000']);
    expect(json).toEqual({ key: 'shortPollingTimeMills', value: '1000', brokers: [{ brokerAddr: h.brokerAddr, ok: true }] });
    expect((await configOf(h.brokerAddr))['shortPollingTimeMills']).toBe('1000');
  });

  it('-c sets it on the masters only; -a true includes the slaves', async () => {
    const masters = await h.run(['updateBrokerConfig', '-c', 'DefaultCluster', '-k', 'slaveReadEnable', '-v', 'true']);
    expect(masters.status).toBe(ExitStatus.OK);
    expect(masters.stdout).toBe(`update broker config success, ${h.brokerAddr}\n`);
    expect((await configOf(slave.brokerAddr))['slaveReadEnable']).toBe('false');
    const all = await h.run(['updateBrokerConfig', '-c', 'DefaultCluster', '-a', 'true', '-k', 'slaveReadEnable', '-v', 'true']);
    expect(all.status).toBe(ExitStatus.OK);
    expect(all.stdout.trimEnd().split('\n').sort()).toEqual([`update broker config success, ${h.brokerAddr}`, `update broker config success, ${slave.brokerAddr}`].sort());
    expect((await configOf(slave.brokerAddr))['slaveReadEnable']).toBe('true');
    expect((await configOf(other.brokerAddr))['slaveReadEnable']).toBe('false');
  });

  it('a refusal exits 1 naming the response code: with -b on stderr, with -c on the broker\'s line', async () => {
    const single = await h.run(['updateBrokerConfig', '-b', h.brokerAddr, '-k', 'storePathRootDir', '-v', '/elsewhere']);
    expect(single.status).toBe(ExitStatus.FAILED);
    expect(single.stdout).toBe('');
    expect(single.stderr).toMatch(new RegExp(`^mqadmin: ${re(h.brokerAddr)} answered NO_PERMISSION \\(16\\): .*storePathRootDir.*\\n$`));
    const cluster = await h.run(['updateBrokerConfig', '-c', 'DefaultCluster', '-k', 'storePathRootDir', '-v', '/elsewhere']);
    expect(cluster.status).toBe(ExitStatus.FAILED);
    expect(cluster.stdout).toMatch(new RegExp(`^update broker config failed, ${re(h.brokerAddr)}: NO_PERMISSION \\(16\\): `));
    const json = await h.run(['updateBrokerConfig', '-c', 'DefaultCluster', '-k', 'storePathRootDir', '-v', '/elsewhere', '--json']);
    expect(json.status).toBe(ExitStatus.FAILED);
    expect(JSON.parse(json.stdout)).toEqual({
      key: 'storePathRootDir', value: '/elsewhere', brokers: [{ brokerAddr: h.brokerAddr, ok: false, error: expect.stringMatching(/^NO_PERMISSION \(16\)/) }],
    });
  });

  it('-c with a broker that does not answer updates the others and exits 1', async () => {
    await withGhostSlave(async () => {
      const result = await h.run(['updateBrokerConfig', '-c', 'DefaultCluster', '-a', 'true', '-k', 'traceOn', '-v', 'false']);
      expect(result.status).toBe(ExitStatus.FAILED);
      expect(result.stdout).toContain(`update broker config success, ${h.brokerAddr}\n`);
      expect(result.stdout).toContain(`update broker config success, ${slave.brokerAddr}\n`);
      expect(result.stdout).toMatch(new RegExp(`^update broker config failed, ${re(DEAD_ADDR)}: .+$`, 'm'));
      expect((await configOf(slave.brokerAddr))['traceOn']).toBe('false');
    });
  });

  it('checks its options: -k and -v are required, -a takes true|false, a key is one word', async () => {
    const missing = await h.run(['updateBrokerConfig', '-b', h.brokerAddr, '-k', 'traceOn']);
    expect(missing.status).toBe(ExitStatus.USAGE);
    expect(missing.stderr).toContain('--value <value>');
    const badAll = await h.run(['updateBrokerConfig', '-c', 'DefaultCluster', '-a', 'yes', '-k', 'traceOn', '-v', 'true']);
    expect(badAll.status).toBe(ExitStatus.USAGE);
    expect(badAll.stderr).toContain('option --updateAllBroker must be true or false');
    const badKey = await h.run(['updateBrokerConfig', '-b', h.brokerAddr, '-k', 'a=b', '-v', 'true']);
    expect(badKey.status).toBe(ExitStatus.USAGE);
    expect(badKey.stderr).toContain('is not a config key');
  });
});
