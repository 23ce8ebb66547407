// sendMessage -t topic -p body [-k keys] [-c tags] [-b brokerName [-i queueId]] [-m true|false]:
// sends one message (body as UTF-8) and prints where it went: #Broker Name #QID #Send Result #MsgId.
// -b alone sends to one of that broker's queues (RocketMQ ignores -b without -i); -i needs -b.
// -m (message trace) is accepted and checked, but Apogee's producer does not write traces.

import { Message, validateTopicForSend } from '@apogee/common';
import { DefaultMQProducer } from '@apogee/client';
import { defineCommand, Opt } from '../../command.js';
import { CommandFailedError, UsageError } from '../../errors.js';
import { sendResultRow, sendResultTable } from './send-result-table.js';

export const sendMessage = defineCommand({
  name: 'sendMessage',
  summary: 'Send a message.',
  options: [
    Opt.topic(),
    { flags: '-p, --body <body>', description: 'UTF-8 string format of the message body', required: true },
    { flags: '-k, --key <keys>', description: 'message keys' },
    { flags: '-c, --tags <tags>', description: 'message tags' },
    { flags: '-b, --broker <brokerName>', description: 'send message to target broker' },
    { flags: '-i, --qid <queueId>', description: 'send message to target queue (needs -b)' },
    { flags: '-m, --msgTraceEnable <true|false>', description: 'message trace enable (accepted; Apogee writes no traces)' },
  ],
  async run(ctx, options) {
    const topic = options.text('topic');
    const valid = validateTopicForSend(topic);
    if (!valid.ok) throw new UsageError(valid.reason);
    const brokerName = options.optionalText('broker');
    const queueId = options.optionalInt('qid', { min: 0 });
    if (queueId !== undefined && brokerName === undefined) throw new UsageError('Broker name must be set if the queue is chosen! (-i needs -b)');
    options.bool('msgTraceEnable', false);
    const msg = new Message(topic, Buffer.from(options.text('body'), 'utf8'));
    const tags = options.optionalText('tags');
    if (tags !== undefined) msg.setTags(tags);
    const keys = options.optionalText('key');
    if (keys !== undefined) msg.setKeys(keys);

    const producer = await ctx.started(new DefaultMQProducer({ ...ctx.clientOptions(), producerGroup: String(Date.now()) }));
    let result;
    if (brokerName === undefined) {
      result = await producer.send(msg);
    } else {
      const queues = (await producer.fetchPublishMessageQueues(topic)).filter((q) => q.brokerName === brokerName);
      const mq = queueId === undefined ? queues[Math.floor(Math.random() * queues.length)] : queues.find((q) => q.queueId === queueId);
      if (mq === undefined) {
        const which = queueId === undefined ? 'no writable queue' : `no writable queue ${queueId}`;
        throw new CommandFailedError(`broker ${brokerName} has ${which} of topic ${topic}`);
      }
      result = await producer.sendToQueue(msg, mq);
    }
    const row = sendResultRow(result);
    return { json: row, blocks: [sendResultTable([row])] };
  },
});
