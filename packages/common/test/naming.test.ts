import { describe, expect, it } from 'vitest';
import {
  CLIENT_INNER_PRODUCER_GROUP,
  DEFAULT_CONSUMER_GROUP,
  MAX_MESSAGE_BODY_BYTES,
  MAX_PROPERTIES_BYTES,
  PermName,
  TopicValidator,
  getDLQTopic,
  getRetryTopic,
  groupOfRetryTopic,
  isDLQTopic,
  isRetryTopic,
  isSystemTopic,
  perm2String,
  validateGroup,
  validateTopic,
  validateTopicForSend,
} from '../src/index.js';

describe('validateTopic', () => {
  it('accepts the full character set and 127 chars', () => {
    expect(validateTopic('Topic_A-1|%x')).toEqual({ ok: true });
    expect(validateTopic('t'.repeat(127))).toEqual({ ok: true });
  });

  it('rejects blank, illegal characters and 128 chars, with reasons', () => {
    expect(validateTopic('')).toEqual({ ok: false, reason: 'topic name is blank' });
    expect(validateTopic('   ')).toEqual({ ok: false, reason: 'topic name is blank' });
    expect(validateTopic('a.b')).toEqual({ ok: false, reason: 'topic "a.b" has characters outside [%|a-zA-Z0-9_-]' });
    expect(validateTopic('主题')).toMatchObject({ ok: false });
    expect(validateTopic('a b')).toMatchObject({ ok: false });
    expect(validateTopic('t'.repeat(128))).toMatchObject({ ok: false, reason: expect.stringMatching(/128 chars, more than the limit of 127/) });
  });

  it('lets %RETRY% and %DLQ% topics run to 255 chars', () => {
    expect(validateTopic(`%RETRY%${'g'.repeat(248)}`)).toEqual({ ok: true });
    expect(validateTopic(`%DLQ%${'g'.repeat(250)}`)).toEqual({ ok: true });
    expect(validateTopic(`%RETRY%${'g'.repeat(249)}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/retry\/DLQ topic .* 256 chars/) });
  });

  it('refuses sends to TBW102 and to internal topics, but not to ordinary or retry topics', () => {
    expect(validateTopicForSend('TBW102')).toMatchObject({ ok: false, reason: expect.stringMatching(/auto-create template/) });
    expect(validateTopicForSend('SCHEDULE_TOPIC_XXXX')).toMatchObject({ ok: false, reason: expect.stringMatching(/internal topic/) });
    expect(validateTopicForSend('RMQ_SYS_TRANS_HALF_TOPIC')).toMatchObject({ ok: false });
    expect(validateTopicForSend('TopicTest')).toEqual({ ok: true });
    expect(validateTopicForSend('%RETRY%group')).toEqual({ ok: true });
    expect(validateTopicForSend('')).toMatchObject({ ok: false, reason: 'topic name is blank' });
  });
});

describe('validateGroup', () => {
  it('applies the same characters and a 255-char limit', () => {
    expect(validateGroup('please_rename_unique_group_name')).toEqual({ ok: true });
    expect(validateGroup('g'.repeat(255))).toEqual({ ok: true });
    expect(validateGroup('g'.repeat(256))).toMatchObject({ ok: false, reason: expect.stringMatching(/256 chars, more than the limit of 255/) });
    expect(validateGroup('')).toEqual({ ok: false, reason: 'group name is blank' });
    expect(validateGroup('a/b')).toMatchObject({ ok: false, reason: expect.stringMatching(/characters outside/) });
  });
});

describe('system topics, retry and DLQ names', () => {
  it('knows the system topics and the rmq_sys_ prefix', () => {
    expect(TopicValidator.AUTO_CREATE_TOPIC_KEY_TOPIC).toBe('TBW102');
    expect(TopicValidator.RMQ_SYS_TRANS_CHECK_MAX_TIME_TOPIC).toBe('TRANS_CHECK_MAX_TIME_TOPIC');
    for (const t of ['TBW102', 'SCHEDULE_TOPIC_XXXX', 'BenchmarkTest', 'RMQ_SYS_TRACE_TOPIC', 'OFFSET_MOVED_EVENT', 'rmq_sys_anything']) {
      expect(isSystemTopic(t)).toBe(true);
    }
    expect(isSystemTopic('TopicTest')).toBe(false);
    expect(isSystemTopic('%RETRY%g')).toBe(false);
  });

  it('builds and recognises retry and DLQ topics', () => {
    expect(getRetryTopic('g1')).toBe('%RETRY%g1');
    expect(getDLQTopic('g1')).toBe('%DLQ%g1');
    expect(isRetryTopic('%RETRY%g1')).toBe(true);
    expect(isDLQTopic('%DLQ%g1')).toBe(true);
    expect(isRetryTopic('%DLQ%g1')).toBe(false);
    expect(groupOfRetryTopic('%RETRY%g1')).toBe('g1');
    expect(groupOfRetryTopic('g1')).toBeUndefined();
  });

  it('has the MixAll names and limits', () => {
    expect(CLIENT_INNER_PRODUCER_GROUP).toBe('CLIENT_INNER_PRODUCER');
    expect(DEFAULT_CONSUMER_GROUP).toBe('DEFAULT_CONSUMER');
    expect(MAX_MESSAGE_BODY_BYTES).toBe(4_194_304);
    expect(MAX_PROPERTIES_BYTES).toBe(32_767);
  });
});

describe('PermName', () => {
  it('prints permissions as Java does', () => {
    expect(perm2String(6)).toBe('RW-');
    expect(perm2String(7)).toBe('RWX');
    expect(PermName.perm2String(4)).toBe('R--');
    expect(perm2String(2)).toBe('-W-');
    expect(perm2String(0)).toBe('---');
  });

  it('tests bits and validity', () => {
    expect(PermName.PERM_READ | PermName.PERM_WRITE).toBe(6);
    expect(PermName.isReadable(6)).toBe(true);
    expect(PermName.isWriteable(4)).toBe(false);
    expect(PermName.isInherited(7)).toBe(true);
    expect(PermName.isPriority(8)).toBe(true);
    expect(PermName.isAccessible(1)).toBe(false);
    expect(PermName.isValid(7)).toBe(true);
    expect(PermName.isValid(8)).toBe(false);
    expect(PermName.isValid(-1)).toBe(false);
  });
});
