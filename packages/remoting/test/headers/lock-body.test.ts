import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  decodeLockBatchRequestBody, decodeLockBatchResponseBody, decodeUnlockBatchRequestBody, encodeLockBatchRequestBody,
  encodeLockBatchResponseBody, type LockBatchRequestBody,
} from '../../src/protocol/headers/lock.js';

const mqArb = fc.record({ topic: fc.string({ unit: 'binary', maxLength: 20 }), brokerName: fc.string({ maxLength: 12 }), queueId: fc.integer({ min: 0, max: 1023 }) });

describe('LOCK_BATCH_MQ / UNLOCK_BATCH_MQ bodies', () => {
  test('request body round trips (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({ clientId: fc.string(), consumerGroup: fc.string(), mqSet: fc.array(mqArb, { maxLength: 8 }), onlyThisBroker: fc.boolean() }),
        (body: LockBatchRequestBody) => {
          expect(decodeLockBatchRequestBody(encodeLockBatchRequestBody(body))).toEqual({ ok: true, value: body });
          expect(decodeUnlockBatchRequestBody(encodeLockBatchRequestBody(body))).toEqual({ ok: true, value: body });
        },
      ),
      { numRuns: 200 },
    );
  });

  test('is written as Java writes it', () => {
    const body = { clientId: '192.168.0.5@12345#1', consumerGroup: 'cg1', onlyThisBroker: false, mqSet: [{ topic: 'T1', brokerName: 'broker-a', queueId: 0 }] };
    expect(encodeLockBatchRequestBody(body).toString()).toBe(
      '{"clientId":"192.168.0.5@12345#1","consumerGroup":"cg1","mqSet":[{"brokerName":"broker-a","queueId":0,"topic":"T1"}],"onlyThisBroker":false}',
    );
    expect(encodeLockBatchResponseBody({ lockOKMQSet: body.mqSet }).toString()).toBe('{"lockOKMQSet":[{"brokerName":"broker-a","queueId":0,"topic":"T1"}]}');
  });

  test('reads leniently: missing onlyThisBroker and mqSet take Java defaults', () => {
    expect(decodeLockBatchRequestBody(Buffer.from("{clientId:'c',consumerGroup:'g'}"))).toEqual({
      ok: true, value: { clientId: 'c', consumerGroup: 'g', mqSet: [], onlyThisBroker: false },
    });
    expect(decodeLockBatchResponseBody(Buffer.from('{"lockOKMQSet":[{"brokerName":"b","queueId":"3","topic":"T"}]}'))).toEqual({
      ok: true, value: { lockOKMQSet: [{ topic: 'T', brokerName: 'b', queueId: 3 }] },
    });
  });

  test('bad bodies get a reason naming the path', () => {
    const cases: Array<[Buffer | undefined, string]> = [
      [undefined, 'LockBatchRequestBody: empty body'],
      [Buffer.from('[1]'), 'LockBatchRequestBody is not an object'],
      [Buffer.from('{"consumerGroup":"g"}'), 'LockBatchRequestBody.clientId is not a string'],
      [Buffer.from('{"clientId":"c","consumerGroup":"g","mqSet":{}}'), 'LockBatchRequestBody.mqSet is not an array'],
      [Buffer.from('{"clientId":"c","consumerGroup":"g","mqSet":[{"topic":"T","brokerName":"b","queueId":1.5}]}'), 'LockBatchRequestBody.mqSet[0].queueId is not an int'],
      [Buffer.from('{"clientId":"c","consumerGroup":"g","onlyThisBroker":"maybe"}'), 'LockBatchRequestBody.onlyThisBroker is not a boolean'],
    ];
    for (const [body, reason] of cases) expect(decodeLockBatchRequestBody(body)).toEqual({ ok: false, reason });
    expect(decodeLockBatchRequestBody(Buffer.from('{"a":'))).toMatchObject({ ok: false });
  });
});
