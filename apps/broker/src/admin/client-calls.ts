// Requests the admin codes send to consumer clients over their own connections (RocketMQ's
// Broker2Client.resetOffset / getConsumeStatus / callClient):
//   RESET_CONSUMER_CLIENT_OFFSET (220, oneway)   header topic, group, timestamp, isForce; body ResetOffsetBody
//   GET_CONSUMER_STATUS_FROM_CLIENT (221)        header topic, group; answered with GetConsumerStatusBody
//   GET_CONSUMER_RUNNING_INFO (307), CONSUME_MESSAGE_DIRECTLY (309): the admin's request, relayed
// Clients older than the MQVersion a request needs are not asked (RocketMQ refuses them).
// Oneway sends never throw: a channel that is gone is logged and counted as not reached.

import type { Logger } from '@apogee/common';
import {
  type Channel, type RemotingCommand, RequestCode, ResetOffsetRequestHeader, createRequestCommand,
} from '@apogee/remoting';
import type { ClientRequestSender } from '../client/broker-to-client.js';
import type { ClientChannelInfo } from '../client/client-channel-info.js';
import { CLIENT_CALL_TIMEOUT_MS, CLIENT_RESET_OFFSET_TIMEOUT_MS, CLIENT_STATUS_TIMEOUT_MS } from './admin-limits.js';

/** MQVersion ordinals (reference §1.6): 220/221 need V3_0_7_SNAPSHOT, 307/309 V3_1_8_SNAPSHOT. */
export const V3_0_7_SNAPSHOT = 28;
export const V3_1_8_SNAPSHOT = 62;

export interface ResetOffsetPush {
  readonly topic: string;
  readonly group: string;
  readonly timestamp: number;
  readonly isForce: boolean;
  /** ResetOffsetBody (or ResetOffsetBodyForC for a CPP admin) */
  readonly body: Buffer;
}

export class AdminClientCalls {
  constructor(
    private readonly sender: ClientRequestSender,
    private readonly log: Logger,
  ) {}

  /** Sends 220 to each client (all at once) and resolves with the client ids it was written to. */
  async pushResetOffset(clients: readonly ClientChannelInfo[], push: ResetOffsetPush): Promise<string[]> {
    const header = ResetOffsetRequestHeader.encode({ topic: push.topic, group: push.group, timestamp: push.timestamp, isForce: push.isForce });
    const sends = clients.map(async (client): Promise<string | undefined> => {
      if (client.version < V3_0_7_SNAPSHOT || !client.channel.isActive) return undefined;
      const request = createRequestCommand(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, header, push.body);
      try {
        await this.sender.invokeOneway(client.channel, request, CLIENT_RESET_OFFSET_TIMEOUT_MS);
        return client.clientId;
      } catch (err) {
        this.log.warn({ err, group: push.group, topic: push.topic, clientId: client.clientId }, 'RESET_CONSUMER_CLIENT_OFFSET not sent');
        return undefined;
      }
    });
    return (await Promise.all(sends)).filter((id): id is string => id !== undefined);
  }

  /** GET_CONSUMER_STATUS_FROM_CLIENT to one client: its response, or the error that prevented it. */
  async consumerStatus(channel: Channel, topic: string, group: string): Promise<RemotingCommand | Error> {
    const request = createRequestCommand(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, { topic, group });
    try {
      return await this.sender.invokeSync(channel, request, CLIENT_STATUS_TIMEOUT_MS);
    } catch (err) {
      this.log.warn({ err, group, topic, peer: channel.remoteAddress }, 'GET_CONSUMER_STATUS_FROM_CLIENT failed');
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  /** Relays an admin request (same code, ext fields and body) to a client; throws what the call throws. */
  callClient(channel: Channel, code: number, request: RemotingCommand): Promise<RemotingCommand> {
    const relayed = createRequestCommand(code, { ...(request.extFields ?? {}) }, request.body);
    return this.sender.invokeSync(channel, relayed, CLIENT_CALL_TIMEOUT_MS);
  }
}
