// A stored message as read back from a record (MessageExt / MessageClientExt in RocketMQ): the
// Message plus where and when the broker stored it. Longs are JS numbers (safe integers).

import { MessageConst } from './message-const.js';
import { Message } from './message.js';
import { createOffsetMessageId } from './offset-message-id.js';
import type { SocketAddress } from './socket-address.js';

const EMPTY_BODY = Buffer.alloc(0);
// Placeholder until a decoder or caller sets the real address; frozen because it is shared.
const NO_ADDRESS: SocketAddress = Object.freeze({ host: '0.0.0.0', port: 0 });

export class MessageExt extends Message {
  queueId = 0;
  storeSize = 0;
  queueOffset = 0;
  sysFlag = 0;
  bornTimestamp = 0;
  bornHost: SocketAddress = NO_ADDRESS;
  storeTimestamp = 0;
  storeHost: SocketAddress = NO_ADDRESS;
  /** What clients show as the id: UNIQ_KEY when present, else the offset message id. */
  msgId = '';
  commitLogOffset = 0;
  bodyCRC = 0;
  reconsumeTimes = 0;
  preparedTransactionOffset = 0;

  /** Properties are taken as they are: no WAIT default is added. */
  constructor(topic = '', body: Buffer = EMPTY_BODY, properties: Map<string, string> = new Map()) {
    super(topic, body, { properties });
  }

  /** Where the message lives: store host + commit log offset (see offset-message-id.ts). */
  get offsetMsgId(): string {
    return createOffsetMessageId(this.storeHost, this.commitLogOffset);
  }

  getUniqKey(): string | undefined {
    return this.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX);
  }
}
