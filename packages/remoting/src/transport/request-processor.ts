// The contract between the transport and whoever answers requests (broker, namesrv and client
// processors). A processor sees a Channel, never a socket.

import type { RemotingCommand } from '../protocol/remoting-command.js';
import type { RemotingError } from '../errors.js';
import type { Channel } from './channel.js';

export interface RequestContext {
  /** The connection the request arrived on; answer later through the returned promise. */
  readonly channel: Channel;
}

export interface RequestProcessor {
  /**
   * Handle one request. Return the response (build it with createResponseCommand(request, ...)
   * so that it carries the request's serialize type), or null to send nothing. The transport
   * sets the opaque and the response flag, and never answers a oneway request. A throw or a
   * rejected promise is answered with SYSTEM_ERROR and the error's text.
   */
  process(ctx: RequestContext, request: RemotingCommand): Promise<RemotingCommand | null> | RemotingCommand | null;
  /** True to answer SYSTEM_BUSY "[REJECTREQUEST]..." without calling process (flow control). */
  rejectRequest?(): boolean;
}

/** The outcome of an asynchronous invoke, delivered to its callback exactly once. */
export type InvokeResult = { ok: true; response: RemotingCommand } | { ok: false; error: RemotingError };

export type InvokeCallback = (result: InvokeResult) => void;
