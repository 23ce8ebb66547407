// A deliberately small, independent reader/writer of remoting frames for the harness: it picks
// captured frames by code and opaque, and asks a NameServer whether a broker has registered.
// It is not Apogee's codec (packages/remoting) on purpose: the captured fixtures test that codec,
// so they must not be selected or described by it.
//
// Frame: int32 length (bytes after it) | int32 (serialize type << 24 | header length) | header | body.
// JSON header: fastjson object. ROCKETMQ header: code i16, language u8, version i16, opaque i32,
// flag i32, remark (i32 len + utf8), extFields (i32 len + repeated i16 key len, key, i32 value len, value).

/** The harness refuses frames above RocketMQ's frameMaxLength default (16 MiB). */
export const PEEK_FRAME_BYTES_MAX = 16 * 1024 * 1024;

const LANGUAGE_NAMES = ['JAVA', 'CPP', 'DOTNET', 'PYTHON', 'DELPHI', 'ERLANG', 'RUBY', 'OTHER', 'HTTP', 'GO', 'PHP', 'OMS', 'RUST', 'NODE_JS'];

export interface PeekedCommand {
  serializeType: number;
  code: number;
  flag: number;
  opaque: number;
  language: string;
  version: number;
  remark?: string;
  extFields: Record<string, string>;
  headerBytes: number;
  body: Buffer;
  /** JSON frames only: the header's keys in wire order */
  jsonKeyOrder?: string[];
}

/** Parses one whole frame (with its length prefix). Throws on anything malformed. */
export function peekFrame(frame: Buffer): PeekedCommand {
  if (frame.length < 8) throw new Error(`frame of ${frame.length} bytes is shorter than 8`);
  const length = frame.readInt32BE(0);
  if (length !== frame.length - 4) throw new Error(`length field ${length} != ${frame.length - 4}`);
  const word = frame.readUInt32BE(4);
  const serializeType = word >>> 24;
  const headerBytes = word & 0xffffff;
  if (8 + headerBytes > frame.length) throw new Error(`header length ${headerBytes} runs past the frame`);
  const header = frame.subarray(8, 8 + headerBytes);
  const body = frame.subarray(8 + headerBytes);
  if (serializeType === 0) return { ...peekJsonHeader(header), serializeType, headerBytes, body };
  if (serializeType === 1) return { ...peekBinaryHeader(header), serializeType, headerBytes, body };
  throw new Error(`serialize type ${serializeType} is neither JSON (0) nor ROCKETMQ (1)`);
}

type HeaderPart = Omit<PeekedCommand, 'serializeType' | 'headerBytes' | 'body'>;

function peekJsonHeader(header: Buffer): HeaderPart {
  const parsed: unknown = JSON.parse(header.toString('utf8'));
  if (typeof parsed !== 'object' || parsed === null) throw new Error('JSON header is not an object');
  const obj = parsed as Record<string, unknown>;
  const extFields: Record<string, string> = {};
  if (typeof obj.extFields === 'object' && obj.extFields !== null) {
    for (const [k, v] of Object.entries(obj.extFields as Record<string, unknown>)) extFields[k] = String(v);
  }
  const part: HeaderPart = {
    code: Number(obj.code),
    flag: Number(obj.flag ?? 0),
    opaque: Number(obj.opaque ?? 0),
    language: typeof obj.language === 'number' ? (LANGUAGE_NAMES[obj.language] ?? String(obj.language)) : String(obj.language ?? 'JAVA'),
    version: Number(obj.version ?? 0),
    extFields,
    jsonKeyOrder: Object.keys(obj),
  };
  if (typeof obj.remark === 'string') part.remark = obj.remark;
  return part;
}

function peekBinaryHeader(h: Buffer): HeaderPart {
  let at = 0;
  const need = (n: number): void => {
    if (at + n > h.length) throw new Error(`binary header truncated at byte ${at} (needs ${n} more of ${h.length})`);
  };
  need(21);
  const code = h.readInt16BE(0);
  const languageByte = h.readUInt8(2);
  const version = h.readInt16BE(3);
  const opaque = h.readInt32BE(5);
  const flag = h.readInt32BE(9);
  const remarkLength = h.readInt32BE(13);
  at = 17;
  need(remarkLength);
  const remark = remarkLength > 0 ? h.toString('utf8', at, at + remarkLength) : undefined;
  at += remarkLength;
  need(4);
  const mapLength = h.readInt32BE(at);
  at += 4;
  need(mapLength);
  const mapEnd = at + mapLength;
  const extFields: Record<string, string> = {};
  while (at < mapEnd) {
    need(2);
    const keyLength = h.readInt16BE(at);
    at += 2;
    need(keyLength);
    const key = h.toString('utf8', at, at + keyLength);
    at += keyLength;
    need(4);
    const valueLength = h.readInt32BE(at);
    at += 4;
    need(valueLength);
    extFields[key] = h.toString('utf8', at, at + valueLength);
    at += valueLength;
  }
  if (at !== h.length) throw new Error(`binary header has ${h.length - at} trailing bytes`);
  const part: HeaderPart = { code, flag, opaque, language: LANGUAGE_NAMES[languageByte] ?? String(languageByte), version, extFields };
  if (remark !== undefined) part.remark = remark;
  return part;
}

/** A JSON-serialized request the way a Java client writes one (fastjson: sorted keys). */
export function encodeJsonRequestFrame(code: number, opaque: number, extFields: Record<string, string>, body?: Buffer): Buffer {
  const header = Buffer.from(
    JSON.stringify({ code, extFields, flag: 0, language: 'JAVA', opaque, serializeTypeCurrentRPC: 'JSON', version: 479 }),
    'utf8',
  );
  const bodyBytes = body ?? Buffer.alloc(0);
  const frame = Buffer.alloc(8 + header.length + bodyBytes.length);
  frame.writeInt32BE(4 + header.length + bodyBytes.length, 0);
  frame.writeUInt32BE(header.length, 4);
  header.copy(frame, 8);
  bodyBytes.copy(frame, 8 + header.length);
  return frame;
}
