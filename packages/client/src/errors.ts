// The SDK's errors and the one place that decides what a response code means.
//
// Every client method turns a non-success response into an error with errorFromResponse(cmd,
// addr), and every retry loop asks retryClassOf(err) what to do next. Transport failures come
// from @apogee/remoting (RemotingTimeoutError, RemotingConnectError, ...); bad arguments are
// InvalidArgumentError from @apogee/common.

import { ApogeeError, InvalidArgumentError, InvariantError } from '@apogee/common';
import {
  RemotingConnectError, RemotingSendRequestError, RemotingTimeoutError, RemotingTooMuchRequestError,
  ResponseCode, responseCodeName, type RemotingCommand,
} from '@apogee/remoting';

/**
 * Client-side outcome codes (org.apache.rocketmq.client.common.ClientErrorCode), carried by
 * MQClientError.clientErrorCode.
 */
export const ClientErrorCode = {
  CONNECT_BROKER_EXCEPTION: 10001,
  ACCESS_BROKER_TIMEOUT: 10002,
  BROKER_NOT_EXIST_EXCEPTION: 10003,
  NO_NAME_SERVER_EXCEPTION: 10004,
  NOT_FOUND_TOPIC_EXCEPTION: 10005,
  REQUEST_TIMEOUT_EXCEPTION: 10006,
  CREATE_REPLY_MESSAGE_EXCEPTION: 10007,
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** A broker or NameServer answered `responseCode` (not a success) to a request sent to `brokerAddr`. */
export class MQBrokerError extends ApogeeError {
  constructor(
    readonly responseCode: number,
    readonly remark: string,
    readonly brokerAddr: string,
    options?: { cause?: unknown },
  ) {
    super(`CODE: ${responseCode} (${responseCodeName(responseCode)}) DESC: ${remark} BROKER: ${brokerAddr}`, options);
  }
}

/**
 * The client could not do what was asked for a reason of its own: no route for a topic, no
 * NameServer, a client not started, every send attempt failed (`cause` holds the last failure).
 * `clientErrorCode` mirrors Java's MQClientException response code where Java sets one.
 */
export class MQClientError extends ApogeeError {
  constructor(
    message: string,
    readonly clientErrorCode?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A response arrived with success code but a header or body the client cannot read. */
export class MalformedResponseError extends ApogeeError {
  constructor(
    readonly brokerAddr: string,
    readonly requestCode: number,
    readonly reason: string,
  ) {
    super(`bad response from ${brokerAddr} to request ${requestCode}: ${reason}`);
  }
}

/** The one mapping from a non-success response to an error. */
export function errorFromResponse(cmd: RemotingCommand, brokerAddr: string): MQBrokerError {
  return new MQBrokerError(cmd.code, cmd.remark ?? '', brokerAddr);
}

/**
 * What a caller should do after `err`:
 * - `never`: retrying cannot help (bad input, a bug, a code the broker means as final);
 * - `afterBackoff`: the same target is overloaded; wait, then try again;
 * - `refreshRoute`: the route is stale (topic not where we thought); refresh it, then retry;
 * - `switchBroker`: that broker is unreachable or refuses for now; try another one.
 */
export type RetryClass = 'never' | 'afterBackoff' | 'refreshRoute' | 'switchBroker';

// The producer's retryResponseCodes (DefaultMQProducer, 5.x): these send to another broker.
const SWITCH_BROKER_CODES: ReadonlySet<number> = new Set([
  ResponseCode.SERVICE_NOT_AVAILABLE,
  ResponseCode.SYSTEM_ERROR,
  ResponseCode.NO_PERMISSION,
  ResponseCode.NO_BUYER_ID,
  ResponseCode.NOT_IN_CURRENT_UNIT,
  ResponseCode.GO_AWAY,
]);
const BACKOFF_CODES: ReadonlySet<number> = new Set([ResponseCode.SYSTEM_BUSY, ResponseCode.FLOW_CONTROL]);
const REFRESH_ROUTE_CODES: ReadonlySet<number> = new Set([ResponseCode.TOPIC_NOT_EXIST, ResponseCode.NOT_LEADER_FOR_QUEUE]);

export function retryClassOf(err: unknown): RetryClass {
  if (err instanceof MQBrokerError) {
    if (REFRESH_ROUTE_CODES.has(err.responseCode)) return 'refreshRoute';
    if (BACKOFF_CODES.has(err.responseCode)) return 'afterBackoff';
    if (SWITCH_BROKER_CODES.has(err.responseCode)) return 'switchBroker';
    return 'never';
  }
  if (err instanceof RemotingTooMuchRequestError) return 'afterBackoff';
  if (err instanceof RemotingTimeoutError || err instanceof RemotingConnectError || err instanceof RemotingSendRequestError) return 'switchBroker';
  if (err instanceof MalformedResponseError) return 'switchBroker';
  if (err instanceof MQClientError) {
    return err.clientErrorCode === ClientErrorCode.NOT_FOUND_TOPIC_EXCEPTION || err.clientErrorCode === ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION
      ? 'refreshRoute'
      : 'never';
  }
  if (err instanceof InvalidArgumentError || err instanceof InvariantError) return 'never';
  return 'never';
}

/** Response codes of a send that still mean "stored" (a SendResult, not an error). */
export const SEND_STORED_CODES: ReadonlySet<number> = new Set([
  ResponseCode.SUCCESS,
  ResponseCode.FLUSH_DISK_TIMEOUT,
  ResponseCode.FLUSH_SLAVE_TIMEOUT,
  ResponseCode.SLAVE_NOT_AVAILABLE,
]);
