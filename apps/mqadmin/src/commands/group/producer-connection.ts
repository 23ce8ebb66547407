// producerConnection -g producerGroup -t topic: the group's producers connected to a broker that
// hosts the topic, numbered as RocketMQ numbers them (0001, 0002…), with #ClientId #ClientAddr
// #Language #Version. A group with no producer there is a failure naming it (exit 1).

import { ResponseCode } from '@apogee/remoting';
import { defineCommand, Opt } from '../../command.js';
import { CommandFailedError, describeError } from '../../errors.js';
import { type ConnectionRow, connectionRows, connectionTable, errorCodeOf, explainTopicError } from './group-support.js';

export interface ProducerConnectionJson {
  group: string;
  topic: string;
  connections: ConnectionRow[];
}

export const producerConnection = defineCommand({
  name: 'producerConnection',
  summary: 'Query producer\'s socket connection and client version',
  options: [{ flags: '-g, --producerGroup <group>', description: 'producer group name', required: true }, Opt.topic()],
  async run(ctx, options) {
    const group = options.text('producerGroup');
    const topic = options.text('topic');
    const admin = await ctx.admin();
    let connections: ConnectionRow[];
    try {
      connections = connectionRows((await admin.examineProducerConnectionInfo(group, topic)).connectionSet);
    } catch (err) {
      switch (errorCodeOf(err)) {
        case ResponseCode.TOPIC_NOT_EXIST: throw explainTopicError(err, topic);
        case ResponseCode.SYSTEM_ERROR: throw new CommandFailedError(`producer group ${group} has no producer connected to the broker of topic ${topic} (${describeError(err)})`);
        default: throw err;
      }
    }
    const json: ProducerConnectionJson = { group, topic, connections };
    return { json, blocks: [connectionTable(connections, true)] };
  },
});
