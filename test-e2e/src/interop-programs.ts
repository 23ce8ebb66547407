// Typed launchers for the interop Java programs (test-e2e/java/src/apogee/interop/) and for
// RocketMQ's own mqadmin, plus what each message of a run must look like (mirrors Messages.java).
import path from 'node:path';
import { compileJava } from './compile-java.js';
import type { JavaPeerVersion } from './java-peers.js';
import { JavaProgram, type JavaEvent } from './java-program.js';
import { runJavaMain, type JavaRunResult } from './run-java-main.js';

export const INTEROP_PROGRAM_SOURCES: readonly string[] = ['Args', 'Json', 'Messages', 'StopSignal', 'Produce', 'PushConsume', 'PullAll'].map(
  (name) => path.join('apogee', 'interop', `${name}.java`),
);

/** Push consumers rebalance this often (Java default 20 s). */
export const REBALANCE_INTERVAL_MS = 1_000;
export const MQADMIN_MAIN_CLASS = 'org.apache.rocketmq.tools.command.MQAdminStartup';

/** Where a scenario runs: one client version against one cluster. */
export interface InteropClient {
  version: JavaPeerVersion;
  /** classes folder from compileInteropPrograms(version) */
  classes: string;
  namesrvAddr: string;
  /** run folders (user.home + log of every JVM) go under here */
  runDir: string;
  /** JVM options for every program, e.g. ['-Drocketmq.serialize.type=ROCKETMQ'] */
  jvmArgs?: readonly string[];
}

/** The 5.x and 4.9 clients send ROCKETMQ binary headers instead of JSON with this option. */
export const ROCKETMQ_SERIALIZE_JVM_ARG = '-Drocketmq.serialize.type=ROCKETMQ';

export function compileInteropPrograms(version: JavaPeerVersion): Promise<string> {
  return compileJava(INTEROP_PROGRAM_SOURCES, version);
}

/** The message shape every program agrees on (Messages.java). */
export interface MessageShape {
  tags: readonly string[];
  keyPrefix: string;
  bodyPrefix: string;
}

/** Messages.LARGE_BODY_REPEATS: bodies of index % 7 == 6 exceed 4 KiB and travel compressed */
export const LARGE_BODY_REPEATS = 500;

export function expectedBody(shape: MessageShape, index: number): string {
  const utf8 = index % 2 === 1 ? ' h\u00e9llo \u2713' : '';
  const large = index % 7 === 6 ? ` apogee-${index}`.repeat(LARGE_BODY_REPEATS) : '';
  return `${shape.bodyPrefix}-${index}${utf8}${large}`;
}

export function expectedKeys(shape: MessageShape, index: number): string {
  return `${shape.keyPrefix}-${index}`;
}

export function expectedTag(shape: MessageShape, index: number): string {
  return shape.tags[index % shape.tags.length] ?? '';
}

export type ProduceMode = 'sync' | 'async' | 'oneway' | 'batch' | 'delayed' | 'ordered' | 'load' | 'await';

export interface ProduceOptions extends MessageShape {
  topic: string;
  group: string;
  plan: ReadonlyArray<readonly [ProduceMode, number]>;
  firstIndex?: number;
  delayLevel?: number;
  /** ordered mode: orderId = index % orders */
  orders?: number;
  retries?: number;
  sendTimeoutMs?: number;
  intervalMs?: number;
  attemptDeadlineMs?: number;
  name?: string;
}

let runSeq = 0;
function runFolder(client: InteropClient, name: string): string {
  runSeq += 1;
  return path.join(client.runDir, `${String(runSeq).padStart(3, '0')}-${name}-${client.version}`);
}

export function startProducer(client: InteropClient, opts: ProduceOptions): Promise<JavaProgram> {
  const name = opts.name ?? 'producer';
  const args = [
    '--namesrv', client.namesrvAddr,
    '--topic', opts.topic,
    '--group', opts.group,
    '--plan', opts.plan.map(([mode, count]) => `${mode}:${count}`).join(','),
    '--tags', opts.tags.join(','),
    '--key-prefix', opts.keyPrefix,
    '--body-prefix', opts.bodyPrefix,
  ];
  const optional: Array<[string, number | undefined]> = [
    ['first-index', opts.firstIndex], ['delay-level', opts.delayLevel], ['orders', opts.orders], ['retries', opts.retries],
    ['send-timeout-ms', opts.sendTimeoutMs], ['interval-ms', opts.intervalMs], ['attempt-deadline-ms', opts.attemptDeadlineMs],
  ];
  for (const [key, value] of optional) if (value !== undefined) args.push(`--${key}`, String(value));
  return JavaProgram.start({
    version: client.version, mainClass: 'apogee.interop.Produce', classpathExtra: [client.classes], args, name, dir: runFolder(client, name),
    jvmArgs: client.jvmArgs ?? [],
  });
}

