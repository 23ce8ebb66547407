// Every header definition: encode/decode round trip through every header codec, and one case
// per required field that proves a missing one is reported by name.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { encodeFrame } from '../../src/codec/frame-encoder.js';
import { decodeFrame } from '../../src/codec/frame-decoder.js';
import { SerializeType } from '../../src/protocol/remoting-command.js';
import { ALL_HEADER_DEFS, headerValueArb, requiredFieldsOf, withDefaults } from './header-arbitraries.js';

test('the list covers every header group', () => {
  const names = ALL_HEADER_DEFS.map(([name]) => name);
  for (const expected of [
    'SendMessageRequestHeader', 'SendMessageRequestHeaderV2', 'SendMessageResponseHeader', 'PullMessageRequestHeader',
    'PullMessageResponseHeader', 'QueryMessageRequestHeader', 'ViewMessageRequestHeader', 'QueryConsumerOffsetRequestHeader',
    'UpdateConsumerOffsetRequestHeader', 'GetMaxOffsetRequestHeader', 'SearchOffsetRequestHeader', 'GetEarliestMsgStoretimeRequestHeader',
    'HeartbeatRequestHeader', 'UnregisterClientRequestHeader', 'GetConsumerListByGroupRequestHeader', 'ConsumerSendMsgBackRequestHeader',
    'EndTransactionRequestHeader', 'CheckTransactionStateRequestHeader', 'LockBatchMqRequestHeader', 'UnlockBatchMqRequestHeader',
    'RegisterBrokerRequestHeader', 'UnRegisterBrokerRequestHeader', 'GetRouteInfoRequestHeader', 'PutKVConfigRequestHeader',
    'GetKVConfigRequestHeader', 'WipeWritePermOfBrokerRequestHeader', 'AddWritePermOfBrokerResponseHeader',
    'DeleteTopicFromNamesrvRequestHeader', 'GetTopicsByClusterRequestHeader', 'CreateTopicRequestHeader', 'DeleteTopicRequestHeader',
    'GetTopicStatsInfoRequestHeader', 'DeleteSubscriptionGroupRequestHeader', 'GetConsumerConnectionListRequestHeader',
    'GetConsumeStatsRequestHeader', 'ResetOffsetRequestHeader', 'GetBrokerConfigResponseHeader', 'NotifyConsumerIdsChangedRequestHeader',
    'GetConsumerRunningInfoRequestHeader',
  ]) {
    expect(names).toContain(expected);
  }
  for (const [name, def] of ALL_HEADER_DEFS) expect(def.name).toBe(name);
});

describe.each(ALL_HEADER_DEFS)('%s', (_name, def) => {
  test('decode(encode(v)) is v with defaults, through every serialize type (fast-check)', () => {
    fc.assert(
      fc.property(headerValueArb(def), fc.constantFrom(SerializeType.JSON, SerializeType.ROCKETMQ, SerializeType.MSGPACK), (value, serializeType) => {
        const extFields = def.encode(value as never);
        for (const v of Object.values(extFields)) expect(typeof v).toBe('string');
        const frame = encodeFrame({ code: 10, language: 'JAVA', version: 479, opaque: 1, flag: 0, serializeType, extFields });
        const decoded = decodeFrame(frame);
        if (decoded.kind !== 'frame') throw new Error(JSON.stringify(decoded));
        expect(def.decode(decoded.command.extFields)).toEqual({ ok: true, value: withDefaults(def, value) });
      }),
      { numRuns: 25 },
    );
  });

  const required = requiredFieldsOf(def);
  if (required.length > 0) {
    test.each(required)('missing required field %s is reported', (fieldName) => {
      const [sample] = fc.sample(headerValueArb(def), { numRuns: 1, seed: 42 });
      const extFields = def.encode(sample as never);
      delete extFields[fieldName];
      expect(def.decode(extFields)).toEqual({ ok: false, reason: `missing required field ${fieldName}` });
    });
  }
});
