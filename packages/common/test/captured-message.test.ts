// Stored message records captured from real Apache RocketMQ brokers (the body of a FOUND
// PULL_MESSAGE response; test/golden/captured/, written by test-e2e/src/capture-golden.ts)
// against Apogee's record codec. Each fixture says what the Java producer sent and what the Java
// consumer's own decoder made of the same bytes ("javaClientView"), so every field has an
// expectation that does not come from the codec under test. "4.9.8" is rocketmq-client 4.9.8
// against a 4.9.7 broker (the last 4.9 broker on Maven Central).
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  MessageSysFlag,
  crc32Masked,
  decodeMessageRecord,
  decodeMessageRecords,
  encodeMessageRecord,
  propertiesToString,
  type MessageExt,
} from '../src/index.js';

interface CapturedMessage {
  topic: string;
  tags: string;
  keys: string;
  bodyText: string;
  userProperties: Record<string, string>;
  uniqKey: string;
  offsetMsgId: string;
  queueId: number;
  queueOffset: number;
  javaClientView: {
    sysFlag: number;
    bodyCRC: number;
    commitLogOffset: number;
    storeHost: string;
    bornHost: string;
    bornTimestamp: number;
    storeTimestamp: number;
    reconsumeTimes: number;
    properties: Record<string, string>;
  };
}

interface CapturedPullBody {
  source: string;
  rocketmqVersion: string;
  serverVersion: string;
  storeHost: string;
  brokerName: string;
  messages: CapturedMessage[];
  hex: string;
}

/** Properties the Java consumer adds after decoding; they are not in the stored record. */
const CLIENT_ADDED_PROPERTIES = ['MIN_OFFSET', 'MAX_OFFSET', 'CONSUME_START_TIME'];

function load(version: string): CapturedPullBody {
  return JSON.parse(readFileSync(new URL(`./golden/captured/pull-response-body-${version}.json`, import.meta.url), 'utf8')) as CapturedPullBody;
}

/** "/127.0.0.1:30921" (Java's InetSocketAddress.toString) → { host, port } */
function javaAddress(text: string): { host: string; port: number } {
  const m = /^[^/]*\/([\d.]+):(\d+)$/.exec(text);
  if (m === null) throw new Error(`not a Java socket address: ${text}`);
  return { host: m[1] ?? '', port: Number(m[2]) };
}

