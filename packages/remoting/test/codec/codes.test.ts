// Request and response codes against the reference tables (§2.1, §2.2), typed in by hand.

import { describe, expect, test } from 'vitest';
import { isKnownRequestCode, RequestCode, requestCodeName } from '../../src/protocol/request-code.js';
import { isKnownResponseCode, ResponseCode, responseCodeName } from '../../src/protocol/response-code.js';

const REQUEST_FACTS: Array<[keyof typeof RequestCode, number]> = [
  ['SEND_MESSAGE', 10], ['PULL_MESSAGE', 11], ['QUERY_MESSAGE', 12], ['QUERY_BROKER_OFFSET', 13], ['QUERY_CONSUMER_OFFSET', 14],
  ['UPDATE_CONSUMER_OFFSET', 15], ['UPDATE_AND_CREATE_TOPIC', 17], ['GET_ALL_TOPIC_CONFIG', 21], ['UPDATE_BROKER_CONFIG', 25],
  ['GET_BROKER_CONFIG', 26], ['GET_BROKER_RUNTIME_INFO', 28], ['SEARCH_OFFSET_BY_TIMESTAMP', 29], ['GET_MAX_OFFSET', 30],
  ['GET_MIN_OFFSET', 31], ['GET_EARLIEST_MSG_STORETIME', 32], ['VIEW_MESSAGE_BY_ID', 33], ['HEART_BEAT', 34], ['UNREGISTER_CLIENT', 35],
  ['CONSUMER_SEND_MSG_BACK', 36], ['END_TRANSACTION', 37], ['GET_CONSUMER_LIST_BY_GROUP', 38], ['CHECK_TRANSACTION_STATE', 39],
  ['NOTIFY_CONSUMER_IDS_CHANGED', 40], ['LOCK_BATCH_MQ', 41], ['UNLOCK_BATCH_MQ', 42], ['GET_ALL_CONSUMER_OFFSET', 43],
  ['GET_ALL_DELAY_OFFSET', 45], ['CHECK_CLIENT_CONFIG', 46], ['PUT_KV_CONFIG', 100], ['GET_KV_CONFIG', 101], ['DELETE_KV_CONFIG', 102],
  ['REGISTER_BROKER', 103], ['UNREGISTER_BROKER', 104], ['GET_ROUTEINFO_BY_TOPIC', 105], ['GET_BROKER_CLUSTER_INFO', 106],
  ['UPDATE_AND_CREATE_SUBSCRIPTIONGROUP', 200], ['GET_ALL_SUBSCRIPTIONGROUP_CONFIG', 201], ['GET_TOPIC_STATS_INFO', 202],
  ['GET_CONSUMER_CONNECTION_LIST', 203], ['GET_PRODUCER_CONNECTION_LIST', 204], ['WIPE_WRITE_PERM_OF_BROKER', 205],
  ['GET_ALL_TOPIC_LIST_FROM_NAMESERVER', 206], ['DELETE_SUBSCRIPTIONGROUP', 207], ['GET_CONSUME_STATS', 208],
  ['DELETE_TOPIC_IN_BROKER', 215], ['DELETE_TOPIC_IN_NAMESRV', 216], ['REGISTER_TOPIC_IN_NAMESRV', 217], ['GET_KVLIST_BY_NAMESPACE', 219],
  ['RESET_CONSUMER_CLIENT_OFFSET', 220], ['GET_CONSUMER_STATUS_FROM_CLIENT', 221], ['INVOKE_BROKER_TO_RESET_OFFSET', 222],
  ['INVOKE_BROKER_TO_GET_CONSUMER_STATUS', 223], ['GET_TOPICS_BY_CLUSTER', 224], ['QUERY_TOPIC_CONSUME_BY_WHO', 300],
  ['QUERY_CONSUME_TIME_SPAN', 303], ['GET_SYSTEM_TOPIC_LIST_FROM_NS', 304], ['GET_CONSUMER_RUNNING_INFO', 307],
  ['CONSUME_MESSAGE_DIRECTLY', 309], ['SEND_MESSAGE_V2', 310], ['CLONE_GROUP_OFFSET', 314], ['VIEW_BROKER_STATS_DATA', 315],
  ['GET_BROKER_CONSUME_STATS', 317], ['UPDATE_NAMESRV_CONFIG', 318], ['GET_NAMESRV_CONFIG', 319], ['SEND_BATCH_MESSAGE', 320],
  ['QUERY_DATA_VERSION', 322], ['ADD_WRITE_PERM_OF_BROKER', 327], ['GET_TOPIC_CONFIG', 351], ['LITE_PULL_MESSAGE', 361],
  ['GET_BROKER_MEMBER_GROUP', 901], ['BROKER_HEARTBEAT', 904], ['POP_MESSAGE', 200050], ['UPDATE_AND_CREATE_ACL_CONFIG', 50],
];

