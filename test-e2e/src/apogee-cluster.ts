// An Apogee NameServer and Broker as real processes, the way an operator starts them:
// `node --conditions=@apogee/source --import tsx apps/<app>/src/cli.ts -c <file>` with a
// generated .properties file, on 127.0.0.1. Output goes to a log file per process (appended across
// restarts) and to a bounded in-memory tail that boot-line waits read. kill(signal) sends any
// signal (SIGKILL for crash tests) and awaits the exit; restart() starts the same command again on
// the same store. A process-exit hook SIGKILLs whatever is still running.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { killOnExit } from './java-process.js';
import { REPO_ROOT } from './paths.js';
import { assertPortsFree, LOOPBACK_HOST } from './ports.js';
import { writePropertiesFile, type PropertyValue } from './properties-file.js';
import { waitForBrokerRegistration } from './raw-request.js';

/** tsx compiles the sources on start; on a busy 2-core machine that takes a while. */
export const APOGEE_BOOT_TIMEOUT_MS = 60_000;
export const APOGEE_REGISTER_TIMEOUT_MS = 30_000;
export const APOGEE_STOP_TIMEOUT_MS = 15_000;
export const APOGEE_OUTPUT_TAIL_CHARS_MAX = 256 * 1024;
/** 16 MiB CommitLog segments keep test stores small (same as the Java harness brokers). */
export const APOGEE_TEST_COMMIT_LOG_SEGMENT_BYTES = 16 * 1024 * 1024;

const NAMESRV_CLI = path.join(REPO_ROOT, 'apps', 'namesrv', 'src', 'cli.ts');
const BROKER_CLI = path.join(REPO_ROOT, 'apps', 'broker', 'src', 'cli.ts');

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** One spawned Node server process (one life; restart() makes a new one). */
export class ApogeeProcess {
  readonly name: string;
  readonly logFile: string;
  readonly pid: number;
  private readonly child: ChildProcess;
  private output = '';
  private exitInfo: ProcessExit | undefined;
  private readonly exited: Promise<ProcessExit>;
  private readonly listeners = new Set<() => void>();

