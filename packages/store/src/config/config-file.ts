import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readFileWithBackup, writeFileAtomic } from '@apogee/common';
import type { StoreLogger } from '../util/store-logger.js';

// One config/state file (RocketMQ's ConfigManager persistence, reference §22): written whole
// and atomically (temp file, fsync, previous version kept as `<file>.bak`, rename, directory
// fsync); read from the file, or from `.bak` when the file is missing, empty or invalid.
// Writes are serialized; a persist that arrives while one is running replaces any queued one.

export interface ConfigCodec<T> {
  encode(value: T): string;
  decode(text: string): { ok: true; value: T } | { ok: false; reason: string };
}

export class ConfigFile<T> {
  private isDraining = false;
  private queued: { value: T; waiters: { resolve: () => void; reject: (e: unknown) => void }[] } | undefined;

  constructor(
    readonly filePath: string,
    private readonly codec: ConfigCodec<T>,
    private readonly log: StoreLogger,
  ) {}

  /** The stored value, or undefined when neither the file nor its backup holds a valid one. */
  async load(): Promise<T | undefined> {
    const loaded = await readFileWithBackup(this.filePath, (text) => {
      const r = this.codec.decode(text);
      if (!r.ok) {
        this.log.warn({ file: this.filePath, reason: r.reason }, 'config file is not valid; trying its backup');
        throw new Error(r.reason);
      }
      return r.value;
    });
    if (loaded?.fromBackup) this.log.warn({ file: this.filePath }, 'config file loaded from its .bak backup');
    return loaded?.value;
  }

  /** Writes `value`. Resolves once it (or a later value) is durable. */
  persist(value: T): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.queued) {
        this.queued.value = value;
        this.queued.waiters.push({ resolve, reject });
      } else {
        this.queued = { value, waiters: [{ resolve, reject }] };
      }
      if (!this.isDraining) {
        this.isDraining = true;
        void this.drain();
      }
    });
  }

  /** Writes queued values until none is left; clears isDraining in the same turn it sees none. */
  private async drain(): Promise<void> {
    while (this.queued) {
      const { value, waiters } = this.queued;
      this.queued = undefined;
      try {
        await mkdir(path.dirname(this.filePath), { recursive: true });
        await writeFileAtomic(this.filePath, this.codec.encode(value));
        for (const w of waiters) w.resolve();
      } catch (err) {
        this.log.error({ err, file: this.filePath }, 'could not write config file');
        for (const w of waiters) w.reject(err);
      }
    }
    this.isDraining = false;
  }
}
