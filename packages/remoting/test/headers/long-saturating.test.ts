// Java tools use Long.MAX_VALUE / Long.MIN_VALUE as "unbounded" in a few long fields.
import { describe, expect, it } from 'vitest';
import { QueryMessageRequestHeader, SearchOffsetRequestHeader } from '../../src/index.js';

describe('saturating long fields', () => {
  it('reads mqadmin queryMsgByKey time range (0 .. Long.MAX_VALUE) as 0 .. MAX_SAFE_INTEGER', () => {
    const decoded = QueryMessageRequestHeader.decode({ topic: 'T', key: 'k', maxNum: '32', beginTimestamp: '0', endTimestamp: '9223372036854775807' });
    expect(decoded).toMatchObject({ ok: true, value: { beginTimestamp: 0, endTimestamp: Number.MAX_SAFE_INTEGER } });
    const min = QueryMessageRequestHeader.decode({ topic: 'T', key: 'k', maxNum: '32', beginTimestamp: '-9223372036854775808', endTimestamp: '1' });
    expect(min).toMatchObject({ ok: true, value: { beginTimestamp: -Number.MAX_SAFE_INTEGER } });
  });

  it('still refuses text that is not an int64', () => {
    expect(QueryMessageRequestHeader.decode({ topic: 'T', key: 'k', maxNum: '32', beginTimestamp: '0', endTimestamp: '9223372036854775808' })).toMatchObject({ ok: false });
    expect(SearchOffsetRequestHeader.decode({ topic: 'T', queueId: '0', timestamp: '12x' })).toMatchObject({ ok: false });
  });
});
