// Client-side ACL signing (RocketMQ AclClientRPCHook): before each request add AccessKey (and
// SecurityToken if configured) to extFields, then sign every ext field and the body.

import { InvalidArgumentError } from '@apogee/common';
import type { RemotingCommand } from '../protocol/remoting-command.js';
import { ACCESS_KEY, computeAclSignature, SECURITY_TOKEN, SIGNATURE } from './acl-signature.js';
import type { RPCHook } from './rpc-hook.js';

export interface SessionCredentials {
  readonly accessKey: string;
  readonly secretKey: string;
  /** Optional; sent and signed as SecurityToken when set. */
  readonly securityToken?: string;
}

export class AclClientRPCHook implements RPCHook {
  readonly sessionCredentials: SessionCredentials;

  constructor(credentials: SessionCredentials) {
    if (credentials.accessKey.length === 0) throw new InvalidArgumentError('accessKey', 'accessKey must not be empty');
    if (credentials.secretKey.length === 0) throw new InvalidArgumentError('secretKey', 'secretKey must not be empty');
    this.sessionCredentials = { ...credentials };
  }

  doBeforeRequest(_remoteAddr: string, request: RemotingCommand): void {
    const { accessKey, secretKey, securityToken } = this.sessionCredentials;
    const extFields = (request.extFields ??= {});
    extFields[ACCESS_KEY] = accessKey;
    if (securityToken !== undefined) extFields[SECURITY_TOKEN] = securityToken;
    // A resent command still carries its old Signature; it is left out of the content.
    extFields[SIGNATURE] = computeAclSignature(extFields, request.body, secretKey);
  }

  doAfterResponse(_remoteAddr: string, _request: RemotingCommand, _response: RemotingCommand): void {}
}
