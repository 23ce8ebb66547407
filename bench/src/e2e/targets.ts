// Brokers a bench runs against: Apogee standalone (NameServer + broker) in a child process, and
// Apache RocketMQ 5.3.3 from the test-e2e harness's Maven jars (a note instead when Java/Maven are
// missing). Both listen on loopback only.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkJavaPrerequisites, peerPorts, startJavaBroker, startJavaNamesrv } from '@apogee/test-e2e';

export interface Target {
  name: string;
  namesrvAddr: string;
  stop(): Promise<void>;
}

/** Apogee standalone (`apps/standalone/src/cli.ts`) on ephemeral ports, data under `dataDir`. */
export async function startApogee(dataDir: string): Promise<Target> {
  const cli = fileURLToPath(new URL('../../../apps/standalone/src/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=@apogee/source', '--import', 'tsx', cli], {
    env: { ...process.env, APOGEE_DATA_DIR: dataDir, APOGEE_NAMESRV_PORT: '0', APOGEE_BROKER_PORT: '0', APOGEE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const namesrvAddr = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Apogee did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /NameServer\s+(\S+:\d+)/.exec(out);
      if (m !== null && out.includes('broker')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`Apogee exited with ${code}:\n${out}`)));
  });
  return { name: 'Apogee', namesrvAddr, stop: () => stopChild(child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** RocketMQ 5.3.3 NameServer + broker on port slot `portSlot` (ASYNC_FLUSH, 1 GiB segments), or why not. */
export async function startRocketmq(dataDir: string, portSlot: number): Promise<Target | string> {
  const pre = await checkJavaPrerequisites();
  if (!pre.ok) return `Apache RocketMQ reference skipped: ${pre.missing.join(', ')} not found`;
  const ports = peerPorts(portSlot);
  const namesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: join(dataDir, 'namesrv') });
  const broker = await startJavaBroker({
    version: '5.3.3', namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: join(dataDir, 'broker'),
    extraProps: { mappedFileSizeCommitLog: 1024 * 1024 * 1024, flushDiskType: 'ASYNC_FLUSH', autoCreateTopicEnable: true },
  }).catch(async (err: unknown) => {
    await namesrv.stop();
    throw err;
  });
  return { name: 'RocketMQ 5.3.3', namesrvAddr: namesrv.addr, stop: async () => { await broker.stop(); await namesrv.stop(); } };
}
