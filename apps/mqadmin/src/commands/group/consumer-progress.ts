// consumerProgress [-g group [-t topic] [-s true|false]]: with -g, the group's progress on every
// queue (of -t's topic, or of every topic it consumes) with RocketMQ 5's columns, then its consume
// TPS and backlog totals; -s true adds the IP of the client each queue is assigned to (asked of
// every online client). Without -g, one summary row per consumer group the NameServer has a
// %RETRY% topic for: clients online, their lowest version, PUSH/PULL, model, TPS, backlog.
// Not supported: -c (RocketMQ 5's cluster / LMQ parent topic for the route).

import type { ConsumeStats, ConsumerConnection, DefaultMQAdminExt } from '@apogee/client';
import { mqKey } from '@apogee/client';
import type { CommandContext } from '../../context.js';
import { defineCommand } from '../../command.js';
import { formatDecimal } from '../../output/format.js';
import type { Table } from '../../output/table.js';
import { explainTopicError, forGroup, formatDateTime, groupOfRetryTopic, versionDesc } from './group-support.js';

/** One queue of the group's progress. */
export interface ConsumerProgressQueueRow {
  topic: string;
  brokerName: string;
  queueId: number;
  brokerOffset: number;
  consumerOffset: number;
  /** with -s true: the IP of the client the queue is assigned to, when one owns it */
  clientIp?: string;
  /** brokerOffset - consumerOffset */
  diff: number;
  /** pulled but not committed (pullOffset - consumerOffset; 0 when the broker does not report pull offsets) */
  inflight: number;
  /** store time (ms) of the last consumed message; 0 when unknown */
  lastTimestamp: number;
}

export interface ConsumerProgressJson {
  group: string;
  topic?: string;
  queues: ConsumerProgressQueueRow[];
  consumeTps: number;
  diffTotal: number;
  inflightTotal: number;
}

/** One consumer group of the summary (no -g). */
export interface ConsumerGroupSummaryRow {
  group: string;
  /** clients online */
  count: number;
  /** lowest MQVersion ordinal among them; absent when none is online */
  version?: number;
  /** its name, or OFFLINE */
  versionDesc: string;
  /** PUSH or PULL; empty when nobody is online */
  type: string;
  /** CLUSTERING or BROADCASTING for push consumers; empty otherwise */
  model: string;
  consumeTps: number;
  diffTotal: number;
}

export const consumerProgress = defineCommand({
  name: 'consumerProgress',
  summary: 'Query consumer\'s progress, speed',
  options: [
    { flags: '-g, --groupName <group>', description: 'consumer group name (default: a summary of every group)' },
    { flags: '-t, --topicName <topic>', description: 'topic name (with -g)' },
    { flags: '-s, --showClientIP <true|false>', description: 'show the client IP each queue is assigned to (default false)' },
  ],
  async run(ctx, options) {
    const group = options.optionalText('groupName');
    const topic = options.optionalText('topicName');
    const showClientIp = options.bool('showClientIP', false);
    if (group !== undefined) return groupProgress(await ctx.admin(), group, topic, showClientIp);
    const rows = await groupSummaries(ctx);
    return { json: rows, blocks: [summaryTable(rows)] };
  },
});

async function groupProgress(admin: DefaultMQAdminExt, group: string, topic: string | undefined, showClientIp: boolean): Promise<{ json: ConsumerProgressJson; blocks: [Table, string] }> {
  const stats = await forGroup(group, () => admin.examineConsumeStats(group, topic), topic);
  // RocketMQ prints an empty table for a topic nobody has heard of; say so instead
  if (topic !== undefined && stats.offsetTable.length === 0) await admin.examineTopicRouteInfo(topic).catch((err: unknown) => Promise.reject(explainTopicError(err, topic)));
  const owners = showClientIp ? await queueOwners(admin, group) : undefined;
  const queues = stats.offsetTable.map((o): ConsumerProgressQueueRow => {
    const mq = o.messageQueue;
    return {
      topic: mq.topic, brokerName: mq.brokerName, queueId: mq.queueId, brokerOffset: o.brokerOffset, consumerOffset: o.consumerOffset,
      ...(owners === undefined ? {} : { clientIp: owners.get(mqKey(mq)) ?? 'N/A' }),
      diff: o.brokerOffset - o.consumerOffset,
      inflight: o.pullOffset > 0 ? o.pullOffset - o.consumerOffset : 0,
      lastTimestamp: o.lastTimestamp,
    };
  });
  const diffTotal = queues.reduce((n, q) => n + q.diff, 0);
  const inflightTotal = queues.reduce((n, q) => n + q.inflight, 0);
  const json: ConsumerProgressJson = { group, ...(topic === undefined ? {} : { topic }), queues, consumeTps: stats.consumeTps, diffTotal, inflightTotal };
  const totals = ['', `Consume TPS: ${formatDecimal(stats.consumeTps)}`, `Consume Diff Total: ${diffTotal}`, `Consume Inflight Total: ${inflightTotal}`].join('\n');
  return { json, blocks: [queueTable(queues, showClientIp), totals] };
}

