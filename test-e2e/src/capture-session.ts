// One capture run: a real NameServer + Broker from the jars, two recording proxies, and the Java
// client programs talking through them.
//
// Where the proxies sit. A client asks the NameServer for routes and then connects to whatever
// address the broker registered (brokerIP1:listenPort), so a proxy only in front of the broker
// would never see traffic. Here the client is given the NameServer *proxy*; that proxy records
// every frame and, in the NameServer's answers only, swaps the broker's address
// "127.0.0.1:<listenPort>" for the broker proxy's "127.0.0.1:<proxyPort>" (same length, so no
// length field changes). The client then sends, heartbeats and pulls through the broker proxy,
// which records without changing anything. The broker registers with the NameServer directly,
// and stores its real address as STOREHOST in every message. Recorded NameServer frames are the
// bytes the NameServer sent, before the swap. This works the same for 4.9 and 5.x servers and
// needs no change to the client.
import fs from 'node:fs';
import path from 'node:path';
import { compileJava, PEER_PROGRAM_SOURCES } from './compile-java.js';
import { startJavaBroker, type JavaBroker } from './java-broker.js';
import { startJavaNamesrv, type JavaNamesrv } from './java-namesrv.js';
import { fetchJavaPeers, type JavaPeerVersion } from './java-peers.js';
import { FrameRecorder, type FrameDirection, type RecordedFrame } from './frame-recorder.js';
import { JAVA_WORK_DIR } from './paths.js';
import { assertPortsFree, LOOPBACK_HOST, peerPorts } from './ports.js';
import { jsonLines, runJavaMain } from './run-java-main.js';

export const CAPTURE_PRODUCER_GROUP = 'apogee-capture-producer';
export const CAPTURE_CONSUMER_GROUP = 'apogee-capture-consumer';
export const CAPTURE_MESSAGE_COUNT = 3;
export const CAPTURE_PROGRAM_TIMEOUT_MS = 90_000;

export type WireSerializeType = 'JSON' | 'ROCKETMQ';

/** The frames one client program exchanged, and what it printed. */
export interface ProgramCapture {
  program: 'SendMessages' | 'ReceiveMessages';
  serializeType: WireSerializeType;
  topic: string;
  group: string;
  /** JSON lines the program printed ("sent" / "received" events) */
  events: Record<string, unknown>[];
  namesrvFrames: RecordedFrame[];
  brokerFrames: RecordedFrame[];
}

export interface CaptureResult {
  version: JavaPeerVersion;
  serverVersion: string;
  brokerAddr: string;
  brokerName: string;
  runs: ProgramCapture[];
}

/** Swaps `from` for `to` inside the body of frames going to the client (header untouched). */
export function bodyAddressSwap(from: string, to: string): (frame: Buffer, direction: FrameDirection) => Buffer {
  if (from.length !== to.length) throw new Error(`address swap needs equal lengths: ${from} / ${to}`);
  const needle = Buffer.from(from, 'latin1');
  const replacement = Buffer.from(to, 'latin1');
  return (frame, direction) => {
    if (direction !== 'toClient' || frame.length < 8) return frame;
    const bodyStart = 8 + (frame.readUInt32BE(4) & 0xffffff);
    let at = frame.indexOf(needle, bodyStart);
    if (at < 0) return frame;
    const out = Buffer.from(frame);
    while (at >= 0) {
      replacement.copy(out, at);
      at = out.indexOf(needle, at + needle.length);
    }
    return out;
  };
}

export async function captureSession(version: JavaPeerVersion, slot: number): Promise<CaptureResult> {
  const peers = await fetchJavaPeers(version);
  const ports = peerPorts(slot);
  const namesrvProxyPort = ports.proxyPortFirst;
  const brokerProxyPort = ports.proxyPortFirst + 1;
  await assertPortsFree([namesrvProxyPort, brokerProxyPort]);
  const root = path.join(JAVA_WORK_DIR, 'capture', version);
  fs.rmSync(root, { recursive: true, force: true });
  const classes = await compileJava(PEER_PROGRAM_SOURCES, version);

  let namesrv: JavaNamesrv | undefined;
  let broker: JavaBroker | undefined;
  const recorders: FrameRecorder[] = [];
  try {
    namesrv = await startJavaNamesrv({ version, port: ports.namesrvPort, dir: path.join(root, 'namesrv') });
    broker = await startJavaBroker({ version, namesrvAddr: namesrv.addr, listenPort: ports.brokerPort, storeDir: path.join(root, 'broker') });
    const brokerProxy = await FrameRecorder.start({ listenPort: brokerProxyPort, targetPort: ports.brokerPort });
    recorders.push(brokerProxy);
    const namesrvProxy = await FrameRecorder.start({
      listenPort: namesrvProxyPort,
      targetPort: ports.namesrvPort,
      rewrite: bodyAddressSwap(broker.addr, `${LOOPBACK_HOST}:${brokerProxyPort}`),
    });
    recorders.push(namesrvProxy);

    const runs: ProgramCapture[] = [];
    for (const serializeType of ['JSON', 'ROCKETMQ'] as const) {
      const topic = serializeType === 'JSON' ? 'ApogeeCaptureJson' : 'ApogeeCaptureRocketmq';
      const jvmArgs = serializeType === 'ROCKETMQ' ? ['-Drocketmq.serialize.type=ROCKETMQ'] : [];
      const common = ['--namesrv', namesrvProxy.addr, '--topic', topic, '--count', String(CAPTURE_MESSAGE_COUNT)];
      const programs = [
        { program: 'SendMessages', group: CAPTURE_PRODUCER_GROUP, args: ['--group', CAPTURE_PRODUCER_GROUP, '--broker', broker.brokerName, '--queue', '0'] },
        { program: 'ReceiveMessages', group: CAPTURE_CONSUMER_GROUP, args: ['--group', CAPTURE_CONSUMER_GROUP, '--timeout-ms', '60000'] },
      ] as const;
      for (const p of programs) {
        const nsFrom = namesrvProxy.frames.length;
        const brFrom = brokerProxy.frames.length;
        const result = await runJavaMain({
          version, mainClass: `apogee.peers.${p.program}`, classpathExtra: [classes], jvmArgs, args: [...common, ...p.args],
          timeoutMs: CAPTURE_PROGRAM_TIMEOUT_MS, dir: path.join(root, `${p.program}-${serializeType}`),
        });
        if (result.exitCode !== 0) throw new Error(`${p.program} (${serializeType}) exited ${String(result.exitCode)}; log ${result.logFile}\n${result.stderr.slice(-2000)}`);
        runs.push({
          program: p.program, serializeType, topic, group: p.group, events: jsonLines(result.stdout),
          namesrvFrames: namesrvProxy.frames.slice(nsFrom), brokerFrames: brokerProxy.frames.slice(brFrom),
        });
      }
    }
    return { version, serverVersion: peers.serverVersion, brokerAddr: broker.addr, brokerName: broker.brokerName, runs };
  } finally {
    for (const r of recorders) await r.shutdown();
    await broker?.stop();
    await namesrv?.stop();
  }
}
