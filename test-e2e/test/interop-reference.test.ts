// The control for the interop suite: every interop scenario against the REAL Apache RocketMQ
// 5.3.3 NameServer + Broker (Maven jars), with the 4.9.8 and the 5.3.3 Java client (and 5.3.3 with
// ROCKETMQ binary headers), the clients of one scenario side by side. If this file fails, the
// programs or the expectations are wrong, not Apogee. (The mqadmin and kill -9 controls live in
// interop-mqadmin.test.ts and kill9-broker.test.ts.) Port slot 3.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, inject, it } from 'vitest';
import { JavaProgram } from '../src/java-program.js';
import { INTEROP_PORT_SLOTS, ROCKETMQ_SERIALIZE_JVM_ARG, compileInteropPrograms } from '../src/interop-programs.js';
import { BINARY_HEADER_SCENARIOS, INTEROP_SCENARIOS, runSideBySide, type ClusterUnderTest, type ScenarioContext } from '../src/interop-scenarios.js';
import { JAVA_PEER_VERSIONS, JAVA_WORK_DIR, peerPorts, startJavaBroker, startJavaNamesrv, type JavaBroker, type JavaNamesrv } from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED interop-reference.test.ts: ${availability.reason}`);

describe.skipIf(!availability.ok)('interop control: scenarios against Apache RocketMQ 5.3.3', () => {
  const ports = peerPorts(INTEROP_PORT_SLOTS.reference);
  const runId = `${Date.now().toString(36)}${crypto.randomBytes(2).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `interop-reference-${runId}`);
  let namesrv: JavaNamesrv | undefined;
  let broker: JavaBroker | undefined;
  let cluster: ClusterUnderTest | undefined;
  const classes = new Map<string, string>();
  const notes: string[] = [];
  let hasFailed = false;

  beforeAll(async () => {
    for (const v of JAVA_PEER_VERSIONS) classes.set(v, await compileInteropPrograms(v));
    namesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: path.join(root, 'namesrv') });
    broker = await startJavaBroker({ version: '5.3.3', namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(root, 'broker') });
    cluster = { label: 'RocketMQ 5.3.3', namesrvAddr: namesrv.addr, brokerName: broker.brokerName, brokerAddr: broker.addr, clusterName: broker.clusterName };
  }, 180_000);

  // a failed scenario may leave Java programs running: end them before the next test
  afterEach(() => JavaProgram.killAll());

  afterAll(async () => {
    await broker?.stop();
    await namesrv?.stop();
    for (const n of notes) console.log(`note: ${n}`);
    // KEEP_TEST_RUNS=1 keeps the logs of a passing run too
    if (!hasFailed && process.env.KEEP_TEST_RUNS !== '1') fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`interop-reference.test.ts${hasFailed ? ' failed' : ''}: JVM logs kept under ${root}`);
  });

  const context = (version: (typeof JAVA_PEER_VERSIONS)[number], jvmArgs: readonly string[] = [], variant?: string): ScenarioContext => {
    if (cluster === undefined || namesrv === undefined) throw new Error('cluster did not start');
    return {
      cluster, notes, uid: runId, ...(variant === undefined ? {} : { variant }),
      client: { version, classes: classes.get(version) ?? '', namesrvAddr: namesrv.addr, runDir: path.join(root, 'clients'), jvmArgs },
    };
  };

  for (const [name, scenario] of Object.entries(INTEROP_SCENARIOS)) {
    const withBinary = name in BINARY_HEADER_SCENARIOS;
    it(`${name}: clients ${JAVA_PEER_VERSIONS.join(', ')}${withBinary ? ', 5.3.3 with ROCKETMQ headers' : ''}`, async ({ onTestFailed }) => {
      onTestFailed(() => {
        hasFailed = true;
      });
      await runSideBySide([
        ...JAVA_PEER_VERSIONS.map((version) => ({ label: `client ${version}`, run: () => scenario(context(version)) })),
        ...(withBinary ? [{ label: 'client 5.3.3, ROCKETMQ headers', run: () => scenario(context('5.3.3', [ROCKETMQ_SERIALIZE_JVM_ARG], 'bin')) }] : []),
      ]);
    });
  }
});
