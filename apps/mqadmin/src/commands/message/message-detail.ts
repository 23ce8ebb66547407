// What queryMsgById, queryMsgByUniqueKey and queryMsgByOffset print for a message they found: the
// detail block, the body written to a file, and the consumer groups' track table.

import type { MessageExt } from '@apogee/common';
import type { DefaultMQAdminExt } from '@apogee/client';
import type { OutputBlock } from '../../command.js';
import { UsageError } from '../../errors.js';
import type { CommandOptions } from '../../options.js';
import { type MessageTrack, trackBlock, tracksOrError } from './message-track.js';
import { type MessageView, bodyDecoder, detailBlock, messageView, writeBodyFile } from './message-view.js';

/** One message as the query commands' `--json` prints it. */
export interface MessageDetail extends MessageView {
  /** the file the body was written to */
  bodyPath: string;
  /** the body decoded with -f (bodyFormat), when asked for */
  body?: string;
  /** consumer groups of the topic and whether each consumed the message */
  tracks: MessageTrack[];
  /** why the tracks could not be read, when they could not */
  trackError?: string;
}

export interface DetailOptions {
  readonly withOffsetId: boolean;
  /** >0: the body file gets `_index` (queryMsgByUniqueKey -a) */
  readonly index?: number;
  readonly decode?: (body: Buffer) => string;
}

export interface DetailOutput {
  readonly json: MessageDetail;
  readonly blocks: OutputBlock[];
}

export async function messageDetail(admin: DefaultMQAdminExt, msg: MessageExt, options: DetailOptions): Promise<DetailOutput> {
  const view = messageView(msg);
  const bodyPath = await writeBodyFile(msg, options.index ?? 0);
  const body = options.decode?.(msg.body);
  const { tracks, trackError } = await tracksOrError(admin, msg);
  const json: MessageDetail = { ...view, bodyPath, ...(body === undefined ? {} : { body }), tracks, ...(trackError === undefined ? {} : { trackError }) };
  const blocks: OutputBlock[] = [detailBlock(view, { withOffsetId: options.withOffsetId, bodyPath, ...(body === undefined ? {} : { bodyText: body }) })];
  blocks.push('', trackError === undefined ? trackBlock(tracks) : `WARN: consumer tracks unavailable: ${trackError}`);
  return { json, blocks };
}

/** -f/--bodyFormat <charset>: a body decoder, or undefined when not given. */
export function bodyFormatOption(options: CommandOptions): ((body: Buffer) => string) | undefined {
  const charset = options.optionalText('bodyFormat');
  return charset === undefined ? undefined : bodyDecoder(charset, 'bodyFormat');
}

/** -i with several comma-separated ids, blanks dropped (as RocketMQ splits them). */
export function messageIdList(options: CommandOptions): string[] {
  const ids = options.text('msgId').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (ids.length === 0) throw new UsageError('option --msgId names no message id');
  return ids;
}
