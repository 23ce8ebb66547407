// Offset message id ("offsetMsgId"): where a message lives, as uppercase hex of
//
//   store host address  4 bytes (IPv4) or 16 bytes (IPv6)
//   store host port     int32
//   commit log offset   int64
//
// so 32 hex chars for an IPv4 broker and 56 for IPv6. Example: 192.168.0.1:10911 at offset 0 is
// C0A8000100002A9F0000000000000000. Clients send it back in END_TRANSACTION and VIEW_MESSAGE_BY_ID,
// and the broker recovers the commit log offset from it.

import { InvalidArgumentError } from './errors.js';
import { upperHexToBytes } from './hex.js';
import { readInt64BE } from './int64.js';
import {
  type SocketAddress,
  IPV4_ADDRESS_BYTES,
  IPV6_ADDRESS_BYTES,
  formatIPv4,
  formatIPv6,
  isIPv6Host,
  isValidPort,
  writeHostAddress,
} from './socket-address.js';

export const OFFSET_MESSAGE_ID_IPV4_CHARS = (IPV4_ADDRESS_BYTES + 4 + 8) * 2;
export const OFFSET_MESSAGE_ID_IPV6_CHARS = (IPV6_ADDRESS_BYTES + 4 + 8) * 2;

export type OffsetMessageIdResult =
  | { ok: true; storeHost: SocketAddress; commitLogOffset: number }
  | { ok: false; reason: string };

/** Throws InvalidArgumentError when the host is not an IP literal or the offset is not a safe integer. */
export function createOffsetMessageId(storeHost: SocketAddress, commitLogOffset: number): string {
  const addressBytes = isIPv6Host(storeHost.host) ? IPV6_ADDRESS_BYTES : IPV4_ADDRESS_BYTES;
  const address = Buffer.allocUnsafe(addressBytes);
  if (writeHostAddress(address, 0, storeHost.host) === 0) {
    throw new InvalidArgumentError('storeHost', `store host "${storeHost.host}" is not an IP literal`);
  }
  if (!isValidPort(storeHost.port)) {
    throw new InvalidArgumentError('storeHost', `store host port ${storeHost.port} is not 0..65535`);
  }
  if (!Number.isSafeInteger(commitLogOffset) || commitLogOffset < 0) {
    throw new InvalidArgumentError('commitLogOffset', `commit log offset ${commitLogOffset} is not a safe non-negative integer`);
  }
  let id = '';
  for (let i = 0; i < addressBytes; i++) id += HEX_BYTE[address[i]!]!;
  return id + hex32(storeHost.port) + hex32(Math.floor(commitLogOffset / TWO_POW_32)) + hex32(commitLogOffset >>> 0);
}

// Uppercase hex by table: the broker makes one id per stored message (Buffer hex + toUpperCase
// cost about three times as much).
const TWO_POW_32 = 4_294_967_296;
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

/** 8 uppercase hex chars of an unsigned 32-bit value. */
function hex32(value: number): string {
  return HEX_BYTE[value >>> 24]! + HEX_BYTE[(value >>> 16) & 0xff]! + HEX_BYTE[(value >>> 8) & 0xff]! + HEX_BYTE[value & 0xff]!;
}

/** Total: never throws. */
export function decodeOffsetMessageId(id: string): OffsetMessageIdResult {
  let addressBytes: number;
  if (id.length === OFFSET_MESSAGE_ID_IPV4_CHARS) addressBytes = IPV4_ADDRESS_BYTES;
  else if (id.length === OFFSET_MESSAGE_ID_IPV6_CHARS) addressBytes = IPV6_ADDRESS_BYTES;
  else {
    return {
      ok: false,
      reason: `offset message id has ${id.length} chars, expected ${OFFSET_MESSAGE_ID_IPV4_CHARS} (IPv4) or ${OFFSET_MESSAGE_ID_IPV6_CHARS} (IPv6)`,
    };
  }
  const bytes = upperHexToBytes(id);
  if (bytes === undefined) return { ok: false, reason: 'offset message id is not hex' };
  const host = addressBytes === IPV4_ADDRESS_BYTES ? formatIPv4(bytes, 0) : formatIPv6(bytes, 0);
  const port = bytes.readInt32BE(addressBytes);
  if (!isValidPort(port)) return { ok: false, reason: `offset message id has port ${port}, not 0..65535` };
  const commitLogOffset = readInt64BE(bytes, addressBytes + 4);
  if (!(commitLogOffset >= 0)) {
    return { ok: false, reason: 'offset message id has a negative or unsafe commit log offset' };
  }
  return { ok: true, storeHost: { host, port }, commitLogOffset };
}
