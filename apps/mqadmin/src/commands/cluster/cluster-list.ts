// clusterList [-c cluster] [-m] [-i seconds]: every broker of every (or one) cluster with the
// runtime figures RocketMQ's mqadmin shows (GET_BROKER_RUNTIME_INFO per broker). With -i it
// repeats every that many seconds, at most `--count` times (default: until interrupted).

import type { ClusterInfo } from '@apogee/remoting';
import type { DefaultMQAdminExt } from '@apogee/client';
import { defineCommand, Opt, type OutputBlock } from '../../command.js';
import { formatDecimal } from '../../output/format.js';
import type { Table } from '../../output/table.js';

export interface ClusterBrokerRow {
  clusterName: string;
  brokerName: string;
  brokerId: number;
  addr: string;
  version: string;
  inTps: number;
  outTps: number;
  /** the send pool's queue length and its head's wait (the `(LOAD)` of #InTPS(LOAD)) */
  sendThreadPoolQueueSize: string;
  sendThreadPoolQueueHeadWaitTimeMills: string;
  /** the pull and ack pools' (the `(LOAD)` of #OutTPS(LOAD)); `N` when the broker has no ack pool */
  pullThreadPoolQueueSize: string;
  pullThreadPoolQueueHeadWaitTimeMills: string;
  ackThreadPoolQueueSize: string;
  ackThreadPoolQueueHeadWaitTimeMills: string;
  /** timer wheel progress (#Timer(Progress)) */
  timerReadBehind: number;
  timerOffsetBehind: number;
  timerCongestNum: number;
  timerEnqueueTps: number;
  timerDequeueTps: number;
  pageCacheLockTimeMills: string;
  storeHours: number;
  commitLogDiskRatio: number;
  brokerActive: boolean;
  inTotalYesterday: number;
  outTotalYesterday: number;
  inTotalToday: number;
  outTotalToday: number;
  /** why the runtime figures are missing (broker unreachable) */
  error?: string;
}

export const clusterList = defineCommand({
  name: 'clusterList',
  summary: 'List cluster infos',
  options: [
    { flags: '-m, --moreStats', description: 'print message counts of yesterday and today' },
    { flags: '-i, --interval <seconds>', description: 'repeat every this many seconds' },
    { flags: '--count <n>', description: 'with -i: stop after this many rounds' },
    Opt.cluster(),
  ],
  async run(ctx, options) {
    const intervalSec = options.optionalInt('interval', { min: 1 });
    const rounds = intervalSec === undefined ? 1 : options.int('count', Number.MAX_SAFE_INTEGER, { min: 1 });
    const more = options.flag('moreStats');
    const admin = await ctx.admin();
    let rows: ClusterBrokerRow[] = [];
    const blocks: OutputBlock[] = [];
    for (let round = 0; round < rounds; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, intervalSec! * 1_000));
      const info = await admin.examineBrokerClusterInfo();
      rows = await collectRows(admin, info, options.optionalText('clusterName'));
      blocks.push(more ? moreStatsTable(rows) : baseTable(rows));
    }
    return { json: rows, blocks };
  },
});

async function collectRows(admin: DefaultMQAdminExt, info: ClusterInfo, only: string | undefined): Promise<ClusterBrokerRow[]> {
  const clusterNames = only !== undefined ? [only] : [...info.clusterAddrTable.keys()].sort();
  const rows: ClusterBrokerRow[] = [];
  for (const clusterName of clusterNames) {
    for (const brokerName of [...(info.clusterAddrTable.get(clusterName) ?? [])].sort()) {
      const brokerData = info.brokerAddrTable.get(brokerName);
      if (brokerData === undefined) continue;
      for (const [brokerId, addr] of [...brokerData.brokerAddrs.entries()].sort((a, b) => a[0] - b[0])) {
        rows.push(await brokerRow(admin, clusterName, brokerName, brokerId, addr));
      }
    }
  }
  return rows;
}

