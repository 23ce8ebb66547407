// The messages the store bench appends, shared by its page-cache and durable sections.
// They carry TAGS and a UNIQ_KEY, as RocketMQ clients send them (so the index works too); the
// key is fixed-width, so every record of one body size has the same length.

import { MessageConst, encodeMessageRecord, propertiesToString } from '@apogee/common';
import type { MessageInner } from '@apogee/store';

export const silent = { debug() {}, info() {}, warn() {}, error() {} };

export function message(body: Buffer, seq: number, queueId: number): MessageInner {
  return {
    topic: 'BenchmarkTopic',
    queueId,
    flag: 0,
    body,
    properties: new Map([
      [MessageConst.PROPERTY_TAGS, 'TagA'],
      [MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX, `7F00000100002A9F0000000${seq.toString(16).padStart(9, '0')}`],
      [MessageConst.PROPERTY_WAIT_STORE_MSG_OK, 'true'],
    ]),
    sysFlag: 0,
    bornTimestamp: Date.now(),
    bornHost: { host: '127.0.0.1', port: 51234 },
    storeHost: { host: '127.0.0.1', port: 10911 },
    reconsumeTimes: 0,
    preparedTransactionOffset: 0,
  };
}

/** Length of the commit-log record of a message with a `bodyBytes`-byte body. */
export function recordBytes(bodyBytes: number): number {
  const m = message(Buffer.alloc(bodyBytes), 1, 0);
  return encodeMessageRecord({ ...m, properties: propertiesToString(m.properties), storeTimestamp: 0, queueOffset: 0, physicalOffset: 0 }).length;
}
