// RocketMQ ACL request signature (AclClientRPCHook / AclUtils / AclSigner, ACL 1.0 and the
// remoting path of ACL 2.0):
//   content   = values of all extFields except "Signature", sorted by key in Java String order
//               (UTF-16 code units, which is what Array.prototype.sort compares), concatenated
//               without separators and UTF-8 encoded, followed by the raw body bytes
//   Signature = base64(HmacSHA1(key = UTF-8 secretKey, data = content))

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { RemotingCommand } from '../protocol/remoting-command.js';

/** ext-field names, as SessionCredentials spells them. */
export const ACCESS_KEY = 'AccessKey';
export const SECRET_KEY = 'SecretKey';
export const SIGNATURE = 'Signature';
export const SECURITY_TOKEN = 'SecurityToken';
/** MixAll.UNIQUE_MSG_QUERY_FLAG: not signed by clients up to V4_9_3. */
export const UNIQUE_MSG_QUERY_FLAG = '_UNIQUE_KEY_QUERY';
/** MQVersion ordinal of V4_9_3. */
const V4_9_3 = 399;

/** Signature over `extFields` (minus Signature and `excludedKeys`) and `body`. */
export function computeAclSignature(
  extFields: Readonly<Record<string, string>>,
  body: Buffer | undefined,
  secretKey: string,
  excludedKeys: readonly string[] = [],
): string {
  let content = '';
  for (const key of Object.keys(extFields).sort()) {
    if (key === SIGNATURE || excludedKeys.includes(key)) continue;
    content += extFields[key];
  }
  const hmac = createHmac('sha1', Buffer.from(secretKey, 'utf8'));
  hmac.update(content, 'utf8');
  if (body !== undefined && body.length > 0) hmac.update(body);
  return hmac.digest('base64');
}

/**
 * Server side: true if the request's Signature matches the one computed with `secretKey` over
 * its extFields and body, using the broker's 5.x rule that requests from clients up to V4_9_3
 * did not sign _UNIQUE_KEY_QUERY. A missing Signature is false, never an exception.
 */
export function verifyAclSignature(request: RemotingCommand, secretKey: string): boolean {
  const extFields = request.extFields;
  if (extFields === undefined) return false;
  const received = extFields[SIGNATURE];
  if (received === undefined) return false;
  const excluded = request.version <= V4_9_3 ? [UNIQUE_MSG_QUERY_FLAG] : [];
  const expected = Buffer.from(computeAclSignature(extFields, request.body, secretKey, excluded), 'utf8');
  const actual = Buffer.from(received, 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
