import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  decodeRegisterBrokerBody, encodeRegisterBrokerBody, parseClusterInfo, parseTopicRouteData,
  clusterInfoToJson, topicRouteDataToJson, type TopicConfig, type TopicRouteData,
} from '../../src/index.js';

const route: TopicRouteData = {
  brokerDatas: [{ cluster: 'DefaultCluster', brokerName: 'broker-a', brokerAddrs: new Map([[1, '127.0.0.1:11911'], [0, '127.0.0.1:10911']]), enableActingMaster: false }],
  queueDatas: [{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }],
  filterServerTable: {},
};

describe('route bodies', () => {
  it('writes brokerAddrs with quoted keys for modern clients and unquoted for old ones, and reads both', () => {
    const standard = topicRouteDataToJson(route, { standardJson: true });
    expect(standard).toBe('{"brokerDatas":[{"brokerAddrs":{"0":"127.0.0.1:10911","1":"127.0.0.1:11911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}],"filterServerTable":{},"queueDatas":[{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4}]}');
    const old = topicRouteDataToJson(route, { standardJson: false });
    expect(old).toContain('"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:11911"}');
    for (const text of [standard, old]) {
      const parsed = parseTopicRouteData(Buffer.from(text));
      expect(parsed.ok && [...parsed.value.brokerDatas[0]!.brokerAddrs].sort()).toEqual([[0, '127.0.0.1:10911'], [1, '127.0.0.1:11911']]);
      expect(parsed.ok && parsed.value.queueDatas).toEqual(route.queueDatas);
    }
  });

  it('reads a cluster info body and reports a malformed one', () => {
    const text = clusterInfoToJson({ brokerAddrTable: new Map([['broker-a', route.brokerDatas[0]!]]), clusterAddrTable: new Map([['DefaultCluster', ['broker-a']]]) }, { standardJson: false });
    const parsed = parseClusterInfo(Buffer.from(text));
    expect(parsed.ok && parsed.value.clusterAddrTable.get('DefaultCluster')).toEqual(['broker-a']);
    expect(parseClusterInfo(Buffer.from('{"brokerAddrTable":'))).toMatchObject({ ok: false });
    expect(parseTopicRouteData(Buffer.from('{"brokerDatas":[{"brokerAddrs":{"x":1}}]}'))).toMatchObject({ ok: false });
  });

  it('round-trips a register body and reads the compressed form', () => {
    const config: TopicConfig = { topicName: 'T1', readQueueNums: 4, writeQueueNums: 2, perm: 6, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {} };
    const body = { dataVersion: { counter: 3, stateVersion: 0, timestamp: 1700000000000 }, topicConfigTable: new Map([['T1', config]]), filterServerList: [] };
    const decoded = decodeRegisterBrokerBody(encodeRegisterBrokerBody(body), false);
    expect(decoded).toEqual({ ok: true, body });

    const chunks: Buffer[] = [];
    const chunk = (text: string): void => {
      const bytes = Buffer.from(text);
      const len = Buffer.alloc(4);
      len.writeInt32BE(bytes.length);
      chunks.push(len, bytes);
    };
    chunk('{"counter":3,"stateVersion":0,"timestamp":1700000000000}');
    const count = Buffer.alloc(4);
    count.writeInt32BE(1);
    chunks.push(count);
    chunk('T1 4 2 6 SINGLE_TAG {}');
    chunk('[]');
    const compressed = decodeRegisterBrokerBody(deflateSync(Buffer.concat(chunks)), true);
    expect(compressed).toEqual({ ok: true, body });
    expect(decodeRegisterBrokerBody(Buffer.from('not zlib'), true)).toMatchObject({ ok: false });
  });
});
