import {
  InvalidArgumentError,
  MessageConst,
  MessageSysFlag,
  getTransactionValue,
  IPV6_ADDRESS_BYTES,
  MAX_PROPERTIES_BYTES,
  RECORD_V1_TOPIC_BYTES_MAX,
  RECORD_TOPIC_BYTES_MAX,
  encodeMessageRecordInto,
  messageRecordSize,
  propertiesToString,
  type MessageRecordFields,
  type SocketAddress,
} from '@apogee/common';
import type { MessageStoreConfig } from '../config/message-store-config.js';
import { recordBytesMax } from '../config/message-store-config.js';
import type { AppendOutcome, AppendWaiter, RecordsWriter } from '../commitlog/append-types.js';
import type { MessageInner, PutMessageResult } from './message-inner.js';
import { isWellFormedText } from '../dispatch/dispatch-request.js';
import type { PreparedDispatches } from '../dispatch/prepared-dispatches.js';
import { HostAddressCache, TopicCache, type TopicInfo } from './record-caches.js';
import { PutMessageStatus } from './statuses.js';

// Checks messages for the commit log (RocketMQ's checkMessage, checkBeforePutMessage and the
// encoder's size checks) and plans their records: sizes, host address bytes and the topic's
// UTF-8 bytes are worked out here, with per-store caches, so that the commit log can reserve the
// space and have the records encoded straight into its write buffer with the store-assigned
// fields (queue offset, physical offset, store timestamp) already in place.

export type Refusal = { ok: false; status: PutMessageStatus; remark: string };

export { queueKeyOf } from './record-caches.js';

/** Transaction types that take a queue offset and enter a ConsumeQueue: NOT_TYPE and COMMIT. */
export function takesQueueOffset(sysFlag: number): boolean {
  const t = getTransactionValue(sysFlag);
  return t === MessageSysFlag.TRANSACTION_NOT_TYPE || t === MessageSysFlag.TRANSACTION_COMMIT_TYPE;
}

/** One record as planned: the encoder's fields (hints included) and the record's size. */
interface PlannedRecord extends MessageRecordFields {
  readonly recordBytes: number;
  /** SYSFLAG as the encoder writes it (the IPv6 bits set from the addresses). */
  readonly recordSysFlag: number;
  /** Topic and properties text decode back from their UTF-8 unchanged (a dispatch request can be built from them). */
  readonly wellFormedText: boolean;
}

/** Told how a put's append ended (the store, which answers the caller). */
export interface PutCompletion {
  putSettled(put: PlannedPut, outcome: AppendOutcome): void;
}

/**
 * One or more records of one queue, checked and sized, ready to be encoded at their offsets; then
 * the append in flight: where the records went, and whom to tell when the append ends. One object
 * per put carries it all, so the append path makes no closures or tickets per message.
 */
export class PlannedPut implements RecordsWriter, AppendWaiter {
  readonly ok = true;
  /** The records' place in the log, set when the commit log places them. */
  wroteOffset = 0;
  queueOffset = 0;
  storeTimestamp = 0;
  /** Set by the store before appending. */
  completion: PutCompletion | undefined;
  resolve: ((result: PutMessageResult | PromiseLike<PutMessageResult>) => void) | undefined;
  storeHost: SocketAddress | undefined;

  constructor(
    private readonly records: readonly PlannedRecord[],
    readonly totalBytes: number,
    /** Queue-offset table key, undefined for records that take no queue offset. */
    readonly queueKey: string | undefined,
    readonly waitFlush: boolean,
  ) {}

  get recordCount(): number {
    return this.records.length;
  }

  /** Sizes of the records, in order (for a batch's message ids). */
  recordSize(index: number): number {
    return this.records[index]!.recordBytes;
  }