const RESPONSE_FACTS: Array<[keyof typeof ResponseCode, number]> = [
  ['SUCCESS', 0], ['SYSTEM_ERROR', 1], ['SYSTEM_BUSY', 2], ['REQUEST_CODE_NOT_SUPPORTED', 3], ['TRANSACTION_FAILED', 4],
  ['FLUSH_DISK_TIMEOUT', 10], ['SLAVE_NOT_AVAILABLE', 11], ['FLUSH_SLAVE_TIMEOUT', 12], ['MESSAGE_ILLEGAL', 13],
  ['SERVICE_NOT_AVAILABLE', 14], ['VERSION_NOT_SUPPORTED', 15], ['NO_PERMISSION', 16], ['TOPIC_NOT_EXIST', 17],
  ['TOPIC_EXIST_ALREADY', 18], ['PULL_NOT_FOUND', 19], ['PULL_RETRY_IMMEDIATELY', 20], ['PULL_OFFSET_MOVED', 21],
  ['QUERY_NOT_FOUND', 22], ['SUBSCRIPTION_PARSE_FAILED', 23], ['SUBSCRIPTION_NOT_EXIST', 24], ['SUBSCRIPTION_NOT_LATEST', 25],
  ['SUBSCRIPTION_GROUP_NOT_EXIST', 26], ['FILTER_DATA_NOT_EXIST', 27], ['FILTER_DATA_NOT_LATEST', 28], ['INVALID_PARAMETER', 29],
  ['TRANSACTION_SHOULD_COMMIT', 200], ['TRANSACTION_SHOULD_ROLLBACK', 201], ['TRANSACTION_STATE_UNKNOW', 202],
  ['TRANSACTION_STATE_GROUP_WRONG', 203], ['NO_BUYER_ID', 204], ['NOT_IN_CURRENT_UNIT', 205], ['CONSUMER_NOT_ONLINE', 206],
  ['CONSUME_MSG_TIMEOUT', 207], ['NO_MESSAGE', 208], ['FLOW_CONTROL', 215], ['NOT_LEADER_FOR_QUEUE', 501], ['ILLEGAL_OPERATION', 604],
  ['GO_AWAY', 1500], ['RPC_TIME_OUT', -1006],
];

describe('codes', () => {
  test.each(REQUEST_FACTS)('RequestCode.%s is %i', (name, code) => {
    expect(RequestCode[name]).toBe(code);
    expect(requestCodeName(code)).toBe(name);
    expect(isKnownRequestCode(code)).toBe(true);
  });

  test.each(RESPONSE_FACTS)('ResponseCode.%s is %i', (name, code) => {
    expect(ResponseCode[name]).toBe(code);
    expect(responseCodeName(code)).toBe(name);
    expect(isKnownResponseCode(code)).toBe(true);
  });

  test('no two names share a number', () => {
    for (const table of [RequestCode, ResponseCode]) {
      const values = Object.values(table);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  test('unknown codes have a name that says so', () => {
    expect(requestCodeName(99_999)).toBe('UNKNOWN(99999)');
    expect(responseCodeName(-7)).toBe('UNKNOWN(-7)');
    expect(isKnownRequestCode(16)).toBe(false);
  });
});
