// Broker ↔ NameServer: a real NamesrvController and BrokerController in this process. The
// routes a client would get show what the broker registered.

import { afterEach, describe, expect, it } from 'vitest';
import { TopicValidator } from '@apogee/common';
import { RemotingClient, RequestCode, ResponseCode, createRequestCommand, parseTopicRouteData } from '@apogee/remoting';
import { closedLoopbackPort, quietLogger, randomId, waitFor } from '@apogee/remoting/testing';
import { BrokerOuterAPI, NamesrvRegistration, newTopicConfig } from '../src/index.js';
import { Fixture, heartbeat } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

describe('registration with the NameServers', () => {
  it('registers at start: TBW102 and the system topics are routed to brokerIP1:listenPort', async () => {
    const namesrv = await fixture.namesrv();
    const broker = fixture.broker({ namesrvAddr: namesrv.address });
    await broker.start();

    expect(broker.brokerAddr).toBe(`127.0.0.1:${broker.listenPort}`);
    const route = namesrv.routes.pickupTopicRouteData(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC);
    expect(route?.brokerDatas.map((b) => [b.brokerName, b.brokerAddrs.get(0)])).toEqual([[broker.brokerConfig.brokerName, broker.brokerAddr]]);
    expect(route?.queueDatas).toEqual([{ brokerName: broker.brokerConfig.brokerName, perm: 7, readQueueNums: 8, writeQueueNums: 8, topicSysFlag: 0 }]);
    expect(namesrv.routes.pickupTopicRouteData(broker.brokerConfig.brokerName)?.queueDatas[0]).toMatchObject({ readQueueNums: 1, perm: 7 });
    expect(namesrv.routes.pickupTopicRouteData(TopicValidator.RMQ_SYS_SCHEDULE_TOPIC)?.queueDatas[0]).toMatchObject({ readQueueNums: 18 });
    expect(broker.namesrvRegistration.lastOutcomes).toEqual([{ namesrvAddr: namesrv.address, ok: true }]);
  });

  it('re-registers at once when a topic is created: a heartbeat-created retry topic and an admin-created topic get routes', async () => {
    const namesrv = await fixture.namesrv();
    const broker = fixture.broker({ namesrvAddr: namesrv.address });
    await broker.start();
    const client = fixture.client();
    const group = `cg-${randomId()}`;
    const before = broker.namesrvRegistration.registrationCount;

    expect((await heartbeat(client, broker.brokerAddr, 'c1', [{ group, topics: ['T'] }])).code).toBe(ResponseCode.SUCCESS);
    await waitFor(() => namesrv.routes.pickupTopicRouteData(`%RETRY%${group}`) !== undefined, { message: 'retry topic route' });
    expect(namesrv.routes.pickupTopicRouteData(`%RETRY%${group}`)?.queueDatas[0]).toMatchObject({ readQueueNums: 1, writeQueueNums: 1, perm: 6 });

    const topic = `t-${randomId()}`;
    broker.topicConfigManager.updateTopicConfig(newTopicConfig(topic, { readQueueNums: 3, writeQueueNums: 3 }));
    await waitFor(() => namesrv.routes.pickupTopicRouteData(topic) !== undefined, { message: 'admin topic route' });
    expect(namesrv.routes.pickupTopicRouteData(topic)?.queueDatas[0]).toMatchObject({ readQueueNums: 3, writeQueueNums: 3 });
    expect(broker.namesrvRegistration.registrationCount).toBeGreaterThan(before);
  });

  it('serves the route over the wire as a client sees it, and an explicit re-registration carries a newer data version', async () => {
    const namesrv = await fixture.namesrv();
    const broker = fixture.broker({ namesrvAddr: namesrv.address });
    await broker.start();
    const topic = `t-${randomId()}`;
    broker.topicConfigManager.createTopicIfAbsent(newTopicConfig(topic, { readQueueNums: 2, writeQueueNums: 2 }));
    const version = broker.topicConfigManager.dataVersion;
    const outcomes = await broker.registerBrokerAll();
    expect(outcomes).toEqual([{ namesrvAddr: namesrv.address, ok: true }]);
    expect(namesrv.routes.queryBrokerDataVersion(broker.brokerConfig.brokerClusterName, broker.brokerAddr)).toEqual(version);

    const client = fixture.client();
    const res = await client.invokeSync(namesrv.address, createRequestCommand(RequestCode.GET_ROUTEINFO_BY_TOPIC, { topic }), 3_000);
    expect(res.code).toBe(ResponseCode.SUCCESS);
    const route = parseTopicRouteData(res.body);
    expect(route.ok && route.value.queueDatas).toEqual([{ brokerName: broker.brokerConfig.brokerName, perm: 6, readQueueNums: 2, writeQueueNums: 2, topicSysFlag: 0 }]);
  });

  it('unregisters on shutdown: the broker leaves the routes at once', async () => {
    const namesrv = await fixture.namesrv();
    const broker = fixture.broker({ namesrvAddr: namesrv.address });
    await broker.start();
    expect(namesrv.routes.liveBrokerCount()).toBe(1);
    await broker.shutdown();
    expect(namesrv.routes.liveBrokerCount()).toBe(0);
    expect(namesrv.routes.pickupTopicRouteData(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC)).toBeUndefined();
    await broker.shutdown(); // idempotent
  });

  it('registers with every NameServer; one that is down does not stop the others', async () => {
    const up = await fixture.namesrv();
    const down = `127.0.0.1:${await closedLoopbackPort()}`;
    const broker = fixture.broker({ namesrvAddr: `${down};${up.address}` });
    await broker.start();
    expect(up.routes.liveBrokerCount()).toBe(1);
    const outcomes = broker.namesrvRegistration.lastOutcomes;
    expect(outcomes.map((o) => [o.namesrvAddr, o.ok])).toEqual([[down, false], [up.address, true]]);

    const second = await fixture.namesrv();
    const both = fixture.broker({ namesrvAddr: `${up.address};${second.address}` });
    await both.start();
    expect(up.routes.liveBrokerCount()).toBe(2);
    expect(second.routes.liveBrokerCount()).toBe(1);
  });

  it('masks topic perms with brokerPermission when the broker is read-only', async () => {
    const namesrv = await fixture.namesrv();
    const broker = fixture.broker({ namesrvAddr: namesrv.address, brokerPermission: 4 });
    await broker.start();
    expect(namesrv.routes.pickupTopicRouteData(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC)?.queueDatas[0]?.perm).toBe(4);
  });
});

