// Broker config loading: a stock RocketMQ broker.conf starts unchanged, unknown keys are
// reported, invalid values stop with an error naming the key, BrokerStartup's cross-rules.

import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseJavaProperties } from '@apogee/common';
import { quietLogger } from '@apogee/remoting/testing';
import { brokerConfigToProperties, createBrokerController, loadBrokerConfig } from '../src/index.js';
import { Fixture } from './helpers.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

// distribution/conf/2m-2s-async/broker-a.properties of Apache RocketMQ, plus the keys the other
// stock files set (paths replaced by the test's temp dir).
function stockBrokerConf(dir: string): string {
  return [
    '#  Licensed to the Apache Software Foundation (ASF) ...',
    'brokerClusterName=DefaultCluster',
    'brokerName=broker-a',
    'brokerId=0',
    'deleteWhen=04',
    'fileReservedTime=48',
    'brokerRole=ASYNC_MASTER',
    'flushDiskType=ASYNC_FLUSH',
    'namesrvAddr=127.0.0.1:9876',
    `storePathRootDir=${dir}`,
    `storePathCommitLog=${dir}/commitlog`,
    'listenPort=10911',
    'sendMessageThreadPoolNums=16',
    'autoCreateTopicEnable=true',
    '',
  ].join('\n');
}

function expectConfigError(run: () => unknown, key: string, text: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ConfigError);
  expect((caught as ConfigError).key).toBe(key);
  expect((caught as ConfigError).message).toMatch(text);
}

describe('broker config', () => {
  it('reads a stock RocketMQ broker.conf: broker keys, store keys, ignored and unknown keys', () => {
    const dir = fixture.tempDir();
    const loaded = loadBrokerConfig(parseJavaProperties(stockBrokerConf(dir)), {}, { env: {} });
    expect(loaded.broker).toMatchObject({
      brokerClusterName: 'DefaultCluster', brokerName: 'broker-a', brokerId: 0, namesrvAddr: '127.0.0.1:9876',
      listenPort: 10911, haListenPort: 10912, brokerIP1: '127.0.0.1', autoCreateTopicEnable: true, defaultTopicQueueNums: 8,
      brokerPermission: 6, registerNameServerPeriod: 30_000, flushConsumerOffsetInterval: 5000, transactionCheckInterval: 30_000,
    });
    expect(loaded.store).toMatchObject({ storePathRootDir: dir, deleteWhen: '04', fileReservedTime: 48, brokerRole: 'ASYNC_MASTER', flushDiskType: 'ASYNC_FLUSH' });
    expect(loaded.ignoredKeys).toEqual(['sendMessageThreadPoolNums']);
    // storePathCommitLog is a MessageStoreConfig key the store package does not have (yet).
    expect(loaded.unknownKeys).toEqual(['storePathCommitLog']);
  });

  it('starts a broker from the stock broker.conf with only the port and NameServer moved for the test', async () => {
    const dir = fixture.tempDir();
    const values = parseJavaProperties(stockBrokerConf(dir));
    const broker = createBrokerController(values, { listenPort: 0, namesrvAddr: '' }, { logger: quietLogger('broker'), env: {} });
    await broker.start();
    expect(broker.brokerConfig.brokerName).toBe('broker-a');
    expect(broker.listenPort).toBeGreaterThan(0);
    await broker.shutdown();
  });

  it('stops on an invalid value with a message naming the key', () => {
    const load = (text: string) => () => loadBrokerConfig(parseJavaProperties(text), {}, { env: {} });
    expectConfigError(load('listenPort=ten'), 'listenPort', /listenPort: expected an integer/);
    expectConfigError(load('autoCreateTopicEnable=yes'), 'autoCreateTopicEnable', /true or false/);
    expectConfigError(load('brokerPermission=9'), 'brokerPermission', /maximum 7/);
    expectConfigError(load('flushDiskType=SOMETIMES'), 'flushDiskType', /ASYNC_FLUSH, SYNC_FLUSH/);
    expectConfigError(load('namesrvAddr=127.0.0.1'), 'namesrvAddr', /not host:port/);
    expectConfigError(load('brokerRole=SLAVE\nbrokerId=0'), 'brokerId', /SLAVE/);
    expectConfigError(load('messageDelayLevel=1s 5x'), 'messageDelayLevel', /5x/);
    expectConfigError(load('deleteWhen=25'), 'deleteWhen', /deleteWhen/);
    expectConfigError(() => loadBrokerConfig(new Map(), { noSuchKey: 1 }), 'noSuchKey', /unknown broker config key/);
  });

  it('applies BrokerStartup rules: masters get brokerId 0, haListenPort follows listenPort, NAMESRV_ADDR fills namesrvAddr', () => {
    const master = loadBrokerConfig(parseJavaProperties('brokerId=3\nlistenPort=20911'), {}, { env: { NAMESRV_ADDR: '10.0.0.1:9876;10.0.0.2:9876' } });
    expect(master.broker).toMatchObject({ brokerId: 0, haListenPort: 20912, namesrvAddr: '10.0.0.1:9876;10.0.0.2:9876' });
    const slave = loadBrokerConfig(parseJavaProperties('brokerRole=SLAVE\nbrokerId=2\nhaListenPort=30000\nnamesrvAddr=1.2.3.4:9876'), {}, { env: { NAMESRV_ADDR: '10.0.0.1:9876' } });
    expect(slave.broker).toMatchObject({ brokerId: 2, haListenPort: 30000, namesrvAddr: '1.2.3.4:9876' });
    expect(slave.store.brokerRole).toBe('SLAVE');
  });

  it('prints every broker and store key with its effective value', () => {
    const loaded = loadBrokerConfig(parseJavaProperties('brokerName=broker-p\nfileReservedTime=12'), {}, { env: {} });
    const text = brokerConfigToProperties(loaded);
    expect(text).toContain('brokerName=broker-p\n');
    expect(text).toContain('listenPort=10911\n');
    expect(text).toContain('haListenPort=10912\n');
    expect(text).toContain('fileReservedTime=12\n');
    expect(text).toContain('flushDiskType=ASYNC_FLUSH\n');
    expect(text.split('\n').filter((line) => line.startsWith('storePathRootDir='))).toHaveLength(1);
  });
});
