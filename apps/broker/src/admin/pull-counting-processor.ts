// Wraps the PULL_MESSAGE / LITE_PULL_MESSAGE processor and reports, for every answer with
// messages (code SUCCESS), how many a group pulled from a topic: RocketMQ's incGroupGetNums,
// which the pull processor itself does not expose. The answer goes back unchanged.
// The body of a found pull is the stored records back to back, each starting with its int32
// total size (reference §4.1), so counting walks those sizes without decoding anything.

import {
  type RemotingCommand, type RequestContext, type RequestProcessor, ResponseCode,
} from '@apogee/remoting';

export type PulledListener = (group: string, topic: string, messageCount: number) => void;

export class PullCountingProcessor implements RequestProcessor {
  readonly rejectRequest?: () => boolean;

  constructor(
    private readonly inner: RequestProcessor,
    private readonly onPulled: PulledListener,
  ) {
    const reject = inner.rejectRequest;
    if (reject !== undefined) this.rejectRequest = () => reject.call(inner);
  }

  async process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand | null> {
    const response = await this.inner.process(ctx, request);
    if (response !== null && response.code === ResponseCode.SUCCESS && response.body !== undefined) {
      const group = request.extFields?.['consumerGroup'];
      const topic = request.extFields?.['topic'];
      if (group !== undefined && topic !== undefined) this.onPulled(group, topic, countRecords(response.body));
    }
    return response;
  }
}

/** Records in a body of back-to-back stored messages; stops at a size that does not fit. */
export function countRecords(body: Buffer): number {
  let count = 0;
  let at = 0;
  while (at + 4 <= body.length) {
    const size = body.readInt32BE(at);
    if (size <= 0 || at + size > body.length) break;
    count++;
    at += size;
  }
  return count;
}
