// SIGKILL a broker under load and restart it on the same store (SYNC_FLUSH): the Java producer
// (retrying every message until SEND_OK) and push consumer resume, and every acknowledged message
// is consumed at the position the broker acknowledged. First against Apache RocketMQ 5.3.3 (the
// control: proves the programs and the expectations), then against Apogee started as real
// processes. Port slots 8 (control) and 6 (Apogee).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, inject, it } from 'vitest';
import { startApogeeCluster, type ApogeeCluster } from '../src/apogee-cluster.js';
import { JavaProgram } from '../src/java-program.js';
import { INTEROP_PORT_SLOTS, compileInteropPrograms } from '../src/interop-programs.js';
import { crashUnderLoad, type Kill9Options } from '../src/kill9-scenario.js';
import { JAVA_WORK_DIR, peerPorts, startJavaBroker, startJavaNamesrv, type JavaBroker, type JavaNamesrv } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED kill9-broker.test.ts: ${availability.reason}`);

const LOAD: Kill9Options = { total: 1_500, crashAfterAcked: 300 };
const CLIENT = '5.3.3';
/** a passing run takes 10-30 s; the waits inside are bounded well below this */
const KILL9_TEST_TIMEOUT_MS = 150_000;

describe.skipIf(!availability.ok)('kill -9 of the broker under load (SYNC_FLUSH), Java client 5.3.3', () => {
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `kill9-${runId}`);
  let classes = '';
  let hasFailed = false;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    classes = await compileInteropPrograms(CLIENT);
  }, 180_000);

  // each test's programs and servers end with the test, also when it fails
  afterEach(async () => {
    await JavaProgram.killAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(() => {
    // KEEP_TEST_RUNS=1 keeps the logs of a passing run too
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`kill9-broker.test.ts${hasFailed ? ' failed' : ''}: logs and stores kept under ${root}`);
  });

  it('control: Apache RocketMQ 5.3.3 broker', async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const ports = peerPorts(INTEROP_PORT_SLOTS.kill9Reference);
    const dir = path.join(root, 'rocketmq');
    const namesrv: JavaNamesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: path.join(dir, 'namesrv') });
    cleanups.push(() => namesrv.stop());
    const brokerOpts = { version: '5.3.3' as const, namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(dir, 'broker'), extraProps: { flushDiskType: 'SYNC_FLUSH' } };
    let broker: JavaBroker = await startJavaBroker(brokerOpts);
    cleanups.push(() => broker.stop());
    const outcome = await crashUnderLoad(
      {
        cluster: { label: 'RocketMQ 5.3.3', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName },
        client: { version: CLIENT, classes, namesrvAddr: namesrv.addr, runDir: path.join(dir, 'clients') },
        uid: runId, notes: [],
      },
      {
        crash: () => broker.stop(),
        restart: async () => {
          broker = await startJavaBroker(brokerOpts);
        },
      },
      LOAD,
    );
    console.log(`RocketMQ 5.3.3 kill -9: ${JSON.stringify(outcome)}`);
  }, KILL9_TEST_TIMEOUT_MS);

  it('Apogee broker', async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const ports = peerPorts(INTEROP_PORT_SLOTS.kill9);
    const cluster: ApogeeCluster = await startApogeeCluster({
      namesrvPort: ports.namesrvPort, brokerPort: ports.brokerPort, dir: path.join(root, 'apogee'), brokerProps: { flushDiskType: 'SYNC_FLUSH' },
    });
    cleanups.push(() => cluster.stop());
    const { namesrv, broker } = cluster;
    const outcome = await crashUnderLoad(
      {
        cluster: { label: 'Apogee', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName },
        client: { version: CLIENT, classes, namesrvAddr: namesrv.addr, runDir: path.join(root, 'apogee', 'clients') },
        uid: runId, notes: [],
      },
      {
        crash: async () => {
          await broker.kill('SIGKILL');
        },
        restart: () => broker.restart(),
      },
      LOAD,
    );
    console.log(`Apogee kill -9: ${JSON.stringify(outcome)}`);
  }, KILL9_TEST_TIMEOUT_MS);
});