export interface ProduceOutcome {
  exitCode: number | null;
  sent: JavaEvent[];
  failed: JavaEvent[];
  logFile: string;
}

/** Runs a producer to completion (no await steps). */
export async function produce(client: InteropClient, opts: ProduceOptions, timeoutMs = 60_000): Promise<ProduceOutcome> {
  const program = await startProducer(client, opts);
  const exit = await program.finish(timeoutMs);
  return { exitCode: exit.code, sent: program.eventsNamed('sent'), failed: program.eventsNamed('send-failed'), logFile: exit.logFile };
}

export interface PushConsumerOptions {
  topic: string;
  group: string;
  name: string;
  subscription?: string;
  model?: 'clustering' | 'broadcasting';
  listener?: 'concurrent' | 'orderly';
  /** ConsumeFromWhere for a group without a committed offset; default first */
  from?: 'first' | 'last';
  /** idx → how many deliveries fail (reconsumeTimes < times fails) */
  fail?: Readonly<Record<number, number>>;
  maxReconsumeTimes?: number;
  retryDelayLevel?: number;
  /** stop after this many deliveries (+ graceMs); 0 = run until stop() or timeout */
  expect?: number;
  graceMs?: number;
  timeoutMs?: number;
}

export function startPushConsumer(client: InteropClient, opts: PushConsumerOptions): Promise<JavaProgram> {
  const args = [
    '--namesrv', client.namesrvAddr,
    '--topic', opts.topic,
    '--group', opts.group,
    '--name', opts.name,
    '--subscription', opts.subscription ?? '*',
    '--model', opts.model ?? 'clustering',
    '--listener', opts.listener ?? 'concurrent',
    '--from', opts.from ?? 'first',
    '--expect', String(opts.expect ?? 0),
    '--grace-ms', String(opts.graceMs ?? 0),
    '--timeout-ms', String(opts.timeoutMs ?? 60_000),
    '--stdin-stop', 'true',
  ];
  if (opts.fail !== undefined) args.push('--fail', Object.entries(opts.fail).map(([idx, times]) => `${idx}:${times}`).join(','));
  if (opts.maxReconsumeTimes !== undefined) args.push('--max-reconsume-times', String(opts.maxReconsumeTimes));
  if (opts.retryDelayLevel !== undefined) args.push('--retry-delay-level', String(opts.retryDelayLevel));
  return JavaProgram.start({
    version: client.version, mainClass: 'apogee.interop.PushConsume', classpathExtra: [client.classes], args, name: opts.name,
    dir: runFolder(client, opts.name), hardTimeoutMs: (opts.timeoutMs ?? 60_000) + 30_000,
    // rebalance every second instead of every 20 s, so a new %RETRY% queue or a second group
    // member is picked up at once (the same knob RocketMQ's own tests turn)
    jvmArgs: [`-Drocketmq.client.rebalance.waitInterval=${REBALANCE_INTERVAL_MS}`, ...(client.jvmArgs ?? [])],
  });
}

export interface PullAllOptions {
  topic: string;
  group: string;
  expect: number;
  timeoutMs?: number;
}

/** Reads a whole topic with DefaultMQPullConsumer (the DLQ checker). */
export async function pullAll(client: InteropClient, opts: PullAllOptions): Promise<{ exitCode: number | null; pulled: JavaEvent[]; errors: JavaEvent[]; logFile: string }> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const program = await JavaProgram.start({
    version: client.version, mainClass: 'apogee.interop.PullAll', classpathExtra: [client.classes],
    args: ['--namesrv', client.namesrvAddr, '--topic', opts.topic, '--group', opts.group, '--expect', String(opts.expect), '--timeout-ms', String(timeoutMs)],
    name: 'pull-all', dir: runFolder(client, 'pull-all'), jvmArgs: client.jvmArgs ?? [],
  });
  const exit = await program.finish(timeoutMs + 30_000);
  return { exitCode: exit.code, pulled: program.eventsNamed('pulled'), errors: program.eventsNamed('pull-error'), logFile: exit.logFile };
}

/** One mqadmin command (MQAdminStartup from rocketmq-tools) against `namesrvAddr`. */
export async function mqadmin(version: JavaPeerVersion, runDir: string, namesrvAddr: string, command: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<JavaRunResult> {
  runSeq += 1;
  return runJavaMain({
    version, mainClass: MQADMIN_MAIN_CLASS, args: [command, '-n', namesrvAddr, ...args], timeoutMs,
    dir: path.join(runDir, `${String(runSeq).padStart(3, '0')}-mqadmin-${command}-${version}`),
    jvmArgs: ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1'],
  });
}

/**
 * Port slots (src/ports.ts: peerPorts) of the interop test files; 0..2 belong to the harness's own
 * smoke test and golden capture.
 */
export const INTEROP_PORT_SLOTS = { reference: 3, apogee: 4, mqadmin: 5, kill9: 6, kill9Reference: 7, mqadminReference: 8 } as const;
