// Golden frames, byte for byte.
// test/golden/*.json: hand-derived vectors (each says how in `source`): decode to `command`, and
// (unless decodeOnly) encode back to exactly `hex`; `typedHeader` names the header definition
// its ext fields must satisfy.
// test/golden/captured/*.json: frames captured from real RocketMQ 4.9.8 / 5.3.3 Java peers
// (filled by the interop work, read here): decode to the recorded header and re-encode to the
// same bytes.

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { encodeFrame } from '../../src/codec/frame-encoder.js';
import { decodeFrame } from '../../src/codec/frame-decoder.js';
import { JAVA_HASH_MAP_BUCKETS_ADD_EXT_FIELD, javaHashMapOrder } from '../../src/codec/java-hash-map-order.js';
import { SerializeType, type LanguageName, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import type { HeaderDef, HeaderFields } from '../../src/protocol/header-def.js';
import { PullMessageRequestHeader, PullMessageResponseHeader } from '../../src/protocol/headers/pull.js';
import { SendMessageRequestHeaderV2, SendMessageResponseHeader } from '../../src/protocol/headers/send.js';
import { UpdateConsumerOffsetRequestHeader } from '../../src/protocol/headers/consumer-offset.js';
import { GetRouteInfoRequestHeader } from '../../src/protocol/headers/namesrv.js';
import { plain } from './arbitraries.js';

interface GoldenCommand {
  code: number;
  language: LanguageName;
  version: number;
  opaque: number;
  flag: number;
  remark?: string;
  extFields?: Record<string, string>;
  bodyHex?: string;
}

interface Golden {
  source: string;
  serializeType: number;
  hex: string;
  decodeOnly?: boolean;
  command: GoldenCommand;
  typedHeader?: string;
}

interface Captured {
  source: string;
  serializeType: number;
  hex: string;
  header: {
    code: number; flag: number; opaque: number; language: LanguageName; version: number; remark?: string;
    extFields?: Record<string, string>; headerBytes: number; bodyBytes: number;
  };
}

const GOLDEN_DIR = new URL('../golden/', import.meta.url);
const CAPTURED_DIR = new URL('../golden/captured/', import.meta.url);

const TYPED_HEADERS: Record<string, HeaderDef<HeaderFields>> = {
  PullMessageRequestHeader, PullMessageResponseHeader, SendMessageRequestHeaderV2, SendMessageResponseHeader,
  UpdateConsumerOffsetRequestHeader, GetRouteInfoRequestHeader,
} as unknown as Record<string, HeaderDef<HeaderFields>>;

function readJson<T>(dir: URL, name: string): T {
  return JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as T;
}

function jsonFiles(dir: URL): string[] {
  return readdirSync(dir).filter((name) => name.endsWith('.json')).sort();
}

function commandOf(g: GoldenCommand, serializeType: number): RemotingCommand {
  const cmd: RemotingCommand = {
    code: g.code, language: g.language, version: g.version, opaque: g.opaque, flag: g.flag, serializeType: serializeType as SerializeType,
  };
  if (g.remark !== undefined) cmd.remark = g.remark;
  if (g.extFields !== undefined) cmd.extFields = g.extFields;
  if (g.bodyHex !== undefined && g.bodyHex.length > 0) cmd.body = Buffer.from(g.bodyHex, 'hex');
  return cmd;
}

function decodeHex(hex: string): RemotingCommand {
  const frame = Buffer.from(hex, 'hex');
  const result = decodeFrame(frame);
  if (result.kind !== 'frame') throw new Error(`golden frame did not decode: ${JSON.stringify(result)}`);
  expect(result.frameBytes).toBe(frame.length);
  return result.command;
}

describe('hand-derived golden frames', () => {
  const files = jsonFiles(GOLDEN_DIR);

  test('cover every serialize type', () => {
    const types = new Set(files.map((name) => readJson<Golden>(GOLDEN_DIR, name).serializeType));
    expect([...types].sort()).toEqual([SerializeType.JSON, SerializeType.ROCKETMQ, SerializeType.MSGPACK]);
  });

  for (const name of files) {
    test(name, () => {
      const golden = readJson<Golden>(GOLDEN_DIR, name);
      expect(golden.source.length).toBeGreaterThan(20);
      const expected = commandOf(golden.command, golden.serializeType);
      const decoded = decodeHex(golden.hex);
      expect(plain(decoded)).toEqual(plain(expected));
      if (golden.decodeOnly !== true) expect(encodeFrame(expected).toString('hex')).toBe(golden.hex);
      if (golden.typedHeader !== undefined) {
        const def = TYPED_HEADERS[golden.typedHeader];
        if (def === undefined) throw new Error(`unknown typed header ${golden.typedHeader}`);
        const typed = def.decode(decoded.extFields);
        expect(typed.ok, JSON.stringify(typed)).toBe(true);
        if (typed.ok) expect(def.encode(typed.value)).toEqual(golden.command.extFields);
      }
    });
  }
});

describe('frames captured from Apache RocketMQ (Java)', () => {
  const files = jsonFiles(CAPTURED_DIR);

  test('are present', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const name of files) {
    test(name, () => {
      const captured = readJson<Captured>(CAPTURED_DIR, name);
      const frame = Buffer.from(captured.hex, 'hex');
      const decoded = decodeHex(captured.hex);
      const { code, flag, opaque, language, version, remark, extFields, headerBytes, bodyBytes } = captured.header;
      expect(decoded).toMatchObject({ code, flag, opaque, language, version });
      expect(decoded.remark).toBe(remark);
      expect(decoded.extFields ?? {}).toEqual(extFields ?? {}); // the recorder writes {} for "no ext fields"
      expect(decoded.serializeType).toBe(captured.serializeType);
      expect(frame.readUInt32BE(4) & 0xff_ffff).toBe(headerBytes);
      expect(decoded.body?.length ?? 0).toBe(bodyBytes);
      const reencoded = encodeFrame(decoded);
      if (reencoded.equals(frame)) return;
      // The one way Java's bytes legitimately differ: a JSON header whose ext map was created by
      // addExtField (256 buckets) iterates in another order. Prove that is the case here.
      expect(decoded.serializeType).toBe(SerializeType.JSON);
      const wireOrder = Object.keys(decoded.extFields ?? {});
      expect(javaHashMapOrder(wireOrder, JAVA_HASH_MAP_BUCKETS_ADD_EXT_FIELD)).toEqual(wireOrder);
      expect(plain(decodeHex(reencoded.toString('hex')))).toEqual(plain(decoded));
    });
  }
});

describe('typed headers of captured Java frames', () => {
  const cases: Array<[string, HeaderDef<HeaderFields>]> = [
    ['pull-message-request', PullMessageRequestHeader as unknown as HeaderDef<HeaderFields>],
    ['pull-message-response', PullMessageResponseHeader as unknown as HeaderDef<HeaderFields>],
    ['send-message-v2-request', SendMessageRequestHeaderV2 as unknown as HeaderDef<HeaderFields>],
    ['send-message-v2-response', SendMessageResponseHeader as unknown as HeaderDef<HeaderFields>],
    ['get-routeinfo-by-topic-request', GetRouteInfoRequestHeader as unknown as HeaderDef<HeaderFields>],
  ];
  for (const [prefix, def] of cases) {
    test(`${prefix} decodes as ${def.name} in every captured version and serialize type`, () => {
      const files = jsonFiles(CAPTURED_DIR).filter((name) => name.startsWith(prefix));
      expect(files.length).toBeGreaterThan(0);
      for (const name of files) {
        const decoded = decodeHex(readJson<Captured>(CAPTURED_DIR, name).hex);
        const typed = def.decode(decoded.extFields);
        expect(typed.ok, `${name}: ${JSON.stringify(typed)}`).toBe(true);
      }
    });
  }
});