  /**
   * Encodes the records back to back at `buf[pos]`. Throws InvalidArgumentError (before writing
   * the record at fault) for a field the encoder refuses.
   */
  writeRecords(buf: Buffer, pos: number, physicalOffset: number, firstQueueOffset: number | undefined, storeTimestamp: number): number {
    this.wroteOffset = physicalOffset;
    this.queueOffset = firstQueueOffset ?? 0;
    this.storeTimestamp = storeTimestamp;
    let at = pos;
    for (let i = 0; i < this.records.length; i++) {
      const f = this.records[i]!;
      f.queueOffset = firstQueueOffset === undefined ? 0 : firstQueueOffset + i;
      f.physicalOffset = physicalOffset + (at - pos);
      f.storeTimestamp = storeTimestamp;
      at += encodeMessageRecordInto(buf, at, f);
    }
    return at - pos;
  }

  settle(outcome: AppendOutcome): void {
    this.completion!.putSettled(this, outcome);
  }

  /**
   * After the commit log took the records (writeRecords ran and they have their place): hands
   * them to dispatch, which builds their requests from them instead of parsing their bytes. A
   * record whose text would not decode back unchanged is left to the parse.
   */
  prepareDispatch(sink: PreparedDispatches): void {
    for (let i = 0; i < this.records.length; i++) {
      const f = this.records[i]!;
      if (!f.wellFormedText) continue;
      if (!sink.hasRoom) return;
      sink.push(f);
    }
  }
}

/** Plans puts for one store; owns the host and topic caches. */
export class PutEncoder {
  private readonly hosts = new HostAddressCache();
  private readonly topics = new TopicCache();

  constructor(private readonly config: MessageStoreConfig) {}

