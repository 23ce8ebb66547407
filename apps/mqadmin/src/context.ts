// What a running command may use: the NameServer address, one lazily started admin client,
// SDK producers/consumers it creates (all shut down when the command ends), progress reporting
// and the output width. Client logs are silent unless --verbose, then they go to stderr.

import { pino } from 'pino';
import type { Logger } from '@apogee/common';
import { DefaultMQAdminExt, parseNamesrvAddr } from '@apogee/client';
import { UsageError } from './errors.js';
import { type CliIo, outputWidth } from './io.js';
import { type Progress, NO_PROGRESS, createProgress } from './output/progress.js';

export const ADMIN_TIMEOUT_MS_DEFAULT = 5_000;

export interface ContextSettings {
  readonly namesrvAddr: string | undefined;
  readonly json: boolean;
  readonly verbose: boolean;
}

type Closable = { shutdown(): Promise<void> };

export class CommandContext {
  readonly logger: Logger;
  private adminClient: DefaultMQAdminExt | undefined;
  private readonly closables: Closable[] = [];

  constructor(
    readonly io: CliIo,
    readonly settings: ContextSettings,
  ) {
    this.logger = settings.verbose
      ? pino({ level: 'debug', base: { component: 'mqadmin' } }, { write: (line: string) => io.stderr.write(line) })
      : pino({ level: 'silent' });
  }

  /** -n, else $NAMESRV_ADDR; a UsageError when neither names one. */
  get namesrvAddr(): string {
    const addr = this.settings.namesrvAddr ?? this.io.env['NAMESRV_ADDR']?.trim();
    if (addr === undefined || addr === '') throw new UsageError('no NameServer address: pass -n host:port[;host:port] or set NAMESRV_ADDR');
    try {
      parseNamesrvAddr(addr);
    } catch (err) {
      throw new UsageError(`bad NameServer address ${JSON.stringify(addr)}: ${(err as Error).message}`);
    }
    return addr;
  }

  get width(): number {
    return outputWidth(this.io);
  }

  /** Client options every SDK object of this run shares. */
  clientOptions(): { namesrvAddr: string; logger: Logger; instanceName: string } {
    return { namesrvAddr: this.namesrvAddr, logger: this.logger, instanceName: `mqadmin-${process.pid}-${Date.now()}` };
  }

  /** The admin client, started on first use. */
  async admin(): Promise<DefaultMQAdminExt> {
    if (this.adminClient === undefined) {
      const admin = new DefaultMQAdminExt({ ...this.clientOptions(), timeoutMs: ADMIN_TIMEOUT_MS_DEFAULT });
      await admin.start();
      this.adminClient = admin;
      this.closables.push(admin);
    }
    return this.adminClient;
  }

  /** Starts `client` and shuts it down when the command ends. */
  async started<T extends Closable & { start(): Promise<void> }>(client: T): Promise<T> {
    this.closables.push(client);
    await client.start();
    return client;
  }

  /** A progress bar on a terminal's stderr; nothing when piped or with --json. */
  progress(label: string, total: number): Progress {
    if (this.settings.json) return NO_PROGRESS;
    return createProgress(this.io.stderr, label, total);
  }

  async close(): Promise<void> {
    for (const closable of this.closables.reverse()) {
      await closable.shutdown().catch((err: unknown) => this.logger.debug({ err }, 'shutdown failed'));
    }
    this.closables.length = 0;
  }
}
