// HEART_BEAT body codec (body/heartbeat-data.ts, body/subscription-data.ts): the bytes written
// (what @apogee/client sends), what the decoder accepts and refuses (what @apogee/broker accepts),
// and real Java client heartbeats from test/golden/captured/.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it, test } from 'vitest';
import {
  CONSUME_FROM_WHERES, CONSUME_TYPES, GROUPS_PER_HEARTBEAT_MAX, MESSAGE_MODELS, RequestCode, SUBSCRIPTIONS_PER_GROUP_MAX,
  decodeFrame, decodeHeartbeatData, encodeHeartbeatData, readSubscriptionData, subscriptionDataJson,
  type ConsumerData, type HeartbeatData, type SubscriptionData,
} from '../../src/index.js';

const subscriptionArb: fc.Arbitrary<SubscriptionData> = fc.record({
  topic: fc.string({ maxLength: 24 }),
  subString: fc.string({ maxLength: 24 }),
  tagsSet: fc.array(fc.string({ unit: 'binary', maxLength: 8 }), { maxLength: 4 }),
  codeSet: fc.array(fc.integer(), { maxLength: 4 }),
  subVersion: fc.maxSafeInteger(),
  expressionType: fc.constantFrom('TAG', 'SQL92', 'OTHER'),
  classFilterMode: fc.boolean(),
});

const consumerArb: fc.Arbitrary<ConsumerData> = fc.record({
  groupName: fc.string({ maxLength: 16 }),
  consumeType: fc.constantFrom(...CONSUME_TYPES),
  messageModel: fc.constantFrom(...MESSAGE_MODELS),
  consumeFromWhere: fc.constantFrom(...CONSUME_FROM_WHERES),
  subscriptionDataSet: fc.array(subscriptionArb, { maxLength: 3 }),
  unitMode: fc.boolean(),
});

const heartbeatArb: fc.Arbitrary<HeartbeatData> = fc.record({
  clientID: fc.string({ unit: 'binary', maxLength: 32 }),
  consumerDataSet: fc.array(consumerArb, { maxLength: 3 }),
  producerDataSet: fc.array(fc.record({ groupName: fc.string({ maxLength: 16 }) }), { maxLength: 3 }),
  heartbeatFingerprint: fc.integer(),
  withoutSub: fc.boolean(),
});

const tagged: SubscriptionData = {
  topic: 'T', subString: 'TagA || TagB', tagsSet: ['TagA', 'TagB'], codeSet: [2598919, 2598920],
  subVersion: 1_700_000_000_000, expressionType: 'TAG', classFilterMode: false,
};

