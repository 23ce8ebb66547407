// Optional fields most 5.x request headers inherit (org.apache.rocketmq.remoting.rpc):
// RpcRequestHeader: ns (namespace), nsd (already namespaced), bname (target broker name, set by
// 5.x clients on almost every broker request), oway (oneway hint); TopicRequestHeader adds lo
// (logical queue of a static topic). 4.9.x sends none of them except, rarely, bname.
// Spread them into a definition: defineHeader('X', { topic: ..., ...TOPIC_REQUEST_FIELDS }).

import { field } from '../header-def.js';

export const RPC_REQUEST_FIELDS = {
  ns: field.string().optional(),
  nsd: field.bool().optional(),
  bname: field.string().optional(),
  oway: field.bool().optional(),
};

export const TOPIC_REQUEST_FIELDS = {
  ...RPC_REQUEST_FIELDS,
  lo: field.bool().optional(),
};
