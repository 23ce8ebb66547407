// Runs one Java program to completion on a version's client classpath (rocketmq-client,
// rocketmq-tools) plus extra entries, e.g. classes from compileJava or mqadmin's MQAdminStartup.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fetchJavaPeers, type JavaPeerVersion } from './java-peers.js';
import { killOnExit } from './java-process.js';
import { classpath, jarsIn, jvmOptions } from './jvm-options.js';
import { libDirOf, type JavaLib } from './compile-java.js';

export const RUN_JAVA_TIMEOUT_MS_DEFAULT = 90_000;
/** stdout/stderr kept in memory per run; the log file has everything */
export const RUN_OUTPUT_BYTES_MAX = 8 * 1024 * 1024;

export interface RunJavaMainOptions {
  version: JavaPeerVersion;
  mainClass: string;
  classpathExtra?: readonly string[];
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  /** e.g. ['-Drocketmq.serialize.type=ROCKETMQ'] */
  jvmArgs?: readonly string[];
  /** the version's client classpath (default) or its server one (broker, store) */
  lib?: JavaLib;
  /** -Xmx; default 256m */
  heapMax?: string;
  /** killed (SIGKILL) and rejected after this; default 90 s */
  timeoutMs?: number;
  /** user.home and the log file go here; default a fresh folder under .java/<version>/runs/ */
  dir?: string;
}

export interface JavaRunResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr of the run */
  logFile: string;
}

export async function runJavaMain(opts: RunJavaMainOptions): Promise<JavaRunResult> {
  const peers = await fetchJavaPeers(opts.version);
  const shortName = opts.mainClass.split('.').pop() ?? opts.mainClass;
  const dir = opts.dir ?? path.join(peers.dir, 'runs', `${shortName}-${Date.now()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`);
  fs.mkdirSync(dir, { recursive: true });
  const logFile = path.join(dir, `${shortName}.log`);
  const log = fs.createWriteStream(logFile, { flags: 'a' });
  const args = [
    ...jvmOptions(peers, { heapMax: opts.heapMax ?? '256m', userHome: dir }),
    ...(opts.jvmArgs ?? []),
    '-cp', classpath([...(opts.classpathExtra ?? []), jarsIn(libDirOf(peers, opts.lib ?? 'client'))]),
    opts.mainClass,
    ...(opts.args ?? []),
  ];
  log.write(`# ${new Date().toISOString()} java ${args.join(' ')}\n`);
  const timeoutMs = opts.timeoutMs ?? RUN_JAVA_TIMEOUT_MS_DEFAULT;
  return new Promise<JavaRunResult>((resolve, reject) => {
    const child = spawn('java', args, { cwd: dir, env: { ...process.env, ROCKETMQ_HOME: peers.rocketmqHome, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    killOnExit(child);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (stdout.length < RUN_OUTPUT_BYTES_MAX) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (stderr.length < RUN_OUTPUT_BYTES_MAX) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${opts.mainClass} (RocketMQ ${opts.version}) did not finish within ${timeoutMs} ms; log ${logFile}\n${stderr.slice(-2000)}`));
    }, timeoutMs);
    timer.unref();
    child.once('error', (err) => {
      clearTimeout(timer);
      log.end();
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      log.end();
      resolve({ exitCode: code, stdout, stderr, logFile });
    });
  });
}

/** The JSON objects a program printed one per line (other lines are ignored). */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const v: unknown = JSON.parse(t);
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) out.push(v as Record<string, unknown>);
    } catch {
      // not one of ours
    }
  }
  return out;
}
