// RocketMQ's own mqadmin (rocketmq-tools 5.3.3) against an Apogee NameServer + Broker started as
// real processes: updateTopic, then clusterList, topicList, topicRoute, topicStatus,
// consumerProgress, queryMsgById (offset id and client id) and queryMsgByKey, checked against
// what the Java producer and consumer saw. The same scenario runs against Apache RocketMQ 5.3.3
// in interop-reference.test.ts. Port slot 5.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, inject, it } from 'vitest';
import { startApogeeCluster, type ApogeeCluster } from '../src/apogee-cluster.js';
import { MQADMIN_VERSION, mqadminFacts } from '../src/interop-mqadmin-scenario.js';
import { JavaProgram } from '../src/java-program.js';
import { INTEROP_PORT_SLOTS, compileInteropPrograms } from '../src/interop-programs.js';
import { JAVA_WORK_DIR, peerPorts } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED interop-mqadmin.test.ts: ${availability.reason}`);

describe.skipIf(!availability.ok)(`interop: mqadmin ${MQADMIN_VERSION} against Apogee`, () => {
  const ports = peerPorts(INTEROP_PORT_SLOTS.mqadmin);
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `interop-mqadmin-${runId}`);
  let apogee: ApogeeCluster | undefined;
  let classes = '';
  let hasFailed = false;

  beforeAll(async () => {
    classes = await compileInteropPrograms(MQADMIN_VERSION);
    apogee = await startApogeeCluster({ namesrvPort: ports.namesrvPort, brokerPort: ports.brokerPort, dir: path.join(root, 'apogee') });
  }, 180_000);

  // a failed scenario may leave Java programs running: end them before the next test
  afterEach(() => JavaProgram.killAll());

  afterAll(async () => {
    await apogee?.stop();
    // KEEP_TEST_RUNS=1 keeps the logs of a passing run too
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`interop-mqadmin.test.ts${hasFailed ? ' failed' : ''}: Apogee, client and mqadmin logs kept under ${root}`);
  });

  it('clusterList, topicList, topicRoute, updateTopic, topicStatus, consumerProgress, queryMsgById, queryMsgByKey', async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    if (apogee === undefined) throw new Error('the Apogee cluster did not start');
    const { namesrv, broker } = apogee;
    await mqadminFacts({
      cluster: { label: 'Apogee', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName },
      client: { version: MQADMIN_VERSION, classes, namesrvAddr: namesrv.addr, runDir: path.join(root, 'clients') },
      uid: runId, notes: [],
    });
  });
});
