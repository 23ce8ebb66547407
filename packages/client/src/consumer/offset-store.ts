// Where a consumer keeps its consumed offsets (OffsetStore):
// - RemoteBrokerOffsetStore (clustering): in memory, written to the queue's master with
//   UPDATE_CONSUMER_OFFSET (oneway on the periodic persist, as Java), read with
//   QUERY_CONSUMER_OFFSET;
// - LocalFileOffsetStore (broadcasting): a JSON file per client and group,
//   `<dir>/<clientId>/<group>/offsets.json`, {"offsetTable":{<MessageQueue>:offset}} as Java's
//   OffsetSerializeWrapper is written.
// readOffset answers -1 when there is no offset yet and -2 when the store could not be read.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type MessageQueue, MASTER_ID, readFileWithBackup, writeFileAtomic } from '@apogee/common';
import { messageQueueOf, isReason, parseLenientJson, toFastjsonString } from '@apogee/remoting';
import { queryConsumerOffset, updateConsumerOffset, updateConsumerOffsetOneway } from '../api/consumer-api.js';
import { ClientErrorCode, MQClientError } from '../errors.js';
import type { MQClientInstance } from '../factory/mq-client-instance.js';
import { copyMessageQueue, mqKey } from '../message-queue.js';

export type ReadOffsetType = 'READ_FROM_MEMORY' | 'READ_FROM_STORE' | 'MEMORY_FIRST_THEN_STORE';

/** No offset stored for the queue. */
export const OFFSET_NOT_FOUND = -1;
/** The store could not be read (broker unreachable...). */
export const OFFSET_READ_FAILED = -2;

export interface OffsetEntry {
  readonly mq: MessageQueue;
  readonly offset: number;
}

export interface OffsetStore {
  load(): Promise<void>;
  /** Sets the in-memory offset; with `increaseOnly` a smaller offset is ignored. */
  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void;
  readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number>;
  /** Writes the offsets of `mqs` (and forgets the others); `sync` waits for each broker's answer. */
  persistAll(mqs: readonly MessageQueue[], options?: { sync?: boolean }): Promise<void>;
  persist(mq: MessageQueue): Promise<void>;
  removeOffset(mq: MessageQueue): void;
  /** In-memory offsets (of one topic, or all). */
  offsets(topic?: string): OffsetEntry[];
}

/** The in-memory table both stores share. */
abstract class OffsetTable {
  protected readonly table = new Map<string, { mq: MessageQueue; offset: number }>();

  updateOffset(mq: MessageQueue, offset: number, increaseOnly: boolean): void {
    const key = mqKey(mq);
    const entry = this.table.get(key);
    if (entry === undefined) this.table.set(key, { mq: copyMessageQueue(mq), offset });
    else if (!increaseOnly || offset > entry.offset) entry.offset = offset;
  }

  removeOffset(mq: MessageQueue): void {
    this.table.delete(mqKey(mq));
  }

  offsets(topic?: string): OffsetEntry[] {
    return [...this.table.values()].filter((e) => topic === undefined || e.mq.topic === topic).map((e) => ({ mq: e.mq, offset: e.offset }));
  }

  protected memoryOffset(mq: MessageQueue): number | undefined {
    return this.table.get(mqKey(mq))?.offset;
  }
}

export class RemoteBrokerOffsetStore extends OffsetTable implements OffsetStore {
  constructor(
    private readonly instance: MQClientInstance,
    private readonly groupName: string,
  ) {
    super();
  }

  load(): Promise<void> {
    return Promise.resolve();
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    const inMemory = this.memoryOffset(mq);
    if (type === 'READ_FROM_MEMORY') return inMemory ?? OFFSET_NOT_FOUND;
    if (type === 'MEMORY_FIRST_THEN_STORE' && inMemory !== undefined) return inMemory;
    try {
      const addr = await this.masterOf(mq);
      const offset = await queryConsumerOffset(this.instance.remoting, addr, this.groupName, mq);
      if (offset >= 0) this.updateOffset(mq, offset, false);
      return offset;
    } catch (err) {
      this.instance.log.warn({ err, mq, group: this.groupName }, 'query consumer offset failed');
      return OFFSET_READ_FAILED;
    }
  }

