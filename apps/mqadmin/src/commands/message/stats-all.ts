// statsAll [-a] [-t topic]: per topic (retry and DLQ topics left out) and consumer group, the
// backlog and the put/get rates the brokers count, as RocketMQ's StatsAllSubCommand computes them:
//   #Accumulation  examineConsumeStats(group, topic): Σ(broker offset − consumer offset), ≥ 0
//   #InTPS         Σ over the topic's masters of TOPIC_PUT_NUMS[topic], last minute's tps
//   #OutTPS        Σ of GROUP_GET_NUMS[topic@group], last minute's tps
//   #InMsg24Hour / #OutMsg24Hour  the same items' day sum (else hour's, else minute's)
// A topic nobody consumes gets one row with NO_CONSUMER. -a: only topics with traffic in 24 h.
// Like RocketMQ, a figure a broker cannot give counts as 0, and a topic whose route or
// consumers cannot be read is left out (its reason is in --json's `skipped`).

import { DLQ_GROUP_TOPIC_PREFIX, MASTER_ID, RETRY_GROUP_TOPIC_PREFIX } from '@apogee/common';
import type { BrokerStatsData, DefaultMQAdminExt } from '@apogee/client';
import { defineCommand } from '../../command.js';
import { describeError } from '../../errors.js';
import { formatDecimal } from '../../output/format.js';
import type { Table } from '../../output/table.js';

export interface StatsAllRow {
  topic: string;
  /** null: nobody consumes the topic (RocketMQ prints NO_CONSUMER) */
  consumerGroup: string | null;
  accumulation: number;
  inTps: number;
  outTps: number | null;
  inMsg24Hour: number;
  outMsg24Hour: number | null;
}

export interface StatsAllResult {
  rows: StatsAllRow[];
  /** topics left out because their route or consumer groups could not be read */
  skipped: Array<{ topic: string; error: string }>;
}

export const statsAll = defineCommand({
  name: 'statsAll',
  summary: 'Topic and Consumer tps stats.',
  options: [
    { flags: '-a, --activeTopic', description: 'print active topic only' },
    { flags: '-t, --topic <topic>', description: 'print select topic only' },
  ],
  async run(ctx, options) {
    const activeOnly = options.flag('activeTopic');
    const only = options.optionalText('topic');
    const admin = await ctx.admin();
    const topics = (await admin.fetchAllTopicList())
      .filter((t) => !t.startsWith(RETRY_GROUP_TOPIC_PREFIX) && !t.startsWith(DLQ_GROUP_TOPIC_PREFIX) && (only === undefined || t === only))
      .sort();
    const result: StatsAllResult = { rows: [], skipped: [] };
    const progress = ctx.progress('statsAll', topics.length);
    try {
      for (const [i, topic] of topics.entries()) {
        try {
          result.rows.push(...(await topicRows(admin, topic, activeOnly)));
        } catch (err) {
          result.skipped.push({ topic, error: describeError(err) });
        }
        progress.update(i + 1);
      }
    } finally {
      progress.finish();
    }
    return { json: result, blocks: [statsTable(result.rows)] };
  },
});

async function topicRows(admin: DefaultMQAdminExt, topic: string, activeOnly: boolean): Promise<StatsAllRow[]> {
  const route = await admin.examineTopicRouteInfo(topic);
  const groups = [...(await admin.queryTopicConsumeByWho(topic))].sort();
  const masters = route.brokerDatas.map((b) => b.brokerAddrs.get(MASTER_ID)).filter((a): a is string => a !== undefined);
  const put = await sumStats(admin, masters, 'TOPIC_PUT_NUMS', topic);
  if (groups.length === 0) {
    if (activeOnly && put.day === 0) return [];
    return [{ topic, consumerGroup: null, accumulation: 0, inTps: put.tps, outTps: null, inMsg24Hour: put.day, outMsg24Hour: null }];
  }
  const rows: StatsAllRow[] = [];
  for (const group of groups) {
    const get = await sumStats(admin, masters, 'GROUP_GET_NUMS', `${topic}@${group}`);
    if (activeOnly && put.day === 0 && get.day === 0) continue;
    rows.push({ topic, consumerGroup: group, accumulation: await accumulation(admin, group, topic), inTps: put.tps, outTps: get.tps, inMsg24Hour: put.day, outMsg24Hour: get.day });
  }
  return rows;
}

/** The stats item over the masters: last minute's tps and the 24 h count; 0 where a broker has none. */
async function sumStats(admin: DefaultMQAdminExt, masters: readonly string[], statsName: string, statsKey: string): Promise<{ tps: number; day: number }> {
  let tps = 0;
  let day = 0;
  for (const addr of masters) {
    try {
      const data = await admin.viewBrokerStatsData(addr, statsName, statsKey);
      tps += data.statsMinute.tps;
      day += sum24Hours(data);
    } catch {
      // nothing counted under this key there (RocketMQ ignores it too)
    }
  }
  return { tps, day };
}

/** RocketMQ's compute24HourSum: the day's sum, else the hour's, else the minute's. */
export function sum24Hours(data: BrokerStatsData): number {
  if (data.statsDay.sum !== 0) return data.statsDay.sum;
  if (data.statsHour.sum !== 0) return data.statsHour.sum;
  return data.statsMinute.sum;
}

async function accumulation(admin: DefaultMQAdminExt, group: string, topic: string): Promise<number> {
  try {
    const stats = await admin.examineConsumeStats(group, topic);
    return Math.max(0, stats.offsetTable.reduce((n, o) => n + (o.brokerOffset - o.consumerOffset), 0));
  } catch {
    return 0;
  }
}

function statsTable(rows: readonly StatsAllRow[]): Table {
  return {
    columns: [
      { header: '#Topic', overflow: 'wrap', widthMin: 20 },
      { header: '#Consumer Group', overflow: 'wrap', widthMin: 16 },
      { header: '#Accumulation', align: 'right' },
      { header: '#InTPS', align: 'right' },
      { header: '#OutTPS', align: 'right' },
      { header: '#InMsg24Hour', align: 'right', hideable: true },
      { header: '#OutMsg24Hour', align: 'right', hideable: true },
    ],
    rows: rows.map((r) => [
      r.topic, r.consumerGroup ?? '', r.accumulation, formatDecimal(r.inTps), r.outTps === null ? '' : formatDecimal(r.outTps), r.inMsg24Hour,
      r.outMsg24Hour === null ? 'NO_CONSUMER' : r.outMsg24Hour,
    ]),
  };
}
