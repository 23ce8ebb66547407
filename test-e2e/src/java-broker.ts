// A real Apache RocketMQ Broker (BrokerStartup from the Maven jars) on 127.0.0.1, small enough
// for a test: 1 GiB heap at most, 16 MiB CommitLog segments, registered before start resolves.
import fs from 'node:fs';
import path from 'node:path';
import { fetchJavaPeers, type JavaPeerVersion } from './java-peers.js';
import { JavaProcess } from './java-process.js';
import { classpath, jarsIn, jvmOptions } from './jvm-options.js';
import { assertPortsFree, LOOPBACK_HOST } from './ports.js';
import { writePropertiesFile, type PropertyValue } from './properties-file.js';
import { waitForBrokerRegistration } from './raw-request.js';

export const BROKER_BOOT_TIMEOUT_MS = 90_000;
export const BROKER_REGISTER_TIMEOUT_MS = 30_000;
export const TEST_COMMIT_LOG_SEGMENT_BYTES = 16 * 1024 * 1024;
/** ConsumeQueue units are 20 bytes; 6000 of them per file */
export const TEST_CONSUME_QUEUE_FILE_BYTES = 6_000 * 20;

export interface JavaBrokerOptions {
  version: JavaPeerVersion;
  /** "127.0.0.1:<port>" */
  namesrvAddr: string;
  listenPort: number;
  /** storePathRootDir; the runtime folder (broker.properties, user.home, jvm.log) is <storeDir>/runtime */
  storeDir: string;
  brokerName?: string;
  clusterName?: string;
  /** RocketMQ broker property names; they override the harness defaults */
  extraProps?: Readonly<Record<string, PropertyValue>>;
  /** e.g. ['-Drocketmq.serialize.type=ROCKETMQ'] */
  extraJvmArgs?: readonly string[];
}

export interface JavaBroker {
  /** "127.0.0.1:<listenPort>": the address it registers and stores in every message */
  addr: string;
  brokerName: string;
  clusterName: string;
  listenPort: number;
  storeDir: string;
  process: JavaProcess;
  stop(): Promise<void>;
}

export async function startJavaBroker(opts: JavaBrokerOptions): Promise<JavaBroker> {
  const peers = await fetchJavaPeers(opts.version);
  await assertPortsFree([opts.listenPort - 2, opts.listenPort, opts.listenPort + 1]);
  const brokerName = opts.brokerName ?? 'broker-a';
  const clusterName = opts.clusterName ?? 'DefaultCluster';
  const runtimeDir = path.join(opts.storeDir, 'runtime');
  fs.mkdirSync(runtimeDir, { recursive: true });
  const configFile = path.join(runtimeDir, 'broker.properties');
  writePropertiesFile(configFile, {
    brokerClusterName: clusterName,
    brokerName,
    brokerId: 0,
    brokerRole: 'ASYNC_MASTER',
    flushDiskType: 'ASYNC_FLUSH',
    namesrvAddr: opts.namesrvAddr,
    brokerIP1: LOOPBACK_HOST,
    listenPort: opts.listenPort,
    storePathRootDir: opts.storeDir,
    storePathCommitLog: path.join(opts.storeDir, 'commitlog'),
    mappedFileSizeCommitLog: TEST_COMMIT_LOG_SEGMENT_BYTES,
    mappedFileSizeConsumeQueue: TEST_CONSUME_QUEUE_FILE_BYTES,
    autoCreateTopicEnable: true,
    autoCreateSubscriptionGroup: true,
    // bindAddress exists from 5.0 on (remoting and fast ports); the 4.9 broker binds every interface.
    ...(opts.version.startsWith('5.') ? { bindAddress: LOOPBACK_HOST } : {}),
    ...opts.extraProps,
  });
  const proc = JavaProcess.spawn({
    name: `broker ${peers.serverVersion} :${opts.listenPort}`,
    cwd: runtimeDir,
    logFile: path.join(runtimeDir, 'jvm.log'),
    env: { ROCKETMQ_HOME: peers.rocketmqHome },
    args: [
      ...jvmOptions(peers, { heapMax: '1g', directMemoryMax: '512m', userHome: runtimeDir }),
      ...(opts.extraJvmArgs ?? []),
      '-cp', classpath([jarsIn(peers.serverLibDir)]),
      'org.apache.rocketmq.broker.BrokerStartup',
      '-c', configFile,
    ],
  });
  const addr = `${LOOPBACK_HOST}:${opts.listenPort}`;
  try {
    await proc.waitForOutput(/The broker\[.*\] boot success/, BROKER_BOOT_TIMEOUT_MS);
    const [host = LOOPBACK_HOST, port = ''] = opts.namesrvAddr.split(':');
    await waitForBrokerRegistration({ host, port: Number(port) }, addr, BROKER_REGISTER_TIMEOUT_MS);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return {
    addr,
    brokerName,
    clusterName,
    listenPort: opts.listenPort,
    storeDir: opts.storeDir,
    process: proc,
    stop: async () => {
      await proc.stop();
    },
  };
}
