// How the message commands show one stored message: the JSON shape (`MessageView`), the detail
// block queryMsgById / queryMsgByUniqueKey / queryMsgByOffset print (`%-20s %s` label lines, as
// RocketMQ's QueryMsgByIdSubCommand.printMsg lays them out), the body written to a file under
// <tmpdir>/rocketmq/msgbodys/<msgId> (RocketMQ: /tmp/rocketmq/msgbodys), and the one-line
// `MSGID: … MessageExt […] BODY: …` form printMsg and consumeMessage print.

import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import { type MessageExt, formatSocketAddress } from '@apogee/common';
import { UsageError } from '../../errors.js';
import { formatTimestamp } from '../../output/format.js';

/** One stored message as `--json` prints it. */
export interface MessageView {
  /** the id clients show: the producer's UNIQ_KEY, else the offset message id */
  msgId: string;
  /** where the message lives: store host + commit-log offset */
  offsetMsgId: string;
  topic: string;
  /** null when the message has none (RocketMQ prints `[null]`) */
  tags: string | null;
  keys: string | null;
  queueId: number;
  queueOffset: number;
  commitLogOffset: number;
  reconsumeTimes: number;
  /** epoch ms */
  bornTimestamp: number;
  storeTimestamp: number;
  /** host:port */
  bornHost: string;
  storeHost: string;
  sysFlag: number;
  storeSize: number;
  bodyCRC: number;
  bodyLength: number;
  properties: Record<string, string>;
}

export function messageView(msg: MessageExt): MessageView {
  return {
    msgId: msg.msgId,
    offsetMsgId: offsetMsgIdOf(msg),
    topic: msg.topic,
    tags: msg.getTags() ?? null,
    keys: msg.getKeys() ?? null,
    queueId: msg.queueId,
    queueOffset: msg.queueOffset,
    commitLogOffset: msg.commitLogOffset,
    reconsumeTimes: msg.reconsumeTimes,
    bornTimestamp: msg.bornTimestamp,
    storeTimestamp: msg.storeTimestamp,
    bornHost: formatSocketAddress(msg.bornHost),
    storeHost: formatSocketAddress(msg.storeHost),
    sysFlag: msg.sysFlag,
    storeSize: msg.storeSize,
    bodyCRC: msg.bodyCRC,
    bodyLength: msg.body.length,
    properties: Object.fromEntries(msg.properties),
  };
}

function offsetMsgIdOf(msg: MessageExt): string {
  try {
    return msg.offsetMsgId;
  } catch {
    return ''; // a store host that is not an IP literal has no offset id
  }
}

/** Java's Map.toString: `{K1=v1, K2=v2}`. */
export function javaMapString(properties: Readonly<Record<string, string>>): string {
  return `{${Object.entries(properties).map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}

const LABEL_WIDTH = 20;

function labelLine(label: string, value: string | number): string {
  return `${label.padEnd(LABEL_WIDTH)} ${value}`;
}

export interface DetailBlockOptions {
  /** the `OffsetID:` line first (queryMsgById, queryMsgByOffset; not queryMsgByUniqueKey) */
  readonly withOffsetId: boolean;
  readonly bodyPath: string;
  /** the body decoded with -f, printed as `Message Body:` */
  readonly bodyText?: string;
}

/** The label block RocketMQ prints for one message. */
export function detailBlock(view: MessageView, options: DetailBlockOptions): string {
  const lines: string[] = [];
  if (options.withOffsetId) lines.push(labelLine('OffsetID:', view.offsetMsgId));
  lines.push(
    labelLine('Topic:', view.topic),
    labelLine('Tags:', `[${view.tags ?? 'null'}]`),
    labelLine('Keys:', `[${view.keys ?? 'null'}]`),
    labelLine('Queue ID:', view.queueId),
    labelLine('Queue Offset:', view.queueOffset),
    labelLine('CommitLog Offset:', view.commitLogOffset),
    labelLine('Reconsume Times:', view.reconsumeTimes),
    labelLine('Born Timestamp:', formatTimestamp(view.bornTimestamp)),
    labelLine('Store Timestamp:', formatTimestamp(view.storeTimestamp)),
    labelLine('Born Host:', view.bornHost),
    labelLine('Store Host:', view.storeHost),
    labelLine('System Flag:', view.sysFlag),
    labelLine('Properties:', javaMapString(view.properties)),
    labelLine('Message Body Path:', options.bodyPath),
  );
  if (options.bodyText !== undefined) lines.push(labelLine('Message Body:', options.bodyText));
  return `${lines.join('\n')}\n`;
}

/** Where message bodies are written: <tmpdir>/rocketmq/msgbodys. */
export function bodyDir(): string {
  return join(tmpdir(), 'rocketmq', 'msgbodys');
}

/** Writes the body to <bodyDir>/<msgId>[_index] and returns that path. */
export async function writeBodyFile(msg: MessageExt, index = 0): Promise<string> {
  const dir = bodyDir();
  await mkdir(dir, { recursive: true });
  const path = join(dir, index > 0 ? `${msg.msgId}_${index}` : msg.msgId);
  await writeFile(path, msg.body);
  return path;
}

/**
 * A decoder for a Java charset name (-c/-f: UTF-8, GBK, ISO-8859-1, UTF-16LE…); a UsageError
 * naming `option` when the name is unknown.
 */
export function bodyDecoder(charsetName: string, option: string): (body: Buffer) => string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charsetName);
  } catch {
    throw new UsageError(`option --${option}: unknown charset ${JSON.stringify(charsetName)}`);
  }
  return (body) => decoder.decode(body);
}

const BODY_BYTES_SHOWN_MAX = 64;

/**
 * RocketMQ's MessageExt.toString (which includes Message.toString). The body's bytes, which Java
 * prints in full, are cut after 64 with the total length.
 */
export function messageExtString(msg: MessageExt, brokerName: string): string {
  const view = messageView(msg);
  const bytes = [...msg.body.subarray(0, BODY_BYTES_SHOWN_MAX)].map((b) => (b > 127 ? b - 256 : b));
  const body = msg.body.length > BODY_BYTES_SHOWN_MAX ? `[${bytes.join(', ')}, …(${msg.body.length} bytes)]` : `[${bytes.join(', ')}]`;
  const message = `Message{topic='${msg.topic}', flag=${msg.flag}, properties=${javaMapString(view.properties)}, body=${body}, transactionId='${msg.transactionId ?? 'null'}'}`;
  return `MessageExt [brokerName=${brokerName}, queueId=${msg.queueId}, storeSize=${msg.storeSize}, queueOffset=${msg.queueOffset}, sysFlag=${msg.sysFlag}, `
    + `bornTimestamp=${msg.bornTimestamp}, bornHost=/${view.bornHost}, storeTimestamp=${msg.storeTimestamp}, storeHost=/${view.storeHost}, msgId=${view.offsetMsgId}, `
    + `commitLogOffset=${msg.commitLogOffset}, bodyCRC=${msg.bodyCRC}, reconsumeTimes=${msg.reconsumeTimes}, preparedTransactionOffset=${msg.preparedTransactionOffset}, toString()=${message}]`;
}

/** `MSGID: <id> MessageExt [...] BODY: <body | NOT PRINT BODY>` */
export function msgIdLine(msg: MessageExt, brokerName: string, body: string | undefined): string {
  return `MSGID: ${msg.msgId} ${messageExtString(msg, brokerName)} BODY: ${body ?? 'NOT PRINT BODY'}`;
}
