import { InvariantError, createOffsetMessageId, hostAddressBytes, isRetryTopic, type SocketAddress } from '@apogee/common';
import { isWellFormedText } from '../dispatch/dispatch-request.js';

// What the append path would otherwise work out again for every message: the address bytes of
// born and store hosts, a topic's UTF-8 bytes and queue keys, and the offset-message-id prefix
// of the store host. Each cache belongs to one MessageStore (no module-level state) and is
// bounded: when full it is emptied and refilled from the messages that follow.

export const HOST_CACHE_ENTRIES_MAX = 4096;
export const TOPIC_CACHE_ENTRIES_MAX = 4096;
/** Queue keys are cached for queue ids below this (RocketMQ's queue counts are far lower). */
export const QUEUE_KEY_CACHE_QUEUE_IDS_MAX = 1024;

/** Host text -> its 4 or 16 address bytes, or null when it is not an IP literal. */
export class HostAddressCache {
  private readonly table = new Map<string, Uint8Array | null>();

  /** The address bytes of `host`; undefined when it is not an IPv4 or IPv6 literal. */
  addressOf(host: string): Uint8Array | undefined {
    let address = this.table.get(host);
    if (address === undefined) {
      address = hostAddressBytes(host) ?? null;
      if (this.table.size >= HOST_CACHE_ENTRIES_MAX) this.table.clear();
      this.table.set(host, address);
    }
    return address ?? undefined;
  }
}

export interface TopicInfo {
  readonly topic: string;
  readonly utf8: Buffer;
  readonly isRetry: boolean;
  /** No lone surrogates: the UTF-8 bytes decode back to `topic`. */
  readonly wellFormed: boolean;
  /** `topic-queueId` strings by queue id, filled on first use. */
  readonly queueKeys: string[];
}

export function queueKeyOf(topic: string, queueId: number): string {
  return `${topic}-${queueId}`;
}

export class TopicCache {
  private readonly table = new Map<string, TopicInfo>();

  infoOf(topic: string): TopicInfo {
    let info = this.table.get(topic);
    if (info === undefined) {
      info = { topic, utf8: Buffer.from(topic, 'utf8'), isRetry: isRetryTopic(topic), wellFormed: isWellFormedText(topic), queueKeys: [] };
      if (this.table.size >= TOPIC_CACHE_ENTRIES_MAX) this.table.clear();
      this.table.set(topic, info);
    }
    return info;
  }

  /** The queue-offset table key of a queue (RocketMQ's `topic-queueId`), built once per queue. */
  queueKey(info: TopicInfo, queueId: number): string {
    if (queueId >= QUEUE_KEY_CACHE_QUEUE_IDS_MAX) return queueKeyOf(info.topic, queueId);
    return (info.queueKeys[queueId] ??= queueKeyOf(info.topic, queueId));
  }
}

/**
 * Offset message ids (offset-message-id.ts layout) of one store host: its hex prefix (address and
 * port) is built once, and each id adds 16 hex chars of the offset. Brokers pass the same store
 * host for every message; another host just replaces the cached prefix.
 */
export class OffsetMessageIdCache {
  private host = '';
  private port = -1;
  private prefix = '';

  /** Same text and errors as createOffsetMessageId, which it calls when the host changes. */
  idOf(storeHost: SocketAddress, commitLogOffset: number): string {
    if (storeHost.host !== this.host || storeHost.port !== this.port) {
      const id = createOffsetMessageId(storeHost, commitLogOffset);
      this.prefix = id.slice(0, id.length - OFFSET_HEX_CHARS);
      this.host = storeHost.host;
      this.port = storeHost.port;
      return id;
    }
    // Checked per message: the message is built only on failure (an assert's argument always is).
    if (!(Number.isSafeInteger(commitLogOffset) && commitLogOffset >= 0)) throw new InvariantError(`commit log offset ${commitLogOffset} for a message id`);
    return this.prefix + offsetHex(commitLogOffset);
  }
}

const OFFSET_HEX_CHARS = 16;
const TWO_POW_32 = 4_294_967_296;
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

/** 16 uppercase hex chars of a non-negative safe integer (commit-log offsets always are). */
export function offsetHex(offset: number): string {
  return hex32(Math.floor(offset / TWO_POW_32)) + hex32(offset >>> 0);
}

function hex32(value: number): string {
  return HEX_BYTE[value >>> 24]! + HEX_BYTE[(value >>> 16) & 0xff]! + HEX_BYTE[(value >>> 8) & 0xff]! + HEX_BYTE[value & 0xff]!;
}
