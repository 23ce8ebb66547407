// Errors raised by the remoting transport. Each carries what a caller needs to decide what to do
// next (which address, which request, which limit); the SDK maps them to retry classes.
// A non-success *response* is not an error here: invokeSync resolves with it, and the SDK's
// errorFromResponse() decides what the code means.

import { ApogeeError } from '@apogee/common';

/** No response arrived within `timeoutMs` for the request with `opaque` sent to `addr`. */
export class RemotingTimeoutError extends ApogeeError {
  constructor(
    readonly addr: string,
    readonly opaque: number,
    readonly timeoutMs: number,
    message = `wait response on ${addr} timeout, ${timeoutMs}(ms), opaque ${opaque}`,
  ) {
    super(message);
  }
}

/** A connection to `addr` could not be opened (refused, unreachable, connect timeout, bad address). */
export class RemotingConnectError extends ApogeeError {
  constructor(
    readonly addr: string,
    message = `connect to ${addr} failed`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The connection to `addr` closed (peer vanished, idle close, local shutdown) while a request
 * was waiting for its response, or a call was made on a closed client. Extends
 * RemotingConnectError so that "the connection to that address failed" is one check.
 */
export class RemotingClosedError extends RemotingConnectError {
  constructor(
    addr: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(addr, `connection to ${addr} closed: ${reason}`, options);
  }
}

/** The request could not be written to the connection to `addr` (encode failure, write error). */
export class RemotingSendRequestError extends ApogeeError {
  constructor(
    readonly addr: string,
    message = `send request to ${addr} failed`,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A bounded table (pending requests, async or oneway requests in flight) is full at `limit`. */
export class RemotingTooMuchRequestError extends ApogeeError {
  constructor(
    readonly limit: number,
    message = `too many requests in flight (limit ${limit})`,
  ) {
    super(message);
  }
}

/** Every error the transport hands to a caller of invokeSync/invokeAsync/invokeOneway. */
export type RemotingError =
  | RemotingTimeoutError
  | RemotingConnectError
  | RemotingSendRequestError
  | RemotingTooMuchRequestError;
