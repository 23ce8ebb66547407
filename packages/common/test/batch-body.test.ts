import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError, Message, decodeBatchBody, encodeBatchBody } from '../src/index.js';
import { arbInt32, arbProperties } from './arbitraries.js';

describe('SEND_BATCH_MESSAGE body', () => {
  // Golden vector, derived by hand from the client batch layout (remoting reference §4.6):
  // one message, flag 7, body "ab", properties WAIT=true.
  //   properties "WAIT" 01 "true" 02 = 10 bytes; TOTALSIZE = 4+4+4+4 + 4+2 + 2+10 = 34 = 0x22
  const GOLDEN = [
    '00000022', // TOTALSIZE 34
    '00000000', // MAGICCODE 0
    '00000000', // BODYCRC 0
    '00000007', // FLAG 7
    '00000002', '6162', // BODY length 2, "ab"
    '000A', '57414954' + '01' + '74727565' + '02', // PROPERTIES length 10
  ].join('');

  it('encodes one message to the hand-derived bytes and decodes it back', () => {
    const message = new Message('BatchTopic', 'ab', { flag: 7 });
    expect(encodeBatchBody([message]).toString('hex').toUpperCase()).toBe(GOLDEN);
    const decoded = decodeBatchBody(Buffer.from(GOLDEN, 'hex'));
    if (!decoded.ok) throw new Error(decoded.reason);
    const [m] = decoded.messages;
    expect(decoded.messages).toHaveLength(1);
    expect(m?.topic).toBe('');
    expect(m?.flag).toBe(7);
    expect(m?.body.toString()).toBe('ab');
    expect([...(m?.properties ?? [])]).toEqual([['WAIT', 'true']]);
  });

  it('decodes records back to back and an empty body as no messages', () => {
    const body = encodeBatchBody([new Message('t', 'one', { tags: 'A' }), new Message('t', 'two', { keys: ['k1', 'k2'] })]);
    const decoded = decodeBatchBody(body);
    expect(decoded.ok && decoded.messages.map((m) => m.body.toString())).toEqual(['one', 'two']);
    expect(decoded.ok && decoded.messages[1]?.getKeys()).toBe('k1 k2');
    expect(decodeBatchBody(Buffer.alloc(0))).toEqual({ ok: true, messages: [] });
  });

  it('names the record and offset of a bad record', () => {
    const body = encodeBatchBody([new Message('t', 'one'), new Message('t', 'two')]);
    const bad = Buffer.from(body);
    const secondStart = body.readInt32BE(0);
    bad.writeInt32BE(9999, secondStart);
    expect(decodeBatchBody(bad)).toEqual({
      ok: false,
      reason: `batch record 1 at offset ${secondStart}: size 9999 is not within 22..${body.length - secondStart}`,
    });
    const mismatch = Buffer.from(body);
    mismatch.writeInt16BE(3, secondStart - 2 - 10); // first record's properties length
    expect(decodeBatchBody(mismatch)).toMatchObject({ ok: false, reason: expect.stringMatching(/^batch record 0 at offset 0: properties length 3/) });
  });

  it('refuses properties over 32767 bytes', () => {
    const m = new Message('t', 'x');
    m.putUserProperty('big', 'v'.repeat(32_767));
    expect(() => encodeBatchBody([m])).toThrow(InvalidArgumentError);
  });

  it('round-trips any list of messages (flag, body, properties)', () => {
    const arbMessage = fc
      .record({ body: fc.uint8Array({ maxLength: 200 }), flag: arbInt32(), props: arbProperties() })
      .map((r) => new Message('t', Buffer.from(r.body), { flag: r.flag, properties: r.props }));
    fc.assert(
      fc.property(fc.array(arbMessage, { maxLength: 10 }), (messages) => {
        const decoded = decodeBatchBody(encodeBatchBody(messages));
        if (!decoded.ok) return false;
        expect(decoded.messages.map((m) => m.flag)).toEqual(messages.map((m) => m.flag));
        expect(decoded.messages.map((m) => m.body.toString('hex'))).toEqual(messages.map((m) => m.body.toString('hex')));
        expect(decoded.messages.map((m) => m.properties)).toEqual(messages.map((m) => m.properties));
        return true;
      }),
      { numRuns: 1000 },
    );
  });
});
