// Test fixture: an in-process Apogee NameServer + broker (the standalone pair on ephemeral
// loopback ports and a temp dir), and `mqadmin` run in-process against it with captured output.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Message } from '@apogee/common';
import { DefaultMQProducer, type SendResult } from '@apogee/client';
import { newTopicConfig } from '@apogee/broker';
import { type Standalone, startStandalone } from '@apogee/standalone';
import { quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import { BufferedOutput, type ExitStatus, runMqadmin } from '../src/index.js';

export interface RunResult {
  readonly status: ExitStatus;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** stdout/stderr claim to be a terminal of this many columns */
  readonly ttyColumns?: number;
  readonly env?: Record<string, string>;
}

/** Runs mqadmin in this process with captured streams. */
export async function mqadmin(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const tty = options.ttyColumns !== undefined;
  const stdout = new BufferedOutput(tty, options.ttyColumns);
  const stderr = new BufferedOutput(tty, options.ttyColumns);
  const status = await runMqadmin(argv, { stdout, stderr, env: options.env ?? {} });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

type Closable = { shutdown(): Promise<void> };

export class Harness {
  private readonly closables: Closable[] = [];
  private producerClient: DefaultMQProducer | undefined;

  private constructor(
    readonly standalone: Standalone,
    private readonly dir: string,
  ) {}

  static async start(): Promise<Harness> {
    const dir = mkdtempSync(join(tmpdir(), 'apogee-mqadmin-'));
    const standalone = await startStandalone(
      { dataDir: dir, host: '127.0.0.1', namesrvPort: 0, brokerPort: 0, brokerName: `broker-${randomId()}`, clusterName: 'DefaultCluster' },
      { logger: quietLogger('standalone') },
    );
    return new Harness(standalone, dir);
  }

  get namesrvAddr(): string {
    return this.standalone.namesrvAddr;
  }

  get brokerAddr(): string {
    return this.standalone.brokerAddr;
  }

  get brokerName(): string {
    return this.standalone.config.brokerName;
  }

  /** mqadmin against this cluster (`-n` appended). */
  run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    return mqadmin([...argv, '-n', this.namesrvAddr], options);
  }

  /** mqadmin … --json, parsed; fails the test when the command failed. */
  async json<T = unknown>(argv: readonly string[]): Promise<T> {
    const result = await this.run([...argv, '--json']);
    if (result.status !== 0) throw new Error(`mqadmin ${argv.join(' ')} exited ${result.status}: ${result.stderr}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Creates `topic` on the broker directly and waits until the NameServer routes it. */
  async createTopic(topic: string, queueNums = 4): Promise<void> {
    const broker = this.standalone.broker;
    const result = broker.topicConfigManager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: queueNums, writeQueueNums: queueNums, perm: 6 }));
    if (typeof result === 'string') throw new Error(result);
    await broker.registerBrokerAll();
    await waitFor(async () => (await this.run(['topicRoute', '-t', topic])).status === 0, { timeoutMs: 10_000 });
  }

  /** A started producer on this cluster (shut down by shutdown()). */
  async producer(): Promise<DefaultMQProducer> {
    if (this.producerClient === undefined) {
      const producer = new DefaultMQProducer({ namesrvAddr: this.namesrvAddr, logger: quietLogger('producer'), producerGroup: `pg-${randomId()}` });
      await producer.start();
      this.closables.push(producer);
      this.producerClient = producer;
    }
    return this.producerClient;
  }

  /** Sends `count` messages with keys `${keyPrefix}-i` and tag `tag`. */
  async send(topic: string, count: number, options: { keyPrefix?: string; tag?: string; body?: string } = {}): Promise<SendResult[]> {
    const producer = await this.producer();
    const results: SendResult[] = [];
    for (let i = 0; i < count; i++) {
      const msg = new Message(topic, Buffer.from(options.body ?? `body-${i}`));
      if (options.tag !== undefined) msg.setTags(options.tag);
      if (options.keyPrefix !== undefined) msg.setKeys(`${options.keyPrefix}-${i}`);
      results.push(await producer.send(msg));
    }
    return results;
  }

  /** Registers something for shutdown. */
  track<T extends Closable>(closable: T): T {
    this.closables.push(closable);
    return closable;
  }

  async shutdown(): Promise<void> {
    for (const closable of this.closables.reverse()) await closable.shutdown();
    await this.standalone.shutdown();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
