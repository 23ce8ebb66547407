// Smoke test of the Java-peer harness: a real Apache RocketMQ 5.3.3 NameServer and Broker from
// the Maven jars on loopback, the real Java client sending and receiving through them. Later
// interop tests reuse the same pieces. Port slot 0 (see src/ports.ts).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  JAVA_WORK_DIR,
  PEER_PROGRAM_SOURCES,
  assertPortsFree,
  compileJava,
  jsonLines,
  peerPorts,
  runJavaMain,
  startJavaBroker,
  startJavaNamesrv,
  type JavaBroker,
  type JavaNamesrv,
} from '../src/index.js';

const availability = inject('javaPeers');
if (!availability.ok) console.warn(`!!! SKIPPED java-peers.test.ts: ${availability.reason}`);

describe.skipIf(!availability.ok)('Java peers: RocketMQ 5.3.3 from the Maven jars', () => {
  const ports = peerPorts(0);
  const runId = `${Date.now()}-${crypto.randomBytes(3).toString('hex')}`;
  const root = path.join(JAVA_WORK_DIR, 'test-runs', `java-peers-${runId}`);
  let namesrv: JavaNamesrv | undefined;
  let broker: JavaBroker | undefined;

  let hasFailed = false;

  afterAll(async () => {
    await broker?.stop();
    await namesrv?.stop();
    // keep the JVM logs and stores of a failed run for a look; drop them otherwise
    if (!hasFailed) fs.rmSync(root, { recursive: true, force: true });
    else console.warn(`java-peers.test.ts failed; JVM logs and stores kept under ${root}`);
  });

  it('boots NameServer + Broker; a Java producer sends 3 messages and a push consumer receives them', async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    const classes = await compileJava(PEER_PROGRAM_SOURCES, '5.3.3');
    namesrv = await startJavaNamesrv({ version: '5.3.3', port: ports.namesrvPort, dir: path.join(root, 'namesrv') });
    broker = await startJavaBroker({ version: '5.3.3', namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(root, 'broker') });
    expect(broker.addr).toBe(`127.0.0.1:${ports.brokerPort}`);

    const topic = `SmokeTopic_${runId.replace(/-/g, '_')}`;
    const common = ['--namesrv', namesrv.addr, '--topic', topic, '--count', '3'];
    const send = await runJavaMain({
      version: '5.3.3', mainClass: 'apogee.peers.SendMessages', classpathExtra: [classes],
      args: [...common, '--group', `pg_${runId}`], dir: path.join(root, 'producer'),
    });
    expect(send.exitCode, `producer failed, log ${send.logFile}`).toBe(0);
    const sent = jsonLines(send.stdout).filter((e) => e.event === 'sent');
    expect(sent).toHaveLength(3);
    expect(sent.map((e) => e.sendStatus)).toEqual(['SEND_OK', 'SEND_OK', 'SEND_OK']);

    const recv = await runJavaMain({
      version: '5.3.3', mainClass: 'apogee.peers.ReceiveMessages', classpathExtra: [classes],
      args: [...common, '--group', `cg_${runId}`, '--timeout-ms', '60000'], dir: path.join(root, 'consumer'), timeoutMs: 80_000,
    });
    expect(recv.exitCode, `consumer failed, log ${recv.logFile}`).toBe(0);
    const received = jsonLines(recv.stdout).filter((e) => e.event === 'received');
    const byId = (events: Record<string, unknown>[]): Record<string, unknown>[] =>
      [...events].sort((a, b) => String(a.msgId).localeCompare(String(b.msgId)));
    expect(byId(received).map((e) => [e.msgId, e.topic, e.tags, e.bodyText])).toEqual(
      byId(sent).map((e) => [e.msgId, topic, e.tags, e.bodyText]),
    );
    for (const e of received) expect(e.storeHost).toBe(`/${broker.addr}`);
  });

  it('stop() ends both JVMs and frees their ports', async ({ onTestFailed }) => {
    onTestFailed(() => {
      hasFailed = true;
    });
    expect(namesrv?.process.isRunning).toBe(true);
    expect(broker?.process.isRunning).toBe(true);
    await broker?.stop();
    await namesrv?.stop();
    expect(broker?.process.isRunning).toBe(false);
    expect(namesrv?.process.isRunning).toBe(false);
    await assertPortsFree([ports.namesrvPort, ports.brokerPort - 2, ports.brokerPort, ports.brokerPort + 1]);
  });
});
