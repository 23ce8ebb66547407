// updateBrokerConfig -b addr | -c cluster [-a true] -k key -v value: sets one broker config key
// (UPDATE_BROKER_CONFIG) on one broker, or on every master of a cluster (-a true: slaves too),
// printing `update broker config success, <addr>` per broker. A broker that refuses (the Apogee
// broker refuses keys it cannot change while running with NO_PERMISSION) makes the exit status 1:
// with -b as the command's error, with -c as that broker's line while the others still run.

import { defineCommand } from '../../command.js';
import { UsageError } from '../../errors.js';
import { brokerOrCluster, brokerOrClusterOptions, type BrokerOutcome, brokerOutcomes, brokersOfCluster, eachBroker, exitStatusOfAll, mastersOfCluster } from '../broker-targets.js';

export interface UpdateBrokerConfigResult {
  key: string;
  value: string;
  brokers: BrokerOutcome[];
}

export const updateBrokerConfig = defineCommand({
  name: 'updateBrokerConfig',
  summary: "Update broker's config",
  options: [
    ...brokerOrClusterOptions('update'),
    { flags: '-a, --updateAllBroker <true|false>', description: 'with -c: update the slaves too' },
    { flags: '-k, --key <key>', description: 'config key', required: true },
    { flags: '-v, --value <value>', description: 'config value', required: true },
  ],
  async run(ctx, options) {
    const key = options.text('key');
    const value = options.text('value');
    if (/[\s=:]/.test(key)) throw new UsageError(`option --key: ${JSON.stringify(key)} is not a config key (no blanks, '=' or ':')`);
    if (/[\r\n]/.test(value)) throw new UsageError('option --value must be one line');
    const target = brokerOrCluster(options);
    const withSlaves = options.bool('updateAllBroker', false);
    const properties = new Map([[key, value]]);
    const admin = await ctx.admin();
    if (target.brokerAddr !== undefined) {
      await admin.updateBrokerConfig(target.brokerAddr, properties);
      const json: UpdateBrokerConfigResult = { key, value, brokers: [{ brokerAddr: target.brokerAddr, ok: true }] };
      return { json, blocks: [`update broker config success, ${target.brokerAddr}`] };
    }
    const brokers = withSlaves ? await brokersOfCluster(admin, target.clusterName) : await mastersOfCluster(admin, target.clusterName);
    const results = await eachBroker(ctx, 'updateBrokerConfig', brokers.map((b) => b.addr), (addr) => admin.updateBrokerConfig(addr, properties));
    const json: UpdateBrokerConfigResult = {
      key, value, brokers: brokerOutcomes(results),
    };
    const lines = results.map((r) => (r.ok ? `update broker config success, ${r.addr}` : `update broker config failed, ${r.addr}: ${r.error}`));
    return { json, blocks: [lines.join('\n')], exitStatus: exitStatusOfAll(results) };
  },
});