describe('NamesrvRegistration schedule', () => {
  const identity = { clusterName: 'DefaultCluster', brokerName: 'b', brokerId: 1, brokerAddr: '127.0.0.1:20911', haServerAddr: '127.0.0.1:20912' };

  it('registers periodically after the initial delay and hands a slave its master addresses', async () => {
    const namesrv = await fixture.namesrv();
    const client = new RemotingClient({ logger: quietLogger('outer') });
    const master = fixture.broker({ namesrvAddr: namesrv.address, brokerName: 'b' });
    await master.start();
    const topics = { dataVersion: { counter: 1, stateVersion: 0, timestamp: 1 }, topicConfigTable: new Map() };
    const registration = new NamesrvRegistration({
      api: new BrokerOuterAPI(client, quietLogger('outer')),
      namesrvAddrs: () => [namesrv.address],
      identity: () => identity,
      topics: () => topics,
      periodMs: 50,
      initialDelayMs: 20,
      timeoutMs: 3_000,
      log: quietLogger('registration'),
    });
    const seen: string[] = [];
    registration.onMasterAddress((m) => seen.push(`${m.masterAddr}|${m.haMasterAddr}`));
    try {
      await registration.start();
      expect(registration.masterAddress).toEqual({ masterAddr: master.brokerAddr, haMasterAddr: master.haServerAddr });
      expect(seen).toEqual([`${master.brokerAddr}|${master.haServerAddr}`]);
      await waitFor(() => registration.registrationCount >= 3, { message: 'periodic registrations' });
    } finally {
      await registration.shutdown();
      await client.shutdown();
    }
    expect(namesrv.routes.getAllClusterInfo().brokerAddrTable.get('b')?.brokerAddrs.get(1)).toBeUndefined();
  });

  it('coalesces registrations asked for while one is in flight into one more', async () => {
    const namesrv = await fixture.namesrv();
    const client = new RemotingClient({ logger: quietLogger('outer') });
    let snapshots = 0;
    const registration = new NamesrvRegistration({
      api: new BrokerOuterAPI(client, quietLogger('outer')),
      namesrvAddrs: () => [namesrv.address],
      identity: () => ({ ...identity, brokerId: 0, brokerName: `b-${randomId()}` }),
      topics: () => {
        snapshots++;
        return { dataVersion: { counter: snapshots, stateVersion: 0, timestamp: 1 }, topicConfigTable: new Map() };
      },
      periodMs: 60_000,
      timeoutMs: 3_000,
      log: quietLogger('registration'),
    });
    try {
      const all = await Promise.all([registration.registerNow(), registration.registerNow(), registration.registerNow(), registration.registerNow()]);
      expect(all.every((o) => o.length === 1 && o[0]!.ok)).toBe(true);
      expect(registration.registrationCount).toBe(2);
      expect(snapshots).toBe(2);
    } finally {
      await registration.shutdown();
      await client.shutdown();
    }
  });
});
