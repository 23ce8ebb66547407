// Broker admin codes over the wire: GET_BROKER_RUNTIME_INFO (28, the keys mqadmin clusterList
// and brokerStatus parse), GET_BROKER_CONFIG (26), UPDATE_BROKER_CONFIG (25, runtime-changeable
// keys only), VIEW_BROKER_STATS_DATA (315, what statsAll reads), with a manual clock.

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock, PermName, parseJavaProperties } from '@apogee/common';
import { type RemotingClient, type RemotingCommand, RequestCode, ResponseCode, createRequestCommand, parseLenientJson } from '@apogee/remoting';
import { randomId } from '@apogee/remoting/testing';
import { adminProcessorsOf } from '../src/processor/admin-processors.js';
import { Fixture } from './helpers.js';
import { createTopic, pull, send, startBroker } from './message-wire.js';

const fixture = new Fixture();
afterEach(() => fixture.closeAll());

function call(client: RemotingClient, addr: string, code: number, ext: Record<string, string> = {}, body?: Buffer): Promise<RemotingCommand> {
  return client.invokeSync(addr, createRequestCommand(code, ext, body), 5_000);
}

async function runtimeInfo(client: RemotingClient, addr: string): Promise<Record<string, string>> {
  const res = await call(client, addr, RequestCode.GET_BROKER_RUNTIME_INFO);
  expect(res.code).toBe(ResponseCode.SUCCESS);
  const parsed = parseLenientJson(res.body!.toString());
  if (!parsed.ok) throw new Error(parsed.reason);
  return (parsed.value as { table: Record<string, string> }).table;
}

describe('GET_BROKER_RUNTIME_INFO (28)', () => {
  it('answers a KVTable of strings with the keys clusterList parses, counting puts and gets', async () => {
    const startMs = 1_700_000_000_000;
    const clock = new ManualClock(startMs);
    const b = await startBroker(fixture, {}, { clock });
    const client = fixture.client();
    const empty = await runtimeInfo(client, b.addr);
    expect(empty['earliestMessageTimeStamp']).toBe('-1');
    expect(empty['msgPutTotalTodayNow']).toBe('0');

    const topic = `t-${randomId()}`;
    createTopic(b.broker, topic, 1);
    for (let i = 0; i < 4; i++) await send(client, b.addr, topic, `m${i}`);
    await b.broker.messageStore.waitForDispatch();
    expect((await pull(client, b.addr, `cg-${randomId()}`, topic, { maxMsgNums: 3 })).code).toBe(ResponseCode.SUCCESS);
    clock.advanceMs(10_000);
    adminProcessorsOf(b.broker)!.stats.sample();

    const info = await runtimeInfo(client, b.addr);
    expect(Object.values(info).every((v) => typeof v === 'string')).toBe(true);
    expect(info).toMatchObject({
      brokerVersionDesc: 'V5_3_3', brokerVersion: '479', brokerActive: 'true',
      msgPutTotalYesterdayMorning: '0', msgPutTotalTodayMorning: '0', msgPutTotalTodayNow: '4',
      msgGetTotalYesterdayMorning: '0', msgGetTotalTodayMorning: '0', msgGetTotalTodayNow: '3',
      putTps: '0.40 0.40 0.40', getTransferredTps: '0.30 0.30 0.30', getTransferedTps: '0.30 0.30 0.30',
      earliestMessageTimeStamp: String(startMs), commitLogMinOffset: '0', dispatchBehindBytes: '0', pageCacheLockTimeMills: '0',
      sendThreadPoolQueueSize: '0', pullThreadPoolQueueSize: '0', sendThreadPoolQueueHeadWaitTimeMills: '0', pullThreadPoolQueueHeadWaitTimeMills: '0',
      timerReadBehind: '0', timerOffsetBehind: '0', timerCongestNum: '0', timerEnqueueTps: '0.0', timerDequeueTps: '0.0',
      runtime: '[ 0 days, 0 hours, 0 minutes, 10 seconds ]', bootTimestamp: String(startMs),
    });
    expect(Number(info['commitLogMaxOffset'])).toBe(b.broker.messageStore.getMaxPhyOffset());
    const ratio = Number(info['commitLogDiskRatio']);
    expect(ratio >= 0 && ratio <= 1).toBe(true);

    // at local midnight the day's totals roll over
    const nextMidnight = new Date(clock.nowMs());
    nextMidnight.setHours(24, 0, 5, 0);
    clock.advanceMs(nextMidnight.getTime() - clock.nowMs());
    adminProcessorsOf(b.broker)!.stats.sample();
    expect(await runtimeInfo(client, b.addr)).toMatchObject({ msgPutTotalTodayMorning: '4', msgPutTotalYesterdayMorning: '0', msgGetTotalTodayMorning: '3' });
  });
});

