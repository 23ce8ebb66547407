// RocketMQ's own mqadmin (rocketmq-tools 5.3.3): updateTopic, then clusterList, topicList,
// topicRoute, topicStatus, consumerProgress, queryMsgById (offset id and client id) and
// queryMsgByKey, checked against what the Java producer and consumer saw. First against Apache
// RocketMQ 5.3.3 (the control: proves the parsers and the expectations), then against an Apogee
// NameServer + Broker started as real processes. Port slots 8 (control) and 5 (Apogee).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, inject, it } from 'vitest';
import { startApogeeCluster } from '../src/apogee-cluster.js';
import { MQADMIN_VERSION, mqadminFacts } from '../src/interop-mqadmin-scenario.js';
import { JavaProgram } from '../src/java-program.js';
import { INTEROP_PORT_SLOTS, compileInteropPrograms } from '../src/interop-programs.js';
import type { ClusterUnderTest } from '../src/interop-scenarios.js';
import { JAVA_WORK_DIR, peerPorts, startJavaBroker, startJavaNamesrv } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED interop-mqadmin.test.ts: ${availability.reason}`);

const COMMANDS = 'updateTopic, clusterList, topicList, topicRoute, topicStatus, consumerProgress, queryMsgById, queryMsgByKey';

describe.skipIf(!availability.ok)(`mqadmin ${MQADMIN_VERSION}`, () => {
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `interop-mqadmin-${runId}`);
  let classes = '';
  let hasFailed = false;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    classes = await compileInteropPrograms(MQADMIN_VERSION);
  }, 180_000);

  // each test's programs and servers end with the test, also when it fails
  afterEach(async () => {
    await JavaProgram.killAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(() => {
    // KEEP_TEST_RUNS=1 keeps the logs of a passing run too
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`interop-mqadmin.test.ts${hasFailed ? ' failed' : ''}: server, client and mqadmin logs kept under ${root}`);
  });

  const run = (cluster: ClusterUnderTest, dir: string): Promise<void> =>
    mqadminFacts({ cluster, client: { version: MQADMIN_VERSION, classes, namesrvAddr: cluster.namesrvAddr, runDir: path.join(dir, 'clients') }, uid: runId, notes: [] });

  it(`control: Apache RocketMQ 5.3.3 (${COMMANDS})`, async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const ports = peerPorts(INTEROP_PORT_SLOTS.mqadminReference);
    const dir = path.join(root, 'rocketmq');
    const namesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: path.join(dir, 'namesrv') });
    cleanups.push(() => namesrv.stop());
    const broker = await startJavaBroker({ version: '5.3.3', namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(dir, 'broker') });
    cleanups.push(() => broker.stop());
    await run({ label: 'RocketMQ 5.3.3', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName }, dir);
  });

  it(`Apogee (${COMMANDS})`, async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const ports = peerPorts(INTEROP_PORT_SLOTS.mqadmin);
    const dir = path.join(root, 'apogee');
    const apogee = await startApogeeCluster({ namesrvPort: ports.namesrvPort, brokerPort: ports.brokerPort, dir });
    cleanups.push(() => apogee.stop());
    const { namesrv, broker } = apogee;
    await run({ label: 'Apogee', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName }, dir);
  });
});
