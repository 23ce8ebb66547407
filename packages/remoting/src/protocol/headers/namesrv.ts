// NameServer requests (reference §3.1): REGISTER_BROKER (103), UNREGISTER_BROKER (104),
// QUERY_DATA_VERSION (322), BROKER_HEARTBEAT (904), GET_ROUTEINFO_BY_TOPIC (105), KV config
// (100 PUT, 101 GET, 102 DELETE, 219 GET_KVLIST_BY_NAMESPACE), WIPE/ADD_WRITE_PERM_OF_BROKER
// (205, 327), DELETE_TOPIC_IN_NAMESRV (216), REGISTER_TOPIC_IN_NAMESRV (217), GET_TOPICS_BY_CLUSTER
// (224). Mirrors the headers under org.apache.rocketmq.remoting.protocol.header.namesrv.
// Requests without a header (106, 206, 304, 311-313, 318, 319) are not listed.

import { defineHeader, field, type HeaderValue } from '../header-def.js';
import { TOPIC_REQUEST_FIELDS } from './rpc-fields.js';

export const RegisterBrokerRequestHeader = defineHeader('RegisterBrokerRequestHeader', {
  brokerName: field.string().required(),
  brokerAddr: field.string().required(), // ip:listenPort
  clusterName: field.string().required(),
  haServerAddr: field.string().required(), // ip:haListenPort
  brokerId: field.long().required(), // 0 = master
  heartbeatTimeoutMillis: field.long().optional(), // [5.x] expiry override (default 120000)
  enableActingMaster: field.bool().optional(), // [5.x]
  compressed: field.bool().default(false), // [5.x brokers always send false]
  bodyCrc32: field.int().default(0), // CRC32 of the body & 0x7FFFFFFF; 0 = not checked
  __ZONE_NAME: field.string().optional(), // [5.x] raw ext field (MixAll.ZONE_NAME)
});
export type RegisterBrokerRequestHeader = HeaderValue<typeof RegisterBrokerRequestHeader>;

/** Filled for slaves from the live master. */
export const RegisterBrokerResponseHeader = defineHeader('RegisterBrokerResponseHeader', {
  haServerAddr: field.string().optional(),
  masterAddr: field.string().optional(),
});
export type RegisterBrokerResponseHeader = HeaderValue<typeof RegisterBrokerResponseHeader>;

export const UnRegisterBrokerRequestHeader = defineHeader('UnRegisterBrokerRequestHeader', {
  brokerName: field.string().required(),
  brokerAddr: field.string().required(),
  clusterName: field.string().required(),
  brokerId: field.long().required(),
});
export type UnRegisterBrokerRequestHeader = HeaderValue<typeof UnRegisterBrokerRequestHeader>;

/** QUERY_DATA_VERSION (322); the body is the broker's DataVersion JSON. */
export const QueryDataVersionRequestHeader = defineHeader('QueryDataVersionRequestHeader', {
  brokerName: field.string().required(),
  brokerAddr: field.string().required(),
  clusterName: field.string().required(),
  brokerId: field.long().required(),
});
export type QueryDataVersionRequestHeader = HeaderValue<typeof QueryDataVersionRequestHeader>;

export const QueryDataVersionResponseHeader = defineHeader('QueryDataVersionResponseHeader', {
  changed: field.bool().required(),
});
export type QueryDataVersionResponseHeader = HeaderValue<typeof QueryDataVersionResponseHeader>;

/** BROKER_HEARTBEAT (904) [5.x], acting-master and controller modes only. */
export const BrokerHeartbeatRequestHeader = defineHeader('BrokerHeartbeatRequestHeader', {
  clusterName: field.string().required(),
  brokerAddr: field.string().required(),
  brokerName: field.string().required(),
  brokerId: field.long().optional(),
  epoch: field.int().optional(),
  maxOffset: field.long().optional(),
  confirmOffset: field.long().optional(),
  heartbeatTimeoutMills: field.long().optional(), // "Mills": Java's spelling
  electionPriority: field.int().optional(),
});
export type BrokerHeartbeatRequestHeader = HeaderValue<typeof BrokerHeartbeatRequestHeader>;

