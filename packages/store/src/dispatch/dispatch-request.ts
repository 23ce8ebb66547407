import { readInt64BE } from '@apogee/common';
import { POS_QUEUE_ID, POS_QUEUE_OFFSET, RecordFrame, frameRecord, type FrameResult } from '../commitlog/record-layout.js';

// What dispatch hands every CommitLogDispatcher for one record (RocketMQ's DispatchRequest),
// read straight from the commit-log bytes.

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
    return {
      topic,
      queueId: buf.readInt32BE(f.pos + POS_QUEUE_ID),
      commitLogOffset: f.physicalOffset,
      msgSize: f.size,
      tagsCode,
      storeTimestamp,
      consumeQueueOffset: readInt64BE(buf, f.pos + POS_QUEUE_OFFSET),
      keys: this.keys,
      uniqKey: this.uniqKey,
      sysFlag: f.sysFlag,
      preparedTransactionOffset: readInt64BE(buf, f.preparedPos),
      properties,
    };
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
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}
