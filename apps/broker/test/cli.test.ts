// `mqbroker` as a process (from source through tsx): -p prints the effective config, an invalid
// value exits 1 naming the key, a real start prints the boot line and SIGTERM stops it cleanly
// (it unregisters from the NameServer on the way out).

import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@apogee/remoting/testing';
import { Fixture } from './helpers.js';

const fixture = new Fixture();
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children.length = 0;
  await fixture.closeAll();
});

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function mqbroker(args: string[]): Run {
  const child = spawn(process.execPath, ['--conditions=@apogee/source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: join(import.meta.dirname, '..'),
    env: { ...process.env, APOGEE_LOG_LEVEL: 'warn', NAMESRV_ADDR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

function confFile(lines: string[]): string {
  const path = join(fixture.tempDir(), 'broker.conf');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('mqbroker', () => {
  it('-p prints the effective config, -n overriding namesrvAddr; unknown keys are warned about', async () => {
    const dir = fixture.tempDir();
    const run = mqbroker(['-c', confFile(['brokerName=broker-cli', `storePathRootDir=${dir}`, 'noSuchBrokerKey=1']), '-n', '127.0.0.1:9876;127.0.0.2:9876', '-p']);
    expect(await run.exited).toBe(0);
    const warning = run.stdout().split('\n').find((line) => line.includes('unknown config keys ignored'));
    expect(warning).toContain('noSuchBrokerKey');
    expect(run.stdout()).toContain('brokerName=broker-cli\n');
    expect(run.stdout()).toContain('namesrvAddr=127.0.0.1:9876;127.0.0.2:9876\n');
    expect(run.stdout()).toContain(`storePathRootDir=${dir}\n`);
  });

  it('exits 1 with a message naming the key of an invalid value', async () => {
    const run = mqbroker(['-c', confFile(['brokerPermission=eight']), '-p']);
    expect(await run.exited).toBe(1);
    expect(run.stderr()).toContain('mqbroker: invalid config: brokerPermission');
  });

  it('boots, registers, and shuts down cleanly on SIGTERM', async () => {
    const namesrv = await fixture.namesrv();
    const dir = fixture.tempDir();
    const run = mqbroker(['-c', confFile(['brokerName=broker-boot', 'listenPort=0', `storePathRootDir=${dir}`]), '-n', namesrv.address]);
    await waitFor(() => run.stdout().includes('boot success'), { timeoutMs: 20_000, message: `boot line; stderr: ${run.stderr()}` });
    expect(run.stdout()).toMatch(new RegExp(`The broker\\[broker-boot, 127\\.0\\.0\\.1:\\d+\\] boot success\\. serializeType=JSON and name server is ${namesrv.address}`));
    expect(namesrv.routes.liveBrokerCount()).toBe(1);
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(namesrv.routes.liveBrokerCount()).toBe(0);
  });
});