describe('HeartbeatData', () => {
  test('round trips, and re-encodes to the same bytes (fast-check)', () => {
    fc.assert(
      fc.property(heartbeatArb, (data) => {
        const bytes = encodeHeartbeatData(data);
        const decoded = decodeHeartbeatData(bytes);
        expect(decoded).toEqual({ ok: true, value: data });
        if (decoded.ok) expect(encodeHeartbeatData(decoded.value).equals(bytes)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('is written as fastjson writes it: keys sorted at every level', () => {
    const data: HeartbeatData = {
      clientID: '127.0.0.1@1#2',
      consumerDataSet: [{
        groupName: 'cg', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET',
        subscriptionDataSet: [tagged], unitMode: false,
      }],
      producerDataSet: [{ groupName: 'CLIENT_INNER_PRODUCER' }, { groupName: 'pg' }],
      heartbeatFingerprint: 0,
      withoutSub: false,
    };
    expect(encodeHeartbeatData(data).toString()).toBe(
      '{"clientID":"127.0.0.1@1#2","consumerDataSet":[{"consumeFromWhere":"CONSUME_FROM_FIRST_OFFSET","consumeType":"CONSUME_PASSIVELY",'
      + '"groupName":"cg","messageModel":"CLUSTERING","subscriptionDataSet":[{"classFilterMode":false,"codeSet":[2598919,2598920],'
      + '"expressionType":"TAG","subString":"TagA || TagB","subVersion":1700000000000,"tagsSet":["TagA","TagB"],"topic":"T"}],'
      + '"unitMode":false}],"heartbeatFingerprint":0,"producerDataSet":[{"groupName":"CLIENT_INNER_PRODUCER"},{"groupName":"pg"}],'
      + '"withoutSub":false}',
    );
    expect(encodeHeartbeatData({ clientID: 'c', consumerDataSet: [], producerDataSet: [], heartbeatFingerprint: 0, withoutSub: false }).toString())
      .toBe('{"clientID":"c","consumerDataSet":[],"heartbeatFingerprint":0,"producerDataSet":[],"withoutSub":false}');
  });

  it('reads leniently: absent and null members take Java defaults, fastjson quoting, numeric strings, isWithoutSub', () => {
    expect(decodeHeartbeatData(Buffer.from("{clientID:'c',consumerDataSet:[{groupName:'g',subscriptionDataSet:[{topic:'T',subVersion:'17'}]}]}"))).toEqual({
      ok: true,
      value: {
        clientID: 'c',
        consumerDataSet: [{
          groupName: 'g', consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING', consumeFromWhere: 'CONSUME_FROM_LAST_OFFSET', unitMode: false,
          subscriptionDataSet: [{ topic: 'T', subString: '*', tagsSet: [], codeSet: [], subVersion: 17, expressionType: 'TAG', classFilterMode: false }],
        }],
        producerDataSet: [],
        heartbeatFingerprint: 0,
        withoutSub: false,
      },
    });
    const nulls = decodeHeartbeatData(Buffer.from(
      '{"clientID":"c","consumerDataSet":null,"producerDataSet":[{"groupName":"p"}],"heartbeatFingerprint":"7","isWithoutSub":"true"}'));
    expect(nulls).toEqual({ ok: true, value: { clientID: 'c', consumerDataSet: [], producerDataSet: [{ groupName: 'p' }], heartbeatFingerprint: 0, withoutSub: true } });
    // withoutSub wins over isWithoutSub when both are there
    expect(decodeHeartbeatData(Buffer.from('{"clientID":"c","withoutSub":false,"isWithoutSub":true}'))).toMatchObject({ ok: true, value: { withoutSub: false } });
  });

  it('refuses a malformed body with a reason naming the path', () => {
    const consumer = (fields: string): string => `{"clientID":"c","consumerDataSet":[{"groupName":"g",${fields}}]}`;
    const cases: Array<[string, string]> = [
      ['{"clientID":7}', 'HeartbeatData.clientID is not a string'],
      ['[]', 'HeartbeatData is not an object'],
      ['{"clientID":"c","consumerDataSet":{}}', 'HeartbeatData.consumerDataSet is not an array'],
      ['{"clientID":"c","producerDataSet":[1]}', 'HeartbeatData.producerDataSet[0] is not an object'],
      ['{"clientID":"c","producerDataSet":[{}]}', 'HeartbeatData.producerDataSet[0].groupName is not a string'],
      ['{"clientID":"c","withoutSub":3}', 'HeartbeatData.withoutSub is not a boolean'],
      ['{"clientID":"c","consumerDataSet":[{}]}', 'HeartbeatData.consumerDataSet[0].groupName is not a string'],
      [consumer('"messageModel":"SOMETIMES"'), 'HeartbeatData.consumerDataSet[0].messageModel "SOMETIMES" is not one of BROADCASTING|CLUSTERING'],
      [consumer('"consumeType":"PUSH"'), 'HeartbeatData.consumerDataSet[0].consumeType "PUSH" is not one of CONSUME_ACTIVELY|CONSUME_PASSIVELY|CONSUME_POP'],
      [consumer('"consumeFromWhere":1'), `HeartbeatData.consumerDataSet[0].consumeFromWhere 1 is not one of ${CONSUME_FROM_WHERES.join('|')}`],
      [consumer('"unitMode":"yes"'), 'HeartbeatData.consumerDataSet[0].unitMode is not a boolean'],
      [consumer('"subscriptionDataSet":[{"subString":"*"}]'), 'HeartbeatData.consumerDataSet[0].subscriptionDataSet[0].topic is not a string'],
      [consumer('"subscriptionDataSet":[{"topic":"T","subVersion":1.5}]'), 'HeartbeatData.consumerDataSet[0].subscriptionDataSet[0].subVersion is not a long'],
      [consumer('"subscriptionDataSet":[{"topic":"T","tagsSet":[1]}]'), 'HeartbeatData.consumerDataSet[0].subscriptionDataSet[0].tagsSet is not a list of the expected items'],
      [consumer('"subscriptionDataSet":[{"topic":"T","codeSet":[0.5]}]'), 'HeartbeatData.consumerDataSet[0].subscriptionDataSet[0].codeSet is not a list of the expected items'],
      [consumer('"subscriptionDataSet":[{"topic":"T","expressionType":5}]'), 'HeartbeatData.consumerDataSet[0].subscriptionDataSet[0].expressionType is not a string'],
    ];
    for (const [text, reason] of cases) expect(decodeHeartbeatData(Buffer.from(text)), text).toEqual({ ok: false, reason });
    expect(decodeHeartbeatData(undefined)).toEqual({ ok: false, reason: 'HeartbeatData: empty body' });
    expect(decodeHeartbeatData(Buffer.from('{"clientID":'))).toMatchObject({ ok: false });
  });

  it('refuses more groups or subscriptions than the limits', () => {
    const groups = (n: number): HeartbeatData => ({
      clientID: 'c', consumerDataSet: [], producerDataSet: Array.from({ length: n }, (_, i) => ({ groupName: `p${i}` })), heartbeatFingerprint: 0, withoutSub: false,
    });
    expect(decodeHeartbeatData(encodeHeartbeatData(groups(GROUPS_PER_HEARTBEAT_MAX))).ok).toBe(true);
    expect(decodeHeartbeatData(encodeHeartbeatData(groups(GROUPS_PER_HEARTBEAT_MAX + 1)))).toEqual({
      ok: false, reason: `HeartbeatData names ${GROUPS_PER_HEARTBEAT_MAX + 1} groups, more than the limit of ${GROUPS_PER_HEARTBEAT_MAX}`,
    });
    const subs = (n: number): HeartbeatData => ({
      clientID: 'c', producerDataSet: [], heartbeatFingerprint: 0, withoutSub: false,
      consumerDataSet: [{
        groupName: 'g', consumeType: 'CONSUME_ACTIVELY', messageModel: 'BROADCASTING', consumeFromWhere: 'CONSUME_FROM_TIMESTAMP', unitMode: true,
        subscriptionDataSet: Array.from({ length: n }, (_, i) => ({ ...tagged, topic: `T${i}` })),
      }],
    });
    expect(decodeHeartbeatData(encodeHeartbeatData(subs(SUBSCRIPTIONS_PER_GROUP_MAX))).ok).toBe(true);
    expect(decodeHeartbeatData(encodeHeartbeatData(subs(SUBSCRIPTIONS_PER_GROUP_MAX + 1)))).toEqual({
      ok: false, reason: `HeartbeatData.consumerDataSet[0] subscribes to ${SUBSCRIPTIONS_PER_GROUP_MAX + 1} topics, more than the limit of ${SUBSCRIPTIONS_PER_GROUP_MAX}`,
    });
  });
});

describe('SubscriptionData', () => {
  test('its JSON object reads back as the same subscription (fast-check)', () => {
    fc.assert(
      fc.property(subscriptionArb, (sub) => {
        expect(readSubscriptionData(subscriptionDataJson(sub), 'sub')).toEqual(sub);
      }),
      { numRuns: 200 },
    );
  });

  it('copies the sets, so the JSON object does not alias the subscription', () => {
    const json = subscriptionDataJson(tagged);
    expect(json).toEqual({ classFilterMode: false, codeSet: [2598919, 2598920], expressionType: 'TAG', subString: 'TagA || TagB', subVersion: 1_700_000_000_000, tagsSet: ['TagA', 'TagB'], topic: 'T' });
    expect(json['tagsSet']).not.toBe(tagged.tagsSet);
    expect(json['codeSet']).not.toBe(tagged.codeSet);
    expect(readSubscriptionData('x', 'CheckClientRequestBody.subscriptionData')).toEqual({ reason: 'CheckClientRequestBody.subscriptionData is not an object' });
  });
});

// The consumer's HEART_BEAT from rocketmq-client 5.3.3 and 4.9.8 (see captured-golden.test.ts).
describe.each(['5.3.3', '4.9.8'].flatMap((version) => ['json', 'rocketmq'].map((type) => ({ version, type }))))(
  'captured Java heartbeat ($type, RocketMQ $version)',
  ({ version, type }) => {
    const fx = JSON.parse(readFileSync(new URL(`../golden/captured/heart-beat-request-${type}-${version}.json`, import.meta.url), 'utf8')) as {
      hex: string; heartbeat: { consumerGroup: string; topic: string };
    };
    const frame = decodeFrame(Buffer.from(fx.hex, 'hex'));
    if (frame.kind !== 'frame') throw new Error('fixture is not a frame');
    const body = frame.command.body ?? Buffer.alloc(0);

    it('decodes to the consumer group, its subscriptions and the inner producer', () => {
      expect(frame.command.code).toBe(RequestCode.HEART_BEAT);
      const decoded = decodeHeartbeatData(body);
      if (!decoded.ok) throw new Error(decoded.reason);
      const data = decoded.value;
      expect(data.clientID).toMatch(/^192\.0\.2\.2@\d+#\d+$/);
      expect(data.producerDataSet).toEqual([{ groupName: 'CLIENT_INNER_PRODUCER' }]);
      expect(data.heartbeatFingerprint).toBe(0);
      expect(data.withoutSub).toBe(false);
      expect(data.consumerDataSet).toHaveLength(1);
      const consumer = data.consumerDataSet[0]!;
      expect(consumer).toMatchObject({
        groupName: fx.heartbeat.consumerGroup, consumeType: 'CONSUME_PASSIVELY', messageModel: 'CLUSTERING',
        consumeFromWhere: 'CONSUME_FROM_FIRST_OFFSET', unitMode: false,
      });
      expect(consumer.subscriptionDataSet.map((s) => s.topic).sort()).toEqual([`%RETRY%${fx.heartbeat.consumerGroup}`, fx.heartbeat.topic].sort());
      for (const sub of consumer.subscriptionDataSet) {
        expect(sub).toMatchObject({ subString: '*', tagsSet: [], codeSet: [], expressionType: 'TAG', classFilterMode: false });
        expect(sub.subVersion).toBeGreaterThan(1_700_000_000_000);
      }
    });

    // 5.x writes heartbeatFingerprint and withoutSub, 4.9 does not; otherwise Java's bytes are ours.
    it(version === '5.3.3' ? 're-encodes to the identical bytes' : 're-encodes to the same JSON plus the 5.x members', () => {
      const decoded = decodeHeartbeatData(body);
      if (!decoded.ok) throw new Error(decoded.reason);
      const ours = encodeHeartbeatData(decoded.value);
      if (version === '5.3.3') {
        expect(ours.toString('utf8')).toBe(body.toString('utf8'));
      } else {
        expect(JSON.parse(ours.toString('utf8'))).toEqual({ ...JSON.parse(body.toString('utf8')), heartbeatFingerprint: 0, withoutSub: false });
      }
    });
  },
);
