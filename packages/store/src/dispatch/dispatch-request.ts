import { findProperty, PROPERTY_KEYS, PROPERTY_TAGS, PROPERTY_UNIQ_KEY, javaStringHashCode } from '../commitlog/record-layout.js';
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
  const tags = props.length === 0 ? undefined : findProperty(props, PROPERTY_TAGS);
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
    keys: props.length === 0 ? undefined : findProperty(props, PROPERTY_KEYS),
    uniqKey: props.length === 0 ? undefined : findProperty(props, PROPERTY_UNIQ_KEY),
    sysFlag: info.sysFlag,
    preparedTransactionOffset: info.preparedTransactionOffset,
    properties: props,
  };
}
