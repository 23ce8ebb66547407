// In-process NameServer on an ephemeral loopback port, driven over the wire by a RemotingClient
// exactly as brokers, clients and mqadmin drive it.

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  RemotingClient, RequestCode, ResponseCode, SerializeType, createRequestCommand, parseLenientJson,
  RegisterBrokerRequestHeader, type RemotingCommand,
} from '@apogee/remoting';
import { randomId } from '@apogee/remoting/testing';
import { createNamesrvController, type NamesrvController } from '../src/index.js';

let namesrv: NamesrvController;
let client: RemotingClient;
let addr: string;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'namesrv-'));
  namesrv = createNamesrvController(new Map(), { listenPort: 0, kvConfigPath: join(dir, 'kvConfig.json') });
  await namesrv.start();
  addr = `127.0.0.1:${namesrv.port}`;
  client = new RemotingClient({ serializeType: SerializeType.JSON });
});

afterEach(async () => {
  await client.shutdown();
  await namesrv.shutdown();
});

function registerBody(topics: string[], counter = 1): Buffer {
  const table = Object.fromEntries(topics.map((t) => [t, { attributes: {}, order: false, perm: 6, readQueueNums: 4, topicFilterType: 'SINGLE_TAG', topicName: t, topicSysFlag: 0, writeQueueNums: 4 }]));
  return Buffer.from(JSON.stringify({ filterServerList: [], topicConfigSerializeWrapper: { dataVersion: { counter, stateVersion: 0, timestamp: 1700000000000 }, topicConfigTable: table } }));
}

function register(c: RemotingClient, brokerName: string, brokerId: number, brokerAddr: string, topics: string[]): Promise<RemotingCommand> {
  const ext = RegisterBrokerRequestHeader.encode({ brokerName, brokerAddr, clusterName: 'DefaultCluster', haServerAddr: brokerAddr.replace(/\d+$/, (p) => String(Number(p) + 1)), brokerId });
  return c.invokeSync(addr, createRequestCommand(RequestCode.REGISTER_BROKER, ext, registerBody(topics)), 3_000);
}

function route(topic: string, version: number): Promise<RemotingCommand> {
  const cmd = createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic });
  cmd.version = version;
  return client.invokeSync(addr, cmd, 3_000);
}

