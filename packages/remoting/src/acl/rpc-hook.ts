// RocketMQ's RPCHook: code that runs around every request a RemotingClient sends.

import type { RemotingCommand } from '../protocol/remoting-command.js';

export interface RPCHook {
  /** Runs before the request is encoded; may add or change extFields (ACL signing does). */
  doBeforeRequest(remoteAddr: string, request: RemotingCommand): void;
  /** Runs when a response arrives for a request sent with invokeSync/invokeAsync. */
  doAfterResponse(remoteAddr: string, request: RemotingCommand, response: RemotingCommand): void;
}
