// fast-check arbitraries for remoting commands, and what a command looks like after a trip
// through a given serialize type (the forms that cannot carry a distinction collapse it).

import fc from 'fast-check';
import { LanguageCode, SerializeType, type LanguageName, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { wireSerializeTypeOf } from '../../src/codec/frame-encoder.js';

const INT32 = { min: -0x8000_0000, max: 0x7fff_ffff };
const INT16 = { min: -0x8000, max: 0x7fff };

/** Any Unicode text (all planes, no lone surrogates), so UTF-8 round trips are exact. */
export const unicodeText = (maxLength = 24): fc.Arbitrary<string> => fc.string({ unit: 'binary', maxLength });

export const languageName: fc.Arbitrary<LanguageName> = fc.constantFrom(...(Object.keys(LanguageCode) as LanguageName[]));

export const extFieldsArb: fc.Arbitrary<Record<string, string>> = fc.dictionary(unicodeText(12), unicodeText(40), { maxKeys: 12 });

/** A command any of the three codecs can carry; ROCKETMQ ones keep code and version in int16 (wider ones are covered separately). */
export function commandArb(serializeTypes: readonly SerializeType[] = [0, 1, 2]): fc.Arbitrary<RemotingCommand> {
  return fc.constantFrom(...serializeTypes).chain((serializeType) => {
    const narrow = serializeType === SerializeType.ROCKETMQ;
    return fc.record(
      {
        code: fc.integer(narrow ? INT16 : INT32),
        language: languageName,
        version: fc.integer(narrow ? INT16 : INT32),
        opaque: fc.integer(INT32),
        flag: fc.integer(INT32),
        remark: unicodeText(60),
        extFields: extFieldsArb,
        body: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
        serializeType: fc.constant(serializeType),
      },
      { requiredKeys: ['code', 'language', 'version', 'opaque', 'flag', 'serializeType'] },
    );
  });
}

/** What decoding the encoded command gives back. */
export function expectedAfterTrip(cmd: RemotingCommand): RemotingCommand {
  const serializeType = wireSerializeTypeOf(cmd);
  const out: RemotingCommand = {
    code: cmd.code, language: cmd.language, version: cmd.version, opaque: cmd.opaque, flag: cmd.flag, serializeType,
  };
  // ROCKETMQ writes an empty remark or ext map as length 0, which reads back as absent.
  const isBinary = serializeType === SerializeType.ROCKETMQ;
  if (cmd.remark !== undefined && !(isBinary && cmd.remark === '')) out.remark = cmd.remark;
  if (cmd.extFields !== undefined && !(isBinary && Object.keys(cmd.extFields).length === 0)) out.extFields = { ...cmd.extFields };
  if (cmd.body !== undefined && cmd.body.length > 0) out.body = cmd.body;
  return out;
}

/** A plain copy for toEqual: extFields as a normal object, body bytes compared by value. */
export function plain(cmd: RemotingCommand): Record<string, unknown> {
  const out: Record<string, unknown> = { ...cmd };
  if (cmd.extFields !== undefined) out.extFields = Object.fromEntries(Object.entries(cmd.extFields));
  if (cmd.body !== undefined) out.body = cmd.body.toString('hex');
  return out;
}

/** Splits `buf` at the given cut points (any numbers; taken modulo the length, sorted, deduplicated). */
export function splitAt(buf: Buffer, cuts: readonly number[]): Buffer[] {
  if (buf.length === 0) return [];
  const points = [...new Set(cuts.map((c) => Math.abs(c) % buf.length))].filter((c) => c > 0).sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    pieces.push(buf.subarray(start, p));
    start = p;
  }
  pieces.push(buf.subarray(start));
  return pieces;
}