describe('NamesrvController over the wire', () => {
  it('registers a master and a slave and serves the route in both JSON flavours', async () => {
    const topic = `t-${randomId()}`;
    expect((await register(client, 'broker-a', 0, '127.0.0.1:10911', [topic])).code).toBe(ResponseCode.SUCCESS);
    const slave = await register(client, 'broker-a', 1, '127.0.0.1:11911', [topic]);
    expect(slave.extFields).toMatchObject({ masterAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912' });

    const modern = await route(topic, 479);
    expect(modern.code).toBe(ResponseCode.SUCCESS);
    expect(modern.body!.toString()).toContain('"brokerAddrs":{"0":"127.0.0.1:10911","1":"127.0.0.1:11911"}');
    const old = await route(topic, 317);
    expect(old.body!.toString()).toContain('"brokerAddrs":{0:"127.0.0.1:10911",1:"127.0.0.1:11911"}');
    const parsed = parseLenientJson(old.body!.toString());
    expect(parsed.ok && (parsed.value as { queueDatas: unknown[] }).queueDatas).toEqual([
      { brokerName: 'broker-a', perm: 6, readQueueNums: 4, topicSysFlag: 0, writeQueueNums: 4 },
    ]);
  });

  it('answers TOPIC_NOT_EXIST for an unknown topic and REQUEST_CODE_NOT_SUPPORTED for an unknown code', async () => {
    const missing = await route(`missing-${randomId()}`, 479);
    expect(missing.code).toBe(ResponseCode.TOPIC_NOT_EXIST);
    expect(missing.remark).toContain('No topic route info in name server for the topic');
    const unknown = await client.invokeSync(addr, createRequestCommand(9999), 3_000);
    expect(unknown.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
  });

  it('rejects a register request missing a required header field with SYSTEM_ERROR naming it', async () => {
    const res = await client.invokeSync(addr, createRequestCommand(RequestCode.REGISTER_BROKER, { brokerName: 'b' }), 3_000);
    expect(res.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(res.remark).toMatch(/missing required field/);
  });

  it('removes a broker whose connection closes', async () => {
    const topic = `t-${randomId()}`;
    const brokerConn = new RemotingClient({ serializeType: SerializeType.ROCKETMQ });
    await register(brokerConn, 'broker-x', 0, '127.0.0.1:20911', [topic]);
    expect((await route(topic, 479)).code).toBe(ResponseCode.SUCCESS);
    await brokerConn.shutdown();
    await expect.poll(async () => (await route(topic, 479)).code, { timeout: 5_000 }).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('lists clusters and topics, wipes write perm, deletes topics', async () => {
    const topic = `t-${randomId()}`;
    await register(client, 'broker-a', 0, '127.0.0.1:10911', [topic, 'TBW102']);
    const cluster = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_BROKER_CLUSTER_INFO), 3_000);
    expect(cluster.body!.toString()).toBe('{"brokerAddrTable":{"broker-a":{"brokerAddrs":{0:"127.0.0.1:10911"},"brokerName":"broker-a","cluster":"DefaultCluster","enableActingMaster":false}},"clusterAddrTable":{"DefaultCluster":["broker-a"]}}');
    const all = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER), 3_000);
    expect(JSON.parse(all.body!.toString()).topicList).toContain(topic);
    const byCluster = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_TOPICS_BY_CLUSTER, { cluster: 'DefaultCluster' }), 3_000);
    expect(JSON.parse(byCluster.body!.toString()).topicList.sort()).toEqual(['TBW102', topic].sort());

    const wipe = await client.invokeSync(addr, createRequestCommand(RequestCode.WIPE_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }), 3_000);
    expect(wipe.extFields?.wipeTopicCount).toBe('2');
    expect((await route(topic, 479)).body!.toString()).toContain('"perm":4');
    const add = await client.invokeSync(addr, createRequestCommand(RequestCode.ADD_WRITE_PERM_OF_BROKER, { brokerName: 'broker-a' }), 3_000);
    expect(add.extFields?.addTopicCount).toBe('2');

    await client.invokeSync(addr, createRequestCommand(RequestCode.DELETE_TOPIC_IN_NAMESRV, { topic }), 3_000);
    expect((await route(topic, 479)).code).toBe(ResponseCode.TOPIC_NOT_EXIST);
  });

  it('keeps KV config across a restart and returns ORDER_TOPIC_CONFIG to registering brokers', async () => {
    const put = createRequestCommand(RequestCode.PUT_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'OrderT', value: 'broker-a:4' });
    expect((await client.invokeSync(addr, put, 3_000)).code).toBe(ResponseCode.SUCCESS);
    const get = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'ORDER_TOPIC_CONFIG', key: 'OrderT' }), 3_000);
    expect(get.extFields?.value).toBe('broker-a:4');
    const missing = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_KV_CONFIG, { namespace: 'x', key: 'y' }), 3_000);
    expect(missing.code).toBe(ResponseCode.QUERY_NOT_FOUND);
    const reg = await register(client, 'broker-a', 0, '127.0.0.1:10911', ['OrderT']);
    expect(reg.body!.toString()).toBe('{"table":{"OrderT":"broker-a:4"}}');

    await namesrv.shutdown();
    expect(JSON.parse(readFileSync(join(dir, 'kvConfig.json'), 'utf8'))).toEqual({ configTable: { ORDER_TOPIC_CONFIG: { OrderT: 'broker-a:4' } } });
    namesrv = createNamesrvController(new Map(), { listenPort: 0, kvConfigPath: join(dir, 'kvConfig.json') });
    await namesrv.start();
    addr = `127.0.0.1:${namesrv.port}`;
    const list = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_KVLIST_BY_NAMESPACE, { namespace: 'ORDER_TOPIC_CONFIG' }), 3_000);
    expect(list.body!.toString()).toBe('{"table":{"OrderT":"broker-a:4"}}');
  });

  it('prints and updates its config, refusing black-listed keys', async () => {
    const get = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_NAMESRV_CONFIG), 3_000);
    expect(get.body!.toString()).toContain('orderMessageEnable=false');
    const upd = await client.invokeSync(addr, createRequestCommand(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('orderMessageEnable=true\n')), 3_000);
    expect(upd.code).toBe(ResponseCode.SUCCESS);
    const after = await client.invokeSync(addr, createRequestCommand(RequestCode.GET_NAMESRV_CONFIG), 3_000);
    expect(after.body!.toString()).toContain('orderMessageEnable=true');
    const bad = await client.invokeSync(addr, createRequestCommand(RequestCode.UPDATE_NAMESRV_CONFIG, undefined, Buffer.from('kvConfigPath=/tmp/x\n')), 3_000);
    expect(bad.code).toBe(ResponseCode.NO_PERMISSION);
  });
});
