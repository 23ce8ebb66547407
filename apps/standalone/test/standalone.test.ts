// The standalone pair in this process (ephemeral ports, temp data dir) and as a process, the
// way `pnpm start` runs it.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '@apogee/common';
import { RemotingClient, RequestCode, ResponseCode, createRequestCommand, parseTopicRouteData } from '@apogee/remoting';
import { quietLogger, waitFor } from '@apogee/remoting/testing';
import { type Standalone, STANDALONE_DEFAULTS, standaloneConfigFromEnv, startStandalone } from '../src/index.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'apogee-standalone-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function start(dataDir: string): Promise<Standalone> {
  const config = standaloneConfigFromEnv({ APOGEE_DATA_DIR: dataDir, APOGEE_NAMESRV_PORT: '0', APOGEE_BROKER_PORT: '0' });
  const standalone = await startStandalone(config, { logger: quietLogger('standalone') });
  cleanups.push(() => standalone.shutdown());
  return standalone;
}

describe('standalone', () => {
  it('uses the embedded defaults unless APOGEE_* variables say otherwise, and names a bad variable', () => {
    const defaults = standaloneConfigFromEnv({});
    expect(defaults).toMatchObject({ host: '127.0.0.1', namesrvPort: 9876, brokerPort: 10911, brokerName: 'broker-a' });
    expect(defaults.dataDir).toBe(join(process.cwd(), STANDALONE_DEFAULTS.dataDir));
    // pnpm runs the script in apps/standalone but says where the user was: data goes there.
    expect(standaloneConfigFromEnv({ INIT_CWD: '/home/op/apogee' }).dataDir).toBe(join('/home/op/apogee', STANDALONE_DEFAULTS.dataDir));
    const custom = standaloneConfigFromEnv({ APOGEE_DATA_DIR: '/srv/apogee', APOGEE_NAMESRV_PORT: '19876', APOGEE_BROKER_PORT: '20911' });
    expect(custom).toMatchObject({ dataDir: '/srv/apogee', namesrvPort: 19876, brokerPort: 20911 });
    let caught: unknown;
    try {
      standaloneConfigFromEnv({ APOGEE_BROKER_PORT: 'ten' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).key).toBe('APOGEE_BROKER_PORT');
  });

  it('runs a NameServer and a broker that has registered with it; data lands under the data dir', async () => {
    const dataDir = tempDir();
    const standalone = await start(dataDir);
    const client = new RemotingClient({ logger: quietLogger('client') });
    cleanups.push(() => client.shutdown());
    const res = await client.invokeSync(standalone.namesrvAddr, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic: 'TBW102' }), 3_000);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const route = parseTopicRouteData(res.body);
    expect(route.ok && route.value.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs.get(0)])).toEqual([['broker-a', standalone.brokerAddr]]);

    await standalone.shutdown();
    expect(existsSync(join(dataDir, 'broker-a', 'config', 'topics.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'broker-a', 'commitlog'))).toBe(true);
    await standalone.shutdown(); // idempotent

    const again = await start(dataDir); // same data dir, fresh ports
    expect(again.broker.topicConfigManager.containsTopic('TBW102')).toBe(true);
  });

  it('runs as a process: prints where it listens and stops cleanly on Ctrl-C', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--conditions=@apogee/source', '--import', 'tsx', 'src/cli.ts'], {
      cwd: join(import.meta.dirname, '..'),
      env: { ...process.env, APOGEE_DATA_DIR: dataDir, APOGEE_NAMESRV_PORT: '0', APOGEE_BROKER_PORT: '0', APOGEE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => out.includes('Press Ctrl-C to stop'), { timeoutMs: 20_000, message: `startup banner; stderr: ${err}` });
    expect(out).toMatch(/NameServer {2}127\.0\.0\.1:\d+/);
    expect(out).toMatch(/broker {6}broker-a at 127\.0\.0\.1:\d+/);
    expect(out).toContain(`data        ${dataDir}`);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(out).toContain('Apogee standalone stopped');
  });
});
