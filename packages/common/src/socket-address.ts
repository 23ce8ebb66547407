// Socket addresses as RocketMQ writes them: text "ip:port" (IPv6 in brackets) in headers and
// route data, and raw bytes (4 or 16 address bytes, then an int32 port) inside message records
// and message ids.
//
// Hosts are IP literals only. IPv6 hosts are kept in RFC 5952 canonical text (lowercase,
// shortest form) so that an address read back from bytes equals the one that was written.

import { InvalidArgumentError } from './errors.js';

export interface SocketAddress {
  host: string;
  port: number;
}

export const IPV4_ADDRESS_BYTES = 4;
export const IPV6_ADDRESS_BYTES = 16;
export const PORT_MAX = 65_535;

/**
 * "127.0.0.1:10911", "[::1]:10911", and also "::1:10911" (RocketMQ splits at the last colon).
 * Throws InvalidArgumentError naming what is wrong.
 */
export function parseSocketAddress(text: string): SocketAddress {
  const split = text.lastIndexOf(':');
  if (split <= 0) throw badAddress(text, 'expected host:port');
  let hostText = text.slice(0, split);
  const portText = text.slice(split + 1);
  if (hostText.startsWith('[')) {
    if (!hostText.endsWith(']')) throw badAddress(text, 'unclosed [ around the IPv6 host');
    hostText = hostText.slice(1, -1);
  }
  const host = canonicalHost(hostText);
  if (host === undefined) throw badAddress(text, `host "${hostText}" is not an IPv4 or IPv6 literal`);
  if (!/^\d{1,5}$/.test(portText)) throw badAddress(text, `port "${portText}" is not a decimal number`);
  const port = Number(portText);
  if (port > PORT_MAX) throw badAddress(text, `port ${port} > ${PORT_MAX}`);
  return { host, port };
}

export function formatSocketAddress(addr: SocketAddress): string {
  return isIPv6Host(addr.host) ? `[${addr.host}]:${addr.port}` : `${addr.host}:${addr.port}`;
}

export function isIPv6Host(host: string): boolean {
  return host.includes(':');
}

export function isValidPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= PORT_MAX;
}

/** The canonical text of an IP literal, or undefined when `host` is not one. */
export function canonicalHost(host: string): string | undefined {
  if (!isIPv6Host(host)) return parseIPv4Into(host, undefined, 0) ? host : undefined;
  const bytes = Buffer.allocUnsafe(IPV6_ADDRESS_BYTES);
  return parseIPv6Into(host, bytes, 0) ? formatIPv6(bytes, 0) : undefined;
}

/** 4 or 16 address bytes, or undefined when `host` is not an IP literal. */
export function hostAddressBytes(host: string): Buffer | undefined {
  const bytes = Buffer.allocUnsafe(isIPv6Host(host) ? IPV6_ADDRESS_BYTES : IPV4_ADDRESS_BYTES);
  return writeHostAddress(bytes, 0, host) === 0 ? undefined : bytes;
}

/** Writes the address bytes of `host` at `offset`; returns 4 or 16, or 0 when it is not an IP literal. */
export function writeHostAddress(buf: Buffer, offset: number, host: string): number {
  if (isIPv6Host(host)) return parseIPv6Into(host, buf, offset) ? IPV6_ADDRESS_BYTES : 0;
  return parseIPv4Into(host, buf, offset) ? IPV4_ADDRESS_BYTES : 0;
}

export function formatIPv4(buf: Buffer, offset: number): string {
  return `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
}

/** RFC 5952: lowercase hex, no leading zeros, the first longest run (>= 2) of zero groups as "::". */
export function formatIPv6(buf: Buffer, offset: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(offset + i * 2));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && groups[end] === 0) end++;
    if (end - i > bestLength) {
      bestStart = i;
      bestLength = end - i;
    }
    i = end;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

function badAddress(text: string, why: string): InvalidArgumentError {
  return new InvalidArgumentError('address', `invalid socket address "${text}": ${why}`);
}

// Strict dotted quad: four decimal parts 0..255, no leading zeros, nothing else. Parses without
// allocating because the record encoder calls it twice per message.
function parseIPv4Into(text: string, out: Buffer | undefined, offset: number): boolean {
  let part = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a virtual '.' closes the last part
    if (c === 46) {
      if (digits === 0 || part > 3) return false;
      if (out !== undefined) out[offset + part] = value;
      part++;
      value = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && value === 0) return false; // leading zero
      value = value * 10 + (c - 48);
      digits++;
      if (value > 255) return false;
    } else {
      return false;
    }
  }
  return part === 4;
}

function parseIPv6Into(text: string, out: Buffer, offset: number): boolean {
  const gap = text.indexOf('::');
  if (gap !== -1 && text.indexOf('::', gap + 1) !== -1) return false;
  const head = parseIPv6Groups(gap === -1 ? text : text.slice(0, gap), gap === -1);
  const tail = gap === -1 ? [] : parseIPv6Groups(text.slice(gap + 2), true);
  if (head === undefined || tail === undefined) return false;
  const count = head.length + tail.length;
  if (gap === -1 ? count !== 8 : count > 7) return false;
  const words = [...head, ...new Array<number>(8 - count).fill(0), ...tail];
  for (let i = 0; i < 8; i++) out.writeUInt16BE(words[i] ?? 0, offset + i * 2);
  return true;
}

// Colon-separated hex groups; the last one may be an embedded dotted quad (two groups).
function parseIPv6Groups(text: string, mayEndWithIPv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const words: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? '';
    if (i === parts.length - 1 && mayEndWithIPv4 && part.includes('.')) {
      const quad = Buffer.allocUnsafe(IPV4_ADDRESS_BYTES);
      if (!parseIPv4Into(part, quad, 0)) return undefined;
      words.push(quad.readUInt16BE(0), quad.readUInt16BE(2));
    } else {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(part)) return undefined;
      words.push(parseInt(part, 16));
    }
  }
  return words;
}
