// Transactions: END_TRANSACTION (37, oneway, producer -> broker) and CHECK_TRANSACTION_STATE
// (39, oneway, broker -> producer). Mirrors EndTransactionRequestHeader and
// CheckTransactionStateRequestHeader (reference §3.2.3, §3.2.4). CHECK_TRANSACTION_STATE's body is
// the half message in the stored layout, with the real topic and queue id.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { RPC_REQUEST_FIELDS } from './rpc-fields.js';

/** commitOrRollback values (MessageSysFlag transaction bits). */
export const TransactionState = {
  /** ignored by the broker; the check-back will ask again */
  NOT_TYPE: 0,
  COMMIT_TYPE: 0x2 << 2,
  ROLLBACK_TYPE: 0x3 << 2,
} as const;

export const EndTransactionRequestHeader = defineHeader('EndTransactionRequestHeader', {
  topic: field.string().optional(), // [5.x] the real topic
  producerGroup: field.string().required(), // must equal the half message's PGROUP
  tranStateTableOffset: field.long().required(), // queueOffset of the half send response
  commitLogOffset: field.long().required(), // physical offset from the half send response's msgId
  commitOrRollback: field.int().required(), // TransactionState
  fromTransactionCheck: field.bool().default(false), // true when answering CHECK_TRANSACTION_STATE
  msgId: field.string().required(), // UNIQ_KEY
  transactionId: field.string().optional(),
  ...RPC_REQUEST_FIELDS,
});
export type EndTransactionRequestHeader = HeaderValue<typeof EndTransactionRequestHeader>;

export const CheckTransactionStateRequestHeader = defineHeader('CheckTransactionStateRequestHeader', {
  topic: field.string().optional(), // [5.x] the real topic
  tranStateTableOffset: field.long().required(), // half queue offset
  commitLogOffset: field.long().required(), // half message physical offset
  msgId: field.string().optional(), // UNIQ_KEY
  transactionId: field.string().optional(), // UNIQ_KEY
  offsetMsgId: field.string().optional(), // offset message id of the half message
  ...RPC_REQUEST_FIELDS,
});
export type CheckTransactionStateRequestHeader = HeaderValue<typeof CheckTransactionStateRequestHeader>;