describe('broker config', () => {
  it('GET_BROKER_CONFIG (26) answers properties text and a DataVersion; UPDATE_BROKER_CONFIG (25) changes runtime keys and moves the version', async () => {
    const b = await startBroker(fixture);
    const client = fixture.client();
    const before = await call(client, b.addr, RequestCode.GET_BROKER_CONFIG);
    expect(before.code).toBe(ResponseCode.SUCCESS);
    const props = parseJavaProperties(before.body!.toString());
    expect(props.get('brokerName')).toBe(b.broker.brokerConfig.brokerName);
    expect(props.get('brokerPermission')).toBe('6');
    expect(props.get('flushDiskType')).toBe('ASYNC_FLUSH');
    const version = JSON.parse(before.extFields!['version']!) as { counter: number; stateVersion: number; timestamp: number };
    expect(Object.keys(version)).toEqual(['counter', 'stateVersion', 'timestamp']);

    const update = await call(client, b.addr, RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('longPollingEnable=false\nshortPollingTimeMills=250\n'));
    expect(update.code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.brokerConfig).toMatchObject({ longPollingEnable: false, shortPollingTimeMills: 250 });
    const after = await call(client, b.addr, RequestCode.GET_BROKER_CONFIG);
    expect(parseJavaProperties(after.body!.toString()).get('shortPollingTimeMills')).toBe('250');
    expect((JSON.parse(after.extFields!['version']!) as { counter: number }).counter).toBe(version.counter + 1);
  });

  it('refuses start-up-only, store, unknown and black-listed keys with 16 and bad values with 29, applying nothing', async () => {
    const b = await startBroker(fixture);
    const client = fixture.client();
    const cases: Array<[string, number, string]> = [
      ['traceOn=false\nlistenPort=1234\n', ResponseCode.NO_PERMISSION, 'listenPort is read once at start-up'],
      ['fileReservedTime=1\n', ResponseCode.NO_PERMISSION, 'fileReservedTime is not a broker config key Apogee can change at runtime'],
      ['sendMessageThreadPoolNums=4\n', ResponseCode.NO_PERMISSION, 'sendMessageThreadPoolNums has no effect in Apogee'],
      ['brokerConfigPath=/tmp/x\n', ResponseCode.NO_PERMISSION, 'Can not update config in black list'],
      ['traceOn=maybe\n', ResponseCode.INVALID_PARAMETER, 'traceOn: expected true or false'],
      ['brokerPermission=9\n', ResponseCode.INVALID_PARAMETER, 'brokerPermission: 9 is above the maximum 7'],
    ];
    for (const [body, code, remark] of cases) {
      const res = await call(client, b.addr, RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from(body));
      expect([res.code, res.remark], body).toEqual([code, expect.stringContaining(remark)]);
    }
    expect(b.broker.brokerConfig.traceOn).toBe(true);
    expect(b.broker.brokerConfig.brokerPermission).toBe(6);
  });

  it('a brokerPermission change re-registers with the NameServer', async () => {
    const namesrv = await fixture.namesrv();
    const b = await startBroker(fixture, { namesrvAddr: namesrv.address });
    const before = b.broker.namesrvRegistration.registrationCount;
    const res = await call(fixture.client(), b.addr, RequestCode.UPDATE_BROKER_CONFIG, {}, Buffer.from('brokerPermission=4'));
    expect(res.code).toBe(ResponseCode.SUCCESS);
    expect(b.broker.brokerConfig.brokerPermission).toBe(4);
    expect(b.broker.namesrvRegistration.registrationCount).toBeGreaterThan(before);
    // the NameServer took the topic table again: every queue is now read-only in the routes
    expect(namesrv.routes.pickupTopicRouteData('TBW102')?.queueDatas[0]?.perm).toBe(PermName.PERM_READ);
  });
});

describe('VIEW_BROKER_STATS_DATA (315)', () => {
  it('answers minute/hour/day numbers of TOPIC_PUT_NUMS and GROUP_GET_NUMS items; 1 for an item never counted', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const b = await startBroker(fixture, {}, { clock });
    const client = fixture.client();
    const topic = `t-${randomId()}`;
    const group = `cg-${randomId()}`;
    createTopic(b.broker, topic, 1);
    for (let i = 0; i < 5; i++) await send(client, b.addr, topic, `m${i}`);
    await b.broker.messageStore.waitForDispatch();
    await pull(client, b.addr, group, topic, { maxMsgNums: 2 });
    clock.advanceMs(10_000);
    adminProcessorsOf(b.broker)!.stats.sample();

    const put = await call(client, b.addr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: topic });
    expect(put.body?.toString()).toBe('{"statsDay":{"avgpt":0,"sum":0,"tps":0},"statsHour":{"avgpt":0,"sum":0,"tps":0},"statsMinute":{"avgpt":1,"sum":5,"tps":0.5}}');
    const get = await call(client, b.addr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'GROUP_GET_NUMS', statsKey: `${topic}@${group}` });
    expect(get.body?.toString()).toBe('{"statsDay":{"avgpt":0,"sum":0,"tps":0},"statsHour":{"avgpt":0,"sum":0,"tps":0},"statsMinute":{"avgpt":2,"sum":2,"tps":0.2}}');

    // an hour later the hour view has the counts too
    clock.advanceMs(10 * 60_000);
    adminProcessorsOf(b.broker)!.stats.sample();
    const later = await call(client, b.addr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: topic });
    expect((JSON.parse(later.body!.toString()) as { statsHour: { sum: number } }).statsHour.sum).toBe(5);

    const missing = await call(client, b.addr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName: 'TOPIC_PUT_NUMS', statsKey: 'never' });
    expect([missing.code, missing.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'The stats <TOPIC_PUT_NUMS> <never> not exist']);

    // deleting the topic forgets its counters
    expect((await call(client, b.addr, RequestCode.DELETE_TOPIC_IN_BROKER, { topic })).code).toBe(ResponseCode.SUCCESS);
    for (const [statsName, statsKey] of [['TOPIC_PUT_NUMS', topic], ['GROUP_GET_NUMS', `${topic}@${group}`]] as const) {
      expect((await call(client, b.addr, RequestCode.VIEW_BROKER_STATS_DATA, { statsName, statsKey })).code).toBe(ResponseCode.SYSTEM_ERROR);
    }
  });
});
