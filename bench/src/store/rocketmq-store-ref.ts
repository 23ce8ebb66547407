// The reference beside Apogee's store in the store bench: Apache RocketMQ 5.3.3's own storage
// engine (DefaultMessageStore, from the Maven jars) driven by test-e2e/java/src/apogee/bench/
// StoreBench.java with the same messages, on the same disk, in the same run. It appends from
// sendMessageThreadPoolNums threads (RocketMQ's default: min(4, cores)), which is how a broker
// puts however many sends are in flight. Skipped, with a note, without Java/Maven or with
// APOGEE_STORE_REFERENCE=0.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkJavaPrerequisites, compileJava, jsonLines, runJavaMain } from '@apogee/test-e2e';

export const REFERENCE_NAME = 'RocketMQ 5.3.3 DefaultMessageStore';
/** RocketMQ's default sendMessageThreadPoolNums. */
export const REFERENCE_THREADS = Math.min(4, os.availableParallelism());
const SOURCES = ['apogee/bench/StoreBench.java'];
const HEAP = '1g';
/** Each put thread's encoder holds a 4 MiB direct buffer; the commit log maps its segments. */
const JVM_ARGS = ['-Xms1g', '-XX:MaxDirectMemorySize=1g'];
const RUN_TIMEOUT_MS = 10 * 60_000;
/** Puts into a throwaway store first, so the timed part runs JIT-compiled code as a live broker does. */
export const REFERENCE_WARMUP_MESSAGES = 50_000;
/** How the bench describes the reference's JVM. */
export const JAVA_HEAP_NOTE = `Java 17, -Xmx${HEAP} ${JVM_ARGS.join(' ')}, G1`;

export interface ReferenceRun {
  msgs: number;
  bytes: number;
  /** First put until the end (durable: until the flushed offset covers the last put). */
  seconds: number;
  putSeconds: number;
  msgsPerSec: number;
  mbPerSec: number;
  /** Process CPU (every thread) per message. */
  cpuUsPerMsg: number;
  endedBy: string;
  jvm: string;
}

let classes: Promise<string> | undefined;

/** Why the reference cannot run here, or undefined when it can (compiles it once). */
export async function referenceUnavailable(): Promise<string | undefined> {
  if (process.env.APOGEE_STORE_REFERENCE === '0') return `${REFERENCE_NAME} skipped (APOGEE_STORE_REFERENCE=0)`;
  const pre = await checkJavaPrerequisites();
  if (!pre.ok) return `${REFERENCE_NAME} skipped: ${pre.missing.join(', ')} not found`;
  classes ??= compileJava(SOURCES, '5.3.3', 'server');
  await classes;
  return undefined;
}

/**
 * One reference run in a fresh store directory under TMPDIR: `pagecache` appends for `limit`
 * seconds, `durable` appends `limit` messages and is timed until they are flushed. After its
 * warm-up the program runs `sync` and sleeps `settleMs` (a cold-page wait) before the timed part.
 */
export async function runReference(mode: 'pagecache' | 'durable', bodyBytes: number, limit: number, settleMs = 0): Promise<ReferenceRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apogee-store-bench-rocketmq-'));
  try {
    const r = await runJavaMain({
      version: '5.3.3',
      mainClass: 'apogee.bench.StoreBench',
      classpathExtra: [await classes!],
      lib: 'server',
      heapMax: HEAP,
      jvmArgs: JVM_ARGS,
      args: [mode, path.join(dir, 'store'), String(bodyBytes), String(REFERENCE_THREADS), String(limit), String(REFERENCE_WARMUP_MESSAGES), String(settleMs)],
      timeoutMs: RUN_TIMEOUT_MS,
    });
    const line = jsonLines(r.stdout).find((o) => o.mode === mode);
    if (r.exitCode !== 0 || !line) throw new Error(`${REFERENCE_NAME} ${mode} run failed (exit ${r.exitCode}); log ${r.logFile}\n${r.stderr.slice(-2000)}`);
    return line as unknown as ReferenceRun;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
