// Client unique message id (the UNIQ_KEY property; what SendResult.getMsgId() and a consumer's
// getMsgId() return), laid out as RocketMQ's MessageClientIDSetter does, as uppercase hex:
//
//   client IPv4 address   4 bytes   (4 fake bytes from the clock when there is no address)
//   pid                   2 bytes   low 16 bits
//   "class-loader hash"   4 bytes   constant per generator (Java: per JVM); random here
//   time                  4 bytes   ms since 00:00 local time on the 1st of the current month,
//                                   as an unsigned 32-bit value (a month fits: 31 d < 2^32 ms)
//   counter               2 bytes   increments, wraps at 65536
//
// 32 hex chars. Java writes a 16-byte address when its only usable address is IPv6; Apogee
// always uses the IPv4 form, which every reader accepts.

import { randomBytes } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { upperHexToBytes } from './hex.js';
import { IPV4_ADDRESS_BYTES, IPV6_ADDRESS_BYTES, hostAddressBytes } from './socket-address.js';

const PREFIX_BYTES = IPV4_ADDRESS_BYTES + 2 + 4;
const COUNTER_MODULUS = 0x10000;
const TWO_POW_32 = 4_294_967_296;

export interface UniqueMessageIdOptions {
  /** 4 address bytes; default: this host's first non-loopback IPv4, preferring a public one. */
  ipv4?: Buffer;
  /** Default process.pid. */
  pid?: number;
  /** Epoch ms source. Default Date.now. */
  nowMs?: () => number;
}

/** One id source. Ids from one generator are unique while fewer than 65536 are made per ms. */
export class UniqueMessageIdGenerator {
  private readonly prefixHex: string;
  private readonly nowMs: () => number;
  private monthStartMs = 0;
  private nextMonthStartMs = 0;
  private counter = 0;

  constructor(opts: UniqueMessageIdOptions = {}) {
    this.nowMs = opts.nowMs ?? Date.now;
    const prefix = Buffer.alloc(PREFIX_BYTES);
    const ip = opts.ipv4 ?? localIPv4() ?? fakeIPv4(this.nowMs());
    ip.copy(prefix, 0, 0, IPV4_ADDRESS_BYTES);
    prefix.writeUInt16BE((opts.pid ?? process.pid) & 0xffff, IPV4_ADDRESS_BYTES);
    randomBytes(4).copy(prefix, IPV4_ADDRESS_BYTES + 2);
    this.prefixHex = prefix.toString('hex').toUpperCase();
  }

  next(): string {
    const now = this.nowMs();
    // A clock stepped back across a month start recomputes the month rather than writing a
    // negative span (Java writes the negative int; readers then land in the wrong month).
    if (now >= this.nextMonthStartMs || now < this.monthStartMs) this.resetMonth(now);
    const spanMs = now - this.monthStartMs;
    const count = this.counter;
    this.counter = (this.counter + 1) % COUNTER_MODULUS;
    return this.prefixHex + hex8(spanMs) + hex4(count);
  }

  private resetMonth(now: number): void {
    this.monthStartMs = monthStartMs(now);
    const d = new Date(this.monthStartMs);
    this.nextMonthStartMs = new Date(d.getFullYear(), d.getMonth() + 1, 1).getTime();
  }
}

let processGenerator: UniqueMessageIdGenerator | undefined;

/** A new UNIQ_KEY from the process-wide generator (created on first use). */
export function createUniqueMessageId(): string {
  processGenerator ??= new UniqueMessageIdGenerator();
  return processGenerator.next();
}

/**
 * The creation time (epoch ms) of a unique id, read like MessageClientIDSetter.getNearlyTimeFromID:
 * the time field counts from the start of the current month, or of the previous month when that
 * would land after `nowMs`. (Java also steps back when it lands exactly on now; here an id made
 * in this very millisecond keeps its own month.) Undefined when `id` is not 32 or 56 hex chars.
 */
export function uniqueMessageIdTimestamp(id: string, nowMs: number = Date.now()): number | undefined {
  if (id.length !== 32 && id.length !== 56) return undefined;
  const bytes = upperHexToBytes(id);
  if (bytes === undefined) return undefined;
  const addressBytes = bytes.length === 28 ? IPV6_ADDRESS_BYTES : IPV4_ADDRESS_BYTES;
  const spanMs = bytes.readUInt32BE(addressBytes + 2 + 4);
  let start = monthStartMs(nowMs);
  if (start + spanMs > nowMs) {
    const d = new Date(start);
    start = new Date(d.getFullYear(), d.getMonth() - 1, 1).getTime();
  }
  return start + spanMs;
}

/** 00:00:00.000 local time on the 1st of the month containing `epochMs`. */
export function monthStartMs(epochMs: number): number {
  const d = new Date(epochMs);
  return new Date(d.getFullYear(), d.getMonth(), 1).getTime();
}

function hex8(value: number): string {
  return value.toString(16).toUpperCase().padStart(8, '0');
}

function hex4(value: number): string {
  return value.toString(16).toUpperCase().padStart(4, '0');
}

function localIPv4(): Buffer | undefined {
  let privateAddress: Buffer | undefined;
  for (const infos of Object.values(networkInterfaces())) {
    for (const info of infos ?? []) {
      if (info.family !== 'IPv4' || info.internal) continue;
      const bytes = hostAddressBytes(info.address);
      if (bytes === undefined) continue;
      if (!isPrivateIPv4(bytes)) return bytes;
      privateAddress ??= bytes;
    }
  }
  return privateAddress;
}

// 10/8, 172.16/12, 192.168/16 (RocketMQ's isInternalIP).
function isPrivateIPv4(b: Buffer): boolean {
  const [a = 0, second = 0] = b;
  return a === 10 || (a === 172 && second >= 16 && second <= 31) || (a === 192 && second === 168);
}

// Java's createFakeIP: the low 4 bytes of the current time in ms.
function fakeIPv4(nowMs: number): Buffer {
  const bytes = Buffer.alloc(IPV4_ADDRESS_BYTES);
  bytes.writeUInt32BE(nowMs % TWO_POW_32, 0);
  return bytes;
}
