import { PROPERTY_KEYS, PROPERTY_TAGS, PROPERTY_UNIQ_KEY, javaStringHashCode } from '../commitlog/record-layout.js';
import type { RecordInfo } from '../commitlog/record-layout.js';

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

export function toDispatchRequest(info: RecordInfo, tagsCodeHook: TagsCodeHook | undefined): DispatchRequest {
  const props = info.properties;
  let tags: string | undefined;
  let keys: string | undefined;
  let uniqKey: string | undefined;
  // One pass over "k 0x01 v 0x02" pairs for the three properties dispatch needs.
  for (let start = 0; start < props.length; ) {
    const sep = props.indexOf('\u0001', start);
    if (sep < 0) break;
    let end = props.indexOf('\u0002', sep + 1);
    if (end < 0) end = props.length;
    const nameLen = sep - start;
    if (nameLen === 4 && props.startsWith(PROPERTY_TAGS, start)) tags = props.slice(sep + 1, end);
    else if (nameLen === 4 && props.startsWith(PROPERTY_KEYS, start)) keys = props.slice(sep + 1, end);
    else if (nameLen === 8 && props.startsWith(PROPERTY_UNIQ_KEY, start)) uniqKey = props.slice(sep + 1, end);
    start = end + 1;
  }
  let tagsCode = tags === undefined || tags.length === 0 ? 0 : javaStringHashCode(tags);
  if (tagsCodeHook) tagsCode = tagsCodeHook(info.topic, props, info.storeTimestamp, tagsCode);
  return {
    topic: info.topic,
    queueId: info.queueId,
    commitLogOffset: info.physicalOffset,
    msgSize: info.size,
    tagsCode,
    storeTimestamp: info.storeTimestamp,
    consumeQueueOffset: info.queueOffset,
    keys,
    uniqKey,
    sysFlag: info.sysFlag,
    preparedTransactionOffset: info.preparedTransactionOffset,
    properties: props,
  };
}
