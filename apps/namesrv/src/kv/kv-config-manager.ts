// Namespaced key/value settings kept by the NameServer (e.g. ORDER_TOPIC_CONFIG), the only
// state it persists. File shape as RocketMQ writes it: {"configTable":{"<ns>":{"<k>":"<v>"}}}.

import { type Logger, readFileWithBackup, writeFileAtomic } from '@apogee/common';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';

export const KV_NAMESPACES_MAX = 1024;
export const KV_ENTRIES_PER_NAMESPACE_MAX = 100_000;

export class KvConfigManager {
  private readonly table = new Map<string, Map<string, string>>();
  private persisting: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    const loaded = await readFileWithBackup(this.path, (text) => parseKvFile(text));
    if (loaded === undefined) return;
    if (loaded.fromBackup) this.log.warn({ path: this.path }, 'kv config unreadable, loaded the .bak copy');
    for (const [ns, entries] of loaded.value) this.table.set(ns, entries);
  }

  /** Returns an error text when a bound would be exceeded. */
  put(namespace: string, key: string, value: string): string | undefined {
    let entries = this.table.get(namespace);
    if (entries === undefined) {
      if (this.table.size >= KV_NAMESPACES_MAX) return `kv config holds the maximum of ${KV_NAMESPACES_MAX} namespaces`;
      this.table.set(namespace, (entries = new Map()));
    }
    if (!entries.has(key) && entries.size >= KV_ENTRIES_PER_NAMESPACE_MAX) {
      return `kv namespace ${namespace} holds the maximum of ${KV_ENTRIES_PER_NAMESPACE_MAX} keys`;
    }
    entries.set(key, value);
    this.schedulePersist();
    return undefined;
  }

  get(namespace: string, key: string): string | undefined {
    return this.table.get(namespace)?.get(key);
  }

  delete(namespace: string, key: string): void {
    const entries = this.table.get(namespace);
    if (entries === undefined || !entries.delete(key)) return;
    if (entries.size === 0) this.table.delete(namespace);
    this.schedulePersist();
  }

  list(namespace: string): Map<string, string> | undefined {
    const entries = this.table.get(namespace);
    return entries === undefined ? undefined : new Map(entries);
  }

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.persisting;
  }

  private schedulePersist(): void {
    const snapshot = serializeKvTable(this.table);
    this.persisting = this.persisting
      .then(async () => {
        await mkdir(dirname(this.path), { recursive: true });
        await writeFileAtomic(this.path, snapshot);
      })
      .catch((err: unknown) => this.log.error({ err, path: this.path }, 'kv config not persisted'));
  }
}

export function serializeKvTable(table: Map<string, Map<string, string>>): string {
  const configTable: Record<string, Record<string, string>> = {};
  for (const ns of [...table.keys()].sort()) {
    const entries = table.get(ns)!;
    configTable[ns] = Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return JSON.stringify({ configTable }, null, '\t');
}

function parseKvFile(text: string): Map<string, Map<string, string>> {
  const parsed = JSON.parse(text) as { configTable?: Record<string, Record<string, unknown>> };
  const out = new Map<string, Map<string, string>>();
  for (const [ns, entries] of Object.entries(parsed.configTable ?? {})) {
    out.set(ns, new Map(Object.entries(entries).map(([k, v]) => [k, String(v)])));
  }
  return out;
}
