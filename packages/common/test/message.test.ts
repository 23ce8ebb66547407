import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Message,
  MessageConst,
  MessageExt,
  MessageSysFlag,
  RESERVED_PROPERTY_KEYS,
  ZLIB_COMPRESSED_SYS_FLAG,
  compressBody,
  decompressBody,
  getCompressionType,
  getTransactionValue,
  resetTransactionValue,
} from '../src/index.js';

describe('Message', () => {
  it('carries TAGS, KEYS and WAIT=true like new Message(topic, tags, keys, body) in Java', () => {
    const m = new Message('TopicTest', 'hello', { tags: 'TagA', keys: ['k1', 'k2'] });
    expect(m.body.toString()).toBe('hello');
    expect(m.flag).toBe(0);
    expect(m.getTags()).toBe('TagA');
    expect(m.getKeys()).toBe('k1 k2');
    expect(m.getProperty('WAIT')).toBe('true');
    expect([...m.properties.keys()]).toEqual(['TAGS', 'KEYS', 'WAIT']);
  });

  it('leaves out empty tags and keys, and honours waitStoreMsgOK false', () => {
    const m = new Message('t', Buffer.from([1]), { tags: '', keys: '', waitStoreMsgOK: false, flag: 9 });
    expect(m.hasProperty('TAGS')).toBe(false);
    expect(m.hasProperty('KEYS')).toBe(false);
    expect(m.isWaitStoreMsgOK()).toBe(false);
    expect(m.flag).toBe(9);
  });

  it('reads WAIT like Boolean.parseBoolean and defaults to true when absent', () => {
    const m = new Message('t', 'x');
    m.putProperty('WAIT', 'TRUE');
    expect(m.isWaitStoreMsgOK()).toBe(true);
    m.putProperty('WAIT', 'yes');
    expect(m.isWaitStoreMsgOK()).toBe(false);
    m.clearProperty('WAIT');
    expect(m.isWaitStoreMsgOK()).toBe(true);
  });

  it('stores the delay level as a string property and reads it back', () => {
    const m = new Message('t', 'x');
    expect(m.getDelayTimeLevel()).toBe(0);
    m.setDelayTimeLevel(3);
    expect(m.getProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL)).toBe('3');
    expect(m.getDelayTimeLevel()).toBe(3);
    m.putProperty('DELAY', 'soon');
    expect(() => m.getDelayTimeLevel()).toThrow(InvalidArgumentError);
    m.putProperty('DELAY', '2147483648');
    expect(() => m.getDelayTimeLevel()).toThrow(/not an int/);
  });

  it('putUserProperty refuses reserved keys and blank names or values', () => {
    const m = new Message('t', 'x');
    for (const key of ['TAGS', 'UNIQ_KEY', 'DELAY', '__CRC32#', 'TIMER_DELAY_MS']) {
      expect(RESERVED_PROPERTY_KEYS.has(key)).toBe(true);
      expect(() => m.putUserProperty(key, 'v')).toThrow(/reserved/);
    }
    expect(() => m.putUserProperty(' ', 'v')).toThrow(InvalidArgumentError);
    expect(() => m.putUserProperty('k', '  ')).toThrow(InvalidArgumentError);
    m.putUserProperty('orderId', '42');
    expect(m.getUserProperty('orderId')).toBe('42');
    // Not in RocketMQ's reserved set, so users may set it, as in Java.
    m.putUserProperty(MessageConst.PROPERTY_TRACE_CONTEXT, 'ctx');
    expect(m.getProperty('TRACE_CONTEXT')).toBe('ctx');
  });

  it('has the timer, buyer and instance helpers of the Java Message', () => {
    const m = new Message('t', 'x');
    m.setDelayTimeSec(10);
    m.setDelayTimeMs(2500);
    m.setDeliverTimeMs(1_700_000_000_000);
    m.setBuyerId('b1');
    m.setInstanceId('i1');
    expect([m.getDelayTimeSec(), m.getDelayTimeMs(), m.getDeliverTimeMs()]).toEqual([10, 2500, 1_700_000_000_000]);
    expect(m.getBuyerId()).toBe('b1');
    expect(m.getProperty('INSTANCE_ID')).toBe('i1');
  });

  it('MessageExt starts from the given properties without a WAIT default', () => {
    const ext = new MessageExt('t', Buffer.from('b'), new Map([['UNIQ_KEY', 'ABC']]));
    expect([...ext.properties]).toEqual([['UNIQ_KEY', 'ABC']]);
    expect(ext.getUniqKey()).toBe('ABC');
    ext.storeHost = { host: '127.0.0.1', port: 10911 };
    ext.commitLogOffset = 1024;
    expect(ext.offsetMsgId).toBe('7F00000100002A9F0000000000000400');
  });
});

describe('MessageConst keys', () => {
  it('keeps the wire strings verbatim', () => {
    expect(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX).toBe('UNIQ_KEY');
    expect(MessageConst.PROPERTY_TRANSACTION_ID).toBe('__transactionId__');
    expect(MessageConst.PROPERTY_FIRST_POP_TIME).toBe('1ST_POP_TIME');
    expect(MessageConst.PROPERTY_TRANSIENT_TOPIC_CONFIG).toBe('__RMQ.TRANSIENT.TOPIC_SYS_FLAG');
    expect(MessageConst.PROPERTY_CHECK_IMMUNITY_TIME_IN_SECONDS).toBe('CHECK_IMMUNITY_TIME_IN_SECONDS');
    expect(RESERVED_PROPERTY_KEYS.size).toBe(51); // the 51 STRING_HASH_SET.add calls in MessageConst.java
    expect(RESERVED_PROPERTY_KEYS.has(MessageConst.PROPERTY_TRANSACTION_ID)).toBe(false);
  });
});

describe('MessageSysFlag and compression', () => {
  it('reads and resets the transaction bits', () => {
    const flag = MessageSysFlag.COMPRESSED_FLAG | MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.BORNHOST_V6_FLAG;
    expect(getTransactionValue(flag)).toBe(MessageSysFlag.TRANSACTION_PREPARED_TYPE);
    const committed = resetTransactionValue(flag, MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(getTransactionValue(committed)).toBe(MessageSysFlag.TRANSACTION_COMMIT_TYPE);
    expect(committed & ~0xc).toBe(flag & ~0xc);
    expect(getTransactionValue(resetTransactionValue(committed, 0))).toBe(0);
  });

  it('maps compression type bits; 0 is zlib for 4.x senders', () => {
    expect(getCompressionType(MessageSysFlag.COMPRESSED_FLAG)).toBe('ZLIB');
    expect(getCompressionType(ZLIB_COMPRESSED_SYS_FLAG)).toBe('ZLIB');
    expect(getCompressionType(0x101)).toBe('LZ4');
    expect(getCompressionType(0x201)).toBe('ZSTD');
    expect(getCompressionType(0x401)).toBeUndefined();
  });

  it('compresses to a zlib stream and back', () => {
    const body = Buffer.from('x'.repeat(10_000));
    const packed = compressBody(body);
    expect(packed[0]).toBe(0x78); // zlib header (CMF: deflate, 32 KiB window)
    expect(packed.length).toBeLessThan(200);
    expect(decompressBody(packed).equals(body)).toBe(true);
    expect(() => decompressBody(Buffer.from('not zlib'))).toThrow(InvalidArgumentError);
    expect(() => compressBody(body, 10)).toThrow(/level 10/);
  });
});
