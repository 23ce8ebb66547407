// getBrokerConfig -b addr | -c cluster: the broker's configuration (GET_BROKER_CONFIG) as
// `key  =  value` lines under a `============<addr>============` line, as RocketMQ prints it
// (keys sorted here; Java prints them in hash order). With -c every master of the cluster,
// each followed by its slaves (`============Master: …` / `============My Master: …=====Slave: …`).
// A broker that does not answer is reported in its place and makes the exit status 1.

import { MASTER_ID } from '@apogee/common';
import { defineCommand } from '../../command.js';
import { sortedRecord } from './broker-status.js';
import { brokerOrCluster, brokerOrClusterOptions, brokersOfCluster, type ClusterBroker, eachBroker, exitStatusOfAll } from '../broker-targets.js';
import { keyValueLines } from './key-value-lines.js';

/** One broker's configuration. */
export interface BrokerConfigEntry {
  brokerAddr: string;
  /** with -c: whether the NameServer lists it as a master (id 0) or a slave */
  role?: 'master' | 'slave';
  /** a slave's master (absent when its broker name has no master online) */
  masterAddr?: string;
  /** properties as the broker answered them, keys sorted; absent when it did not answer */
  config?: Record<string, string>;
  error?: string;
}

const KEY_WIDTH = 50;

export const getBrokerConfig = defineCommand({
  name: 'getBrokerConfig',
  summary: 'Get broker config by cluster or special broker',
  options: brokerOrClusterOptions('get'),
  async run(ctx, options) {
    const target = brokerOrCluster(options);
    const admin = await ctx.admin();
    if (target.brokerAddr !== undefined) {
      // one broker: its failure is the command's
      const config = sortedRecord(await admin.getBrokerConfig(target.brokerAddr));
      const json: BrokerConfigEntry[] = [{ brokerAddr: target.brokerAddr, config }];
      return { json, blocks: [section(`============${target.brokerAddr}============`, config, ctx.width)] };
    }
    const entries = inMasterOrder(await brokersOfCluster(admin, target.clusterName));
    const results = await eachBroker(ctx, 'getBrokerConfig', entries.map((e) => e.brokerAddr), (addr) => admin.getBrokerConfig(addr));
    const json: BrokerConfigEntry[] = entries.map((entry, i) => {
      const r = results[i]!;
      return r.ok ? { ...entry, config: sortedRecord(r.value) } : { ...entry, error: r.error };
    });
    const blocks = json.map((entry) => {
      const title = entry.role === 'master'
        ? `============Master: ${entry.brokerAddr}============`
        : `============My Master: ${entry.masterAddr ?? 'NO_MASTER'}=====Slave: ${entry.brokerAddr}============`;
      return entry.config === undefined ? `${title}\nfailed: ${entry.error ?? ''}\n\n` : section(title, entry.config, ctx.width);
    });
    return { json, blocks, exitStatus: exitStatusOfAll(results) };
  },
});

/** Each master followed by the slaves of its broker name; slaves without a master last. */
function inMasterOrder(brokers: readonly ClusterBroker[]): Array<Omit<BrokerConfigEntry, 'config' | 'error'>> {
  const masters = new Map(brokers.filter((b) => b.brokerId === MASTER_ID).map((b) => [b.brokerName, b.addr]));
  const out: Array<Omit<BrokerConfigEntry, 'config' | 'error'>> = [];
  for (const b of brokers) {
    // brokersOfCluster orders by name then id, so a master comes right before its slaves
    if (b.brokerId === MASTER_ID) out.push({ brokerAddr: b.addr, role: 'master' });
    else if (masters.has(b.brokerName)) out.push({ brokerAddr: b.addr, role: 'slave', masterAddr: masters.get(b.brokerName)! });
  }
  for (const b of brokers) if (b.brokerId !== MASTER_ID && !masters.has(b.brokerName)) out.push({ brokerAddr: b.addr, role: 'slave' });
  return out;
}

function section(title: string, config: Record<string, string>, width: number): string {
  return `${[title, ...keyValueLines(Object.entries(config), { keyWidth: KEY_WIDTH, separator: '=  ' }, width)].join('\n')}\n\n`;
}