export const GetRouteInfoRequestHeader = defineHeader('GetRouteInfoRequestHeader', {
  topic: field.string().required(),
  // true, or a request version >= 401 (V4_9_4), asks for standard JSON (quoted brokerAddrs keys)
  acceptStandardJsonOnly: field.bool().optional(),
  ...TOPIC_REQUEST_FIELDS,
});
export type GetRouteInfoRequestHeader = HeaderValue<typeof GetRouteInfoRequestHeader>;

export const PutKVConfigRequestHeader = defineHeader('PutKVConfigRequestHeader', {
  namespace: field.string().required(),
  key: field.string().required(),
  value: field.string().required(),
});
export type PutKVConfigRequestHeader = HeaderValue<typeof PutKVConfigRequestHeader>;

export const GetKVConfigRequestHeader = defineHeader('GetKVConfigRequestHeader', {
  namespace: field.string().required(),
  key: field.string().required(),
});
export type GetKVConfigRequestHeader = HeaderValue<typeof GetKVConfigRequestHeader>;

/** Absent key: response code QUERY_NOT_FOUND (22). */
export const GetKVConfigResponseHeader = defineHeader('GetKVConfigResponseHeader', {
  value: field.string().optional(),
});
export type GetKVConfigResponseHeader = HeaderValue<typeof GetKVConfigResponseHeader>;

export const DeleteKVConfigRequestHeader = defineHeader('DeleteKVConfigRequestHeader', {
  namespace: field.string().required(),
  key: field.string().required(),
});
export type DeleteKVConfigRequestHeader = HeaderValue<typeof DeleteKVConfigRequestHeader>;

/** GET_KVLIST_BY_NAMESPACE (219); the answer is the body KVTable {"table":{...}}. */
export const GetKVListByNamespaceRequestHeader = defineHeader('GetKVListByNamespaceRequestHeader', {
  namespace: field.string().required(),
});
export type GetKVListByNamespaceRequestHeader = HeaderValue<typeof GetKVListByNamespaceRequestHeader>;

export const WipeWritePermOfBrokerRequestHeader = defineHeader('WipeWritePermOfBrokerRequestHeader', {
  brokerName: field.string().required(),
});
export type WipeWritePermOfBrokerRequestHeader = HeaderValue<typeof WipeWritePermOfBrokerRequestHeader>;

export const WipeWritePermOfBrokerResponseHeader = defineHeader('WipeWritePermOfBrokerResponseHeader', {
  wipeTopicCount: field.int().required(),
});
export type WipeWritePermOfBrokerResponseHeader = HeaderValue<typeof WipeWritePermOfBrokerResponseHeader>;

export const AddWritePermOfBrokerRequestHeader = defineHeader('AddWritePermOfBrokerRequestHeader', {
  brokerName: field.string().required(),
});
export type AddWritePermOfBrokerRequestHeader = HeaderValue<typeof AddWritePermOfBrokerRequestHeader>;

export const AddWritePermOfBrokerResponseHeader = defineHeader('AddWritePermOfBrokerResponseHeader', {
  addTopicCount: field.int().required(),
});
export type AddWritePermOfBrokerResponseHeader = HeaderValue<typeof AddWritePermOfBrokerResponseHeader>;

export const DeleteTopicFromNamesrvRequestHeader = defineHeader('DeleteTopicFromNamesrvRequestHeader', {
  topic: field.string().required(),
  clusterName: field.string().optional(), // [5.x]
  ...TOPIC_REQUEST_FIELDS,
});
export type DeleteTopicFromNamesrvRequestHeader = HeaderValue<typeof DeleteTopicFromNamesrvRequestHeader>;

/** REGISTER_TOPIC_IN_NAMESRV (217) [5.x]; the body is TopicRouteData with queueDatas. */
export const RegisterTopicRequestHeader = defineHeader('RegisterTopicRequestHeader', {
  topic: field.string().required(),
  ...TOPIC_REQUEST_FIELDS,
});
export type RegisterTopicRequestHeader = HeaderValue<typeof RegisterTopicRequestHeader>;

export const GetTopicsByClusterRequestHeader = defineHeader('GetTopicsByClusterRequestHeader', {
  cluster: field.string().required(),
});
export type GetTopicsByClusterRequestHeader = HeaderValue<typeof GetTopicsByClusterRequestHeader>;