describe.each(['5.3.3', '4.9.8'])('captured pull response body, RocketMQ %s', (version) => {
  const fx = load(version);
  const buf = Buffer.from(fx.hex, 'hex');
  const [storeIp = '', storePort = ''] = fx.storeHost.split(':');
  // 4.9 brokers write the stored properties string without its final U+0002 and leave out
  // WAIT=true (MessageDecoder.messageProperties2String, SendMessageProcessor); 5.x writes every
  // pair with its separator.
  const isBroker49 = fx.serverVersion.startsWith('4.');

  it('decodes every record, in queue order, with nothing left over', () => {
    const { messages, invalid } = decodeMessageRecords(buf, { checkCRC: true });
    expect(invalid).toBeUndefined();
    expect(messages).toHaveLength(fx.messages.length);
    expect(messages.map((m) => m.queueOffset)).toEqual(fx.messages.map((m) => m.queueOffset));
    expect(messages.reduce((sum, m) => sum + m.storeSize, 0)).toBe(buf.length);
  });

  describe.each(fx.messages.map((expected, index) => ({ expected, index })))('message #$index', ({ expected, index }) => {
    const decoded = (opts: { decompressBody?: boolean } = {}): MessageExt => {
      const message = decodeMessageRecords(buf, opts).messages[index];
      if (message === undefined) throw new Error(`no message #${index}`);
      return message;
    };
    const view = expected.javaClientView;

    it('has the topic, queue, offsets and hosts the broker stored', () => {
      const m = decoded();
      expect(m.topic).toBe(expected.topic);
      expect(m.queueId).toBe(expected.queueId);
      expect(m.queueOffset).toBe(expected.queueOffset);
      expect(m.commitLogOffset).toBe(view.commitLogOffset);
      expect(m.storeHost).toEqual({ host: storeIp, port: Number(storePort) });
      expect(m.storeHost).toEqual(javaAddress(view.storeHost));
      expect(m.bornHost).toEqual(javaAddress(view.bornHost));
      expect(m.bornTimestamp).toBe(view.bornTimestamp);
      expect(m.storeTimestamp).toBe(view.storeTimestamp);
      expect(m.reconsumeTimes).toBe(view.reconsumeTimes);
      expect(m.preparedTransactionOffset).toBe(0);
      expect(m.flag).toBe(0);
    });

    it('has the ids: msgId is the UNIQ_KEY, offsetMsgId is what the send returned', () => {
      const m = decoded();
      expect(m.getUniqKey()).toBe(expected.uniqKey);
      expect(m.msgId).toBe(expected.uniqKey);
      expect(m.offsetMsgId).toBe(expected.offsetMsgId);
    });

    it('has the tags, keys and properties the producer sent (and the broker added)', () => {
      const m = decoded();
      expect(m.getTags()).toBe(expected.tags);
      expect(m.getKeys()).toBe(expected.keys === '' ? undefined : expected.keys);
      for (const [name, value] of Object.entries(expected.userProperties)) expect(m.getProperty(name)).toBe(value);
      const stored = Object.fromEntries(Object.entries(view.properties).filter(([k]) => !CLIENT_ADDED_PROPERTIES.includes(k)));
      expect(Object.fromEntries(m.properties)).toEqual(stored);
      expect(m.getProperty('CLUSTER')).toBe('DefaultCluster');
      expect(m.getProperty('WAIT')).toBe(isBroker49 ? undefined : 'true');
    });

    it('has the body and BODYCRC as stored; compressed bodies inflate to what was sent', () => {
      const m = decoded();
      expect(m.bodyCRC).toBe(view.bodyCRC);
      expect(crc32Masked(m.body)).toBe(view.bodyCRC);
      const isCompressed = Buffer.byteLength(expected.bodyText, 'utf8') > 4096; // compressMsgBodyOverHowmuch
      expect((m.sysFlag & MessageSysFlag.COMPRESSED_FLAG) !== 0).toBe(isCompressed);
      // the Java 5.x client clears COMPRESSED_FLAG after inflating; the 4.9 client keeps it
      expect(m.sysFlag & ~MessageSysFlag.COMPRESSED_FLAG).toBe(view.sysFlag & ~MessageSysFlag.COMPRESSED_FLAG);
      if (isCompressed) {
        expect(m.body.length).toBeLessThan(Buffer.byteLength(expected.bodyText, 'utf8'));
        expect(inflateSync(m.body).toString('utf8')).toBe(expected.bodyText);
        const inflated = decoded({ decompressBody: true });
        expect(inflated.body.toString('utf8')).toBe(expected.bodyText);
        expect(inflated.sysFlag & MessageSysFlag.COMPRESSED_FLAG).toBe(0);
      } else {
        expect(m.body.toString('utf8')).toBe(expected.bodyText);
      }
    });

    it('re-encodes with encodeMessageRecord to the identical bytes', () => {
      let offset = 0;
      for (let i = 0; i < index; i++) {
        const r = decodeMessageRecord(buf, offset);
        if (r.kind !== 'message') throw new Error(`record #${i}: ${r.kind === 'invalid' ? r.reason : 'blank'}`);
        offset += r.size;
      }
      const m = decoded();
      const original = buf.subarray(offset, offset + m.storeSize);
      // the stored properties string: Apogee's writer always ends each pair with U+0002
      expect(original[original.length - 1] === 0x02).toBe(!isBroker49);
      const text = propertiesToString(m.properties);
      const properties = isBroker49 ? text.slice(0, -1) : text;
      const again = encodeMessageRecord({
        topic: m.topic, queueId: m.queueId, flag: m.flag, sysFlag: m.sysFlag,
        bornTimestamp: m.bornTimestamp, bornHost: m.bornHost, storeTimestamp: m.storeTimestamp, storeHost: m.storeHost,
        reconsumeTimes: m.reconsumeTimes, preparedTransactionOffset: m.preparedTransactionOffset,
        queueOffset: m.queueOffset, physicalOffset: m.commitLogOffset, body: m.body, properties,
        // bodyCRC left out: the encoder computes it, which checks crc32Masked against Java's too
      });
      expect(again.toString('hex')).toBe(original.toString('hex'));
    });
  });
});
