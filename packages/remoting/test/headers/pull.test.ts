import { describe, expect, test } from 'vitest';
import { PullMessageRequestHeader, PullMessageResponseHeader, PullSysFlag } from '../../src/protocol/headers/pull.js';
import { requiredFieldsOf } from './header-arbitraries.js';

const REQUEST = {
  consumerGroup: 'cg', topic: 'TopicTest', queueId: 3, queueOffset: 1024, maxMsgNums: 32,
  sysFlag: PullSysFlag.COMMIT_OFFSET | PullSysFlag.SUSPEND, commitOffset: 1000, suspendTimeoutMillis: 15_000,
  subVersion: 1700000000000, expressionType: 'TAG', maxMsgBytes: 262_144,
};
const REQUEST_REQUIRED = ['consumerGroup', 'topic', 'queueId', 'queueOffset', 'maxMsgNums', 'sysFlag', 'commitOffset', 'suspendTimeoutMillis', 'subVersion'];
const RESPONSE = { suggestWhichBrokerId: 0, nextBeginOffset: 1026, minOffset: 0, maxOffset: 2048 };
const RESPONSE_REQUIRED = ['suggestWhichBrokerId', 'nextBeginOffset', 'minOffset', 'maxOffset'];

describe('PULL_MESSAGE headers', () => {
  test('required fields are the ones Java marks @CFNotNull', () => {
    expect(requiredFieldsOf(PullMessageRequestHeader as never)).toEqual(REQUEST_REQUIRED);
    expect(requiredFieldsOf(PullMessageResponseHeader as never)).toEqual(RESPONSE_REQUIRED);
  });

  for (const name of REQUEST_REQUIRED) {
    test(`request without ${name} is refused`, () => {
      const ext = PullMessageRequestHeader.encode(REQUEST);
      delete ext[name];
      expect(PullMessageRequestHeader.decode(ext)).toEqual({ ok: false, reason: `missing required field ${name}` });
    });
  }

  for (const name of RESPONSE_REQUIRED) {
    test(`response without ${name} is refused`, () => {
      const ext = PullMessageResponseHeader.encode(RESPONSE);
      delete ext[name];
      expect(PullMessageResponseHeader.decode(ext)).toEqual({ ok: false, reason: `missing required field ${name}` });
    });
  }

  test('encodes the request as a Java push consumer sends it', () => {
    expect(PullMessageRequestHeader.encode(REQUEST)).toEqual({
      consumerGroup: 'cg', topic: 'TopicTest', queueId: '3', queueOffset: '1024', maxMsgNums: '32', sysFlag: '3',
      commitOffset: '1000', suspendTimeoutMillis: '15000', subVersion: '1700000000000', expressionType: 'TAG', maxMsgBytes: '262144',
    });
    expect(PullMessageRequestHeader.decode(PullMessageRequestHeader.encode(REQUEST))).toEqual({ ok: true, value: REQUEST });
  });

  test('PullSysFlag bits are RocketMQ values', () => {
    expect(PullSysFlag).toEqual({ COMMIT_OFFSET: 1, SUSPEND: 2, SUBSCRIPTION: 4, CLASS_FILTER: 8, LITE_PULL: 16 });
  });
});
