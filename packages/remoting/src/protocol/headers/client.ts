// Client registration: HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38).
// Mirrors HeartbeatRequestHeader, UnregisterClientRequestHeader and
// GetConsumerListByGroupRequestHeader (reference §3.3.2, §3.3.3, §3.3.5).
// HEART_BEAT carries its data (HeartbeatData JSON) in the body; GET_CONSUMER_LIST_BY_GROUP
// answers with the body {"consumerIdList":[...]} and no header.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { RPC_REQUEST_FIELDS } from './rpc-fields.js';

/** [5.x] only the RPC fields; [4.9] sends no header at all. */
export const HeartbeatRequestHeader = defineHeader('HeartbeatRequestHeader', { ...RPC_REQUEST_FIELDS });
export type HeartbeatRequestHeader = HeaderValue<typeof HeartbeatRequestHeader>;

/** [5.x] raw ext fields of the HEART_BEAT response (MixAll.IS_SUPPORT_HEART_BEAT_V2, IS_SUB_CHANGE). */
export const HeartbeatResponseHeader = defineHeader('HeartbeatResponseHeader', {
  IS_SUPPORT_HEART_BEAT_V2: field.bool().optional(),
  IS_SUB_CHANGE: field.bool().optional(),
});
export type HeartbeatResponseHeader = HeaderValue<typeof HeartbeatResponseHeader>;

export const UnregisterClientRequestHeader = defineHeader('UnregisterClientRequestHeader', {
  clientID: field.string().required(), // capital ID, as in Java
  producerGroup: field.string().optional(),
  consumerGroup: field.string().optional(),
  ...RPC_REQUEST_FIELDS,
});
export type UnregisterClientRequestHeader = HeaderValue<typeof UnregisterClientRequestHeader>;

export const GetConsumerListByGroupRequestHeader = defineHeader('GetConsumerListByGroupRequestHeader', {
  consumerGroup: field.string().required(),
  ...RPC_REQUEST_FIELDS,
});
export type GetConsumerListByGroupRequestHeader = HeaderValue<typeof GetConsumerListByGroupRequestHeader>;
