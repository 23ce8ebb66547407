import fs from 'node:fs';
import path from 'node:path';
import type { StoreLogger } from '../util/store-logger.js';
import { ConsumeQueue } from './consume-queue.js';

// Every ConsumeQueue of the store, under consumequeue/<topic>/<queueId>/ (reference §1, §6).
// Topic names become directory names, so a name that is not a safe single path component is
// refused (it can only arrive through corrupted or hostile replicated bytes).

/** Most queue ids accepted per topic (RocketMQ caps writeQueueNums far lower). */
export const QUEUE_ID_MAX = 65_535;

export function isSafeTopicDirName(topic: string): boolean {
  return (
    topic.length > 0 &&
    topic.length <= 255 &&
    topic !== '.' &&
    topic !== '..' &&
    !topic.includes('/') &&
    !topic.includes('\\') &&
    !topic.includes('\u0000')
  );
}

export class ConsumeQueueStore {
  private readonly table = new Map<string, Map<number, ConsumeQueue>>();
  readonly rootDir: string;

  constructor(
    storePathRootDir: string,
    private readonly fileBytes: number,
    private readonly log: StoreLogger,
  ) {
    this.rootDir = path.join(storePathRootDir, 'consumequeue');
  }

  /** Opens every queue directory found on disk. */
  loadSync(): void {
    fs.mkdirSync(this.rootDir, { recursive: true });
    for (const topic of fs.readdirSync(this.rootDir)) {
      const topicDir = path.join(this.rootDir, topic);
      if (!fs.statSync(topicDir).isDirectory()) continue;
      for (const qid of fs.readdirSync(topicDir)) {
        const queueId = Number(qid);
        if (!/^[0-9]+$/.test(qid) || queueId > QUEUE_ID_MAX) {
          this.log.warn({ dir: path.join(topicDir, qid) }, 'ignored a consume queue directory that is not a queue id');
          continue;
        }
        const cq = this.create(topic, queueId);
        cq.loadSync();
      }
    }
  }

  find(topic: string, queueId: number): ConsumeQueue | undefined {
    return this.table.get(topic)?.get(queueId);
  }

  /** The queue, created (in memory; files appear on first write) if absent; undefined if the name is unsafe. */
  findOrCreate(topic: string, queueId: number): ConsumeQueue | undefined {
    const found = this.find(topic, queueId);
    if (found) return found;
    if (!isSafeTopicDirName(topic) || !Number.isInteger(queueId) || queueId < 0 || queueId > QUEUE_ID_MAX) {
      return undefined;
    }
    return this.create(topic, queueId);
  }

  *all(): IterableIterator<ConsumeQueue> {
    for (const queues of this.table.values()) yield* queues.values();
  }

  topics(): IterableIterator<string> {
    return this.table.keys();
  }

  queuesOf(topic: string): ReadonlyMap<number, ConsumeQueue> | undefined {
    return this.table.get(topic);
  }

  /** Deletes a topic's queues and their files. */
  destroyTopicSync(topic: string): void {
    const queues = this.table.get(topic);
    if (!queues) return;
    for (const cq of queues.values()) cq.destroySync();
    this.table.delete(topic);
    fs.rmSync(path.join(this.rootDir, topic), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.all()].map((cq) => cq.close()));
    this.table.clear();
  }

  private create(topic: string, queueId: number): ConsumeQueue {
    let queues = this.table.get(topic);
    if (!queues) {
      queues = new Map();
      this.table.set(topic, queues);
    }
    const cq = new ConsumeQueue(topic, queueId, path.join(this.rootDir, topic, String(queueId)), this.fileBytes, this.log);
    queues.set(queueId, cq);
    return cq;
  }
}
