// A spawned JVM: output goes to a log file and to a bounded in-memory tail that boot-line waits
// read. stop() kills it and awaits its exit. A process-exit hook kills whatever is still running,
// so a crashed test run leaves no JVM behind.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Output kept in memory per process; the log file has all of it. */
export const OUTPUT_TAIL_CHARS_MAX = 256 * 1024;
export const STOP_TIMEOUT_MS = 15_000;

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Kills `child` with SIGKILL if this Node process exits while it still runs. */
export function killOnExit(child: ChildProcess): void {
  installExitHook();
  running.add(child);
  child.once('exit', () => running.delete(child));
}

export interface JavaSpawnOptions {
  /** JVM options and main class / -jar and program arguments, as java receives them */
  args: string[];
  cwd: string;
  env?: Record<string, string>;
  /** everything the JVM writes to stdout and stderr */
  logFile: string;
  /** short name for messages, e.g. "namesrv 5.3.3" */
  name: string;
}

export interface JavaExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class JavaProcess {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  private readonly child: ChildProcess;
  private output = '';
  private exitInfo: JavaExit | undefined;
  private readonly exited: Promise<JavaExit>;
  private readonly outputListeners = new Set<() => void>();

  private constructor(child: ChildProcess, opts: JavaSpawnOptions) {
    this.child = child;
    this.name = opts.name;
    this.logFile = opts.logFile;
    this.pid = child.pid ?? -1;
    const log = fs.createWriteStream(opts.logFile, { flags: 'a' });
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      this.output += chunk.toString('utf8');
      if (this.output.length > OUTPUT_TAIL_CHARS_MAX) this.output = this.output.slice(-OUTPUT_TAIL_CHARS_MAX);
      for (const listener of this.outputListeners) listener();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise<JavaExit>((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        this.exitInfo = { code, signal };
        log.end();
        for (const listener of this.outputListeners) listener();
        resolve(this.exitInfo);
      });
    });
  }

  static spawn(opts: JavaSpawnOptions): JavaProcess {
    installExitHook();
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    fs.appendFileSync(opts.logFile, `# ${new Date().toISOString()} java ${opts.args.join(' ')}\n`);
    const child = spawn('java', opts.args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(child);
    const proc = new JavaProcess(child, opts);
    child.once('error', (err) => {
      running.delete(child);
      proc.output += `\nspawn error: ${err.message}\n`;
      if (proc.exitInfo === undefined) child.emit('exit', null, null);
    });
    return proc;
  }

  /** The last OUTPUT_TAIL_CHARS_MAX characters of stdout + stderr. */
  get outputTail(): string {
    return this.output;
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  /** Resolves when the exit code is known. */
  waitForExit(): Promise<JavaExit> {
    return this.exited;
  }

  /**
   * Waits until the output matches `pattern`; rejects when the JVM exits first or the time is up
   * (the message quotes the end of the output and names the log file).
   */
  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = this.output.match(pattern);
        if (match) {
          done();
          resolve(match);
        } else if (this.exitInfo !== undefined) {
          done();
          reject(new Error(`${this.name} exited (${describeExit(this.exitInfo)}) before printing ${pattern}; ${this.diagnostics()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms; ${this.diagnostics()}`));
      }, timeoutMs);
      timer.unref();
      const done = (): void => {
        clearTimeout(timer);
        this.outputListeners.delete(check);
      };
      this.outputListeners.add(check);
      check();
    });
  }

  /** Kills the JVM (SIGKILL unless told otherwise) and awaits its exit. Idempotent. */
  async stop(signal: NodeJS.Signals = 'SIGKILL'): Promise<JavaExit> {
    if (this.exitInfo !== undefined) return this.exitInfo;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
    });
    const first = await Promise.race([this.exited, timeout]);
    clearTimeout(timer);
    if (first === 'timeout') {
      this.child.kill('SIGKILL');
      return this.exited;
    }
    return first;
  }

  diagnostics(): string {
    const tail = this.output.split('\n').slice(-15).join('\n');
    return `log ${this.logFile}; last output:\n${tail}`;
  }
}

export function describeExit(exit: JavaExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
}
