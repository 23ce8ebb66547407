// The one response->error mapping, the retry classes, the bounded retry loop, namespaces and
// latency fault avoidance (pure pieces; no servers).

import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ManualClock } from '@apogee/common';
import {
  RemotingConnectError, RemotingTimeoutError, RemotingTooMuchRequestError, ResponseCode, createRequestCommand, createResponseCommand,
} from '@apogee/remoting';
import {
  MQBrokerError, MQClientError, MQFaultStrategy, RetryDeadlineError, TopicPublishInfo, computeNotAvailableDuration,
  errorFromResponse, retry, retryClassOf, withoutNamespace, wrapNamespace,
} from '../src/index.js';

describe('errorFromResponse / retryClassOf', () => {
  it('maps a response to MQBrokerError with code, remark and address', () => {
    const response = createResponseCommand(createRequestCommand(310), ResponseCode.NO_PERMISSION, 'the broker[b] sending message is forbidden');
    const err = errorFromResponse(response, '127.0.0.1:10911');
    expect(err).toBeInstanceOf(MQBrokerError);
    expect(err).toMatchObject({ responseCode: 16, remark: 'the broker[b] sending message is forbidden', brokerAddr: '127.0.0.1:10911' });
    expect(err.message).toBe('CODE: 16 (NO_PERMISSION) DESC: the broker[b] sending message is forbidden BROKER: 127.0.0.1:10911');
  });

  it('classifies what to do next', () => {
    const broker = (code: number): MQBrokerError => new MQBrokerError(code, '', 'a:1');
    expect(retryClassOf(broker(ResponseCode.TOPIC_NOT_EXIST))).toBe('refreshRoute');
    expect(retryClassOf(broker(ResponseCode.SYSTEM_BUSY))).toBe('afterBackoff');
    expect(retryClassOf(broker(ResponseCode.FLOW_CONTROL))).toBe('afterBackoff');
    for (const code of [1, 14, 16, 204, 205, 1500]) expect(retryClassOf(broker(code))).toBe('switchBroker');
    for (const code of [13, 23, 24, 25, 26, 29]) expect(retryClassOf(broker(code))).toBe('never');
    expect(retryClassOf(new RemotingTimeoutError('a:1', 7, 3000))).toBe('switchBroker');
    expect(retryClassOf(new RemotingConnectError('a:1'))).toBe('switchBroker');
    expect(retryClassOf(new RemotingTooMuchRequestError(64))).toBe('afterBackoff');
    expect(retryClassOf(new InvalidArgumentError('topic', 'bad'))).toBe('never');
    expect(retryClassOf(new MQClientError('no route', 10005))).toBe('refreshRoute');
    expect(retryClassOf(new Error('anything else'))).toBe('never');
  });
});

describe('retry', () => {
  it('stops at attemptsMax and rethrows the last error; tells each attempt why the previous failed', async () => {
    const seen: Array<[number, string | undefined]> = [];
    const err = await retry({ attemptsMax: 3, backoffMsInitial: 1, backoffMsMax: 2 }, (attempt) => {
      seen.push([attempt.index, attempt.lastRetryClass]);
      return Promise.reject(new MQBrokerError(attempt.index === 0 ? ResponseCode.SYSTEM_BUSY : ResponseCode.SERVICE_NOT_AVAILABLE, `try ${attempt.index}`, 'a:1'));
    }).catch((e: unknown) => e);
    expect(seen).toEqual([[0, undefined], [1, 'afterBackoff'], [2, 'switchBroker']]);
    expect(err).toMatchObject({ remark: 'try 2' });
  });

  it('does not retry "never" errors and returns the first success', async () => {
    let calls = 0;
    const err = await retry({ attemptsMax: 5, backoffMsInitial: 0, backoffMsMax: 0 }, () => {
      calls++;
      return Promise.reject(new MQBrokerError(ResponseCode.MESSAGE_ILLEGAL, 'too big', 'a:1'));
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toMatchObject({ responseCode: 13 });
    const ok = await retry({ attemptsMax: 5, backoffMsInitial: 0, backoffMsMax: 0 }, (a) =>
      a.index < 2 ? Promise.reject(new RemotingConnectError('a:1')) : Promise.resolve(`ok at ${a.index}`));
    expect(ok).toBe('ok at 2');
  });

  it('starts no attempt after the deadline', async () => {
    const clock = new ManualClock(0);
    const err = await retry({ attemptsMax: 3, backoffMsInitial: 0, backoffMsMax: 0, clock, deadlineMonotonicMs: 0 }, () => Promise.resolve(1)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryDeadlineError);
    let calls = 0;
    const err2 = await retry({ attemptsMax: 3, backoffMsInitial: 0, backoffMsMax: 0, clock, deadlineMonotonicMs: 100 }, () => {
      calls++;
      clock.advanceMs(150);
      return Promise.reject(new RemotingConnectError('a:1'));
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err2).toBeInstanceOf(RemotingConnectError);
  });
});

describe('namespaces', () => {
  it('wraps and unwraps topics, groups, retry and DLQ topics; leaves system names alone', () => {
    expect(wrapNamespace('ns1', 'T')).toBe('ns1%T');
    expect(wrapNamespace('ns1', 'ns1%T')).toBe('ns1%T');
    expect(wrapNamespace('ns1', '%RETRY%g')).toBe('%RETRY%ns1%g');
    expect(wrapNamespace('ns1', '%DLQ%g')).toBe('%DLQ%ns1%g');
    expect(wrapNamespace('ns1', 'TBW102')).toBe('TBW102');
    expect(wrapNamespace(undefined, 'T')).toBe('T');
    expect(withoutNamespace('ns1', 'ns1%T')).toBe('T');
    expect(withoutNamespace('ns1', '%RETRY%ns1%g')).toBe('%RETRY%g');
    expect(withoutNamespace('ns1', 'other%T')).toBe('other%T');
  });
});

describe('MQFaultStrategy', () => {
  const queues = ['a', 'b'].flatMap((brokerName) => [0, 1].map((queueId) => ({ topic: 'T', brokerName, queueId })));

  it('maps latency to isolation time as Java does', () => {
    expect([0, 49, 50, 100, 549, 550, 1800, 3000, 5000, 10_000, 15_000].map(computeNotAvailableDuration))
      .toEqual([0, 0, 0, 0, 0, 2000, 5000, 6000, 10000, 10000, 30000]);
  });

  it('avoids the last failed broker, and with latency faults on, skips an isolated broker until its time is up', () => {
    const clock = new ManualClock(0);
    const off = new MQFaultStrategy(clock, false);
    const info = new TopicPublishInfo(queues);
    for (let i = 0; i < 8; i++) expect(off.selectOneMessageQueue(info, 'a', false)?.brokerName).toBe('b');

    const on = new MQFaultStrategy(clock, true);
    on.updateFaultItem('a', 10, true, true); // failed: isolated 10 s
    for (let i = 0; i < 8; i++) expect(on.selectOneMessageQueue(info, undefined, true)?.brokerName).toBe('b');
    clock.advanceMs(10_000);
    const names = new Set(Array.from({ length: 16 }, () => on.selectOneMessageQueue(info, undefined, false)?.brokerName));
    expect([...names].sort()).toEqual(['a', 'b']);
  });
});
