// Small helpers every request processor (namesrv, broker, client-side) uses to turn a request's
// ext fields into a typed header and to answer without boilerplate.

import type { HeaderDef, HeaderFields, DecodedHeader } from './protocol/header-def.js';
import { createResponseCommand, type RemotingCommand } from './protocol/remoting-command.js';
import { ResponseCode } from './protocol/response-code.js';

export type DecodedRequest<F extends HeaderFields> =
  | { ok: true; header: DecodedHeader<F> }
  | { ok: false; response: RemotingCommand };

/**
 * The request's typed header, or the answer Java gives when a header cannot be decoded:
 * SYSTEM_ERROR with the reason (Java throws RemotingCommandException, answered as code 1).
 */
export function decodeRequestHeader<F extends HeaderFields>(def: HeaderDef<F>, request: RemotingCommand): DecodedRequest<F> {
  const decoded = def.decode(request.extFields);
  if (decoded.ok) return { ok: true, header: decoded.value };
  return { ok: false, response: createResponseCommand(request, ResponseCode.SYSTEM_ERROR, `${def.name}: ${decoded.reason}`) };
}

/** SUCCESS with an optional body and ext fields. */
export function successResponse(request: RemotingCommand, body?: Buffer, extFields?: Record<string, string>): RemotingCommand {
  return createResponseCommand(request, ResponseCode.SUCCESS, undefined, extFields, body);
}

/** A non-success answer with a remark (our wording) naming what was wrong. */
export function errorResponse(request: RemotingCommand, code: number, remark: string): RemotingCommand {
  return createResponseCommand(request, code, remark);
}
