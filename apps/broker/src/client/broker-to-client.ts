// Requests the broker sends to clients over their own connections (RocketMQ's Broker2Client):
// NOTIFY_CONSUMER_IDS_CHANGED now; CHECK_TRANSACTION_STATE, RESET_CONSUMER_CLIENT_OFFSET,
// GET_CONSUMER_RUNNING_INFO... belong here as their features land. Oneway sends never throw:
// a channel that is gone or saturated is logged and skipped.

import type { Logger } from '@apogee/common';
import {
  type Channel, type RemotingCommand, NotifyConsumerIdsChangedRequestHeader, RequestCode, createRequestCommand,
} from '@apogee/remoting';

/** What Broker2Client needs of the remoting server (RemotingServer implements it). */
export interface ClientRequestSender {
  invokeOneway(channel: Channel, request: RemotingCommand, timeoutMs: number): Promise<void>;
  invokeSync(channel: Channel, request: RemotingCommand, timeoutMs: number): Promise<RemotingCommand>;
}

/** Time to hand a oneway request to a channel's socket. */
export const ONEWAY_TO_CLIENT_TIMEOUT_MS = 3_000;

export class Broker2Client {
  constructor(
    private readonly sender: ClientRequestSender,
    private readonly log: Logger,
  ) {}

  /** Tells one consumer that its group's membership or topics changed; resolves when written (or failed). */
  async notifyConsumerIdsChanged(channel: Channel, consumerGroup: string): Promise<void> {
    if (!channel.isActive) return;
    const request = createRequestCommand(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, NotifyConsumerIdsChangedRequestHeader.encode({ consumerGroup }));
    try {
      await this.sender.invokeOneway(channel, request, ONEWAY_TO_CLIENT_TIMEOUT_MS);
    } catch (err) {
      this.log.warn({ err, group: consumerGroup, peer: channel.remoteAddress }, 'NOTIFY_CONSUMER_IDS_CHANGED not sent');
    }
  }
}