async function brokerRow(admin: DefaultMQAdminExt, clusterName: string, brokerName: string, brokerId: number, addr: string): Promise<ClusterBrokerRow> {
  const row: ClusterBrokerRow = {
    clusterName, brokerName, brokerId, addr, version: '', inTps: 0, outTps: 0,
    sendThreadPoolQueueSize: '', sendThreadPoolQueueHeadWaitTimeMills: '', pullThreadPoolQueueSize: '', pullThreadPoolQueueHeadWaitTimeMills: '',
    ackThreadPoolQueueSize: '', ackThreadPoolQueueHeadWaitTimeMills: '',
    timerReadBehind: 0, timerOffsetBehind: 0, timerCongestNum: 0, timerEnqueueTps: 0, timerDequeueTps: 0,
    pageCacheLockTimeMills: '', storeHours: 0, commitLogDiskRatio: 0,
    brokerActive: false, inTotalYesterday: 0, outTotalYesterday: 0, inTotalToday: 0, outTotalToday: 0,
  };
  let kv: Map<string, string>;
  try {
    kv = await admin.fetchBrokerRuntimeStats(addr);
  } catch (err) {
    row.error = (err as Error).message;
    return row;
  }
  const num = (key: string): number => {
    const value = Number((kv.get(key) ?? '').split(' ')[0]);
    return Number.isFinite(value) ? value : 0;
  };
  row.version = kv.get('brokerVersionDesc') ?? '';
  row.inTps = num('putTps');
  row.outTps = num('getTransferredTps');
  row.sendThreadPoolQueueSize = kv.get('sendThreadPoolQueueSize') ?? '';
  row.sendThreadPoolQueueHeadWaitTimeMills = kv.get('sendThreadPoolQueueHeadWaitTimeMills') ?? '';
  row.pullThreadPoolQueueSize = kv.get('pullThreadPoolQueueSize') ?? '';
  row.pullThreadPoolQueueHeadWaitTimeMills = kv.get('pullThreadPoolQueueHeadWaitTimeMills') ?? '';
  row.ackThreadPoolQueueSize = kv.get('ackThreadPoolQueueSize') ?? 'N';
  row.ackThreadPoolQueueHeadWaitTimeMills = kv.get('ackThreadPoolQueueHeadWaitTimeMills') ?? 'N';
  row.timerReadBehind = num('timerReadBehind');
  row.timerOffsetBehind = num('timerOffsetBehind');
  row.timerCongestNum = num('timerCongestNum');
  row.timerEnqueueTps = num('timerEnqueueTps');
  row.timerDequeueTps = num('timerDequeueTps');
  row.pageCacheLockTimeMills = kv.get('pageCacheLockTimeMills') ?? '';
  const earliest = num('earliestMessageTimeStamp');
  row.storeHours = earliest > 0 ? (Date.now() - earliest) / 3_600_000 : 0;
  row.commitLogDiskRatio = num('commitLogDiskRatio');
  row.brokerActive = kv.get('brokerActive') === 'true';
  row.inTotalYesterday = num('msgPutTotalTodayMorning') - num('msgPutTotalYesterdayMorning');
  row.outTotalYesterday = num('msgGetTotalTodayMorning') - num('msgGetTotalYesterdayMorning');
  row.inTotalToday = num('msgPutTotalTodayNow') - num('msgPutTotalTodayMorning');
  row.outTotalToday = num('msgGetTotalTodayNow') - num('msgGetTotalTodayMorning');
  return row;
}

// RocketMQ 5.x columns (the cluster name keeps room for "DefaultCluster"); (LOAD) is the thread pools' queue length and head wait, Timer(Progress)
// the timer wheel's read-behind-offset-behind(congestion in 10k, enqueue TPS, dequeue TPS).
function baseTable(rows: readonly ClusterBrokerRow[]): Table {
  return {
    columns: [
      { header: '#Cluster Name', widthMin: 14 }, { header: '#Broker Name', widthMin: 8 }, { header: '#BID', widthMin: 4 },
      { header: '#Addr', widthMin: 15, overflow: 'wrap' }, { header: '#Version', hideable: true, widthMin: 8 },
      { header: '#InTPS(LOAD)', align: 'right', widthMin: 11 }, { header: '#OutTPS(LOAD)', align: 'right', widthMin: 11 },
      { header: '#Timer(Progress)', hideable: true }, { header: '#PCWait(ms)', align: 'right', hideable: true },
      { header: '#Hour', align: 'right', widthMin: 5, hideable: true }, { header: '#SPACE', align: 'right', hideable: true }, { header: '#ACTIVATED', hideable: true },
    ],
    rows: rows.map((r) => [
      r.clusterName, r.brokerName, r.brokerId, r.addr, r.error === undefined ? r.version : `unreachable: ${r.error}`,
      `${formatDecimal(r.inTps)}(${r.sendThreadPoolQueueSize},${r.sendThreadPoolQueueHeadWaitTimeMills}ms)`,
      `${formatDecimal(r.outTps)}(${r.pullThreadPoolQueueSize},${r.pullThreadPoolQueueHeadWaitTimeMills}ms|${r.ackThreadPoolQueueSize},${r.ackThreadPoolQueueHeadWaitTimeMills}ms)`,
      `${r.timerReadBehind}-${r.timerOffsetBehind}(${formatDecimal(r.timerCongestNum / 10_000, 1)}w, ${formatDecimal(r.timerEnqueueTps, 1)}, ${formatDecimal(r.timerDequeueTps, 1)})`,
      r.pageCacheLockTimeMills, formatDecimal(r.storeHours), formatDecimal(r.commitLogDiskRatio, 4), r.brokerActive,
    ]),
  };
}

function moreStatsTable(rows: readonly ClusterBrokerRow[]): Table {
  return {
    columns: [
      { header: '#Cluster Name' }, { header: '#Broker Name' }, { header: '#InTotalYest', align: 'right' }, { header: '#OutTotalYest', align: 'right' },
      { header: '#InTotalToday', align: 'right' }, { header: '#OutTotalToday', align: 'right' },
    ],
    rows: rows.map((r) => [r.clusterName, r.brokerName, r.inTotalYesterday, r.outTotalYesterday, r.inTotalToday, r.outTotalToday]),
  };
}
