// What the three header codecs share: the logical header (a RemotingCommand without body and
// serialize type), the result type of their decoders, and the checks an encoder makes before it
// writes. Encoders throw InvalidArgumentError for a command no peer could decode (a bug in the
// caller); decoders never throw.

import { InvalidArgumentError } from '@apogee/common';
import { LanguageCode, type LanguageName, type RemotingCommand, type SerializeType } from '../protocol/remoting-command.js';
import { REASON_EXCERPT_CHARS_MAX } from '../limits.js';

/** The fields a header carries: a RemotingCommand without its body and serialize type. */
export type RemotingHeader = Omit<RemotingCommand, 'body' | 'serializeType'>;

export type HeaderDecodeResult = { ok: true; header: RemotingHeader } | { ok: false; reason: string };

export interface HeaderCodec {
  readonly serializeType: SerializeType;
  /** The header bytes alone. */
  encode(header: RemotingHeader): Buffer;
  /** Total: a result for any input. */
  decode(buf: Buffer): HeaderDecodeResult;
  /**
   * The header written at `prefixBytes` into a fresh buffer of prefixBytes + header + suffixBytes;
   * the header's size is `buf.length - prefixBytes - suffixBytes`. Lets the frame encoder write
   * prefix, header and body into one allocation.
   */
  encodeInto(header: RemotingHeader, prefixBytes: number, suffixBytes: number): Buffer;
}

const INT32_MIN = -0x8000_0000;
const INT32_MAX = 0x7fff_ffff;
const INT16_MIN = -0x8000;
const INT16_MAX = 0x7fff;

const LANGUAGE_BY_BYTE: readonly LanguageName[] = (() => {
  const names: LanguageName[] = [];
  for (const name of Object.keys(LanguageCode) as LanguageName[]) names[LanguageCode[name]] = name;
  return names;
})();

export function isInt32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX;
}

export function isInt16(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= INT16_MIN && n <= INT16_MAX;
}

/**
 * The language for a LanguageCode byte. A byte this version does not know (a newer peer) reads
 * as OTHER rather than failing the frame: the language is informational.
 */
export function languageOfByte(code: number): LanguageName {
  return LANGUAGE_BY_BYTE[code] ?? 'OTHER';
}

/** The language for a name as Java writes it; unknown names read as OTHER (see languageOfByte). */
export function languageOfName(name: string): LanguageName {
  return Object.hasOwn(LanguageCode, name) ? (name as LanguageName) : 'OTHER';
}

/** Sets an own property, also for the key "__proto__" (plain assignment would change the prototype). */
export function setOwn(target: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** The numeric fields every codec writes; throws for values no codec can carry. */
export function checkHeaderForEncode(header: RemotingHeader): void {
  if (!isInt32(header.code)) throw new InvalidArgumentError('code', `code ${String(header.code)} is not an int32`);
  if (!isInt32(header.opaque)) throw new InvalidArgumentError('opaque', `opaque ${String(header.opaque)} is not an int32`);
  if (!isInt32(header.flag)) throw new InvalidArgumentError('flag', `flag ${String(header.flag)} is not an int32`);
  if (!isInt32(header.version)) throw new InvalidArgumentError('version', `version ${String(header.version)} is not an int32`);
  if (!Object.hasOwn(LanguageCode, header.language)) {
    throw new InvalidArgumentError('language', `unknown language ${String(header.language)}`);
  }
  if (header.remark !== undefined && typeof header.remark !== 'string') {
    throw new InvalidArgumentError('remark', 'remark must be a string');
  }
}

/** Throws unless an ext-field value is a string; null/undefined values are skipped by encoders (as Java skips nulls). */
export function isWritableExtValue(key: string, value: unknown): value is string {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'string') {
    throw new InvalidArgumentError('extFields', `ext field ${key} must be a string, got ${typeof value}`);
  }
  return true;
}

/** A short quote of outside text for a reason string. */
export function excerpt(text: string): string {
  return text.length <= REASON_EXCERPT_CHARS_MAX ? text : `${text.slice(0, REASON_EXCERPT_CHARS_MAX)}...`;
}
