// resetOffsetByTime -g group -t topic -s timestamp [-f true|false] [-c]: moves the group on the
// topic to the offsets of a point in time (now, epoch ms or yyyy-MM-dd#HH:mm:ss:SSS) on every
// master of the topic (INVOKE_BROKER_TO_RESET_OFFSET) and prints the offsets the brokers set. When
// a broker answers CONSUMER_NOT_ONLINE (206: it resets through the clients and none is online),
// it falls back, as RocketMQ's command does, to the old method: the admin looks up each queue's
// offset at that time and commits it itself (only backwards unless -f true), printing the
// before/after table of resetOffsetByTimeOld.
// Not supported: RocketMQ 5's -b/-q/-o (one queue to an explicit offset) and -c as cluster name;
// -c here is the older --cplus switch (reset a C++ client's offsets).

import type { DefaultMQAdminExt, ResetOffsetEntry, RollbackStats } from '@apogee/client';
import { ResponseCode } from '@apogee/remoting';
import { defineCommand } from '../../command.js';
import { UsageError } from '../../errors.js';
import type { Table } from '../../output/table.js';
import { errorCodeOf, explainGroupError, explainTopicError } from './group-support.js';

/** One queue the brokers moved the group to. */
export interface ResetOffsetRow {
  brokerName: string;
  queueId: number;
  offset: number;
}

/** One queue of the old method (RocketMQ's RollbackStats). */
export interface ResetOffsetOldRow {
  brokerName: string;
  queueId: number;
  /** the queue's max offset */
  brokerOffset: number;
  /** the group's offset before */
  consumerOffset: number;
  /** the queue's offset at the timestamp */
  timestampOffset: number;
  /** the offset committed (consumerOffset when not moved) */
  resetOffset: number;
}

interface ResetOffsetBase {
  group: string;
  topic: string;
  force: boolean;
  /** -s as given */
  timestampText: string;
  /** -s in epoch ms */
  timestamp: number;
}

/** `method: 'broker'`: the brokers reset (and told the clients); `'old'`: the 206 fallback committed the offsets itself. */
export type ResetOffsetByTimeJson = (ResetOffsetBase & { method: 'broker'; offsets: ResetOffsetRow[] }) | (ResetOffsetBase & { method: 'old'; queues: ResetOffsetOldRow[] });

export const resetOffsetByTime = defineCommand({
  name: 'resetOffsetByTime',
  summary: 'Reset consumer offset by timestamp(without client restart)',
  options: [
    { flags: '-g, --group <group>', description: 'set the consumer group', required: true },
    { flags: '-t, --topic <topic>', description: 'set the topic', required: true },
    { flags: '-s, --timestamp <now|ms|yyyy-MM-dd#HH:mm:ss:SSS>', description: 'set the timestamp', required: true },
    { flags: '-f, --force <true|false>', description: 'set the force rollback by timestamp switch (default true)' },
    { flags: '-c, --cplus', description: 'reset c++ client offset' },
  ],
  async run(ctx, options) {
    const group = options.text('group');
    const topic = options.text('topic');
    const timestamp = options.timestamp('timestamp');
    if (timestamp === undefined) throw new UsageError('option --timestamp is required');
    const base: ResetOffsetBase = { group, topic, force: options.bool('force', true), timestampText: options.text('timestamp'), timestamp };
    const admin = await ctx.admin();
    let offsets: ResetOffsetEntry[];
    try {
      offsets = await admin.resetOffsetByTimestamp(topic, group, timestamp, base.force, options.flag('cplus'));
    } catch (err) {
      if (errorCodeOf(err) === ResponseCode.CONSUMER_NOT_ONLINE) return resetOld(admin, base);
      throw explainResetError(err, group, topic);
    }
    const rows = offsets.map((e) => ({ brokerName: e.messageQueue.brokerName, queueId: e.messageQueue.queueId, offset: e.offset }));
    const json: ResetOffsetByTimeJson = { ...base, method: 'broker', offsets: rows };
    const table: Table = {
      columns: [{ header: '#brokerName', overflow: 'wrap', widthMin: 12 }, { header: '#queueId', align: 'right' }, { header: '#offset', align: 'right' }],
      rows: rows.map((r) => [r.brokerName, r.queueId, r.offset]),
    };
    const head = `start reset consumer offset by specified, group[${group}], topic[${topic}], force[${base.force}], timestamp(string)[${base.timestampText}], timestamp(long)[${timestamp}]`;
    return { json, blocks: [head, table] };
  },
});

async function resetOld(admin: DefaultMQAdminExt, base: ResetOffsetBase): Promise<{ json: ResetOffsetByTimeJson; blocks: [string, Table] }> {
  let stats: RollbackStats[];
  try {
    stats = await admin.resetOffsetByTimestampOld(base.group, base.topic, base.timestamp, base.force);
  } catch (err) {
    throw explainResetError(err, base.group, base.topic);
  }
  const queues = stats.map((s): ResetOffsetOldRow => ({
    brokerName: s.brokerName, queueId: s.queueId, brokerOffset: s.brokerOffset, consumerOffset: s.consumerOffset, timestampOffset: s.timestampOffset, resetOffset: s.rollbackOffset,
  }));
  const num = (header: string): Table['columns'][number] => ({ header, align: 'right', widthMin: 8 });
  const table: Table = {
    columns: [{ header: '#brokerName', overflow: 'wrap', widthMin: 12 }, num('#queueId'), num('#brokerOffset'), num('#consumerOffset'), num('#timestampOffset'), num('#resetOffset')],
    rows: queues.map((q) => [q.brokerName, q.queueId, q.brokerOffset, q.consumerOffset, q.timestampOffset, q.resetOffset]),
  };
  const head = `reset consumer offset by specified consumerGroup[${base.group}], topic[${base.topic}], force[${base.force}], timestamp(string)[${base.timestampText}], timestamp(long)[${base.timestamp}]`;
  return { json: { ...base, method: 'old', queues }, blocks: [head, table] };
}

/** An unknown topic or group in one sentence; other failures unchanged. */
function explainResetError(err: unknown, group: string, topic: string): unknown {
  return explainGroupError(explainTopicError(err, topic), group, topic);
}
