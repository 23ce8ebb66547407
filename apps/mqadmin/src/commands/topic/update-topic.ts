// updateTopic -b addr | -c cluster -t topic [-r n] [-w n] [-p perm] [-o true|false] [-u true|false]
// [-s true|false] [-a +key=value,...]: creates or updates a topic (UPDATE_AND_CREATE_TOPIC) on one
// broker or on every master of a cluster, 8 read and 8 write queues and perm 6 unless told
// otherwise. An ordered topic also gets its ORDER_TOPIC_CONFIG entry on the NameServers, as
// RocketMQ does: `brokerName:writeQueueNums` merged into the topic's entry with -b, one such pair
// per broker of the cluster (replacing the entry) with -c. Prints `create topic to <addr>
// success.` per broker and the TopicConfig sent.

import type { TopicConfig } from '@apogee/remoting';
import { defineCommand, Opt, type OutputBlock } from '../../command.js';
import { UsageError } from '../../errors.js';
import { brokerNameOfAddr, brokerOrCluster, brokerOrClusterOptions, type BrokerOutcome, brokerOutcomes, eachBroker, exitStatusOfAll, mastersOfCluster } from '../broker-targets.js';
import { formatTopicConfig, topicOption } from './topic-configs.js';

/** NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG */
export const ORDER_TOPIC_CONFIG_NAMESPACE = 'ORDER_TOPIC_CONFIG';

/** TopicSysFlag bits */
const FLAG_UNIT = 1;
const FLAG_UNIT_SUB = 2;

export interface UpdateTopicResult {
  /** what was sent; attributes without their `+` */
  topicConfig: TopicConfig;
  brokers: BrokerOutcome[];
  /** the ORDER_TOPIC_CONFIG value put on the NameServers for an ordered topic */
  orderConf?: string;
}

export const updateTopic = defineCommand({
  name: 'updateTopic',
  summary: 'Update or create topic',
  options: [
    ...brokerOrClusterOptions('create topic to'),
    { flags: '-a, --attributes <+key=value,...>', description: 'topic attributes to add or change, e.g. +message.type=FIFO' },
    Opt.topic(),
    { flags: '-r, --readQueueNums <n>', description: 'read queue nums (default 8)' },
    { flags: '-w, --writeQueueNums <n>', description: 'write queue nums (default 8)' },
    { flags: '-p, --perm <perm>', description: "topic's permission, 2:W 4:R 6:RW (default 6)" },
    { flags: '-o, --order <true|false>', description: 'ordered topic (default false)' },
    { flags: '-u, --unit <true|false>', description: 'unit topic (default false)' },
    { flags: '-s, --hasUnitSub <true|false>', description: 'has unit subscriptions (default false)' },
  ],
  async run(ctx, options) {
    const topic = topicOption(options);
    const target = brokerOrCluster(options);
    const signedAttributes = parseAttributes(options.optionalText('attributes'));
    const config: TopicConfig = {
      topicName: topic,
      readQueueNums: options.int('readQueueNums', 8, { min: 0 }),
      writeQueueNums: options.int('writeQueueNums', 8, { min: 0 }),
      perm: options.int('perm', 6, { min: 0, max: 7 }),
      topicFilterType: 'SINGLE_TAG',
      topicSysFlag: (options.bool('unit', false) ? FLAG_UNIT : 0) | (options.bool('hasUnitSub', false) ? FLAG_UNIT_SUB : 0),
      order: options.bool('order', false),
      attributes: Object.fromEntries(Object.entries(signedAttributes).map(([k, v]) => [k.slice(1), v])),
    };
    const admin = await ctx.admin();
    const shown = formatTopicConfig(config, signedAttributes);
    if (target.brokerAddr !== undefined) {
      await admin.createAndUpdateTopicConfig(target.brokerAddr, config);
      const lines: string[] = [];
      let orderConf: string | undefined;
      if (config.order) {
        const brokerName = await brokerNameOfAddr(admin, target.brokerAddr);
        const entry = `${brokerName}:${config.writeQueueNums}`;
        orderConf = mergeOrderConf(await admin.getKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic).catch(() => undefined), brokerName, entry);
        await admin.putKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic, orderConf);
        lines.push(`set broker orderConf. isOrder=true, orderConf=[${entry}]`);
      }
      lines.push(`create topic to ${target.brokerAddr} success.`, shown);
      const json: UpdateTopicResult = { topicConfig: config, brokers: [{ brokerAddr: target.brokerAddr, ok: true }], ...(orderConf === undefined ? {} : { orderConf }) };
      return { json, blocks: [lines.join('\n')] };
    }
    const masters = await mastersOfCluster(admin, target.clusterName);
    const results = await eachBroker(ctx, 'updateTopic', masters.map((m) => m.addr), (addr) => admin.createAndUpdateTopicConfig(addr, config));
    const blocks: OutputBlock[] = [results.map((r) => (r.ok ? `create topic to ${r.addr} success.` : `create topic to ${r.addr} failed: ${r.error}`)).join('\n')];
    let orderConf: string | undefined;
    // as in RocketMQ, where a failed broker ends the command before this step
    if (config.order && results.every((r) => r.ok)) {
      orderConf = [...new Set(masters.map((m) => m.brokerName))].map((name) => `${name}:${config.writeQueueNums}`).join(';');
      await admin.putKVConfig(ORDER_TOPIC_CONFIG_NAMESPACE, topic, orderConf);
      blocks.push(`set cluster orderConf. isOrder=true, orderConf=[${orderConf}]`);
    }
    blocks.push(shown);
    const json: UpdateTopicResult = {
      topicConfig: config,
      brokers: brokerOutcomes(results),
      ...(orderConf === undefined ? {} : { orderConf }),
    };
    return { json, blocks, exitStatus: exitStatusOfAll(results) };
  },
});

/**
 * RocketMQ's AttributeParser.parseToMap: `+key=value` entries (add or change), comma-separated,
 * a key at most once; keys keep their `+`. Removing (`-key`) is refused: the SDK's
 * createAndUpdateTopicConfig can only send additions.
 */
export function parseAttributes(text: string | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (text === undefined) return attributes;
  for (const entry of text.split(',')) {
    const eq = entry.indexOf('=');
    if (eq < 0) {
      if (/^-[^+=-]+$/.test(entry)) throw new UsageError(`option --attributes: removing an attribute (${entry}) is not supported by this mqadmin, only +key=value`);
      throw new UsageError(`option --attributes: ${JSON.stringify(entry)} is not +key=value`);
    }
    const key = entry.slice(0, eq);
    const value = entry.slice(eq + 1);
    if (!/^\+[^+=-][^+=]*$/.test(key) || value === '' || value.includes('=')) throw new UsageError(`option --attributes: ${JSON.stringify(entry)} is not +key=value`);
    if (key in attributes) throw new UsageError(`option --attributes: ${key.slice(1)} is given twice`);
    attributes[key] = value;
  }
  return attributes;
}

/** The topic's ORDER_TOPIC_CONFIG with `brokerName`'s pair replaced by `entry` (or added). */
function mergeOrderConf(old: string | undefined, brokerName: string, entry: string): string {
  const pairs = new Map<string, string>();
  for (const pair of (old ?? '').split(';')) if (pair.trim() !== '') pairs.set(pair.split(':')[0]!, pair);
  pairs.set(brokerName, entry);
  return [...pairs.values()].join(';');
}
