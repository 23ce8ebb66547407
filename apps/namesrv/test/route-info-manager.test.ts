import { describe, expect, it } from 'vitest';
import { ManualClock, PermName, createLogger } from '@apogee/common';
import { BROKER_CHANNEL_EXPIRED_TIME_MS, RouteInfoManager, type RegisterBrokerRequest } from '../src/route/route-info-manager.js';
import type { TopicConfig } from '@apogee/remoting';

const log = createLogger('test');

function topicConfig(topicName: string, queues = 4, perm = 6): TopicConfig {
  return { topicName, readQueueNums: queues, writeQueueNums: queues, perm, topicFilterType: 'SINGLE_TAG', topicSysFlag: 0, order: false, attributes: {} };
}

function registration(over: Partial<RegisterBrokerRequest> & { topics?: TopicConfig[]; counter?: number }): RegisterBrokerRequest {
  const { topics = [], counter = 1, ...rest } = over;
  return {
    clusterName: 'c1', brokerAddr: '127.0.0.1:10911', brokerName: 'broker-a', brokerId: 0,
    haServerAddr: '127.0.0.1:10912', filterServerList: [], channelId: 100,
    topicConfigs: { dataVersion: { counter, stateVersion: 0, timestamp: 1 }, topicConfigTable: new Map(topics.map((t) => [t.topicName, t])) },
    ...rest,
  };
}

describe('RouteInfoManager', () => {
  it('builds a topic route from a master registration and hands the master HA address to a slave', () => {
    const routes = new RouteInfoManager(new ManualClock(), log);
    expect(routes.registerBroker(registration({ topics: [topicConfig('T1')] }))).toEqual({});
    const slave = routes.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:11911', haServerAddr: '127.0.0.1:11912', channelId: 101, topics: [topicConfig('T1', 99)] }));
    expect(slave).toEqual({ masterAddr: '127.0.0.1:10911', haServerAddr: '127.0.0.1:10912' });

    const route = routes.pickupTopicRouteData('T1');
    expect(route?.queueDatas).toEqual([{ brokerName: 'broker-a', readQueueNums: 4, writeQueueNums: 4, perm: 6, topicSysFlag: 0 }]);
    expect([...route!.brokerDatas[0]!.brokerAddrs]).toEqual([[0, '127.0.0.1:10911'], [1, '127.0.0.1:11911']]);
    expect(routes.pickupTopicRouteData('unknown')).toBeUndefined();
  });

  it('takes topic changes only when the data version changes', () => {
    const routes = new RouteInfoManager(new ManualClock(), log);
    routes.registerBroker(registration({ topics: [topicConfig('T1', 4)], counter: 1 }));
    routes.registerBroker(registration({ topics: [topicConfig('T1', 8)], counter: 1 }));
    expect(routes.pickupTopicRouteData('T1')?.queueDatas[0]?.writeQueueNums).toBe(4);
    routes.registerBroker(registration({ topics: [topicConfig('T1', 8)], counter: 2 }));
    expect(routes.pickupTopicRouteData('T1')?.queueDatas[0]?.writeQueueNums).toBe(8);
  });

  it('expires a broker that is silent for 120 s, removing its topics', () => {
    const clock = new ManualClock();
    const routes = new RouteInfoManager(clock, log);
    routes.registerBroker(registration({ topics: [topicConfig('T1')] }));
    clock.advanceMs(BROKER_CHANNEL_EXPIRED_TIME_MS);
    expect(routes.scanNotActiveBroker()).toBe(0);
    clock.advanceMs(1);
    expect(routes.scanNotActiveBroker()).toBe(1);
    expect(routes.liveBrokerCount()).toBe(0);
    expect(routes.pickupTopicRouteData('T1')).toBeUndefined();
    expect(routes.getAllClusterInfo().clusterAddrTable.size).toBe(0);
  });

  it('unregisters a broker when its connection closes but keeps the name while a slave remains', () => {
    const routes = new RouteInfoManager(new ManualClock(), log);
    routes.registerBroker(registration({ topics: [topicConfig('T1')] }));
    routes.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:11911', channelId: 101 }));
    routes.onChannelDestroy(100);
    const route = routes.pickupTopicRouteData('T1');
    expect([...route!.brokerDatas[0]!.brokerAddrs]).toEqual([[1, '127.0.0.1:11911']]);
    routes.onChannelDestroy(101);
    expect(routes.pickupTopicRouteData('T1')).toBeUndefined();
  });

  it('moves an address that re-registers under a new id (slave promoted)', () => {
    const routes = new RouteInfoManager(new ManualClock(), log);
    routes.registerBroker(registration({ brokerId: 1, brokerAddr: '127.0.0.1:11911', channelId: 7 }));
    routes.registerBroker(registration({ brokerId: 0, brokerAddr: '127.0.0.1:11911', channelId: 7, topics: [topicConfig('T2')] }));
    const data = routes.getAllClusterInfo().brokerAddrTable.get('broker-a');
    expect([...data!.brokerAddrs]).toEqual([[0, '127.0.0.1:11911']]);
  });

  it('wipes and restores the write permission of a broker name', () => {
    const routes = new RouteInfoManager(new ManualClock(), log);
    routes.registerBroker(registration({ topics: [topicConfig('T1'), topicConfig('T2', 2, 7)] }));
    expect(routes.setWritePermOfBroker('broker-a', false)).toBe(2);
    expect(routes.pickupTopicRouteData('T2')?.queueDatas[0]?.perm).toBe(PermName.PERM_READ | PermName.PERM_INHERIT);
    expect(routes.setWritePermOfBroker('broker-a', true)).toBe(2);
    expect(routes.pickupTopicRouteData('T1')?.queueDatas[0]?.perm).toBe(6);
    expect(routes.setWritePermOfBroker('nobody', false)).toBe(0);
  });

  it('lists topics by cluster, system topics, and deletes topics per cluster', () => {
    const routes = new RouteInfoManager(new ManualClock(), log);
    routes.registerBroker(registration({ topics: [topicConfig('T1'), topicConfig('Shared')] }));
    routes.registerBroker(registration({ clusterName: 'c2', brokerName: 'broker-b', brokerAddr: '127.0.0.1:12911', channelId: 8, topics: [topicConfig('T2'), topicConfig('Shared')] }));
    expect(routes.getTopicsByCluster('c1').sort()).toEqual(['Shared', 'T1']);
    expect(routes.getAllTopicList().sort()).toEqual(['Shared', 'T1', 'T2']);
    expect(routes.getSystemTopicList()).toEqual({ topicList: ['c1', 'broker-a', 'c2', 'broker-b'], brokerAddr: '127.0.0.1:10911' });
    routes.deleteTopic('Shared', 'c1');
    expect(routes.pickupTopicRouteData('Shared')?.queueDatas.map((q) => q.brokerName)).toEqual(['broker-b']);
    routes.deleteTopic('Shared');
    expect(routes.pickupTopicRouteData('Shared')).toBeUndefined();
  });
});
