// A Java program on a version's client classpath that runs BESIDE the test (runJavaMain waits for
// the end instead): its JSON lines are parsed as they arrive, so a test can wait for "assigned" or
// for 200 "sent" lines, kill a broker, and keep reading. stdin stays open: the interop programs
// stop cleanly on a "stop" line and also when stdin closes, so a dead test run leaves no JVM.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fetchJavaPeers, type JavaPeerVersion } from './java-peers.js';
import { describeExit, killOnExit, type JavaExit } from './java-process.js';
import { classpath, jarsIn, jvmOptions } from './jvm-options.js';

/** JSON events kept per program; a program printing more is a bug in the test that runs it. */
export const PROGRAM_EVENTS_MAX = 200_000;
/** stderr kept in memory (the log file has everything) */
export const PROGRAM_STDERR_CHARS_MAX = 64 * 1024;
export const PROGRAM_STOP_TIMEOUT_MS = 20_000;

export type JavaEvent = Record<string, unknown>;

export interface JavaProgramOptions {
  version: JavaPeerVersion;
  mainClass: string;
  classpathExtra?: readonly string[];
  args?: readonly string[];
  /** the run folder: user.home (client logs, broadcasting offsets) and <name>.log; created if missing */
  dir: string;
  /** short label for messages and the log file name; default the class's simple name */
  name?: string;
  jvmArgs?: readonly string[];
  /** SIGKILL after this, whatever the program is doing; default 150 s */
  hardTimeoutMs?: number;
}

export interface JavaProgramExit extends JavaExit {
  events: JavaEvent[];
  logFile: string;
}

export class JavaProgram {
  /** programs still running, so a test's afterEach can end whatever a failed scenario left */
  private static readonly live = new Set<JavaProgram>();
  readonly name: string;
  readonly logFile: string;
  readonly events: JavaEvent[] = [];
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly exited: Promise<JavaExit>;
  private exitInfo: JavaExit | undefined;
  private stderrTail = '';
  private partialLine = '';
  private readonly listeners = new Set<() => void>();

  private constructor(child: ChildProcessByStdio<Writable, Readable, Readable>, name: string, logFile: string, hardTimeoutMs: number) {
    this.child = child;
    this.name = name;
    this.logFile = logFile;
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    child.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      this.onStdout(chunk.toString('utf8'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      log.write(chunk);
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-PROGRAM_STDERR_CHARS_MAX);
    });
    // a JVM that already exited makes writes fail with EPIPE; nothing to do about it
    child.stdin.on('error', () => undefined);
    const timer = setTimeout(() => child.kill('SIGKILL'), hardTimeoutMs);
    timer.unref();
    JavaProgram.live.add(this);
    this.exited = new Promise<JavaExit>((resolve) => {
      child.once('close', (code, signal) => {
        JavaProgram.live.delete(this);
        clearTimeout(timer);
        if (this.partialLine.length > 0) this.onStdout('\n');
        this.exitInfo = { code, signal };
        log.end();
        this.notify();
        resolve(this.exitInfo);
      });
    });
  }

  static async start(opts: JavaProgramOptions): Promise<JavaProgram> {
    const peers = await fetchJavaPeers(opts.version);
    const name = opts.name ?? opts.mainClass.split('.').pop() ?? opts.mainClass;
    fs.mkdirSync(opts.dir, { recursive: true });
    const logFile = path.join(opts.dir, `${name}.log`);
    const args = [
      ...jvmOptions(peers, { heapMax: '256m', userHome: opts.dir }),
      // a client JVM needs little: fewer compiler threads leave the 2 cores to the servers
      '-XX:TieredStopAtLevel=1',
      '-XX:CICompilerCount=1',
      ...(opts.jvmArgs ?? []),
      '-cp', classpath([...(opts.classpathExtra ?? []), jarsIn(peers.clientLibDir)]),
      opts.mainClass,
      ...(opts.args ?? []),
    ];
    fs.appendFileSync(logFile, `# ${new Date().toISOString()} java ${args.join(' ')}\n`);
    const child = spawn('java', args, {
      cwd: opts.dir,
      env: { ...process.env, ROCKETMQ_HOME: peers.rocketmqHome },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    killOnExit(child);
    const program = new JavaProgram(child, name, logFile, opts.hardTimeoutMs ?? 150_000);
    child.once('error', (err) => {
      program.stderrTail += `\nspawn error: ${err.message}\n`;
    });
    return program;
  }

  /** SIGKILLs every program still running and awaits their exits (for afterEach hooks). */
  static async killAll(): Promise<void> {
    await Promise.all([...JavaProgram.live].map((p) => p.kill()));
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  get exit(): JavaExit | undefined {
    return this.exitInfo;
  }

  /** Events whose "event" field is `name`. */
  eventsNamed(name: string): JavaEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  /**
   * Resolves once `condition(events)` holds; rejects when the program exits first (unless the
   * condition holds then) or after `timeoutMs`. `what` names the condition in the error.
   */
  waitFor(condition: (events: readonly JavaEvent[]) => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (condition(this.events)) {
          done();
          resolve();
        } else if (this.exitInfo !== undefined) {
          done();
          reject(new Error(`${this.name} exited (${describeExit(this.exitInfo)}) before ${what}; ${this.diagnostics()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms; ${this.diagnostics()}`));
      }, timeoutMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the program to end on its own; SIGKILLs it and rejects after `timeoutMs`. */
  async finish(timeoutMs: number): Promise<JavaProgramExit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
      timer.unref();
    });
    const first = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (first === 'timeout') {
      await this.kill();
      throw new Error(`${this.name} did not finish within ${timeoutMs} ms; ${this.diagnostics()}`);
    }
    return { ...first, events: this.events, logFile: this.logFile };
  }

  /** Writes one line to the program's stdin (e.g. "go" for Produce's await step). */
  writeLine(line: string): void {
    if (this.exitInfo === undefined) this.child.stdin.write(`${line}\n`);
  }

  /** Asks the program to stop ("stop" on stdin, then stdin closed) and awaits its exit; SIGKILL after `timeoutMs`. */
  async stop(timeoutMs = PROGRAM_STOP_TIMEOUT_MS): Promise<JavaProgramExit> {
    if (this.exitInfo === undefined) {
      this.child.stdin.write('stop\n');
      this.child.stdin.end();
    }
    return this.finish(timeoutMs);
  }

  /** SIGKILL and await the exit. Idempotent. */
  async kill(): Promise<void> {
    if (this.exitInfo === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }

  diagnostics(): string {
    const tail = this.stderrTail.split('\n').slice(-12).join('\n');
    return `${this.events.length} events; log ${this.logFile}${tail.trim() === '' ? '' : `; stderr tail:\n${tail}`}`;
  }

  private onStdout(text: string): void {
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    let added = false;
    for (const line of lines) {
      const t = line.trim();
      if (!t.startsWith('{') || this.events.length >= PROGRAM_EVENTS_MAX) continue;
      try {
        const v: unknown = JSON.parse(t);
        if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
          this.events.push(v as JavaEvent);
          added = true;
        }
      } catch {
        // not a line of ours (e.g. a library printing to stdout)
      }
    }
    if (added) this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
