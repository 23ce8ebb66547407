// Apogee's mqadmin against a real Apache RocketMQ 5.3.3 cluster (NameServer + broker from Maven
// jars) and against Apogee (NameServer + broker processes): every command an operator uses day
// to day, checked by its --json output against what was sent and consumed. On each cluster
// RocketMQ's own mqadmin 5.3.3 then answers the same questions beside ours, and both must report
// the same facts (routes, queue offsets, consumer progress, message lookups). Port slots 14
// (RocketMQ) and 15 (Apogee).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, inject, it } from 'vitest';
import { startApogeeCluster } from '../src/apogee-cluster.js';
import { JavaProgram } from '../src/java-program.js';
import { mqadmin } from '../src/interop-programs.js';
import type { ClusterUnderTest } from '../src/interop-scenarios.js';
import { compareWithRocketMQ, ourMqadminScenario, permAndDelete } from '../src/mqadmin-cli-scenario.js';
import { JAVA_WORK_DIR, peerPorts, startJavaBroker, startJavaNamesrv } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED mqadmin-cli.test.ts: ${availability.reason}`);

const ROCKETMQ_VERSION = '5.3.3';

describe.skipIf(!availability.ok)("Apogee's mqadmin", () => {
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `mqadmin-cli-${runId}`);
  let hasFailed = false;
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    await JavaProgram.killAll();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(() => {
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`mqadmin-cli.test.ts${hasFailed ? ' failed' : ''}: logs kept under ${root}`);
  });

  const scenario = async (cluster: ClusterUnderTest, dir: string, uid: string): Promise<void> => {
    const facts = await ourMqadminScenario(cluster, uid);
    await compareWithRocketMQ(cluster, facts, (command, args) => mqadmin(ROCKETMQ_VERSION, path.join(dir, 'rocketmq-mqadmin'), cluster.namesrvAddr, command, args));
    await permAndDelete(cluster, facts.topic);
  };

  it(`against Apache RocketMQ ${ROCKETMQ_VERSION}, and beside RocketMQ's mqadmin`, async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const ports = peerPorts(14);
    const dir = path.join(root, 'rocketmq');
    const namesrv = await startJavaNamesrv({ version: ROCKETMQ_VERSION, port: ports.namesrvPort, dir: path.join(dir, 'namesrv') });
    cleanups.push(() => namesrv.stop());
    const broker = await startJavaBroker({ version: ROCKETMQ_VERSION, namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(dir, 'broker') });
    cleanups.push(() => broker.stop());
    await scenario({ label: `RocketMQ ${ROCKETMQ_VERSION}`, namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName }, dir, `rmq_${runId}`);
  }, 300_000);

  it("against Apogee, and beside RocketMQ's mqadmin", async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const ports = peerPorts(15);
    const dir = path.join(root, 'apogee');
    const apogee = await startApogeeCluster({ namesrvPort: ports.namesrvPort, brokerPort: ports.brokerPort, dir });
    cleanups.push(() => apogee.stop());
    const { namesrv, broker } = apogee;
    await scenario({ label: 'Apogee', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName }, dir, `apg_${runId}`);
  }, 300_000);
});
