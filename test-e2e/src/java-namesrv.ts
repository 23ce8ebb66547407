// A real Apache RocketMQ NameServer (NamesrvStartup from the Maven jars) on 127.0.0.1.
import fs from 'node:fs';
import path from 'node:path';
import { fetchJavaPeers, type JavaPeerVersion } from './java-peers.js';
import { JavaProcess } from './java-process.js';
import { classpath, jarsIn, jvmOptions } from './jvm-options.js';
import { assertPortsFree, LOOPBACK_HOST } from './ports.js';
import { writePropertiesFile } from './properties-file.js';

export const NAMESRV_BOOT_TIMEOUT_MS = 60_000;

export interface JavaNamesrvOptions {
  version: JavaPeerVersion;
  port: number;
  /** runtime folder: namesrv.properties, user.home (logs, kv config) and jvm.log go here */
  dir: string;
}

export interface JavaNamesrv {
  /** "127.0.0.1:<port>", what clients and brokers are given */
  addr: string;
  host: string;
  port: number;
  process: JavaProcess;
  stop(): Promise<void>;
}

export async function startJavaNamesrv(opts: JavaNamesrvOptions): Promise<JavaNamesrv> {
  const peers = await fetchJavaPeers(opts.version);
  await assertPortsFree([opts.port]);
  fs.mkdirSync(opts.dir, { recursive: true });
  const configFile = path.join(opts.dir, 'namesrv.properties');
  // bindAddress exists from 5.0 on; the 4.9 NameServer always binds every interface.
  writePropertiesFile(configFile, { listenPort: opts.port, ...(opts.version.startsWith('5.') ? { bindAddress: LOOPBACK_HOST } : {}) });
  const proc = JavaProcess.spawn({
    name: `namesrv ${peers.serverVersion} :${opts.port}`,
    cwd: opts.dir,
    logFile: path.join(opts.dir, 'jvm.log'),
    env: { ROCKETMQ_HOME: peers.rocketmqHome },
    args: [
      ...jvmOptions(peers, { heapMax: '256m', userHome: opts.dir }),
      '-cp', classpath([jarsIn(peers.serverLibDir)]),
      'org.apache.rocketmq.namesrv.NamesrvStartup',
      '-c', configFile,
    ],
  });
  try {
    await proc.waitForOutput(/The Name Server boot success/, NAMESRV_BOOT_TIMEOUT_MS);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    addr: `${LOOPBACK_HOST}:${opts.port}`,
    host: LOOPBACK_HOST,
    port: opts.port,
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