  private constructor(child: ChildProcess, name: string, logFile: string) {
    this.child = child;
    this.name = name;
    this.logFile = logFile;
    this.pid = child.pid ?? -1;
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    const onData = (chunk: Buffer): void => {
      log.write(chunk);
      this.output = (this.output + chunk.toString('utf8')).slice(-APOGEE_OUTPUT_TAIL_CHARS_MAX);
      this.notify();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise<ProcessExit>((resolve) => {
      // 'close', not 'exit': stdout may still deliver data after 'exit'
      child.once('close', (code, signal) => {
        this.exitInfo = { code, signal };
        log.end(`\n# exited: ${signal ?? `code ${String(code)}`}\n`);
        this.notify();
        resolve(this.exitInfo);
      });
    });
  }

  static spawn(name: string, cliPath: string, cliArgs: readonly string[], logFile: string, home: string): ApogeeProcess {
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const args = ['--conditions=@apogee/source', '--import', 'tsx', cliPath, ...cliArgs];
    fs.appendFileSync(logFile, `# ${new Date().toISOString()} node ${args.join(' ')}\n`);
    // cwd = the repository root so that `--import tsx` resolves; HOME = the run folder so that no
    // default path (kv config, store) lands in the real home.
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, HOME: home, NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(child);
    const proc = new ApogeeProcess(child, name, logFile);
    child.once('error', (err) => {
      proc.output += `\nspawn error: ${err.message}\n`;
      if (proc.exitInfo === undefined) child.emit('close', null, null);
    });
    return proc;
  }

  get isRunning(): boolean {
    return this.exitInfo === undefined;
  }

  get outputTail(): string {
    return this.output;
  }

  waitForOutput(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = this.output.match(pattern);
        if (match) {
          done();
          resolve(match);
        } else if (this.exitInfo !== undefined) {
          done();
          reject(new Error(`${this.name} exited (${describe(this.exitInfo)}) before printing ${pattern}; ${this.diagnostics()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name} did not print ${pattern} within ${timeoutMs} ms; ${this.diagnostics()}`));
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

  /** Sends `signal` and awaits the exit; SIGKILL if it is still up after APOGEE_STOP_TIMEOUT_MS. Idempotent. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> {
    if (this.exitInfo !== undefined) return this.exitInfo;
    this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), APOGEE_STOP_TIMEOUT_MS);
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

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function describe(exit: ProcessExit): string {
  return exit.signal !== null ? `signal ${exit.signal}` : `code ${String(exit.code)}`;
}

export interface ApogeeNamesrvOptions {
  port: number;
  /** namesrv.properties, kv config and namesrv.log go here */
  dir: string;
}

export class ApogeeNamesrv {
  readonly addr: string;
  readonly port: number;
  readonly configFile: string;
  private proc: ApogeeProcess | undefined;

  private constructor(private readonly opts: ApogeeNamesrvOptions) {
    this.port = opts.port;
    this.addr = `${LOOPBACK_HOST}:${opts.port}`;
    this.configFile = path.join(opts.dir, 'namesrv.properties');
  }

  static async start(opts: ApogeeNamesrvOptions): Promise<ApogeeNamesrv> {
    fs.mkdirSync(opts.dir, { recursive: true });
    const namesrv = new ApogeeNamesrv(opts);
    writePropertiesFile(namesrv.configFile, {
      listenPort: opts.port,
      listenAddress: LOOPBACK_HOST,
      kvConfigPath: path.join(opts.dir, 'kvConfig.json'),
    });
    await namesrv.restart();
    return namesrv;
  }

  get process(): ApogeeProcess {
    if (this.proc === undefined) throw new Error('namesrv never started');
    return this.proc;
  }

  /** Starts the process (again) and waits for "The Name Server boot success". */
  async restart(): Promise<void> {
    if (this.proc?.isRunning === true) throw new Error(`namesrv ${this.addr} is still running (pid ${this.proc.pid})`);
    await assertPortsFree([this.port]);
    const proc = ApogeeProcess.spawn(`apogee namesrv :${this.port}`, NAMESRV_CLI, ['-c', this.configFile], path.join(this.opts.dir, 'namesrv.log'), this.opts.dir);
    this.proc = proc;
    try {
      await proc.waitForOutput(/The Name Server boot success/, APOGEE_BOOT_TIMEOUT_MS);
    } catch (err) {
      await proc.kill();
      throw err;
    }
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> {
    return this.process.kill(signal);
  }

  /** Ends the process if it runs (SIGKILL; tests need no clean shutdown of a NameServer). */
  async stop(): Promise<void> {
    if (this.proc !== undefined) await this.proc.kill('SIGKILL');
  }
}

export interface ApogeeBrokerOptions {
  namesrvAddr: string;
  listenPort: number;
  /** storePathRootDir; broker.properties and broker.log go to <dir>/runtime */
  storeDir: string;
  brokerName?: string;
  clusterName?: string;
  /** RocketMQ broker.properties keys; they override the defaults below (e.g. flushDiskType) */
  extraProps?: Readonly<Record<string, PropertyValue>>;
}

export class ApogeeBroker {
  readonly addr: string;
  readonly brokerName: string;
  readonly clusterName: string;
  readonly listenPort: number;
  readonly storeDir: string;
  readonly configFile: string;
  readonly runtimeDir: string;
  private proc: ApogeeProcess | undefined;
  /** lives started so far, for messages */
  private lives = 0;

  private constructor(private readonly opts: ApogeeBrokerOptions) {
    this.brokerName = opts.brokerName ?? 'broker-a';
    this.clusterName = opts.clusterName ?? 'DefaultCluster';
    this.listenPort = opts.listenPort;
    this.addr = `${LOOPBACK_HOST}:${opts.listenPort}`;
    this.storeDir = opts.storeDir;
    this.runtimeDir = path.join(opts.storeDir, 'runtime');
    this.configFile = path.join(this.runtimeDir, 'broker.properties');
  }

  static async start(opts: ApogeeBrokerOptions): Promise<ApogeeBroker> {
    const broker = new ApogeeBroker(opts);
    fs.mkdirSync(broker.runtimeDir, { recursive: true });
    writePropertiesFile(broker.configFile, {
      brokerClusterName: broker.clusterName,
      brokerName: broker.brokerName,
      brokerId: 0,
      brokerRole: 'ASYNC_MASTER',
      flushDiskType: 'ASYNC_FLUSH',
      namesrvAddr: opts.namesrvAddr,
      brokerIP1: LOOPBACK_HOST,
      listenPort: opts.listenPort,
      storePathRootDir: opts.storeDir,
      mappedFileSizeCommitLog: APOGEE_TEST_COMMIT_LOG_SEGMENT_BYTES,
      autoCreateTopicEnable: true,
      autoCreateSubscriptionGroup: true,
      ...opts.extraProps,
    });
    await broker.restart();
    return broker;
  }

  get process(): ApogeeProcess {
    if (this.proc === undefined) throw new Error('broker never started');
    return this.proc;
  }

  get logFile(): string {
    return path.join(this.runtimeDir, 'broker.log');
  }

  /**
   * Starts the broker (again, on the same store) and waits for its boot line and for the
   * NameServer to list it.
   */
  async restart(): Promise<void> {
    if (this.proc?.isRunning === true) throw new Error(`broker ${this.addr} is still running (pid ${this.proc.pid})`);
    await assertPortsFree([this.listenPort]);
    this.lives += 1;
    const proc = ApogeeProcess.spawn(`apogee broker ${this.brokerName} :${this.listenPort} (life ${this.lives})`, BROKER_CLI, ['-c', this.configFile], this.logFile, this.runtimeDir);
    this.proc = proc;
    try {
      await proc.waitForOutput(/The broker\[[^\]]*\] boot success/, APOGEE_BOOT_TIMEOUT_MS);
      const [host = LOOPBACK_HOST, port = ''] = this.opts.namesrvAddr.split(':');
      await waitForBrokerRegistration({ host, port: Number(port) }, this.addr, APOGEE_REGISTER_TIMEOUT_MS);
    } catch (err) {
      await proc.kill();
      throw err;
    }
  }

  /** Sends `signal` (SIGKILL by default: a crash) and awaits the exit. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> {
    return this.process.kill(signal);
  }

  async stop(): Promise<void> {
    if (this.proc !== undefined) await this.proc.kill('SIGKILL');
  }
}

export interface ApogeeClusterOptions {
  namesrvPort: number;
  brokerPort: number;
  /** namesrv/ and broker/ (the store) go under here */
  dir: string;
  brokerProps?: Readonly<Record<string, PropertyValue>>;
}

export interface ApogeeCluster {
  namesrv: ApogeeNamesrv;
  broker: ApogeeBroker;
  stop(): Promise<void>;
}

/** A NameServer and one master broker registered with it. */
export async function startApogeeCluster(opts: ApogeeClusterOptions): Promise<ApogeeCluster> {
  const namesrv = await ApogeeNamesrv.start({ port: opts.namesrvPort, dir: path.join(opts.dir, 'namesrv') });
  let broker: ApogeeBroker;
  try {
    broker = await ApogeeBroker.start({
      namesrvAddr: namesrv.addr, listenPort: opts.brokerPort, storeDir: path.join(opts.dir, 'broker'),
      ...(opts.brokerProps === undefined ? {} : { extraProps: opts.brokerProps }),
    });
  } catch (err) {
    await namesrv.stop();
    throw err;
  }
  return {
    namesrv,
    broker,
    stop: async () => {
      await broker.stop();
      await namesrv.stop();
    },
  };
}
