// queryMsgById -t topic -i msgId[,msgId…] [-f charset] [-c cluster]: each message's detail block
// (body written to <tmpdir>/rocketmq/msgbodys/<msgId>) and which consumer groups consumed it.
// An id that is not an offset message id is looked up as a unique key, as RocketMQ does.
//   -g group -d clientId: that push consumer consumes each message now (consumeMessageDirectly).
//   -s true: each message is sent again to its topic.
// Several ids: one failure does not stop the others; it is reported and the exit status is 1.

import { Message } from '@apogee/common';
import { DefaultMQProducer } from '@apogee/client';
import { type OutputBlock, Opt, defineCommand } from '../../command.js';
import type { CommandContext } from '../../context.js';
import { ExitStatus, describeError } from '../../errors.js';
import { type MessageDetail, bodyFormatOption, messageDetail, messageIdList } from './message-detail.js';
import { ClusterFilter, type ConsumeDirectlyRow, consumeDirectly, consumeDirectlyLine, directTarget, findMessage } from './message-lookup.js';
import { type SendResultRow, sendResultRow, sendResultTable } from './send-result-table.js';
import { MsgOpt } from './message-options.js';

/** -s true: what resending one id did. */
export interface ResendRow {
  originalMsgId: string;
  sendResult?: SendResultRow;
  error?: string;
}

/** One id of a plain lookup: its detail, or why it could not be shown. */
export interface QueryByIdRow {
  msgId: string;
  message?: MessageDetail;
  error?: string;
}

export const queryMsgById = defineCommand({
  name: 'queryMsgById',
  summary: 'Query Message by Id.',
  options: [
    Opt.topic(),
    { flags: '-i, --msgId <msgId>', description: 'message id (offset message id; several separated by ",")', required: true },
    Opt.group(false),
    MsgOpt.clientId,
    { flags: '-s, --sendMessage <true|false>', description: 'resend the message to its topic' },
    MsgOpt.bodyFormat,
    MsgOpt.cluster,
  ],
  async run(ctx, options) {
    const topic = options.text('topic');
    const ids = messageIdList(options);
    const cluster = ClusterFilter.of(options, topic);
    const target = directTarget(options);
    const resend = options.bool('sendMessage', false);
    const decode = bodyFormatOption(options);
    const admin = await ctx.admin();
    if (target !== undefined) {
      const rows: ConsumeDirectlyRow[] = [];
      for (const msgId of ids) rows.push(await consumeDirectly(admin, { msgId, ...target }, () => findMessage(admin, topic, msgId, cluster)));
      return { json: rows, blocks: rows.map(consumeDirectlyLine), ...failedIf(rows.some((r) => r.error !== undefined)) };
    }
    if (resend) return resendAll(ctx, topic, ids, cluster);
    const rows: QueryByIdRow[] = [];
    const blocks: OutputBlock[] = [];
    for (const msgId of ids) {
      try {
        const msg = await findMessage(admin, topic, msgId, cluster);
        const detail = await messageDetail(admin, msg, { withOffsetId: true, ...(decode === undefined ? {} : { decode }) });
        rows.push({ msgId, message: detail.json });
        if (blocks.length > 0) blocks.push('');
        blocks.push(...detail.blocks);
      } catch (err) {
        if (ids.length === 1) throw err;
        rows.push({ msgId, error: describeError(err) });
        blocks.push(`${msgId}: ${describeError(err)}`);
      }
    }
    return { json: rows, blocks, ...failedIf(rows.some((r) => r.error !== undefined)) };
  },
});

async function resendAll(ctx: CommandContext, topic: string, ids: readonly string[], cluster: ClusterFilter): Promise<{ json: ResendRow[]; blocks: OutputBlock[]; exitStatus?: ExitStatus }> {
  const admin = await ctx.admin();
  const producer = await ctx.started(new DefaultMQProducer({ ...ctx.clientOptions(), producerGroup: 'ReSendMsgById' }));
  const rows: ResendRow[] = [];
  for (const originalMsgId of ids) {
    try {
      const found = await findMessage(admin, topic, originalMsgId, cluster);
      const copy = new Message(found.topic, found.body, { properties: new Map(found.properties) });
      copy.flag = found.flag;
      rows.push({ originalMsgId, sendResult: sendResultRow(await producer.send(copy)) });
    } catch (err) {
      rows.push({ originalMsgId, error: describeError(err) });
    }
  }
  const failures = rows.filter((r) => r.error !== undefined).map((r) => `${r.originalMsgId}: ${r.error}`);
  const sent = rows.flatMap((r) => (r.sendResult === undefined ? [] : [r.sendResult]));
  return { json: rows, blocks: [...(sent.length > 0 ? [sendResultTable(sent)] : []), ...failures], ...failedIf(failures.length > 0) };
}

function failedIf(failed: boolean): { exitStatus?: ExitStatus } {
  return failed ? { exitStatus: ExitStatus.FAILED } : {};
}
