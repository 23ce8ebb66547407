// brokerStatus -b addr | -c cluster: the broker's runtime figures (GET_BROKER_RUNTIME_INFO), one
// `key : value` line each, sorted by key. With -c every broker of the cluster, masters and
// slaves, each line led by the broker's address as RocketMQ prints them; a broker that does not
// answer is reported in its place and makes the exit status 1.

import { defineCommand, type OutputBlock } from '../../command.js';
import { brokerOrCluster, brokerOrClusterOptions, brokersOfCluster, eachBroker, exitStatusOfAll } from '../broker-targets.js';
import { keyValueLines } from './key-value-lines.js';

/** One broker's runtime figures, keys sorted. */
export interface BrokerStatusEntry {
  brokerAddr: string;
  /** the KVTable the broker answered; absent when it did not answer */
  runtime?: Record<string, string>;
  /** why the broker did not answer */
  error?: string;
}

const KEY_WIDTH = 32;
const ADDR_WIDTH = 24;

export const brokerStatus = defineCommand({
  name: 'brokerStatus',
  summary: 'Fetch broker runtime status data',
  options: brokerOrClusterOptions('fetch from'),
  async run(ctx, options) {
    const target = brokerOrCluster(options);
    const admin = await ctx.admin();
    if (target.brokerAddr !== undefined) {
      const runtime = sortedRecord(await admin.fetchBrokerRuntimeStats(target.brokerAddr));
      const json: BrokerStatusEntry[] = [{ brokerAddr: target.brokerAddr, runtime }];
      return { json, blocks: [keyValueLines(Object.entries(runtime), { keyWidth: KEY_WIDTH, separator: ': ' }, ctx.width).join('\n')] };
    }
    const addrs = (await brokersOfCluster(admin, target.clusterName)).map((b) => b.addr);
    const results = await eachBroker(ctx, 'brokerStatus', addrs, (addr) => admin.fetchBrokerRuntimeStats(addr));
    const json: BrokerStatusEntry[] = results.map((r) => (r.ok ? { brokerAddr: r.addr, runtime: sortedRecord(r.value) } : { brokerAddr: r.addr, error: r.error }));
    const blocks: OutputBlock[] = json.map((entry) => {
      const prefix = `${entry.brokerAddr.padEnd(ADDR_WIDTH)} `;
      if (entry.runtime === undefined) return `${prefix}failed: ${entry.error ?? ''}`;
      return keyValueLines(Object.entries(entry.runtime), { prefix, keyWidth: KEY_WIDTH, separator: ': ' }, ctx.width).join('\n');
    });
    return { json, blocks, exitStatus: exitStatusOfAll(results) };
  },
});

/** The map as a plain object with its keys in order (RocketMQ sorts them with a TreeMap). */
export function sortedRecord(map: ReadonlyMap<string, string>): Record<string, string> {
  return Object.fromEntries([...map.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}