  async persistAll(mqs: readonly MessageQueue[], options: { sync?: boolean } = {}): Promise<void> {
    const wanted = new Set(mqs.map(mqKey));
    const writes: Array<Promise<void>> = [];
    for (const [key, entry] of this.table) {
      if (!wanted.has(key)) continue;
      writes.push(this.write(entry.mq, entry.offset, options.sync === true).catch((err: unknown) => {
        this.instance.log.warn({ err, mq: entry.mq, group: this.groupName }, 'update consumer offset failed');
      }));
    }
    await Promise.all(writes);
  }

  async persist(mq: MessageQueue): Promise<void> {
    const offset = this.memoryOffset(mq);
    if (offset !== undefined) await this.write(mq, offset, true);
  }

  private async write(mq: MessageQueue, offset: number, sync: boolean): Promise<void> {
    const addr = await this.masterOf(mq);
    if (sync) await updateConsumerOffset(this.instance.remoting, addr, this.groupName, mq, offset);
    else await updateConsumerOffsetOneway(this.instance.remoting, addr, this.groupName, mq, offset);
  }

  private async masterOf(mq: MessageQueue): Promise<string> {
    let found = this.instance.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true);
    if (found === undefined) {
      await this.instance.updateTopicRouteInfoFromNameServer(mq.topic).catch(() => false);
      found = this.instance.findBrokerAddressInSubscribe(mq.brokerName, MASTER_ID, true);
    }
    if (found === undefined) throw new MQClientError(`The broker[${mq.brokerName}] not exist`, ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION);
    return found.brokerAddr;
  }
}

export class LocalFileOffsetStore extends OffsetTable implements OffsetStore {
  readonly path: string;

  constructor(dir: string, clientId: string, groupName: string) {
    super();
    // ':' is not allowed in Windows file names; Java keeps the client id as is.
    this.path = join(dir, clientId.replace(/[:\\/]/g, '_'), groupName, 'offsets.json');
  }

  async load(): Promise<void> {
    for (const entry of await this.readFile()) this.updateOffset(entry.mq, entry.offset, false);
  }

  async readOffset(mq: MessageQueue, type: ReadOffsetType): Promise<number> {
    const inMemory = this.memoryOffset(mq);
    if (type === 'READ_FROM_MEMORY') return inMemory ?? OFFSET_NOT_FOUND;
    if (type === 'MEMORY_FIRST_THEN_STORE' && inMemory !== undefined) return inMemory;
    try {
      const stored = (await this.readFile()).find((e) => mqKey(e.mq) === mqKey(mq));
      if (stored === undefined) return OFFSET_NOT_FOUND;
      this.updateOffset(mq, stored.offset, false);
      return stored.offset;
    } catch {
      return OFFSET_READ_FAILED;
    }
  }

  async persistAll(mqs: readonly MessageQueue[]): Promise<void> {
    if (mqs.length === 0) return;
    const wanted = new Set(mqs.map(mqKey));
    const offsetTable = new Map<MessageQueue, number>();
    for (const [key, entry] of this.table) if (wanted.has(key)) offsetTable.set(copyMessageQueue(entry.mq), entry.offset);
    await mkdir(join(this.path, '..'), { recursive: true });
    await writeFileAtomic(this.path, toFastjsonString({ offsetTable }));
  }

  persist(mq: MessageQueue): Promise<void> {
    return this.persistAll([...this.table.values()].map((e) => e.mq).filter((m) => mqKey(m) !== mqKey(mq)).concat([mq]));
  }

  private async readFile(): Promise<OffsetEntry[]> {
    const read = await readFileWithBackup(this.path, (text) => {
      const parsed = parseLenientJson(text);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.value;
    });
    if (read === undefined) return [];
    const root = read.value as Record<string, unknown>;
    const table = (root['offsetTable'] ?? {}) as Record<string, unknown>;
    const out: OffsetEntry[] = [];
    for (const [key, value] of Object.entries(table)) {
      let mq: ReturnType<typeof messageQueueOf>;
      try {
        mq = messageQueueOf(JSON.parse(key), 'offsetTable key');
      } catch {
        continue;
      }
      if (!isReason(mq) && typeof value === 'number') out.push({ mq, offset: value });
    }
    return out;
  }
}
