import { readInt64BE } from '@apogee/common';
import { POS_QUEUE_ID, POS_QUEUE_OFFSET, RecordFrame, frameRecord, type FrameResult } from '../commitlog/record-layout.js';

// What dispatch hands every CommitLogDispatcher for one record (RocketMQ's DispatchRequest).
// Two ways fill it, with the same result: DispatchRequestReader reads it from commit-log bytes
// (recovery, replicated raw data, records before a restart), and for a local put's record it is
// built from what the put encoded (preparedDispatchRequest, records handed over through
// prepared-dispatches.ts), so that dispatch need not parse the record it just wrote.

export interface DispatchRequest {
  topic: string;
  queueId: number;
  commitLogOffset: number;
  msgSize: number;
  /** ConsumeQueue tags code: String.hashCode of TAGS (0 without tags), or what a TagsCodeHook says. */
  tagsCode: number;
  storeTimestamp: number;
  consumeQueueOffset: number;
  keys: string | undefined;
  uniqKey: string | undefined;
  sysFlag: number;
  preparedTransactionOffset: number;
  /** Raw properties text (0x01/0x02 form); parse with stringToProperties when needed. */
  properties: string;
}

/** A consumer of dispatched records. Runs synchronously inside a dispatch round. */
export interface CommitLogDispatcher {
  readonly name: string;
  /** Start of a dispatch round (a failed round is repeated from its start). */
  beginRound?(): void;
  dispatch(req: DispatchRequest): void;
  /** End of a dispatch round: write what was buffered. */
  commitRound?(): void;
}

/**
 * Overrides the ConsumeQueue tags code of a record, e.g. the delay feature stores the delivery
 * time for SCHEDULE_TOPIC_XXXX (RocketMQ's checkMessageAndReturnSize). Return `tagsCode` to keep it.
 */
export type TagsCodeHook = (topic: string, properties: string, storeTimestamp: number, tagsCode: number) => number;

/** Distinct topics whose text the reader keeps (a topic's bytes map to one string object). */
export const DISPATCH_TOPIC_CACHE_ENTRIES = 256;

const SOH = 0x01;
const STX = 0x02;

/**
 * Reads DispatchRequests from commit-log bytes. Per record it checks and frames the record
 * (record-layout.ts), reuses the topic string of an earlier record with the same topic bytes (so
 * queue and index lookups hash one string object), and scans the properties bytes once for TAGS,
 * KEYS and UNIQ_KEY, hashing TAGS without building a string when it is ASCII.
 */
export class DispatchRequestReader {
  private readonly frame = new RecordFrame();
  private readonly topicBytes: (Buffer | undefined)[] = new Array(DISPATCH_TOPIC_CACHE_ENTRIES);
  private readonly topicText: string[] = new Array(DISPATCH_TOPIC_CACHE_ENTRIES);
  private tagsCode = 0;
  private keys: string | undefined;
  private uniqKey: string | undefined;

  /** Checks the record at `buf[pos]` (without its CRC) and remembers where its parts are. */
  frameAt(buf: Buffer, pos: number, expectedPhysicalOffset: number): FrameResult {
    return frameRecord(buf, pos, { checkCRC: false, expectedPhysicalOffset }, this.frame);
  }

  /** The request of the record last framed in `buf`. */
  request(buf: Buffer, tagsCodeHook: TagsCodeHook | undefined): DispatchRequest {
    const f = this.frame;
    const topic = this.topicAt(buf, f.topicPos, f.topicLen);
    const properties = f.propsLen === 0 ? '' : buf.toString('utf8', f.propsPos, f.propsPos + f.propsLen);
    this.scanProperties(buf, f.propsPos, f.propsPos + f.propsLen);
    const storeTimestamp = readInt64BE(buf, f.storeTimestampPos);
    let tagsCode = this.tagsCode;
    if (tagsCodeHook) tagsCode = tagsCodeHook(topic, properties, storeTimestamp, tagsCode);
    return newDispatchRequest(
      topic,
      buf.readInt32BE(f.pos + POS_QUEUE_ID),
      f.physicalOffset,
      f.size,
      tagsCode,
      storeTimestamp,
      readInt64BE(buf, f.pos + POS_QUEUE_OFFSET),
      this.keys,
      this.uniqKey,
      f.sysFlag,
      readInt64BE(buf, f.preparedPos),
      properties,
    );
  }

  /** Size of the record last framed. */
  get size(): number {
    return this.frame.size;
  }

  private topicAt(buf: Buffer, pos: number, len: number): string {
    let hash = len;
    for (let i = pos; i < pos + len; i++) hash = (Math.imul(hash, 31) + buf[i]!) | 0;
    const slot = (hash >>> 0) % DISPATCH_TOPIC_CACHE_ENTRIES;
    const cached = this.topicBytes[slot];
    if (cached !== undefined && cached.length === len && sameBytes(cached, buf, pos)) return this.topicText[slot]!;
    const text = buf.toString('utf8', pos, pos + len);
    this.topicBytes[slot] = Buffer.from(buf.subarray(pos, pos + len));
    this.topicText[slot] = text;
    return text;
  }