  planOne(msg: MessageInner): PlannedPut | Refusal {
    const info = this.topics.infoOf(msg.topic);
    const record = this.planRecord(msg, info);
    if (!isPlanned(record)) return record;
    if (record.recordBytes > recordBytesMax(this.config)) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `record of ${record.recordBytes} bytes is over the ${recordBytesMax(this.config)}-byte limit`);
    }
    const queueKey = takesQueueOffset(msg.sysFlag) ? this.topics.queueKey(info, msg.queueId) : undefined;
    return new PlannedPut([record], record.recordBytes, queueKey, waitsForFlush(msg));
  }

  /** A batch: one topic and queue, no transaction type, no delay level (RocketMQ's rules). */
  planBatch(batch: readonly MessageInner[]): PlannedPut | Refusal {
    const first = batch[0];
    if (!first) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'empty batch');
    const info = this.topics.infoOf(first.topic);
    const records: PlannedRecord[] = [];
    let bytes = 0;
    let waitFlush = true;
    for (const msg of batch) {
      if (msg.topic !== first.topic || msg.queueId !== first.queueId) {
        return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'every message of a batch must have the same topic and queue');
      }
      if (getTransactionValue(msg.sysFlag) !== MessageSysFlag.TRANSACTION_NOT_TYPE) {
        return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'batch messages cannot be transaction messages');
      }
      if (msg.properties.has(MessageConst.PROPERTY_DELAY_TIME_LEVEL)) {
        return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'batch messages cannot have a delay level');
      }
      const record = this.planRecord(msg, info);
      if (!isPlanned(record)) return record;
      if (record.recordBytes > recordBytesMax(this.config)) {
        return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `record of ${record.recordBytes} bytes is over the ${recordBytesMax(this.config)}-byte limit`);
      }
      waitFlush &&= waitsForFlush(msg);
      records.push(record);
      bytes += record.recordBytes;
    }
    if (bytes > recordBytesMax(this.config)) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `batch of ${bytes} bytes is over the ${recordBytesMax(this.config)}-byte limit`);
    }
    return new PlannedPut(records, bytes, this.topics.queueKey(info, first.queueId), waitFlush);
  }

  private planRecord(msg: MessageInner, info: TopicInfo): PlannedRecord | Refusal {
    const topicBytes = info.utf8.length;
    if (topicBytes === 0) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, 'topic is empty');
    const topicMax = info.isRetry ? RECORD_TOPIC_BYTES_MAX : RECORD_V1_TOPIC_BYTES_MAX;
    if (topicBytes > topicMax) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `topic ${msg.topic.slice(0, 64)}... is ${topicBytes} bytes, over ${topicMax}`);
    }
    if (!Number.isInteger(msg.queueId) || msg.queueId < 0 || msg.queueId > 0x7fffffff) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `queueId ${msg.queueId} is not a non-negative int`);
    }
    if (msg.body.length > this.config.maxMessageSize) {
      return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `body of ${msg.body.length} bytes is over maxMessageSize ${this.config.maxMessageSize}`);
    }
    const properties = msg.propertiesString ?? propertiesText(msg.properties);
    if (typeof properties !== 'string') return properties;
    const propertiesBytes = Buffer.byteLength(properties, 'utf8');
    if (propertiesBytes > MAX_PROPERTIES_BYTES) {
      return illegal(PutMessageStatus.PROPERTIES_SIZE_EXCEEDED, `properties of ${propertiesBytes} bytes are over ${MAX_PROPERTIES_BYTES}`);
    }
    const bornHostAddress = this.hosts.addressOf(msg.bornHost.host);
    if (bornHostAddress === undefined) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `bornHost "${msg.bornHost.host}" is not an IPv4 or IPv6 literal`);
    const storeHostAddress = this.hosts.addressOf(msg.storeHost.host);
    if (storeHostAddress === undefined) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, `storeHost "${msg.storeHost.host}" is not an IPv4 or IPv6 literal`);
    // The encoder sets the V6 bits from the addresses; the size depends on them.
    let sysFlag = msg.sysFlag & ~(MessageSysFlag.BORNHOST_V6_FLAG | MessageSysFlag.STOREHOSTADDRESS_V6_FLAG);
    if (bornHostAddress.length === IPV6_ADDRESS_BYTES) sysFlag |= MessageSysFlag.BORNHOST_V6_FLAG;
    if (storeHostAddress.length === IPV6_ADDRESS_BYTES) sysFlag |= MessageSysFlag.STOREHOSTADDRESS_V6_FLAG;
    const record: PlannedRecord = {
      topic: msg.topic,
      queueId: msg.queueId,
      flag: msg.flag,
      sysFlag: msg.sysFlag,
      bornTimestamp: msg.bornTimestamp,
      bornHost: msg.bornHost,
      storeTimestamp: 0,
      storeHost: msg.storeHost,
      reconsumeTimes: msg.reconsumeTimes,
      preparedTransactionOffset: msg.preparedTransactionOffset,
      queueOffset: 0,
      physicalOffset: 0,
      body: msg.body,
      properties,
      bodyCRC: msg.bodyCRC,
      bornHostAddress,
      storeHostAddress,
      topicUtf8: info.utf8,
      propertiesBytes,
      recordBytes: messageRecordSize(msg.body.length, topicBytes, propertiesBytes, sysFlag),
      recordSysFlag: sysFlag,
      wellFormedText: info.wellFormed && isWellFormedText(properties),
    };
    return record;
  }
}

function isPlanned(r: PlannedRecord | Refusal): r is PlannedRecord {
  return (r as Refusal).ok !== false;
}

function waitsForFlush(msg: MessageInner): boolean {
  return msg.properties.get(MessageConst.PROPERTY_WAIT_STORE_MSG_OK) !== 'false';
}

function propertiesText(properties: ReadonlyMap<string, string>): string | Refusal {
  try {
    return propertiesToString(properties);
  } catch (err) {
    if (err instanceof InvalidArgumentError) return illegal(PutMessageStatus.MESSAGE_ILLEGAL, err.message);
    throw err;
  }
}

export function illegal(status: PutMessageStatus, remark: string): Refusal {
  return { ok: false, status, remark };
}
