// Interop proof: the real Java RocketMQ clients (4.9.8 and 5.3.3) against an Apogee NameServer +
// Broker started as real processes (node ... apps/*/src/cli.ts -c <properties>). The scenarios
// are the ones interop-reference.test.ts runs against Apache RocketMQ 5.3.3: sync, async, oneway,
// batch and delayed sends; tag filter; clustering (two consumers share the queues) and
// broadcasting (two consumers each get everything); ordered per order id; failing listener →
// %RETRY% → %DLQ%. Port slot 4.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, inject, it } from 'vitest';
import { startApogeeCluster, type ApogeeCluster } from '../src/apogee-cluster.js';
import { JavaProgram } from '../src/java-program.js';
import { INTEROP_PORT_SLOTS, ROCKETMQ_SERIALIZE_JVM_ARG, compileInteropPrograms } from '../src/interop-programs.js';
import { BINARY_HEADER_SCENARIOS, INTEROP_SCENARIOS, type ClusterUnderTest, type ScenarioContext } from '../src/interop-scenarios.js';
import { JAVA_PEER_VERSIONS, JAVA_WORK_DIR, peerPorts } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED interop-apogee.test.ts: ${availability.reason}`);

describe.skipIf(!availability.ok)('interop: Java RocketMQ clients against Apogee', () => {
  const ports = peerPorts(INTEROP_PORT_SLOTS.apogee);
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `interop-apogee-${runId}`);
  let apogee: ApogeeCluster | undefined;
  let cluster: ClusterUnderTest | undefined;
  const classes = new Map<string, string>();
  const notes: string[] = [];
  let hasFailed = false;

  beforeAll(async () => {
    for (const v of JAVA_PEER_VERSIONS) classes.set(v, await compileInteropPrograms(v));
    apogee = await startApogeeCluster({ namesrvPort: ports.namesrvPort, brokerPort: ports.brokerPort, dir: path.join(root, 'apogee') });
    const { namesrv, broker } = apogee;
    cluster = { label: 'Apogee', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName };
  }, 180_000);

  // a failed scenario may leave Java programs running: end them before the next test
  afterEach(() => JavaProgram.killAll());

  afterAll(async () => {
    await apogee?.stop();
    for (const n of notes) console.log(`note: ${n}`);
    // KEEP_TEST_RUNS=1 keeps the logs of a passing run too
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`interop-apogee.test.ts${hasFailed ? ' failed' : ''}: Apogee and client logs kept under ${root}`);
  });

  const context = (version: (typeof JAVA_PEER_VERSIONS)[number], jvmArgs: readonly string[] = [], variant?: string): ScenarioContext => {
    if (cluster === undefined) throw new Error('the Apogee cluster did not start');
    return {
      cluster, notes, uid: runId, ...(variant === undefined ? {} : { variant }),
      client: { version, classes: classes.get(version) ?? '', namesrvAddr: cluster.namesrvAddr, runDir: path.join(root, 'clients'), jvmArgs },
    };
  };

  describe.each(JAVA_PEER_VERSIONS)('client %s', (version) => {
    for (const [name, scenario] of Object.entries(INTEROP_SCENARIOS)) {
      it(name, async ({ onTestFailed }) => {
        onTestFailed(() => {
          hasFailed = true;
        });
        await scenario(context(version));
      });
    }
  });

  describe('client 5.3.3 with ROCKETMQ binary headers', () => {
    for (const [name, scenario] of Object.entries(BINARY_HEADER_SCENARIOS)) {
      it(name, async ({ onTestFailed }) => {
        onTestFailed(() => {
          hasFailed = true;
        });
        await scenario(context('5.3.3', [ROCKETMQ_SERIALIZE_JVM_ARG], 'bin'));
      });
    }
  });
});