/** queue key -> IP of the online client that owns it (errors leave queues unowned, as in RocketMQ). */
async function queueOwners(admin: DefaultMQAdminExt, group: string): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  try {
    const connection = await admin.examineConsumerConnectionInfo(group);
    for (const { clientId } of connection.connectionSet) {
      const info = await admin.getConsumerRunningInfo(group, clientId);
      for (const { messageQueue } of info.mqTable) owners.set(mqKey(messageQueue), clientId.split('@')[0]!);
    }
  } catch {
    // nobody online, or a client that does not answer: its queues show N/A
  }
  return owners;
}

function queueTable(queues: readonly ConsumerProgressQueueRow[], showClientIp: boolean): Table {
  // on 80 columns #Inflight gives way first, then names wrap and offset headers are cut (more so
  // with #Client IP); #LastTime stays whole
  const [topicMin, brokerMin, offsetMin] = showClientIp ? [8, 7, 7] : [10, 8, 8];
  const num = (header: string, widthMin: number): Table['columns'][number] => ({ header, align: 'right', widthMin });
  return {
    columns: [
      { header: '#Topic', overflow: 'wrap', widthMin: topicMin }, { header: '#Broker Name', overflow: 'wrap', widthMin: brokerMin }, num('#QID', 4),
      num('#Broker Offset', offsetMin), num('#Consumer Offset', offsetMin),
      ...(showClientIp ? [{ header: '#Client IP', overflow: 'wrap' as const, widthMin: 9 }] : []),
      num('#Diff', 5), { ...num('#Inflight', 9), hideable: true }, { header: '#LastTime', widthMin: 19 },
    ],
    rows: queues.map((q) => [
      q.topic, q.brokerName, q.queueId, q.brokerOffset, q.consumerOffset, ...(showClientIp ? [q.clientIp] : []), q.diff, q.inflight, formatDateTime(q.lastTimestamp),
    ]),
  };
}

async function groupSummaries(ctx: CommandContext): Promise<ConsumerGroupSummaryRow[]> {
  const admin = await ctx.admin();
  const groups = [...new Set((await admin.fetchAllTopicList()).map(groupOfRetryTopic).filter((g): g is string => g !== undefined))].sort();
  const progress = ctx.progress('consumerProgress', groups.length);
  const rows: ConsumerGroupSummaryRow[] = [];
  try {
    for (const [i, group] of groups.entries()) {
      // as RocketMQ: a group whose stats or connections cannot be read shows zeros / OFFLINE
      const stats: ConsumeStats | undefined = await admin.examineConsumeStats(group).catch(() => undefined);
      const connection: ConsumerConnection | undefined = await admin.examineConsumerConnectionInfo(group).catch(() => undefined);
      rows.push(summaryRow(group, stats, connection));
      progress.update(i + 1);
    }
  } finally {
    progress.finish();
  }
  return rows;
}

function summaryRow(group: string, stats: ConsumeStats | undefined, connection: ConsumerConnection | undefined): ConsumerGroupSummaryRow {
  const count = connection?.connectionSet.length ?? 0;
  const version = count > 0 ? Math.min(...connection!.connectionSet.map((c) => c.version)) : undefined;
  const push = connection?.consumeType !== 'CONSUME_ACTIVELY';
  return {
    group, count, ...(version === undefined ? {} : { version }),
    versionDesc: version === undefined ? 'OFFLINE' : versionDesc(version),
    type: count === 0 ? '' : push ? 'PUSH' : 'PULL',
    model: count > 0 && push ? (connection?.messageModel ?? '') : '',
    consumeTps: Math.trunc(stats?.consumeTps ?? 0),
    diffTotal: stats?.offsetTable.reduce((n, o) => n + (o.brokerOffset - o.consumerOffset), 0) ?? 0,
  };
}

function summaryTable(rows: readonly ConsumerGroupSummaryRow[]): Table {
  return {
    columns: [
      { header: '#Group', overflow: 'wrap', widthMin: 20 }, { header: '#Count', align: 'right' }, { header: '#Version', widthMin: 7 },
      { header: '#Type' }, { header: '#Model', widthMin: 12 }, { header: '#TPS', align: 'right' }, { header: '#Diff Total', align: 'right', widthMin: 10 },
    ],
    rows: rows.map((r) => [r.group, r.count, r.versionDesc, r.type, r.model, r.consumeTps, r.diffTotal]),
  };
}