  /**
   * One pass over "name 0x01 value 0x02" pairs for the three properties dispatch needs, with the
   * same splitting rules as a scan of the text (0x01 and 0x02 never occur inside a multi-byte
   * UTF-8 sequence, so bytes and text split alike). A later pair wins, as in the text scan.
   */
  private scanProperties(buf: Buffer, start: number, end: number): void {
    let tagsStart = -1;
    let tagsEnd = -1;
    this.keys = undefined;
    this.uniqKey = undefined;
    let p = start;
    while (p < end) {
      let sep = p;
      while (sep < end && buf[sep] !== SOH) sep++;
      if (sep === end) break;
      let valueEnd = sep + 1;
      while (valueEnd < end && buf[valueEnd] !== STX) valueEnd++;
      const nameLen = sep - p;
      if (nameLen === 4) {
        if (isName4(buf, p, 0x54, 0x41, 0x47, 0x53)) {
          tagsStart = sep + 1; // TAGS
          tagsEnd = valueEnd;
        } else if (isName4(buf, p, 0x4b, 0x45, 0x59, 0x53)) {
          this.keys = buf.toString('utf8', sep + 1, valueEnd); // KEYS
        }
      } else if (nameLen === 8 && isUniqKeyName(buf, p)) {
        this.uniqKey = buf.toString('utf8', sep + 1, valueEnd);
      }
      p = valueEnd + 1;
    }
    this.tagsCode = tagsStart < 0 ? 0 : tagsHashCodeOfBytes(buf, tagsStart, tagsEnd);
  }
}

/**
 * A DispatchRequest, built in one place so that both ways of filling it make objects of one
 * shape (dispatchers see a single hidden class).
 */
export function newDispatchRequest(
  topic: string,
  queueId: number,
  commitLogOffset: number,
  msgSize: number,
  tagsCode: number,
  storeTimestamp: number,
  consumeQueueOffset: number,
  keys: string | undefined,
  uniqKey: string | undefined,
  sysFlag: number,
  preparedTransactionOffset: number,
  properties: string,
): DispatchRequest {
  return {
    topic,
    queueId,
    commitLogOffset,
    msgSize,
    tagsCode,
    storeTimestamp,
    consumeQueueOffset,
    keys,
    uniqKey,
    sysFlag,
    preparedTransactionOffset,
    properties,
  };
}

/** Whether the UTF-8 of `text` decodes back to `text` (no lone surrogates). Node 20 has it natively. */
export function isWellFormedText(text: string): boolean {
  return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** What a local put knows of a record it has encoded (its PlannedRecord), enough for its request. */
export interface EncodedRecord {
  readonly topic: string;
  readonly queueId: number;
  readonly physicalOffset: number;
  readonly recordBytes: number;
  readonly storeTimestamp: number;
  readonly queueOffset: number;
  /** SYSFLAG as written (IPv6 bits included). */
  readonly recordSysFlag: number;
  readonly preparedTransactionOffset: number;
  readonly properties: string;
}

/**
 * The request of a record a local put has encoded, from the values it encoded, without the
 * tags-code hook (dispatch applies it, as the reader does). `properties` and `topic` must be
 * well-formed text (isWellFormedText): then the record's bytes decode back to exactly them, and
 * TAGS, KEYS and UNIQ_KEY come out of the text as DispatchRequestReader gets them from the bytes
 * (same splitting, a later pair wins, the same hash: for well-formed text the hash of the
 * decoded TAGS value is the hash of the TAGS substring).
 */
export function preparedDispatchRequest(rec: EncodedRecord): DispatchRequest {
  const properties = rec.properties;
  let tagsCode = 0;
  let keys: string | undefined;
  let uniqKey: string | undefined;
  const end = properties.length;
  let p = 0;
  while (p < end) {
    const sep = properties.indexOf('\x01', p);
    if (sep < 0) break;
    let valueEnd = properties.indexOf('\x02', sep + 1);
    if (valueEnd < 0) valueEnd = end;
    const nameLen = sep - p;
    if (nameLen === 4) {
      if (properties.startsWith('TAGS', p)) tagsCode = javaHashOfRange(properties, sep + 1, valueEnd);
      else if (properties.startsWith('KEYS', p)) keys = properties.slice(sep + 1, valueEnd);
    } else if (nameLen === 8 && properties.startsWith('UNIQ_KEY', p)) {
      uniqKey = properties.slice(sep + 1, valueEnd);
    }
    p = valueEnd + 1;
  }
  return newDispatchRequest(
    rec.topic,
    rec.queueId,
    rec.physicalOffset,
    rec.recordBytes,
    tagsCode,
    rec.storeTimestamp,
    rec.queueOffset,
    keys,
    uniqKey,
    rec.recordSysFlag,
    rec.preparedTransactionOffset,
    properties,
  );
}

function javaHashOfRange(text: string, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/**
 * `cached` equals `buf[pos, pos + cached.length)`. A JS loop: topics are short, and crossing into
 * Buffer.compare's native code costs more than comparing them here (it showed up in profiles).
 */
function sameBytes(cached: Buffer, buf: Buffer, pos: number): boolean {
  for (let i = 0; i < cached.length; i++) if (cached[i] !== buf[pos + i]) return false;
  return true;
}

function isName4(buf: Buffer, p: number, a: number, b: number, c: number, d: number): boolean {
  return buf[p] === a && buf[p + 1] === b && buf[p + 2] === c && buf[p + 3] === d;
}

/** "UNIQ_KEY" */
function isUniqKeyName(buf: Buffer, p: number): boolean {
  return (
    buf[p] === 0x55 && buf[p + 1] === 0x4e && buf[p + 2] === 0x49 && buf[p + 3] === 0x51 &&
    buf[p + 4] === 0x5f && buf[p + 5] === 0x4b && buf[p + 6] === 0x45 && buf[p + 7] === 0x59
  );
}

/**
 * Java String.hashCode of the UTF-8 text in `buf[start, end)`, as checksum.ts tagsHashCode of the
 * decoded string gives it. ASCII bytes are their own UTF-16 code units; anything else is decoded.
 */
export function tagsHashCodeOfBytes(buf: Buffer, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b >= 0x80) return javaHashOfText(buf.toString('utf8', start, end));
    hash = (Math.imul(31, hash) + b) | 0;
  }
  return hash;
}

function javaHashOfText(text: string): number {
  return javaHashOfRange(text, 0, text.length);
}
