import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { MessageConst } from '@apogee/common';
import { MessageStore, messageStoreConfigForTest, type MessageInner, type MessageStoreConfig, type StoreLogger } from '../../src/index.js';
import type { Clock } from '@apogee/common';

// Shared test helpers: real temp directories, real stores, a log sink that keeps lines.

export function randomId(): string {
  return randomBytes(5).toString('hex');
}

export function tempDir(prefix = 'apogee-store-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: object;
  msg: string;
}

/** A StoreLogger that keeps every line (and prints warn/error when STORE_TEST_LOG is set). */
export function captureLogger(): StoreLogger & { lines: LogLine[]; find(re: RegExp): LogLine | undefined } {
  const lines: LogLine[] = [];
  const make = (level: LogLine['level']) => (obj: object, msg: string) => {
    lines.push({ level, obj, msg });
    if (process.env.STORE_TEST_LOG && level !== 'debug') console.log(level, msg, JSON.stringify(obj));
  };
  return {
    lines,
    debug: make('debug'),
    info: make('info'),
    warn: make('warn'),
    error: make('error'),
    find: (re) => lines.find((l) => re.test(l.msg)),
  };
}

export interface TestMessageOptions {
  tags?: string;
  keys?: string;
  uniqKey?: string;
  properties?: Record<string, string>;
  sysFlag?: number;
  wait?: boolean;
  bornTimestamp?: number;
}

export function makeMessage(topic: string, queueId: number, body: Buffer | string, opts: TestMessageOptions = {}): MessageInner {
  const properties = new Map<string, string>();
  if (opts.tags !== undefined) properties.set(MessageConst.PROPERTY_TAGS, opts.tags);
  if (opts.keys !== undefined) properties.set(MessageConst.PROPERTY_KEYS, opts.keys);
  if (opts.uniqKey !== undefined) properties.set(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, opts.uniqKey);
  if (opts.wait !== undefined) properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, String(opts.wait));
  for (const [k, v] of Object.entries(opts.properties ?? {})) properties.set(k, v);
  return {
    topic,
    queueId,
    flag: 0,
    body: typeof body === 'string' ? Buffer.from(body) : body,
    properties,
    sysFlag: opts.sysFlag ?? 0,
    bornTimestamp: opts.bornTimestamp ?? Date.now(),
    bornHost: { host: '127.0.0.1', port: 50000 },
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

export async function openStore(
  dir: string,
  overrides: Partial<MessageStoreConfig> = {},
  opts: { clock?: Clock; logger?: StoreLogger } = {},
): Promise<{ store: MessageStore; log: ReturnType<typeof captureLogger> }> {
  const log = captureLogger();
  const store = new MessageStore(messageStoreConfigForTest(dir, overrides), { clock: opts.clock, logger: opts.logger ?? log });
  await store.start();
  return { store, log };
}
