// deleteTopic -t topic -c cluster: deletes the topic from every master of the cluster
// (DELETE_TOPIC_IN_BROKER) and then from every NameServer (DELETE_TOPIC_IN_NAMESRV), printing a
// line for each as RocketMQ does. Unlike RocketMQ, a topic that neither the NameServer nor any
// master of the cluster knows is an error (exit 1, TOPIC_NOT_EXIST) rather than a silent success;
// a topic only some of them still know (a half-finished delete) is deleted.

import type { DefaultMQAdminExt } from '@apogee/client';
import { defineCommand, Opt } from '../../command.js';
import { CommandFailedError } from '../../errors.js';
import { mastersOfCluster } from '../broker-targets.js';
import { isTopicNotExist } from './topic-configs.js';

export interface DeleteTopicResult {
  topic: string;
  clusterName: string;
  /** the masters it was deleted from */
  brokerAddrs: string[];
}

export const deleteTopic = defineCommand({
  name: 'deleteTopic',
  summary: 'Delete topic from broker and NameServer',
  options: [Opt.topic(), { ...Opt.cluster(true), description: 'delete topic from which cluster' }],
  async run(ctx, options) {
    const topic = options.text('topic');
    const clusterName = options.text('clusterName');
    const admin = await ctx.admin();
    const brokerAddrs = (await mastersOfCluster(admin, clusterName)).map((m) => m.addr);
    if (!(await isKnownAnywhere(admin, topic, brokerAddrs))) {
      throw new CommandFailedError(`topic ${topic} does not exist: neither the NameServer nor a master of cluster ${clusterName} knows it (TOPIC_NOT_EXIST)`);
    }
    await admin.deleteTopicInBroker(brokerAddrs, topic);
    await admin.deleteTopicInNameServer(topic, clusterName);
    const json: DeleteTopicResult = { topic, clusterName, brokerAddrs };
    return { json, blocks: [`delete topic [${topic}] from cluster [${clusterName}] success.\ndelete topic [${topic}] from NameServer success.`] };
  },
});

/** Whether the NameServer routes `topic` or one of `brokerAddrs` has its config (any other answer counts as maybe). */
async function isKnownAnywhere(admin: DefaultMQAdminExt, topic: string, brokerAddrs: readonly string[]): Promise<boolean> {
  const known = (lookup: Promise<unknown>): Promise<boolean> => lookup.then(() => true, (err: unknown) => !isTopicNotExist(err));
  if (await known(admin.examineTopicRouteInfo(topic))) return true;
  for (const addr of brokerAddrs) if (await known(admin.examineTopicConfig(addr, topic))) return true;
  return false;
}
